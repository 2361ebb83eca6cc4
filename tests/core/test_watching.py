"""The folder watcher and the library writer, on real folders, a real library and a real model.

Nothing here sleeps to synchronise: every wait is on a condition signalled by a callback, with a
bounded timeout.
"""

from __future__ import annotations

import errno
import hashlib
import logging
import os
import shutil
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from watchdog.events import (
    DirMovedEvent,
    FileClosedEvent,
    FileCreatedEvent,
    FileDeletedEvent,
    FileMovedEvent,
)

from desktop_album.core import watching
from desktop_album.core.events import (
    JobFailed,
    NeedsConfirmation,
    PhotosChanged,
    RootOffline,
    RootOnline,
)
from desktop_album.core.library import Library
from desktop_album.core.search import SearchEngine
from desktop_album.core.thumbnails import ThumbnailCache
from desktop_album.core.watching import (
    ChangeBatch,
    FolderWatcher,
    filesystem_type,
    is_network_fs,
)
from desktop_album.core.writer import LibraryWriter
from tests.crash_worker import CountingModel, counting_model, find_pack, make_photos

# watchdog's harmless warning for a folder made with its parents (silenced by watching.py, but
# pytest's own warning filters take precedence while a test runs).
pytestmark = pytest.mark.filterwarnings("ignore:Callback with id:RuntimeWarning")

WAIT_S = 20.0  # generous bound for a loaded CI machine; a pass takes a fraction of it


# -- helpers ----------------------------------------------------------------------------------


class Recorder:
    """Collects callbacks from another thread and lets the test wait on what they say."""

    def __init__(self) -> None:
        self.items: list[object] = []
        self._cond = threading.Condition()

    def take(self) -> list[object]:
        """What was recorded so far, forgotten: later waits see only what comes next."""
        with self._cond:
            items, self.items = self.items, []
        return items

    def __call__(self, item: object) -> None:
        with self._cond:
            self.items.append(item)
            self._cond.notify_all()

    def wait_for(self, predicate: Callable[[list[object]], bool], what: str) -> None:
        with self._cond:
            ok = self._cond.wait_for(lambda: predicate(self.items), WAIT_S)
        assert ok, f"timed out waiting for {what}; got {self.items!r}"


def updates(items: list[object]) -> list[PhotosChanged]:
    return [i for i in items if isinstance(i, PhotosChanged)]


def total(items: list[object], name: str) -> int:
    return sum(int(getattr(u, name)) for u in updates(items))


