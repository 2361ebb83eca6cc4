"""``desktop-album search`` inside an album, the favourites or a thing, as a user runs it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from desktop_album.cli import main
from desktop_album.core import albums
from desktop_album.core.library import Library
from models.shapes import ShapeSpec

SHAPES_VOCABULARY = Path(__file__).parents[1] / "fixtures" / "things-shapes.json"


@pytest.fixture()
def indexed(
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    shapes_corpus: list[tuple[Path, ShapeSpec]],
    tiny_pack: Path,
) -> dict[str, object]:
    """The shapes corpus indexed by the CLI; an album "Trip 2024" of the red photos, the
    circles as favourites."""
    db = tmp_path / "library.db"
    base = ["--library", str(db), "--model", str(tiny_pack)]
    assert main([*base, "index", str(shapes_corpus[0][0].parent)]) == 0
    library = Library(db)
    try:
        ids = {str(p.resolve()): library.photo_by_path(p.resolve()).id for p, _ in shapes_corpus}  # type: ignore[union-attr]
        red = [ids[str(p.resolve())] for p, s in shapes_corpus if s.color == "red"]
        circles = [ids[str(p.resolve())] for p, s in shapes_corpus if s.shape == "circle"]
        trip = albums.create_album(library, "Trip 2024")
        albums.add_to_album(library, trip.id, red)
        albums.set_favourite(library, circles, True)
    finally:
        library.close()
    capsys.readouterr()
    specs = {str(p.resolve()): s for p, s in shapes_corpus}
    return {"base": base, "specs": specs}


def _paths(out: str) -> list[str]:
    return [row["path"] for row in json.loads(out)]


def test_search_inside_an_album(
    capsys: pytest.CaptureFixture[str], indexed: dict[str, object]
) -> None:
    base, specs = indexed["base"], indexed["specs"]
    assert isinstance(base, list) and isinstance(specs, dict)
    assert main([*base, "search", "a circle", "--album", "trip 2024", "--all", "--json"]) == 0
    paths = _paths(capsys.readouterr().out)
    assert paths and all(specs[p].color == "red" for p in paths)
    assert len(paths) == sum(1 for s in specs.values() if s.color == "red")
    # An album that does not exist: one line naming the albums there are, exit 2.
    assert main([*base, "search", "a circle", "--album", "Holiday"]) == 2
    err = capsys.readouterr().err
    assert "No album called “Holiday”" in err and "Trip 2024" in err
    assert "Traceback" not in err


def test_search_among_favourites(
    capsys: pytest.CaptureFixture[str], indexed: dict[str, object]
) -> None:
    base, specs = indexed["base"], indexed["specs"]
    assert isinstance(base, list) and isinstance(specs, dict)
    assert main([*base, "search", "something red", "--favourites", "-k", "100", "--json"]) == 0
    paths = _paths(capsys.readouterr().out)
    assert paths and all(specs[p].shape == "circle" for p in paths)


def test_tags_in_the_search_text(
    capsys: pytest.CaptureFixture[str], indexed: dict[str, object]
) -> None:
    base, specs = indexed["base"], indexed["specs"]
    assert isinstance(base, list) and isinstance(specs, dict)
    vocabulary = ["--vocabulary", str(SHAPES_VOCABULARY)]
    # Before the photos are sorted into things (a library from before things): said, exit 2.
    library = Library(Path(str(base[1])))
    with library.write() as conn:
        conn.execute("DELETE FROM tag_sets")
    library.close()
    assert main([*base, "search", "#red_circle", *vocabulary]) == 2
    assert "not sorted into things yet" in capsys.readouterr().err
    assert main([*base, "things", *vocabulary]) == 0
    capsys.readouterr()

    # A tag alone: its photos; English and Korean names both work.
    for text in ("#red_circle", "tag:red_circle", "#빨간_원"):
        assert main([*base, "search", text, *vocabulary, "--json"]) == 0
        paths = _paths(capsys.readouterr().out)
        assert paths, text
        right = sum((specs[p].color, specs[p].shape) == ("red", "circle") for p in paths)
        assert right >= 0.9 * len(paths), text
    # A tag with text: filtered by the tag, ranked by the text; with an album too.
    assert main([*base, "search", "#blue_square something", *vocabulary, "--json"]) == 0
    paths = _paths(capsys.readouterr().out)
    assert paths and sum(specs[p].shape == "square" for p in paths) >= 0.9 * len(paths)
    argv = [*base, "search", "#red_circle", "--album", "Trip 2024", *vocabulary, "--json"]
    assert main(argv) == 0
    assert all(specs[p].color == "red" for p in _paths(capsys.readouterr().out))

    # A thing nobody knows: said plainly, exit 2, nothing printed as results.
    assert main([*base, "search", "#xyzzy sunset", *vocabulary]) == 2
    captured = capsys.readouterr()
    assert "No thing called “xyzzy”" in captured.err
    assert captured.out == ""
