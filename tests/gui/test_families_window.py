"""Each model family's tiny pack searches in the window as it does in the CLI (issue 12)."""

from __future__ import annotations

from pathlib import Path

import pytest

from desktop_album.core.settings import Settings
from tests.gui.helpers import CORPUS_SIZE, drop, names, shape_of, wait_indexed

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"


@pytest.mark.parametrize(
    ("pack", "query"),
    [
        ("tiny-siglip", "  A RED, Circle!!  "),  # canonicalised like its clean form
        ("tiny-mclip", "빨간 원"),  # XLM-R ids + attention mask
        ("tiny-nllb", "빨간 원"),  # kor_Hang in front of the query
    ],
)
def test_a_family_pack_finds_red_circles_in_the_window(
    make_window, photo_folder: Path, qtbot, pack: str, query: str
) -> None:
    window = make_window(Settings(model=str(FIXTURES / pack), provider="cpu", threads=1))
    qtbot.waitUntil(lambda: window.model_status.available, timeout=15_000)
    assert drop(window, [photo_folder])
    wait_indexed(qtbot, window, CORPUS_SIZE)
    with qtbot.waitSignal(
        window.resultsShown, timeout=15_000, check_params_cb=lambda r: r.kind == "text"
    ):
        window.search_bar.setText(query)
        window.search_bar.returnPressed.emit()
    assert names(window), window.header.text()
    assert shape_of(names(window, 1)[0]) == "red_circle", names(window, 5)
