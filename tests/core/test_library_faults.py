"""The library's own side of the faults: lossless odd paths, readers, retries, typed errors."""

from __future__ import annotations

import os
import random
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
from sqlite_utils import Database

from desktop_album.core.errors import CorruptLibraryError, DiskFullError, ReadOnlyError
from desktop_album.core.library import Library, PhotoResult, path_from_db, path_to_db, shown_path
from desktop_album.core.migrations import _V_RETRY, MIGRATIONS, SCHEMA_VERSION, migrate

ODD = os.fsdecode(b"/photos/\xe9t\xe9.jpg")  # a Latin-1 name: not UTF-8


def unit(seed: int, dim: int = 8) -> np.ndarray:
    v = np.random.default_rng(seed).standard_normal(dim).astype(np.float32)
    return v / np.linalg.norm(v)


@pytest.fixture
def library(tmp_path: Path) -> Iterator[Library]:
    with Library(tmp_path / "lib.db") as lib:
        yield lib


def test_paths_round_trip_as_text_or_as_their_raw_bytes() -> None:
    assert path_to_db("/photos/바다.jpg") == "/photos/바다.jpg"  # UTF-8 stays TEXT
    assert path_to_db(ODD) == b"/photos/\xe9t\xe9.jpg"  # the rest: the file name's bytes
    assert path_from_db(path_to_db(ODD)) == ODD
    assert shown_path(ODD) == "/photos/\\xe9t\\xe9.jpg"
    assert shown_path("/photos/바다.jpg") == "/photos/바다.jpg"


def test_an_odd_path_is_stored_found_moved_and_listed(library: Library, tmp_path: Path) -> None:
    root = library.add_root(tmp_path)
    odd = str(tmp_path / os.fsdecode(b"\xe9t\xe9.jpg"))
    assert library.add_pending(root.id, [(odd, 1, 2), (str(tmp_path / "ok.jpg"), 1, 2)]) == 2
    assert set(library.stored_photos(root.id)) == {odd, str(tmp_path / "ok.jpg")}
    photo = library.photo_by_path(odd)
    assert photo is not None and photo.path == odd
    assert [p for _, p in library.photos_to_embed("m")] == [odd, str(tmp_path / "ok.jpg")]
    library.ensure_model("m", 8)
    library.record_batch("m", [PhotoResult(photo.id, error="bad")])
    assert library.failures() == [(odd, "bad")]
    moved = str(tmp_path / os.fsdecode(b"d\xe9j\xe0.jpg"))
    library.move_photo(photo.id, moved, root.id)
    assert library.photo_info([photo.id])[photo.id].path == moved
    odd_root = library.add_root(tmp_path / os.fsdecode(b"caf\xe9"))
    assert library.root_by_path(odd_root.path) == odd_root


def test_a_reader_reads_and_never_writes(tmp_path: Path) -> None:
    path = tmp_path / "lib.db"
    with Library(path) as lib:
        lib.add_root(tmp_path)
    with Library.open_reader(path) as reader:
        assert reader.read_only and len(reader.roots()) == 1
        with pytest.raises(ReadOnlyError):
            reader.add_root(tmp_path / "other")


def test_a_reader_of_a_new_library_creates_it_once(tmp_path: Path) -> None:
    with Library.open_reader(tmp_path / "new.db") as reader:
        assert reader.conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION


def test_an_older_library_gets_the_retry_column_and_keeps_its_photos(tmp_path: Path) -> None:
    path = tmp_path / "lib.db"
    conn = sqlite3.connect(path, isolation_level=None)  # a library of the version before
    conn.execute("PRAGMA journal_mode = WAL")
    migrate(Database(conn), str(path), target=MIGRATIONS.index(_V_RETRY))
    conn.execute("INSERT INTO roots (id, path, added_at) VALUES (1, ?, 0)", (str(tmp_path),))
    conn.execute(
        "INSERT INTO photos (root_id, path, size, mtime_ns, status, added_at) "
        "VALUES (1, ?, 1, 2, 'pending', 0)",
        (str(tmp_path / "a.jpg"),),
    )
    conn.close()
    with Library.open_reader(path) as reader:  # upgraded by a writer first, then read
        assert reader.counts()["pending"] == 1
        columns = [r[1] for r in reader.conn.execute("PRAGMA table_info(photos)")]
        assert "failed_model" in columns


def test_a_failure_is_retried_once_under_another_model_and_on_request(
    library: Library, tmp_path: Path
) -> None:
    rid = library.add_root(tmp_path).id
    library.add_pending(rid, [(str(tmp_path / "a.jpg"), 1, 2), (str(tmp_path / "b.jpg"), 1, 2)])
    (a, _), (b, _) = library.photos_to_embed("A")
    library.ensure_model("A", 8)
    library.record_batch("A", [PhotoResult(a, error="bad"), PhotoResult(b, unit(1), "h")])
    assert library.photos_to_embed("A") == []
    assert [i for i, _ in library.photos_to_embed("B")] == [a, b]  # b: no vector of B yet
    library.ensure_model("B", 8)
    library.record_batch("B", [PhotoResult(a, error="bad"), PhotoResult(b, unit(1), "h")])
    assert library.photos_to_embed("B") == []  # once
    assert library.reset_failed([rid + 1]) == 0  # another root
    assert library.reset_failed([rid]) == 1
    assert library.counts()["pending"] == 1 and library.failures() == []


def test_a_damaged_file_is_refused_untouched(tmp_path: Path) -> None:
    path = tmp_path / "lib.db"
    path.write_bytes(b"SQLite format 3\x00" + random.Random(7).randbytes(5000))
    before = path.read_bytes()
    for read_only in (False, True):
        with pytest.raises(CorruptLibraryError):
            Library(path, read_only=read_only)
    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["lib.db"]


def test_a_full_library_raises_disk_full_and_keeps_what_was_committed(tmp_path: Path) -> None:
    """SQLite's max_page_count caps the file as a full disk would (the CLI test fills a real
    tmpfs); the write that does not fit fails as DISK_FULL, rolled back, earlier ones kept."""
    with Library(tmp_path / "lib.db") as lib:
        rid = lib.add_root(tmp_path).id
        lib.add_pending(rid, [(str(tmp_path / "kept.jpg"), 1, 2)])
        pages = lib.conn.execute("PRAGMA page_count").fetchone()[0]
        lib.conn.execute(f"PRAGMA max_page_count = {pages}")
        many = [(str(tmp_path / f"{i:05d}-{'x' * 200}.jpg"), 1, 2) for i in range(2000)]
        with pytest.raises(DiskFullError, match="disk is full"):
            lib.add_pending(rid, many)
        assert lib.counts()["pending"] == 1
        assert not lib.conn.in_transaction


def test_an_sqlite_bug_in_a_write_stays_a_bug(library: Library) -> None:
    with pytest.raises(sqlite3.OperationalError), library.write() as conn:
        conn.execute("SELECT * FROM no_such_table")


def test_a_new_library_is_made_whole_with_the_usual_permissions(tmp_path: Path) -> None:
    umask = os.umask(0o022)
    try:
        with Library(tmp_path / "lib.db") as lib:
            assert lib.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert (tmp_path / "lib.db").stat().st_mode & 0o777 == 0o644  # as SQLite makes files
    finally:
        os.umask(umask)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["lib.db"]  # no temporary left
