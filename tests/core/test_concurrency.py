"""Searching from other threads while the live library indexes and watches.

Each reader thread has its own connection and search engine (one connection per thread, as the
window does); the writer thread commits a batch every few photos. Readers must never see a
'database is locked' error, nor a hit that is not a readable, searchable photo.
"""

from __future__ import annotations

import os
import threading
from pathlib import Path

import numpy as np
import pytest

from desktop_album.core.events import Event, JobFailed, PhotosChanged
from desktop_album.core.library import Library
from desktop_album.core.search import SearchEngine
from desktop_album.core.writer import LibraryWriter
from tests.crash_worker import counting_model, find_pack, make_photos

# watchdog's harmless warning for a folder made with its parents (silenced by watching.py, but
# pytest's own warning filters take precedence while a test runs).
pytestmark = pytest.mark.filterwarnings("ignore:Callback with id:RuntimeWarning")

WAIT_S = 30.0
READERS = 2


def reader(db: Path, pack: Path, root: Path, stop: threading.Event, out: dict[str, object]) -> None:
    errors: list[str] = []
    searches = 0
    try:
        model = counting_model(pack)
        rng = np.random.default_rng(threading.get_ident() % 1000)
        with Library(db) as library:
            engine = SearchEngine(library, model)
            while not stop.is_set():
                if searches % 2:
                    hits = engine.search_text("a photo of a red circle", k=25)
                else:
                    query = rng.standard_normal(model.dim).astype(np.float32)
                    hits = engine.search_vector(query / np.linalg.norm(query), k=25)
                searches += 1
                info = library.photo_info([h.photo_id for h in hits])
                for hit in hits:
                    photo = info.get(hit.photo_id)
                    if photo is None or photo.status != "ok" or photo.path != hit.path:
                        errors.append(f"inconsistent hit {hit} vs {photo}")
                    elif not hit.path.startswith(str(root) + os.sep) or not os.path.isfile(
                        hit.path
                    ):
                        errors.append(f"hit with no file: {hit.path}")
                scores = [h.score for h in hits]
                if scores != sorted(scores, reverse=True) or len(set(hits)) != len(hits):
                    errors.append(f"badly ordered hits {scores}")
    except Exception as exc:  # 'database is locked' would land here
        errors.append(f"{type(exc).__name__}: {exc}")
    out["errors"] = errors
    out["searches"] = searches


def test_searches_stay_consistent_while_indexing_and_watching(tmp_path: Path) -> None:
    pack = find_pack(tmp_path)
    folder = tmp_path / "photos"
    make_photos(folder, 150)
    db = tmp_path / "library.db"
    with Library(db) as library:
        library.add_root(folder)

    seen: list[PhotosChanged] = []
    errors: list[JobFailed] = []
    cond = threading.Condition()

    def on_event(event: Event) -> None:
        with cond:
            if isinstance(event, PhotosChanged):
                seen.append(event)
            elif isinstance(event, JobFailed):
                errors.append(event)
            cond.notify_all()

    model = counting_model(pack)
    live = LibraryWriter(
        db,
        on_event,
        model=model,
        batch_size=4,
        decode_threads=1,
        debounce_s=0.2,
    )
    stop = threading.Event()
    results: list[dict[str, object]] = [{} for _ in range(READERS)]
    threads = [
        threading.Thread(target=reader, args=(db, pack, folder.resolve(), stop, results[i]))
        for i in range(READERS)
    ]
    for thread in threads:
        thread.start()
    try:
        live.start(timeout=WAIT_S)  # the start-up reconcile indexes 150 photos, 4 per commit
        make_photos(folder / "arrived", 40, seed=1)  # while that runs: the watcher sees these
        with cond:
            assert cond.wait_for(lambda: sum(u.new for u in seen) >= 190 or errors, WAIT_S)
        assert live.wait_idle(WAIT_S)
    finally:
        stop.set()
        for thread in threads:
            thread.join(WAIT_S)
        assert live.stop(timeout=2.0)

    assert errors == []
    for result in results:
        assert result["errors"] == []
        assert int(result["searches"]) > 5  # type: ignore[call-overload]
    with Library(db) as library:
        assert library.counts()["ok"] == 190
        engine = SearchEngine(library, model)
        assert len(engine.search_text("red circle", k=500)) == 190


def test_readers_do_not_block_the_writer(tmp_path: Path) -> None:
    """A reader holding a long read transaction (a snapshot) does not stop commits in WAL."""
    pack = find_pack(tmp_path)
    folder = tmp_path / "photos"
    make_photos(folder, 20)
    db = tmp_path / "library.db"
    with Library(db) as library:
        library.add_root(folder)
    holders = [Library(db) for _ in range(READERS)]
    try:
        for holder in holders:
            holder.conn.execute("BEGIN")
            holder.conn.execute("SELECT count(*) FROM photos").fetchone()  # read lock held
        model = counting_model(pack)
        live = LibraryWriter(db, lambda event: None, model=model, batch_size=4, watch=False)
        live.start(timeout=WAIT_S)
        assert live.wait_idle(WAIT_S)
        assert live.stop(timeout=1.0)
        assert model.embedded == 20
        for holder in holders:
            # Still in its snapshot: it sees the library as it was when its read began.
            assert holder.conn.execute("SELECT count(*) FROM embeddings").fetchone()[0] == 0
            holder.conn.execute("COMMIT")
            assert holder.conn.execute("SELECT count(*) FROM embeddings").fetchone()[0] == 20
    finally:
        for holder in holders:
            holder.close()
