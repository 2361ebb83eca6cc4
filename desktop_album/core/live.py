"""The live library: roots watched, changes indexed as they happen, unplugged drives survived.

A headless service used by ``desktop-album watch`` and by the window's index controller. It owns
the one writer thread of the library (STYLE.md: one writer to SQLite); everything that writes -
reconciling, applying moves, indexing - runs there, in order, so nothing here needs a database
lock of its own. Readers (search, the grid) use their own connections.

What it does:

- On start, reconciles every root: whatever changed while the app was closed is caught up, and
  unchanged photos are not embedded again (the scanner compares size and mtime).
- On a watcher batch, applies renames and moves directly (the photo keeps its id and vectors, no
  inference), then reconciles just the files and folders the batch names, then embeds what is
  pending. Events are hints: every path is checked on disk, and an overflow rescans the root.
- Polls for unplugged roots: a root whose folder is gone (or an empty mount point) goes offline
  - its photos stay, searchable and marked offline - and comes back with a reconcile that embeds
  nothing already known.
- A scan where many photos of a root vanish at once marks none missing; the update says so, and
  the face asks the user, then calls :meth:`LiveLibrary.confirm_missing`.
"""

from __future__ import annotations

import functools
import logging
import os
import threading
import time
from collections import deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from desktop_album.core.control import RunControl
from desktop_album.core.embedding import ClipModel
from desktop_album.core.errors import RootNotFoundError
from desktop_album.core.indexing import BatchCallback, Indexer, ProgressCallback
from desktop_album.core.library import Library, Root, deepest_root
from desktop_album.core.scanning import (
    root_is_available,
    stored_photos_under,
)
from desktop_album.core.thumbnails import ThumbnailCache
from desktop_album.core.watching import ChangeBatch, FolderWatcher

log = logging.getLogger(__name__)

# Why an update happened: the faces word their line after it.
STARTUP, ADDED, CHANGES, RESCAN, OFFLINE, BACK, CONFIRMED = (
    "startup",
    "added",
    "changes",
    "rescan",
    "offline",
    "back",
    "confirmed",
)


@dataclass(frozen=True)
class RootUpdate:
    """What one piece of work did to one root. Sent to ``on_update`` on the writer thread."""

    root_id: int
    path: str
    reason: str  # one of STARTUP, ADDED, CHANGES, RESCAN, OFFLINE, BACK, CONFIRMED
    online: bool = True
    new: int = 0
    changed: int = 0
    moved: int = 0
    missing: int = 0
    back: int = 0
    indexed: int = 0  # embedded by the model
    reused: int = 0  # copies that got an existing vector, no inference
    failed: int = 0
    # Photo ids that vanished at once and were NOT marked missing: ask, then confirm_missing.
    held_back: tuple[int, ...] = ()
    cancelled: bool = False

    @property
    def needs_confirmation(self) -> bool:
        return bool(self.held_back)

    @property
    def has_changes(self) -> bool:
        counts = (self.new, self.changed, self.moved, self.missing, self.back, self.failed)
        return any(counts) or self.needs_confirmation or self.reason in (OFFLINE, BACK, ADDED)

    def describe(self) -> str:
        """One line for a log or a terminal, e.g. "+12 new, 3 moved, 1 missing in /photos"."""
        if not self.online:
            return f"{self.path} is offline (unplugged?); its photos are kept"
        parts = []
        for count, word in (
            (self.new, "new"),
            (self.changed, "changed"),
            (self.moved, "moved"),
            (self.missing, "missing"),
            (self.back, "back"),
            (self.failed, "unreadable"),
        ):
            if count:
                parts.append(f"{'+' if word == 'new' else ''}{count} {word}")
        text = ", ".join(parts) or "no changes"
        text += f" in {self.path}"
        if self.reason == BACK:
            text = f"{self.path} is back online: {text}"
        if self.held_back:
            text += (
                f"; {len(self.held_back)} photos vanished at once and were NOT marked missing "
                "(confirm if they were really deleted)"
            )
        if self.cancelled:
            text += " (stopped before the end)"
        return text


