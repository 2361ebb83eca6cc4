"""``desktop-album things`` as a user runs it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from desktop_album.cli import main
from models.shapes import ShapeSpec

SHAPES_VOCABULARY = Path(__file__).parents[1] / "fixtures" / "things-shapes.json"


def test_things_counts_photos_per_thing(
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    shapes_corpus: list[tuple[Path, ShapeSpec]],
    tiny_pack: Path,
) -> None:
    library = tmp_path / "library.db"
    base = ["--library", str(library), "--model", str(tiny_pack)]
    folder = str(shapes_corpus[0][0].parent)
    assert main([*base, "index", folder]) == 0
    capsys.readouterr()

    assert main([*base, "things", "--json", "--vocabulary", str(SHAPES_VOCABULARY)]) == 0
    captured = capsys.readouterr()
    assert "Sorted 100 photos into things" in captured.err
    rows = json.loads(captured.out)
    expected: dict[str, int] = {}
    for _, spec in shapes_corpus:
        key = f"{spec.color}_{spec.shape}"
        expected[key] = expected.get(key, 0) + 1
    by_tag = {row["tag"]: row for row in rows}
    assert by_tag["red_circle"]["en"] == "red circle"
    assert by_tag["red_circle"]["ko"] == "빨간 원"
    assert abs(by_tag["red_circle"]["count"] - expected["red_circle"]) <= 1
    assert [r["count"] for r in rows] == sorted((r["count"] for r in rows), reverse=True)

    # Stored: a second run computes nothing; the text form names both languages.
    assert main([*base, "things", "--vocabulary", str(SHAPES_VOCABULARY)]) == 0
    captured = capsys.readouterr()
    assert "Sorted" not in captured.err
    assert "red circle (빨간 원)" in captured.out


def test_things_with_the_apps_vocabulary_runs_on_any_model(
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    shapes_corpus: list[tuple[Path, ShapeSpec]],
    tiny_pack: Path,
) -> None:
    library = tmp_path / "library.db"
    base = ["--library", str(library), "--model", str(tiny_pack)]
    assert main([*base, "index", str(shapes_corpus[0][0].parent)]) == 0
    capsys.readouterr()
    assert main([*base, "things", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert all(set(row) == {"tag", "en", "ko", "count"} for row in rows)
