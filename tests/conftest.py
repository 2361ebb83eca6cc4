"""Fixtures shared by every test: the committed tiny CLIP pack and generated shape photos."""

from __future__ import annotations

from pathlib import Path

import pytest

from models.shapes import ShapeSpec, make_corpus

TINY_PACK = Path(__file__).parent / "fixtures" / "tiny-pack"


@pytest.fixture(scope="session")
def tiny_pack() -> Path:
    assert (TINY_PACK / "config.json").is_file(), (
        "the test pack is missing; regenerate it: python -m models.train_tiny --out "
        "tests/fixtures/tiny-pack"
    )
    return TINY_PACK


@pytest.fixture(scope="session")
def shapes_corpus(tmp_path_factory: pytest.TempPathFactory) -> list[tuple[Path, ShapeSpec]]:
    """About a hundred photos of coloured shapes, made once per test session. Read-only."""
    folder = tmp_path_factory.mktemp("shapes")
    return make_corpus(folder, count=100, seed=123)


@pytest.fixture(autouse=True)
def _isolated_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """No test reads or writes the real user folders."""
    home = tmp_path / "home"
    monkeypatch.setenv("DESKTOP_ALBUM_HOME", str(home))
    return home
