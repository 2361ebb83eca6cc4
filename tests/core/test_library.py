"""The library file: schema versions, photo states, vectors per model, crash-safe writes."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import numpy as np
import pytest

from desktop_album.core.errors import LibraryVersionError
from desktop_album.core.library import Library, PhotoResult
from desktop_album.core.migrations import SCHEMA_VERSION


def unit(seed: int, dim: int = 8) -> np.ndarray:
    v = np.random.default_rng(seed).standard_normal(dim).astype(np.float32)
    return v / np.linalg.norm(v)


@pytest.fixture
def library(tmp_path: Path) -> Library:
    lib = Library(tmp_path / "lib.db")
    yield lib
    lib.close()


def add_photos(library: Library, root: Path, names: list[str]) -> dict[str, int]:
    rid = library.add_root(root).id
    library.add_pending(rid, [(str(root / n), 10, 1000) for n in names])
    return {Path(p).name: s.id for p, s in library.stored_photos(rid).items()}


def test_new_library_is_wal_at_current_schema(tmp_path: Path) -> None:
    with Library(tmp_path / "a" / "lib.db") as lib:
        assert lib.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert lib.conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        assert lib.conn.execute("PRAGMA page_size").fetchone()[0] == 8192


def test_library_from_a_newer_version_is_refused_and_untouched(tmp_path: Path) -> None:
    path = tmp_path / "lib.db"
    Library(path).close()
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    conn.close()
    before = path.read_bytes()
    with pytest.raises(LibraryVersionError, match="newer Desktop Album"):
        Library(path)
    assert path.read_bytes() == before


def test_reopening_keeps_everything(tmp_path: Path) -> None:
    path = tmp_path / "lib.db"
    with Library(path) as lib:
        ids = add_photos(lib, tmp_path, ["a.jpg"])
        lib.ensure_model("m", 8)
        lib.record_batch("m", [PhotoResult(ids["a.jpg"], unit(1), content_hash="h1")])
    with Library(path) as lib:
        assert lib.counts()["ok"] == 1
        stored = lib.vector_of(ids["a.jpg"], "m", 8)
        assert stored is not None
        assert float(stored @ unit(1)) > 0.999


def test_adding_a_root_twice_gives_one_root(library: Library, tmp_path: Path) -> None:
    a = library.add_root(tmp_path)
    b = library.add_root(tmp_path / ".")
    assert a.id == b.id
    assert len(library.roots()) == 1


def test_batch_records_vectors_and_reasons(library: Library, tmp_path: Path) -> None:
    ids = add_photos(library, tmp_path, ["good.jpg", "bad.jpg"])
    library.ensure_model("m", 8)
    library.record_batch(
        "m",
        [
            PhotoResult(ids["good.jpg"], unit(1), content_hash="h", width=4, height=3),
            PhotoResult(ids["bad.jpg"], error="truncated or corrupt image data"),
        ],
    )
    assert library.counts() == {"pending": 0, "ok": 1, "error": 1, "missing": 0}
    assert library.failures() == [(str(tmp_path / "bad.jpg"), "truncated or corrupt image data")]
    info = library.photo_info([ids["good.jpg"]])[ids["good.jpg"]]
    assert (info.width, info.height, info.status) == (4, 3, "ok")


def test_vectors_are_kept_per_model(library: Library, tmp_path: Path) -> None:
    ids = add_photos(library, tmp_path, ["a.jpg", "b.jpg"])
    library.ensure_model("one", 8)
    library.record_batch(
        "one", [PhotoResult(i, unit(i), content_hash=f"h{i}") for i in ids.values()]
    )
    assert library.photos_to_embed("one") == []
    # After switching, every readable photo needs a vector of the new model...
    assert len(library.photos_to_embed("two")) == 2
    library.ensure_model("two", 16)
    library.record_batch("two", [PhotoResult(ids["a.jpg"], unit(9, 16), content_hash="h")])
    assert library.embedding_counts() == {"one": 2, "two": 1}
    # ...and deleting one model's vectors leaves the other's alone.
    assert library.delete_embeddings("two") == 1
    assert library.embedding_counts() == {"one": 2}
    assert library.count_needing_embedding("one") == 0


def test_missing_photos_keep_their_vectors_and_come_back(library: Library, tmp_path: Path) -> None:
    ids = add_photos(library, tmp_path, ["a.jpg"])
    library.ensure_model("m", 8)
    library.record_batch("m", [PhotoResult(ids["a.jpg"], unit(1), content_hash="h")])
    library.mark_missing([ids["a.jpg"]])
    assert library.counts()["missing"] == 1
    assert library.embedding_counts() == {"m": 1}
    library.mark_back([ids["a.jpg"]])
    assert library.counts()["ok"] == 1
    assert library.photos_to_embed("m") == []


def test_changed_photo_loses_its_old_vector(library: Library, tmp_path: Path) -> None:
    ids = add_photos(library, tmp_path, ["a.jpg"])
    library.ensure_model("m", 8)
    library.record_batch("m", [PhotoResult(ids["a.jpg"], unit(1), content_hash="h")])
    library.mark_changed([(ids["a.jpg"], 99, 2000)])
    assert library.embedding_counts() == {}
    assert library.photos_to_embed("m") == [(ids["a.jpg"], str(tmp_path / "a.jpg"))]


def test_moved_photo_keeps_id_and_vector(library: Library, tmp_path: Path) -> None:
    ids = add_photos(library, tmp_path, ["a.jpg"])
    library.ensure_model("m", 8)
    library.record_batch("m", [PhotoResult(ids["a.jpg"], unit(1), content_hash="h")])
    library.mark_missing([ids["a.jpg"]])
    root = library.roots()[0]
    library.move_photo(ids["a.jpg"], str(tmp_path / "renamed.jpg"), root.id)
    moved = library.photo_by_path(tmp_path / "renamed.jpg")
    assert moved is not None and moved.id == ids["a.jpg"] and moved.status == "ok"
    assert library.embedding_counts() == {"m": 1}


def test_status_changes_are_sequenced(library: Library, tmp_path: Path) -> None:
    ids = add_photos(library, tmp_path, ["a.jpg", "b.jpg"])
    _, seq = library.status_changes(0)
    library.mark_missing([ids["b.jpg"]])
    changes, newer = library.status_changes(seq)
    assert changes == [(ids["b.jpg"], "missing")]
    assert newer > seq


def test_a_failed_batch_writes_nothing(library: Library, tmp_path: Path) -> None:
    ids = add_photos(library, tmp_path, ["a.jpg", "b.jpg"])
    library.ensure_model("m", 8)
    with pytest.raises(KeyError):
        # The second result claims a reused vector that does not exist: the whole batch fails.
        library.record_batch(
            "m",
            [
                PhotoResult(ids["a.jpg"], unit(1), content_hash="h1"),
                PhotoResult(ids["b.jpg"], None, content_hash="unknown"),
            ],
        )
    assert library.counts()["pending"] == 2
    assert library.embedding_counts() == {}


def test_browse_is_newest_first(library: Library, tmp_path: Path) -> None:
    ids = add_photos(library, tmp_path, ["old.jpg", "new.jpg", "undated.jpg"])
    library.ensure_model("m", 8)
    library.record_batch(
        "m",
        [
            PhotoResult(ids["old.jpg"], unit(1), content_hash="1", taken_at="2001-01-01T00:00:00"),
            PhotoResult(ids["new.jpg"], unit(2), content_hash="2", taken_at="2024-05-01T00:00:00"),
            PhotoResult(ids["undated.jpg"], unit(3), content_hash="3"),
        ],
    )
    assert library.browse_ids() == [ids["new.jpg"], ids["old.jpg"], ids["undated.jpg"]]


def test_connections_creating_one_new_library_at_once_all_succeed(tmp_path: Path) -> None:
    import threading

    path = tmp_path / "new.db"
    errors: list[BaseException] = []

    def open_close() -> None:
        try:
            Library(path).close()
        except BaseException as exc:  # collected for the assertion below
            errors.append(exc)

    threads = [threading.Thread(target=open_close) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    with Library(path) as lib:
        assert lib.conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