@pytest.fixture(scope="module")
def pack(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return find_pack(tmp_path_factory.mktemp("pack"))


class Live:
    """A live library on a fresh folder, with a counting model and an update recorder."""

    def __init__(self, base: Path, pack: Path, photos: int, **options: object) -> None:
        self.folder = base / "photos"
        self.files = make_photos(self.folder, photos)
        self.db = base / "library.db"
        with Library(self.db) as library:
            self.root_id = library.add_root(self.folder).id
        self.pack = pack
        self.options: dict[str, object] = {
            "batch_size": 8,
            "decode_threads": 1,
            "debounce_s": 0.2,
            "availability_interval_s": 0.2,
            "polling_interval_s": 0.2,
            **options,
        }
        self.restart()

    def restart(self) -> None:
        """A new service (as after closing the app), with a fresh model and recorder."""
        self.model: CountingModel = counting_model(self.pack)
        self.recorder = Recorder()
        self.live = LibraryWriter(
            self.db,
            self.recorder,
            model=self.model,
            **self.options,  # type: ignore[arg-type]
        )

    def start(self) -> None:
        """Start, and wait for the start-up reconcile (its updates go to ``self.startup``)."""
        self.live.start(timeout=WAIT_S)
        assert self.live.wait_idle(WAIT_S)
        self.startup = updates(self.recorder.take())

    def wait(self, predicate: Callable[[list[object]], bool], what: str) -> None:
        self.recorder.wait_for(predicate, what)
        assert self.live.wait_idle(WAIT_S)
        errors = [i for i in self.recorder.items if isinstance(i, JobFailed)]
        assert errors == []

    def library(self) -> Library:
        return Library(self.db)


@pytest.fixture
def make_live(tmp_path: Path, pack: Path) -> Iterator[Callable[..., Live]]:
    made: list[Live] = []

    def make(photos: int = 12, **options: object) -> Live:
        live = Live(tmp_path, pack, photos, **options)
        made.append(live)
        return live

    yield make
    for live in made:
        assert live.live.stop(timeout=2.0)


def statuses(library: Library) -> dict[str, str]:
    rows = library.conn.execute("SELECT path, status FROM photos")
    return {r[0]: r[1] for r in rows}


def vectors(library: Library) -> dict[int, bytes]:
    return {r[0]: r[1] for r in library.conn.execute("SELECT photo_id, vector FROM embeddings")}


# -- batches, without threads -----------------------------------------------------------------


def test_events_fold_into_one_batch(tmp_path: Path) -> None:
    root = str(tmp_path)
    watcher = FolderWatcher([root], lambda batch: None)
    j = os.path.join
    events = [
        FileCreatedEvent(j(root, "a.jpg")),
        FileClosedEvent(j(root, "a.jpg")),
        FileCreatedEvent(j(root, "notes.txt")),  # not a photo
        FileCreatedEvent(j(root, ".hidden", "x.jpg")),  # inside a hidden folder
        FileMovedEvent(j(root, "b.jpg"), j(root, "c.jpg")),
        FileMovedEvent(j(root, "c.jpg"), j(root, "d.jpg")),  # chain: b -> d
        FileMovedEvent(j(root, "e.jpg"), j(root, "f.jpg")),
        FileMovedEvent(j(root, "f.jpg"), j(root, "e.jpg")),  # and back: no move at all
        FileMovedEvent(j(root, "g.jpg.part"), j(root, "g.jpg")),  # a download finishing
        FileMovedEvent(j(root, "h.jpg"), j(root, ".h.jpg")),  # hidden away: gone for us
        DirMovedEvent(j(root, "old"), j(root, "new")),
        FileMovedEvent(j(root, "old", "1.jpg"), j(root, "new", "1.jpg")),  # implied by the folder
        FileDeletedEvent(j(root, "gone.png")),
        FileCreatedEvent(j(root, "gone.png")),
        FileDeletedEvent(j(root, "gone.png")),
    ]
    for event in events:
        watcher._on_event(root, event)
    batch = watcher._pending.batch()
    assert batch.roots == {root}
    assert batch.changed == {j(root, "a.jpg"), j(root, "g.jpg")}
    assert batch.deleted == {j(root, "gone.png"), j(root, "h.jpg")}
    assert batch.moved == ((j(root, "b.jpg"), j(root, "d.jpg")), (j(root, "old"), j(root, "new")))
    assert not batch.overflow


def test_batches_merge_in_order() -> None:
    first = ChangeBatch(
        frozenset({"/r"}), changed=frozenset({"/r/a.jpg"}), moved=(("/r/x.jpg", "/r/y.jpg"),)
    )
    later = ChangeBatch(
        frozenset({"/r"}),
        deleted=frozenset({"/r/a.jpg"}),
        moved=(("/r/y.jpg", "/r/z.jpg"),),
        overflow_roots=frozenset({"/r"}),
    )
    merged = first.merged(later)
    assert merged.changed == frozenset()
    assert merged.deleted == {"/r/a.jpg"}
    assert merged.moved == (("/r/x.jpg", "/r/z.jpg"),)
    assert merged.overflow


def test_network_file_systems_are_recognised(tmp_path: Path) -> None:
    mounts = tmp_path / "mounts"
    mounts.write_text(
        "/dev/vda / ext4 rw 0 0\n"
        "server:/export /mnt/nas nfs4 rw 0 0\n"
        "//host/share /mnt/my\\040share cifs rw 0 0\n"
        "/dev/sdb1 /media/usb fuseblk rw 0 0\n"
        "me@host: /mnt/ssh fuse.sshfs rw 0 0\n"
    )
    kinds = {
        path: filesystem_type(path, str(mounts))
        for path in ("/home/x", "/mnt/nas/photos", "/mnt/my share/a", "/media/usb/DCIM", "/mnt/ssh")
    }
    assert kinds == {
        "/home/x": "ext4",
        "/mnt/nas/photos": "nfs4",
        "/mnt/my share/a": "cifs",
        "/media/usb/DCIM": "fuseblk",
        "/mnt/ssh": "fuse.sshfs",
    }
    assert [is_network_fs(k) for k in kinds.values()] == [False, True, True, False, True]


# -- the watcher alone --------------------------------------------------------------------------


def _seen(batches: list[object]) -> set[str]:
    return {p for b in batches if isinstance(b, ChangeBatch) for p in b.changed}


def test_a_burst_of_500_files_becomes_few_batches(tmp_path: Path) -> None:
    folder = tmp_path / "watched"
    folder.mkdir()
    recorder = Recorder()
    watcher = FolderWatcher([folder], recorder, debounce_s=0.3, max_wait_s=5.0)
    watcher.start()
    try:
        assert watcher.mode == "native"
        paths = {str(p) for p in make_photos(folder, 500, seed=7, size=16)}
        recorder.wait_for(lambda items: paths <= _seen(items), "all 500 files reported")
    finally:
        assert watcher.stop(timeout=1.0)
    batches = len(recorder.items)
    print(f"500-file burst: {batches} batch(es)")
    assert batches <= 3


def test_a_copy_that_never_pauses_is_still_delivered(tmp_path: Path) -> None:
    folder = tmp_path / "watched"
    folder.mkdir()
    recorder = Recorder()
    # No quiet period of 30 s will ever come: only the maximum wait can deliver.
    watcher = FolderWatcher([folder], recorder, debounce_s=30.0, max_wait_s=0.3)
    done = threading.Event()

    def copy_forever() -> None:
        index = 0
        while not done.is_set():
            make_photos(folder, 1, seed=index, size=8)
            index += 1
            done.wait(0.01)  # pacing the writer, not synchronising with it

    watcher.start()
    writer = threading.Thread(target=copy_forever)
    writer.start()
    try:
        recorder.wait_for(lambda items: len(items) >= 2, "two batches during the copy")
        assert writer.is_alive()
    finally:
        done.set()
        writer.join()
        started = time.monotonic()
        assert watcher.stop(timeout=1.0)
        assert time.monotonic() - started < 1.0


def test_the_inotify_limit_falls_back_to_polling(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = FolderWatcher._schedule_on

    def no_inotify(self: FolderWatcher, path: str, *, polling: bool) -> None:
        if not polling:
            raise OSError(errno.ENOSPC, "inotify watch limit reached")
        real(self, path, polling=polling)

    monkeypatch.setattr(FolderWatcher, "_schedule_on", no_inotify)
    folder = tmp_path / "watched"
    folder.mkdir()
    recorder = Recorder()
    watcher = FolderWatcher([folder], recorder, debounce_s=0.1, polling_interval_s=0.1)
    watcher.start()
    try:
        assert watcher.mode == "polling"
        assert any("inotify limit" in n for n in watcher.notices)
        paths = {str(p) for p in make_photos(folder, 3, seed=8)}
        recorder.wait_for(lambda items: paths <= _seen(items), "polled changes")
    finally:
        assert watcher.stop(timeout=1.0)


def test_a_limit_reached_half_way_down_the_tree_falls_back_to_polling(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "watched"
    for index in range(10):
        (folder / f"day{index}").mkdir(parents=True)
    watcher = FolderWatcher([folder], lambda batch: None)
    watcher.start()
    try:
        assert watcher.watched() == {str(folder): "native"}  # all 11 folders really watched
    finally:
        assert watcher.stop()

    # watchdog skips sub-folders it cannot watch without a word: only its count tells.
    monkeypatch.setattr(watching, "_native_watch_count", lambda observer, watch: 1)
    watcher = FolderWatcher([folder], lambda batch: None, polling_interval_s=0.1)
    watcher.start()
    try:
        assert watcher.watched() == {str(folder): "polling"}
        assert any("inotify limit" in n for n in watcher.notices)
    finally:
        assert watcher.stop()


def test_an_inotify_overflow_becomes_an_overflow_batch(tmp_path: Path) -> None:
    folder = tmp_path / "watched"
    folder.mkdir()
    recorder = Recorder()
    watcher = FolderWatcher([folder], recorder, debounce_s=0.1)
    watcher.start()
    try:
        # What watchdog does when the kernel queue overflows: it only logs (NOTES.md).
        logging.getLogger("watchdog.observers.inotify").warning(
            "Inotify queue overflowed; reconciling recursive watches below %r", os.fsencode(folder)
        )
        recorder.wait_for(
            lambda items: any(isinstance(b, ChangeBatch) and b.overflow for b in items),
            "an overflow batch",
        )
    finally:
        assert watcher.stop(timeout=1.0)
    batch = recorder.items[0]
    assert isinstance(batch, ChangeBatch)
    assert batch.overflow_roots == {str(folder)}


# -- the live library ---------------------------------------------------------------------------


def test_copied_in_photos_are_indexed(make_live: Callable[..., Live]) -> None:
    live = make_live(12)
    live.start()
    assert live.model.embedded == 12
    new = make_photos(live.folder / "2024" / "trip", 7, seed=1)
    live.wait(lambda items: total(items, "new") >= 7, "7 new photos indexed")
    assert live.model.embedded == 19
    with live.library() as library:
        found = statuses(library)
        assert all(found[str(p)] == "ok" for p in new)
        assert len(vectors(library)) == 19


def test_renamed_photos_and_folders_keep_their_ids_and_vectors(
    make_live: Callable[..., Live],
) -> None:
    live = make_live(4)
    make_photos(live.folder / "album", 6, seed=2)
    live.start()
    with live.library() as library:
        before = {r[0]: r[1] for r in library.conn.execute("SELECT path, id FROM photos")}
        vectors_before = vectors(library)
    calls = live.model.embed_calls

    os.rename(live.folder / "album", live.folder / "Album 2024")
    renamed = live.files[0].with_name("renamed.jpg")
    os.rename(live.files[0], renamed)
    live.wait(lambda items: total(items, "moved") >= 7, "7 photos moved")

    assert live.model.embed_calls == calls  # nothing went through the model again
    with live.library() as library:
        after = {r[0]: r[1] for r in library.conn.execute("SELECT path, id FROM photos")}
        assert vectors(library) == vectors_before
        assert set(statuses(library).values()) == {"ok"}
    assert after[str(renamed)] == before[str(live.files[0])]
    for old_path, photo_id in before.items():
        if "/album/" in old_path:
            assert after[old_path.replace("/album/", "/Album 2024/")] == photo_id
    assert len(after) == len(before)


def test_deleted_photos_become_missing(make_live: Callable[..., Live]) -> None:
    live = make_live(12)
    live.start()
    live.files[3].unlink()
    live.files[4].unlink()
    live.wait(lambda items: total(items, "missing") >= 2, "2 photos missing")
    with live.library() as library:
        found = statuses(library)
        assert found[str(live.files[3])] == "missing"
        assert found[str(live.files[4])] == "missing"
        assert list(found.values()).count("ok") == 10
        assert len(vectors(library)) == 12  # kept: the photo may come back


def test_polling_mode_follows_changes(make_live: Callable[..., Live]) -> None:
    live = make_live(6, force_polling=True)
    live.start()
    assert live.live.watch_mode == "polling"
    make_photos(live.folder, 3, seed=3)
    live.wait(lambda items: total(items, "new") >= 3, "3 new photos")
    os.rename(live.files[0], live.folder / "moved.jpg")
    live.files[1].unlink()
    live.wait(
        lambda items: total(items, "moved") >= 1 and total(items, "missing") >= 1,
        "a move and a deletion",
    )
    assert live.model.embedded == 9


def test_an_unplugged_root_goes_offline_and_comes_back_without_reembedding(
    make_live: Callable[..., Live],
) -> None:
    live = make_live(10)
    live.start()
    calls = live.model.embed_calls
    away = live.folder.with_name("unplugged")
    os.rename(live.folder, away)  # what an unmount looks like from here: the folder is gone
    live.wait(lambda items: any(isinstance(u, RootOffline) for u in items), "offline")

    with live.library() as library:
        assert [r.online for r in library.roots()] == [False]
        assert set(statuses(library).values()) == {"ok"}  # kept, never deleted
        query = library.vector_of(1, live.model.model_id, live.model.dim)
        assert query is not None
        hits = SearchEngine(library, live.model).search_vector(query, 5)
        assert hits and all(h.offline for h in hits)

    os.rename(away, live.folder)
    live.wait(lambda items: any(isinstance(u, RootOnline) for u in items), "back online")
    assert live.model.embed_calls == calls
    with live.library() as library:
        assert [r.online for r in library.roots()] == [True]
        assert set(statuses(library).values()) == {"ok"}
    # Watched again after coming back.
    make_photos(live.folder, 1, seed=4)
    live.wait(lambda items: total(items, "new") >= 1, "a new photo after the return")


def test_many_vanishing_at_once_waits_for_confirmation(make_live: Callable[..., Live]) -> None:
    live = make_live(40)
    live.start()
    for path in live.files[:25]:  # 62% of the root, as a half-mounted share would look
        path.unlink()
    live.wait(
        lambda items: any(isinstance(u, NeedsConfirmation) for u in items),
        "a confirmation request",
    )
    update = next(u for u in live.recorder.items if isinstance(u, NeedsConfirmation))
    assert len(update.photo_ids) == 25
    with live.library() as library:
        assert set(statuses(library).values()) == {"ok"}  # nothing marked yet

    live.live.confirm_missing(update.root_id)
    live.wait(lambda items: total(items, "missing") >= 25, "confirmed missing")
    with live.library() as library:
        assert list(statuses(library).values()).count("missing") == 25


def test_an_overflow_reconciles_the_whole_root(make_live: Callable[..., Live]) -> None:
    live = make_live(5)
    live.start()
    watcher = live.live.watcher
    assert watcher is not None
    # Files that arrive while events are lost: unwatch, add, then report the overflow.
    watcher.remove_path(live.folder, forget=False)
    make_photos(live.folder / "lost", 4, seed=9)
    watcher.add_path(live.folder)
    watcher.report_overflow(str(live.folder))
    live.wait(lambda items: total(items, "new") >= 4, "the lost files found")


def test_changes_while_closed_are_caught_up_at_start(make_live: Callable[..., Live]) -> None:
    live = make_live(10)
    live.start()
    assert live.live.stop(timeout=1.0)
    with live.library() as library:
        photo = library.photo_by_path(live.files[0])
        assert photo is not None
        old_id = photo.id

    os.rename(live.files[0], live.folder / "renamed while closed.jpg")
    live.files[1].unlink()
    make_photos(live.folder, 2, seed=11)
    live.restart()
    live.start()
    update = live.startup[0]
    assert (update.new, update.moved, update.missing) == (2, 1, 1)
    assert live.model.embedded == 2  # the unchanged 8 and the renamed one: none
    with live.library() as library:
        moved = library.photo_by_path(live.folder / "renamed while closed.jpg")
        assert moved is not None and moved.id == old_id


def test_originals_are_never_modified(make_live: Callable[..., Live], tmp_path: Path) -> None:
    live = make_live(15, force_polling=False)
    live.live.thumbnails = ThumbnailCache(tmp_path / "thumbs")

    def fingerprint() -> dict[str, tuple[str, int]]:
        result = {}
        for path in sorted(live.folder.rglob("*")):
            if path.is_file():
                data = path.read_bytes()
                result[str(path)] = (hashlib.sha256(data).hexdigest(), path.stat().st_mtime_ns)
        return result

    make_photos(live.folder / "sub", 5, seed=12)
    before = fingerprint()
    live.start()
    shutil.copy2(live.files[0], live.folder / "copy.jpg")  # a copy: reuses the stored vector
    live.wait(lambda items: total(items, "new") >= 1, "the copy indexed")
    before[str(live.folder / "copy.jpg")] = before[str(live.files[0])]
    after = fingerprint()
    assert after == before  # same files, same bytes, same mtimes: nothing written beside them
