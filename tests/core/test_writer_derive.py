"""After indexing, the writer fills in what is derived from the photos: perceptual hashes
(duplicates) and the model's things (tags), also for libraries indexed before either existed."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from desktop_album.core.events import Event, JobFailed, JobFinished, ThingsUpdated
from desktop_album.core.indexing import Indexer
from desktop_album.core.library import Library
from desktop_album.core.phash_backfill import count_missing_phashes
from desktop_album.core.writer import LibraryWriter
from tests.crash_worker import counting_model, find_pack, make_photos

WAIT_S = 120.0


@pytest.fixture(scope="module")
def pack(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return find_pack(tmp_path_factory.mktemp("pack"))


class Events:
    def __init__(self) -> None:
        self.items: list[Event] = []
        self.lock = threading.Lock()

    def __call__(self, event: Event) -> None:
        with self.lock:
            self.items.append(event)

    def take(self) -> list[Event]:
        with self.lock:
            items, self.items = self.items, []
        return items


def run_writer(db: Path, pack: Path, *jobs: str) -> list[Event]:
    """Start a writer (its start-up reconcile is the first job), run ``jobs``, stop."""
    events = Events()
    writer = LibraryWriter(
        db, events, model=counting_model(pack), watch=False, availability_interval_s=None
    )
    writer.start(timeout=WAIT_S)
    for job in jobs:
        getattr(writer, job)()
    assert writer.wait_idle(WAIT_S)
    assert writer.stop(timeout=5.0)
    found = events.take()
    assert [e for e in found if isinstance(e, JobFailed)] == []
    return found


def test_indexing_leaves_hashes_and_things_and_repeats_nothing(tmp_path: Path, pack: Path) -> None:
    folder = tmp_path / "photos"
    make_photos(folder, 12)
    db = tmp_path / "library.db"
    with Library(db) as library:
        library.add_root(folder)

    first = run_writer(db, pack)
    updated = [e for e in first if isinstance(e, ThingsUpdated)]
    assert len(updated) == 1 and updated[0].photos == 12
    finished = [e for e in first if isinstance(e, JobFinished)]
    assert finished[-1].summary.tagged == 12
    with Library(db) as library:
        assert count_missing_phashes(library) == 0
        # Noise photos stand out for no thing; what counts is that they were looked at.
        (tagged_for,) = library.conn.execute("SELECT model_id FROM tag_sets").fetchone()
        assert tagged_for == updated[0].model_id

    again = run_writer(db, pack, "index")  # nothing changed: nothing derived again
    assert [e for e in again if isinstance(e, ThingsUpdated)] == []
    assert all(e.summary.tagged == 0 for e in again if isinstance(e, JobFinished))

    make_photos(folder, 3, seed=7)
    more = run_writer(db, pack)
    assert [e.photos for e in more if isinstance(e, ThingsUpdated)] == [15]


def test_a_library_indexed_before_hashes_and_things_gets_them(tmp_path: Path, pack: Path) -> None:
    folder = tmp_path / "photos"
    make_photos(folder, 9)
    db = tmp_path / "library.db"
    with Library(db) as library:
        library.add_root(folder)
        Indexer(library, counting_model(pack)).run()
        with library.write() as conn:  # as a library from before this version had it
            conn.execute("UPDATE photos SET phash = NULL")
        assert count_missing_phashes(library) == 9

    events = run_writer(db, pack)
    assert sum(e.summary.hashed for e in events if isinstance(e, JobFinished)) == 9
    assert [e.photos for e in events if isinstance(e, ThingsUpdated)] == [9]
    with Library(db) as library:
        assert count_missing_phashes(library) == 0