@dataclass
class _Job:
    kind: str  # "reconcile", "changes", "add", "remove"
    reason: str = RESCAN
    root_ids: tuple[int, ...] | None = None  # reconcile: None means every root
    batch: ChangeBatch | None = None
    path: str | None = None
    confirm_missing: bool = False


UpdateCallback = Callable[[RootUpdate], None]
ErrorCallback = Callable[[Exception], None]


class LiveLibrary:
    """Keeps a library in step with its folders, on one writer thread.

    Every callback runs on the writer thread: a window re-emits them as queued signals.

    Args:
        library_path: the library file (the writer opens its own connection to it).
        model_factory: makes the model, called once on the writer thread.
        thumbnails: where decoders drop grid thumbnails (None: none).
        on_update: one :class:`RootUpdate` per root per piece of work.
        on_progress: indexing progress (as ``Indexer.run`` reports it).
        on_vectors: vectors just committed (``Indexer.on_batch``), for an in-process search.
        on_error: an unexpected failure of one piece of work; the service carries on.
        on_idle: nothing left to do (after each piece of work that emptied the queue).
        excluded: folders never scanned.
        batch_size, decode_threads: indexing pipeline sizes.
        watch: watch folders for changes (False: reconcile and offline polling only).
        debounce_s, force_polling, polling_interval_s: see :class:`FolderWatcher`.
        availability_interval_s: how often roots are checked for being unplugged or back.
        rescan_interval_s: how often every online root is reconciled in full, since a watcher
            can miss events (None: never; overflow and start-up reconcile anyway).
    """

    def __init__(
        self,
        library_path: str | Path,
        model_factory: Callable[[], ClipModel],
        thumbnails: ThumbnailCache | None = None,
        *,
        on_update: UpdateCallback | None = None,
        on_progress: ProgressCallback | None = None,
        on_vectors: BatchCallback | None = None,
        on_error: ErrorCallback | None = None,
        on_idle: Callable[[], None] | None = None,
        excluded: Sequence[str] = (),
        batch_size: int = 32,
        decode_threads: int = 2,
        watch: bool = True,
        debounce_s: float = 1.0,
        force_polling: bool = False,
        polling_interval_s: float = 30.0,
        availability_interval_s: float = 5.0,
        rescan_interval_s: float | None = 3600.0,
    ) -> None:
        self.library_path = Path(library_path)
        self.model_factory = model_factory
        self.thumbnails = thumbnails
        self.on_update = on_update
        self.on_progress = on_progress
        self.on_vectors = on_vectors
        self.on_error = on_error
        self.on_idle = on_idle
        self.excluded = tuple(excluded)
        self.batch_size = batch_size
        self.decode_threads = decode_threads
        self.availability_interval_s = availability_interval_s
        self.rescan_interval_s = rescan_interval_s
        self.watcher: FolderWatcher | None = (
            FolderWatcher(
                [],
                self._on_changes,
                debounce_s=debounce_s,
                force_polling=force_polling,
                polling_interval_s=polling_interval_s,
            )
            if watch
            else None
        )
        self._control = RunControl()
        self._lock = threading.Lock()
        self._wake = threading.Condition(self._lock)
        self._jobs: deque[_Job] = deque()
        self._busy = False
        self._stopping = False
        self._thread: threading.Thread | None = None
        self._started = threading.Event()
        self.start_error: Exception | None = None

    # -- the faces' side (any thread) -------------------------------------------------------

    @property
    def notices(self) -> list[str]:
        """Things worth telling the user once (e.g. folders watched by polling)."""
        return list(self.watcher.notices) if self.watcher is not None else []

    @property
    def watch_mode(self) -> str:
        """Either "native", "polling" (some folder is polled) or "off"."""
        return self.watcher.mode if self.watcher is not None else "off"

    def start(self, timeout: float | None = None) -> None:
        """Start the writer thread; it reconciles every root, then follows changes.

        Waits (up to ``timeout``) until the library is open and the folders are watched, so a
        change made right after this returns is seen. Raises what opening the library raised.
        """
        with self._lock:
            if self._thread is not None:
                return
            self._jobs.appendleft(_Job("reconcile", STARTUP))
            self._busy = True
            self._thread = threading.Thread(target=self._run, name="library-writer", daemon=True)
            self._thread.start()
        self._started.wait(timeout)
        if self.start_error is not None:
            raise self.start_error

    def stop(self, timeout: float = 1.0) -> bool:
        """Stop watching and indexing; True when the writer ended within ``timeout``.

        Indexing stops between two batches (each batch is one transaction), so nothing is left
        half-written; what was not done yet is done at the next start.
        """
        deadline = time.monotonic() + timeout
        with self._lock:
            self._stopping = True
            self._jobs.clear()
            self._wake.notify_all()
            thread = self._thread
        self._control.cancel()
        ok = True
        if self.watcher is not None:
            ok = self.watcher.stop(max(0.0, deadline - time.monotonic()))
        if thread is not None and thread is not threading.current_thread():
            thread.join(max(0.0, deadline - time.monotonic()))
            ok = ok and not thread.is_alive()
        return ok

    def add_root(self, path: str | Path) -> None:
        """Add a folder as a root: watched, then reconciled and indexed."""
        folder = Path(path).expanduser()
        if not folder.is_dir():
            raise RootNotFoundError(f"Folder not found: {folder}")
        self._submit(_Job("add", ADDED, path=str(folder.resolve())))

    def remove_root(self, root_id: int) -> None:
        """Stop watching a root and forget its photos (the files are never touched)."""
        self._submit(_Job("remove", root_ids=(root_id,)))

    def rescan(self, root_ids: Sequence[int] | None = None) -> None:
        """Reconcile roots in full (None: every root) and index what changed."""
        self._submit(_Job("reconcile", RESCAN, tuple(root_ids) if root_ids is not None else None))

    def confirm_missing(self, root_id: int) -> None:
        """The user confirmed that the photos that vanished at once were deleted."""
        self._submit(_Job("reconcile", CONFIRMED, (root_id,), confirm_missing=True))

    def pause(self) -> None:
        """Hold indexing at the next batch boundary; changes keep queuing up."""
        self._control.pause()

    def resume(self) -> None:
        self._control.resume()

    @property
    def paused(self) -> bool:
        return self._control.paused

    @property
    def busy(self) -> bool:
        with self._lock:
            return self._busy or bool(self._jobs)

    def wait_idle(self, timeout: float | None = None) -> bool:
        """Block until no work is queued or running; False on timeout. (Changes the watcher is
        still debouncing are not work yet.)"""
        with self._lock:
            return self._wake.wait_for(
                lambda: self._stopping or not (self._busy or self._jobs), timeout
            )

    def _submit(self, job: _Job) -> None:
        with self._lock:
            if self._stopping:
                return
            self._jobs.append(job)
            self._wake.notify_all()

    def _on_changes(self, batch: ChangeBatch) -> None:
        """Watcher thread: queue the batch, merged into one still waiting (never blocks)."""
        with self._lock:
            if self._stopping:
                return
            last = self._jobs[-1] if self._jobs else None
            if last is not None and last.kind == "changes" and last.batch is not None:
                last.batch = last.batch.merged(batch)
            else:
                self._jobs.append(_Job("changes", CHANGES, batch=batch))
            self._wake.notify_all()

    # -- the writer thread ------------------------------------------------------------------

    def _run(self) -> None:
        library: Library | None = None
        try:
            library = Library(self.library_path)
            self._setup(library)
        except Exception as exc:  # start() raises it in the caller's thread
            self.start_error = exc
            with self._lock:
                self._stopping = True
            if self.watcher is not None:
                self.watcher.stop()
        self._started.set()
        try:
            if library is not None and self.start_error is None:
                self._writer()
        finally:
            if library is not None:
                library.close()
            with self._lock:
                self._busy = False
                self._wake.notify_all()

    def _setup(self, library: Library) -> None:
        self._library = library
        self._indexer = Indexer(
            library,
            self.model_factory(),
            self.thumbnails,
            batch_size=self.batch_size,
            decode_threads=self.decode_threads,
            excluded=self.excluded,
            on_batch=self.on_vectors,
        )
        if self.watcher is not None:
            # Watch before the start-up reconcile: a change made while it runs is not lost.
            for root in library.roots():
                if root.online and Path(root.path).is_dir():
                    self.watcher.add_path(root.path)
            self.watcher.start()

    def _writer(self) -> None:
        now = time.monotonic()
        next_check = now + self.availability_interval_s
        next_rescan = now + self.rescan_interval_s if self.rescan_interval_s else None
        while True:
            if self._control.checkpoint():  # blocks while paused
                return
            job = self._next_job(min(t for t in (next_check, next_rescan) if t is not None))
            if self._stopping:
                return
            if job is not None:
                self._guarded(functools.partial(self._handle, job))
            else:  # time for the periodic looks (marked busy by _next_job)
                now = time.monotonic()
                if now >= next_check:
                    self._guarded(self._check_availability)
                    next_check = time.monotonic() + self.availability_interval_s
                if next_rescan is not None and now >= next_rescan:
                    self._guarded(functools.partial(self._reconcile, None, RESCAN, quiet=True))
                    next_rescan = time.monotonic() + (self.rescan_interval_s or 0)
            with self._lock:
                self._busy = bool(self._jobs)
                idle = not self._busy
                self._wake.notify_all()
            if idle and job is not None and self.on_idle is not None and not self._stopping:
                self.on_idle()

    def _next_job(self, until: float) -> _Job | None:
        """The next job, or None when ``until`` came first (or on stop). Marks the writer busy."""
        with self._lock:
            while not self._jobs and not self._stopping:
                remaining = until - time.monotonic()
                if remaining <= 0:
                    break
                self._wake.wait(remaining)
            self._busy = True
            return self._jobs.popleft() if self._jobs and not self._stopping else None

    def _guarded(self, work: Callable[[], None]) -> None:
        try:
            work()
        except Exception as exc:  # one failed piece of work must not end the live library
            log.exception("Library work failed")
            if self.on_error is not None:
                self.on_error(exc)

    def _handle(self, job: _Job) -> None:
        if job.kind == "reconcile":
            self._reconcile(job.root_ids, job.reason, confirm=job.confirm_missing)
        elif job.kind == "changes" and job.batch is not None:
            self._apply_changes(job.batch)
        elif job.kind == "add" and job.path is not None:
            root = self._library.add_root(job.path)
            if self.watcher is not None:
                self.watcher.add_path(root.path)
            self._reconcile((root.id,), ADDED)
        elif job.kind == "remove" and job.root_ids:
            for root in self._library.roots():
                if root.id in job.root_ids:
                    if self.watcher is not None:
                        self.watcher.remove_path(root.path)
                    self._library.remove_root(root.id)

    def _emit(self, update: RootUpdate) -> None:
        if self.on_update is not None:
            self.on_update(update)

    # -- reconciling and indexing -----------------------------------------------------------

    def _index(
        self,
        root: Root,
        reason: str,
        scopes: list[str] | None = None,
        moved: int = 0,
        confirm: bool = False,
        quiet: bool = False,
    ) -> None:
        """Scan one root (or some of it), embed what is pending, and report."""
        summary = self._indexer.run(
            [root.id],
            progress=self.on_progress,
            control=self._control,
            confirm_missing=confirm,
            subpaths={root.id: scopes},
        )
        report = summary.reports[0] if summary.reports else None
        online = report.online if report is not None else root.online
        if root.online and not online:
            self._went_offline(root)
            return
        if report is None:
            return
        update = RootUpdate(
            root.id,
            root.path,
            BACK if (online and not root.online) else reason,
            online=online,
            new=report.new,
            changed=report.changed,
            moved=report.moved + moved,
            missing=report.missing,
            back=report.back,
            indexed=summary.indexed,
            reused=summary.reused,
            failed=len(summary.failed),
            held_back=tuple(report.held_back_missing),
            cancelled=summary.cancelled,
        )
        if not (quiet or reason == CHANGES) or update.has_changes:
            self._emit(update)

    def _reconcile(
        self,
        root_ids: Sequence[int] | None,
        reason: str,
        confirm: bool = False,
        quiet: bool = False,
    ) -> None:
        for root in self._library.roots():
            if self._stopping:
                return
            if root_ids is not None and root.id not in root_ids:
                continue
            if reason == RESCAN and not root.online:
                continue  # the availability check brings it back, with its own reconcile
            was_online = root.online
            self._index(root, reason, confirm=confirm, quiet=quiet)
            if not was_online and reason != BACK and self.watcher is not None:
                # An offline root found available by a reconcile is watched again.
                fresh = self._library.root_by_path(root.path)
                if fresh is not None and fresh.online:
                    self.watcher.add_path(root.path)

    def _went_offline(self, root: Root) -> None:
        if self.watcher is not None:
            # The watch followed the old folder (or an empty mount point): drop it, and watch
            # afresh when the root is back.
            self.watcher.remove_path(root.path)
        self._emit(RootUpdate(root.id, root.path, OFFLINE, online=False))

    def _check_availability(self) -> None:
        """Roots unplugged since the last look go offline; roots plugged back are reconciled."""
        counts = self._library.root_counts()
        for root in self._library.roots():
            if self._stopping:
                return
            available = root_is_available(Path(root.path), has_photos=counts.get(root.id, 0) > 0)
            if root.online and not available:
                self._library.set_root_online(root.id, False)
                self._went_offline(root)
            elif not root.online and available:
                if self.watcher is not None:
                    self.watcher.add_path(root.path)  # first, so no change during the scan is lost
                self._index(root, BACK)

    # -- watcher batches --------------------------------------------------------------------

    def _apply_changes(self, batch: ChangeBatch) -> None:
        roots = self._library.roots()
        moved: dict[int, int] = {}
        for src, dest in batch.moved:
            if self._stopping:
                return
            root_id, count = self._apply_move(roots, src, dest)
            if count:
                moved[root_id] = moved.get(root_id, 0) + count
        full: set[int] = set()
        for path in batch.overflow_roots:
            root = deepest_root(roots, path)
            if root is not None:
                full.add(root.id)
        scopes: dict[int, set[str]] = {}
        paths = set(batch.changed) | set(batch.deleted)
        for src, dest in batch.moved:
            paths.update((src, dest))  # a move applied above is confirmed, one not is found
        for path in paths:
            root = deepest_root(roots, path)
            if root is not None:
                scopes.setdefault(root.id, set()).add(path)
        for root in roots:
            if self._stopping:
                return
            if root.id not in full and root.id not in scopes and root.id not in moved:
                continue
            if not root.online:
                continue  # the availability check reconciles it when it is back
            scope = None if root.id in full else sorted(scopes.get(root.id, ()))
            self._index(root, CHANGES, scope, moved=moved.get(root.id, 0))

    def _apply_move(self, roots: Sequence[Root], src: str, dest: str) -> tuple[int, int]:
        """A renamed or moved photo (or folder of photos) keeps its id and vectors.

        Applied only where the disk agrees: the file at the new path has the stored size and
        mtime (a rename keeps both). Returns (root id, photos moved).
        """
        src_root, dest_root = deepest_root(roots, src), deepest_root(roots, dest)
        if src_root is None or dest_root is None or not dest_root.online:
            return (0, 0)
        count = 0
        for old_path, photo in stored_photos_under(self._library, src_root.id, src).items():
            if self._stopping:
                break  # each move is its own transaction; the next start finds the rest
            new_path = dest + old_path[len(src.rstrip(os.sep)) :]
            try:
                st = os.stat(new_path)
            except OSError:
                continue
            if st.st_size != photo.size or st.st_mtime_ns != photo.mtime_ns:
                continue  # not the same file: the scan decides
            self._library.move_photo(photo.id, new_path, dest_root.id)
            count += 1
        return (dest_root.id, count)
