"""Searching inside an album, the favourites or a thing: filters inside the index, tags typed
in the bar (``#red_circle``, ``tag:beach``, ``#바다``) resolved against the vocabulary."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from desktop_album.core import albums
from desktop_album.core.embedding import ClipModel
from desktop_album.core.filters import matching_ids
from desktop_album.core.indexing import Indexer
from desktop_album.core.library import Library
from desktop_album.core.packs import load_pack
from desktop_album.core.query import Filters, parse_query
from desktop_album.core.search import SearchEngine, SearchOptions
from desktop_album.core.tag_query import resolve_tags
from desktop_album.core.things import compute_tags, load_vocabulary, photos_with_tag
from models.shapes import ShapeSpec

SHAPES_VOCABULARY = Path(__file__).parents[1] / "fixtures" / "things-shapes.json"


@pytest.fixture(scope="module")
def scoped(
    tmp_path_factory: pytest.TempPathFactory,
    shapes_corpus: list[tuple[Path, ShapeSpec]],
    tiny_pack: Path,
) -> dict[str, object]:
    """The shapes corpus indexed and sorted into things; an album of every third photo, and
    every fifth photo a favourite."""
    db = tmp_path_factory.mktemp("scope") / "library.db"
    library = Library(db)
    library.add_root(shapes_corpus[0][0].parent)
    model = ClipModel(load_pack(tiny_pack))
    Indexer(library, model).run()
    vocabulary = load_vocabulary(SHAPES_VOCABULARY)
    assert compute_tags(library, model, vocabulary).computed
    specs = {library.photo_by_path(p.resolve()).id: s for p, s in shapes_corpus}  # type: ignore[union-attr]
    ids = sorted(specs)
    trip = albums.create_album(library, "Trip")
    albums.add_to_album(library, trip.id, ids[::3])
    albums.set_favourite(library, ids[::5], True)
    library.close()
    return {
        "db": db,
        "model": model,
        "vocabulary": vocabulary,
        "specs": specs,
        "album": trip.id,
        "in_album": set(ids[::3]),
        "favourites": set(ids[::5]),
    }


@pytest.fixture()
def engine(scoped: dict[str, object]) -> SearchEngine:
    model = scoped["model"]
    assert isinstance(model, ClipModel)
    return SearchEngine(Library(Path(str(scoped["db"]))), model, scoped["vocabulary"])  # type: ignore[arg-type]


def _ids(result: object) -> list[int]:
    return [h.photo_id for h in result.hits]  # type: ignore[attr-defined]


def test_a_search_inside_an_album_returns_only_its_photos(
    engine: SearchEngine, scoped: dict[str, object]
) -> None:
    in_album = scoped["in_album"]
    specs = scoped["specs"]
    assert isinstance(in_album, set) and isinstance(specs, dict)
    album = Filters(album=int(scoped["album"]))  # type: ignore[call-overload]
    result = engine.ask("a red circle", filters=album, options=SearchOptions(all=True))
    assert result.hits and set(_ids(result)) == in_album
    result = engine.ask("a red circle", filters=album)
    assert set(_ids(result)) <= in_album
    red_circles = {i for i in in_album if (specs[i].color, specs[i].shape) == ("red", "circle")}
    if red_circles and result.verdict == "matches":
        assert set(_ids(result)) & red_circles
    # No text: the album's photos, by date.
    browsed = engine.run(parse_query("", filters=album))
    assert browsed.verdict == "browse" and set(_ids(browsed)) == in_album


def test_favourites_only(engine: SearchEngine, scoped: dict[str, object]) -> None:
    result = engine.ask("a blue square", Filters(favourites=True), SearchOptions(all=True))
    assert set(_ids(result)) == scoped["favourites"]


def test_an_album_entry_whose_photo_came_back_counts(scoped: dict[str, object]) -> None:
    """An entry remembered by content hash (its photo left the library) stands for the photo
    with that content, as the album list shows it."""
    library = Library(Path(str(scoped["db"])))
    try:
        album_id = int(scoped["album"])  # type: ignore[call-overload]
        chosen = min(scoped["in_album"])  # type: ignore[type-var]
        with library.write() as conn:
            conn.execute("UPDATE album_items SET photo_id = NULL WHERE photo_id = ?", (chosen,))
        found = set(matching_ids(library.conn, Filters(album=album_id)).tolist())
        assert chosen in found
        assert found == set(albums.album_photos(library, album_id))
        with library.write() as conn:
            conn.execute("UPDATE album_items SET photo_id = ? WHERE photo_id IS NULL", (chosen,))
    finally:
        library.close()


def test_a_tag_alone_shows_its_photos_clearest_first(
    engine: SearchEngine, scoped: dict[str, object]
) -> None:
    model = scoped["model"]
    assert isinstance(model, ClipModel)
    tagged = photos_with_tag(engine.library, model.model_id, "red_circle")
    assert tagged
    for text in ("#red_circle", "tag:red_circle", "#Red_Circle"):
        result = engine.ask(text)
        assert result.verdict == "browse"
        assert _ids(result) == tagged
        assert result.query.tags and result.query.filters.things == ("red_circle",)


def test_a_tag_with_text_filters_by_the_tag_and_ranks_by_the_text(
    engine: SearchEngine, scoped: dict[str, object]
) -> None:
    model = scoped["model"]
    assert isinstance(model, ClipModel)
    blue = set(photos_with_tag(engine.library, model.model_id, "blue_circle"))
    result = engine.ask("#blue_circle a red square", options=SearchOptions(all=True))
    assert result.verdict == "matches"
    assert set(_ids(result)) == blue
    scores = [h.score for h in result.hits]
    assert scores == sorted(scores, reverse=True)
    # A tag and an album together: both apply.
    album = Filters(album=int(scoped["album"]))  # type: ignore[call-overload]
    both = engine.ask("#blue_circle circle", album, SearchOptions(all=True))
    assert set(_ids(both)) == blue & scoped["in_album"]  # type: ignore[operator]


def test_an_unknown_tag_is_told_not_searched(engine: SearchEngine) -> None:
    result = engine.ask("#zebra_crossing a red circle")
    assert result.verdict == "unknown_tag"
    assert result.unknown_tags == ("zebra_crossing",)
    assert result.hits == []


def test_tags_before_sorting_into_things_say_so(scoped: dict[str, object], tmp_path: Path) -> None:
    copy = tmp_path / "copy.db"
    with sqlite3.connect(str(scoped["db"])) as source, sqlite3.connect(copy) as target:
        source.backup(target)
        target.execute("DELETE FROM tag_sets")
    model = scoped["model"]
    assert isinstance(model, ClipModel)
    library = Library(copy)
    try:
        engine = SearchEngine(library, model, scoped["vocabulary"])  # type: ignore[arg-type]
        assert engine.ask("#red_circle").verdict == "no_things"
        assert engine.ask("a red circle").verdict == "matches"
    finally:
        library.close()


@pytest.mark.parametrize(
    ("text", "things", "texts"),
    [
        ("#beach", ("beach",), ()),
        ("#바다", ("beach",), ()),
        ("tag:해변 노을", ("beach",), ("노을",)),
        ("#beach sunset", ("beach",), ("sunset",)),
        ("#음식 #바다", ("food", "beach"), ()),
        ("a dog", (), ("a dog",)),
    ],
)
def test_typed_tags_resolve_in_english_and_korean(
    text: str, things: tuple[str, ...], texts: tuple[str, ...]
) -> None:
    resolved = resolve_tags(parse_query(text), "model-x", load_vocabulary())
    assert resolved.unknown == ()
    assert resolved.query.filters.things == things
    assert resolved.query.texts == texts
    assert resolved.query.filters.things_model == ("model-x" if things else None)


def test_a_things_filter_needs_its_model() -> None:
    conn = sqlite3.connect(":memory:")
    with pytest.raises(ValueError, match="model"):
        matching_ids(conn, Filters(things=("beach",)))
