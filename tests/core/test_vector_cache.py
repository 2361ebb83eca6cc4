"""The search index's vectors saved beside the library and mapped at the next start: the same
results as rebuilding from SQLite, kept up to date by the usual catch-up, ignored when stale."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from desktop_album.core import vector_cache
from desktop_album.core.library import Library, PhotoResult
from desktop_album.core.search import SearchEngine
from tests.core.test_search_scale import (
    _library_with_vectors,
    _Model,
    needs_numkong,
    unit_rows,
)

pytestmark = needs_numkong


@pytest.fixture(autouse=True)
def small_cache(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(vector_cache, "MIN_ROWS", 10)  # tests use small libraries


def top(engine: SearchEngine, query: np.ndarray) -> list[int]:
    return [h.photo_id for h in engine.search_vector(query, 10)]


def test_a_second_start_maps_the_saved_vectors_and_answers_the_same(tmp_path: Path) -> None:
    db = tmp_path / "library.db"
    vectors = unit_rows(500, 32, seed=3, clusters=20)
    library, _ = _library_with_vectors(db, vectors)
    with library:
        first = SearchEngine(library, _Model())  # type: ignore[arg-type]
        expected = [top(first, vectors[i]) for i in (0, 99, 499)]
    assert (vector_cache.cache_dir(db) / "synthetic.json").is_file()

    with Library.open_reader(db) as reader:
        engine = SearchEngine(reader, _Model())  # type: ignore[arg-type]
        engine.refresh()
        assert isinstance(engine.index.arrays()[1].base, np.memmap) or isinstance(
            engine.index.arrays()[1], np.memmap
        )  # mapped from the file, not read back from SQLite rows
        assert [top(engine, vectors[i]) for i in (0, 99, 499)] == expected


def test_what_changed_since_the_cache_is_caught_up(tmp_path: Path) -> None:
    db = tmp_path / "library.db"
    vectors = unit_rows(300, 32, seed=5)
    library, ids = _library_with_vectors(db, vectors)
    with library:
        SearchEngine(library, _Model()).refresh()  # type: ignore[arg-type]
        # After the cache was written: a photo goes missing, a new one arrives.
        library.mark_missing([ids[7]])
        root = library.roots()[0]
        library.add_pending(root.id, [(f"{root.path}/new.jpg", 1, 1)])
        new_id = int(library.conn.execute("SELECT max(id) FROM photos").fetchone()[0])
        fresh = unit_rows(1, 32, seed=99)[0]
        library.record_batch("synthetic", [PhotoResult(new_id, vector=fresh, content_hash="f")])
    with Library.open_reader(db) as reader:
        engine = SearchEngine(reader, _Model())  # type: ignore[arg-type]
        assert ids[7] not in top(engine, vectors[7])
        assert top(engine, fresh)[0] == new_id


def test_a_stale_or_damaged_cache_is_ignored(tmp_path: Path) -> None:
    db = tmp_path / "library.db"
    vectors = unit_rows(200, 32, seed=9)
    library, ids = _library_with_vectors(db, vectors)
    with library:
        SearchEngine(library, _Model()).refresh()  # type: ignore[arg-type]
        library.remove_photos([ids[0]])  # a deletion: a new generation of the library
    with Library.open_reader(db) as reader:
        engine = SearchEngine(reader, _Model())  # type: ignore[arg-type]
        assert ids[0] not in top(engine, vectors[0])
    for data in vector_cache.cache_dir(db).glob("*.f16"):
        data.write_bytes(b"\0" * 10)  # cut short
    with Library.open_reader(db) as reader:
        engine = SearchEngine(reader, _Model())  # type: ignore[arg-type]
        assert top(engine, vectors[1])[0] == ids[1]
