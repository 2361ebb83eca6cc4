"""Fixtures for the window tests: offscreen Qt, a home per test, the tiny pack, a shape corpus."""

from __future__ import annotations

import os

os.environ["QT_QPA_PLATFORM"] = "offscreen"  # before anything imports Qt

import shutil
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest

from desktop_album.core.paths import AppPaths
from desktop_album.core.settings import Settings
from desktop_album.gui.services import Tuning
from tests.gui.helpers import CORPUS_SIZE, FAST

TINY_PACK = Path(
    os.environ.get("DESKTOP_ALBUM_TINY_PACK")
    or Path(__file__).resolve().parents[1] / "fixtures" / "tiny-pack"
)
# The offscreen platform cannot pass size hints to a window manager; it says so once per window.
_OFFSCREEN_NOISE = "propagateSizeHints"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    here = Path(__file__).parent
    for item in items:
        if here in Path(str(item.fspath)).parents:
            item.add_marker(pytest.mark.qt_log_ignore(_OFFSCREEN_NOISE))


@pytest.fixture(scope="session")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Coloured-shape photos (every colour x shape twice), made once per session."""
    from models.shapes import make_corpus

    folder = tmp_path_factory.mktemp("corpus") / "shapes"
    make_corpus(folder, CORPUS_SIZE, seed=7)
    return folder


@pytest.fixture
def photo_folder(corpus: Path, tmp_path: Path) -> Path:
    """A private copy of the corpus (tests may add, rename or delete files)."""
    target = tmp_path / "photos" / "Shapes"
    shutil.copytree(corpus, target)
    return target


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> AppPaths:
    monkeypatch.setenv("DESKTOP_ALBUM_HOME", str(tmp_path / "home"))
    return AppPaths.default()


@pytest.fixture
def tiny_pack() -> Path:
    assert (TINY_PACK / "config.json").is_file(), (
        "the test pack is missing; regenerate it: python -m models.tiny_convnet --out "
        "tests/fixtures/tiny-pack"
    )
    return TINY_PACK


@pytest.fixture
def settings(tiny_pack: Path) -> Settings:
    return Settings(model=str(tiny_pack), provider="cpu", threads=1)


@pytest.fixture
def make_window(qtbot, home: AppPaths) -> Iterator:
    """Build (and, at the end, close) windows around the test's home."""
    from desktop_album.app import create_window

    windows = []

    def build(settings: Settings | None = None, tuning: Tuning = FAST, start: bool = True):
        window = create_window(home, replace(settings or Settings()), tuning, rescan_on_start=False)
        qtbot.addWidget(window)
        window.show()
        if start:
            window.start()
        windows.append(window)
        return window

    yield build
    for window in windows:
        if window.isVisible():
            window.close()


@pytest.fixture
def controllers() -> Iterator[list]:
    """Controllers a test starts; shut down at the end even when the test fails (a QThread
    destroyed while running aborts the process)."""
    started: list = []
    yield started
    for controller in started:
        controller.shutdown(2000)
