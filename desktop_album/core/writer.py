"""The one writer of a library: every write, for the CLI and the window alike.

:class:`LibraryWriter` owns the library's only writing connection and runs every piece of work
that writes on one thread, in order: adding and removing roots, reconciling roots with the disk,
indexing, watcher batches, root availability, the vanish guard, the periodic reconcile, retries,
model switches and the file actions a face asks for. ``desktop-album index`` and ``watch`` drive
it, and so does the window (through ``gui/index_controller.py``, a thin Qt bridge): one
implementation of each behaviour. Readers (search, the grid) use their own connections.

It reports typed events (``core/events.py``) to one callback, on its thread. Every job ends with
a :class:`JobFinished`, from a ``finally``, also after an error, so no face stays "busy". An error
is classified at this boundary (``core.errors.as_environment_error``): a full disk, a read-only
library or a permission problem is reported as its kind and the writer carries on; anything else
is reported as a bug, and the writer carries on too. After a full disk, the work that failed is
tried again at each availability check until it goes through (then :class:`Resumed`).
"""

from __future__ import annotations

import itertools
import logging
import os
import shutil
import threading
import time
from collections import deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from desktop_album.core import events as ev
from desktop_album.core.control import RunControl
from desktop_album.core.embedding import ClipModel
from desktop_album.core.errors import (
    BUG,
    DISK_FULL,
    DesktopAlbumError,
    RootNotFoundError,
    as_environment_error,
)
from desktop_album.core.events import Event, JobSummary
from desktop_album.core.indexing import Indexer, IndexProgress, IndexSummary
from desktop_album.core.library import Library, Root, deepest_root
from desktop_album.core.phash_backfill import backfill_phashes
from desktop_album.core.scanning import (
    ScanReport,
    root_is_available,
    scan_roots,
    stored_photos_under,
)
from desktop_album.core.things import compute_tags, load_vocabulary
from desktop_album.core.thumbnails import ThumbnailCache
from desktop_album.core.watching import ChangeBatch, FolderWatcher

log = logging.getLogger(__name__)

EventCallback = Callable[[Event], None]
# After a full disk, work is retried once this much more space is free than at the failure.
_RETRY_MARGIN = 1 << 20
Scopes = dict[int, list[str] | None]  # root id -> files and folders to reconcile (None: all)


@dataclass
class _Job:
    id: int
    kind: str
    root_ids: tuple[int, ...] | None = None  # None: every root
    paths: tuple[str, ...] = ()  # ADD: folders
    batch: ChangeBatch | None = None  # CHANGES
    confirm_missing: bool = False
    retry_failed: bool = False
    model_factory: Callable[[], ClipModel | None] | None = None  # MODEL
    action: Callable[[Library], Any] | None = None  # ACTION
    automatic: bool = False  # started by the writer itself
    control: RunControl | None = None
    moved: dict[int, int] = field(default_factory=dict)  # CHANGES: root id -> photos moved


class LibraryWriter:
    """Keeps a library in step with its folders, on one writer thread.

    Args:
        library_path: the library file (the writer opens its own connection to it).
        on_event: gets every event, on the writer thread (a window re-emits them as queued
            signals; the CLI puts them in a queue).
        model: the model to index with (None: scan only, embed later); or set it later with
            :meth:`set_model`, which loads it on the writer thread.
        thumbnails: where decoders drop grid thumbnails (None: none).
        excluded: folders never scanned.
        follow_external_links: follow links that lead out of every root (off: see scanning).
        batch_size, decode_threads: indexing pipeline sizes.
        watch: watch folders for changes (False: no watcher, e.g. ``desktop-album index``).
        reconcile_on_start: reconcile every root when started (the app catching up).
        debounce_s, force_polling, polling_interval_s: see :class:`FolderWatcher`.
        availability_interval_s: how often roots are checked for being unplugged or back, for
            roots added by another process, and for work held up by a full disk (None: never).
        rescan_interval_s: how often every online root is reconciled in full, since a watcher
            can miss events (None: never).
        vocabulary_file: the things' vocabulary (None: the app's own, ``data/things.json``).
    """

    def __init__(
        self,
        library_path: str | Path,
        on_event: EventCallback,
        *,
        model: ClipModel | None = None,
        thumbnails: ThumbnailCache | None = None,
        excluded: Sequence[str] = (),
        follow_external_links: bool = False,
        batch_size: int = 32,
        decode_threads: int = 2,
        watch: bool = True,
        reconcile_on_start: bool = True,
        debounce_s: float = 1.0,
        force_polling: bool = False,
        polling_interval_s: float = 30.0,
        availability_interval_s: float | None = 5.0,
        rescan_interval_s: float | None = 3600.0,
        vocabulary_file: Path | None = None,
    ) -> None:
        self.library_path = Path(library_path)
        self.on_event = on_event
        self.model = model
        self.thumbnails = thumbnails
        self.excluded = tuple(excluded)
        self.follow_external_links = follow_external_links
        self.batch_size = batch_size
        self.decode_threads = decode_threads
        self.reconcile_on_start = reconcile_on_start
        self.availability_interval_s = availability_interval_s
        self.rescan_interval_s = rescan_interval_s
        self.vocabulary_file = vocabulary_file
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
        self._ids = itertools.count(1)
        self._paused = False
        self._lock = threading.Lock()
        self._busy_lock = threading.Lock()  # orders BusyChanged events (see _update_busy)
        self._wake = threading.Condition(self._lock)
        self._jobs: deque[_Job] = deque()
        self._running: _Job | None = None
        self._busy = False
        self._stopping = False
        self._thread: threading.Thread | None = None
        self._started = threading.Event()
        self._notices_sent = 0
        self._held_up: tuple[str, tuple[int, ...] | None] | None = None  # (error kind, roots)
        self._free_at_failure = 0
        self.start_error: DesktopAlbumError | None = None
        self._library: Library | None = None

    # -- the faces' side (any thread) -------------------------------------------------------

    @property
    def running(self) -> bool:
        """Whether the writer's thread is alive."""
        thread = self._thread
        return thread is not None and thread.is_alive()

    @property
    def watch_mode(self) -> str:
        """Either "native", "polling" (some folder is polled) or "off"."""
        return self.watcher.mode if self.watcher is not None else "off"

    def start(self, timeout: float | None = None) -> None:
        """Start the writer thread (which reconciles every root first when asked to).

        Waits (up to ``timeout``) until the library is open and its folders watched, so that a
        change made right after this returns is seen. Raises what opening the library raised
        (a :class:`DesktopAlbumError`; the same is sent as :class:`WriterStopped`).
        """
        with self._lock:
            if self._thread is not None:
                return
            if self.reconcile_on_start:
                self._jobs.appendleft(self._job(ev.STARTUP, automatic=True))
            self._thread = threading.Thread(target=self._run, name="library-writer", daemon=True)
            self._thread.start()
        self._started.wait(timeout)
        if self.start_error is not None:
            raise self.start_error

    def stop(self, timeout: float = 1.0) -> bool:
        """Stop watching and working; True when the writer ended within ``timeout``.

        Indexing stops between two batches (each batch is one transaction), so nothing is left
        half-written; what was not done yet is done at the next start.
        """
        deadline = time.monotonic() + timeout
        with self._lock:
            self._stopping = True
            dropped = list(self._jobs)
            self._jobs.clear()
            running = self._running
            self._wake.notify_all()
            thread = self._thread
        for job in dropped:  # every job a face submitted ends, as promised
            self._emit(ev.JobFinished(job.id, job.kind, JobSummary(job.kind, cancelled=True)))
        if running is not None and running.control is not None:
            running.control.cancel()
        ok = True
        if self.watcher is not None:
            ok = self.watcher.stop(max(0.0, deadline - time.monotonic()))
        if thread is not None and thread is not threading.current_thread():
            thread.join(max(0.0, deadline - time.monotonic()))
            ok = ok and not thread.is_alive()
        return ok

    def add_roots(
        self,
        paths: Sequence[str | Path],
        *,
        confirm_missing: bool = False,
        retry_failed: bool = False,
        check: bool = True,
    ) -> int:
        """Add folders as roots (watched), then reconcile and index them. Returns the job id.

        With ``check``, a folder that does not exist raises :class:`RootNotFoundError` at once
        (the CLI); without, the job adds the others and then fails with that error (the window,
        whose thread must not wait on a disk).
        """
        folders = []
        for raw in paths:
            folder = Path(raw).expanduser()
            if check and not folder.is_dir():
                raise RootNotFoundError(f"Folder not found: {folder}", path=str(folder))
            folders.append(str(folder))
        return self._submit(
            self._job(
                ev.ADD,
                paths=tuple(folders),
                confirm_missing=confirm_missing,
                retry_failed=retry_failed,
            )
        )

    def index(
        self,
        root_ids: Sequence[int] | None = None,
        *,
        confirm_missing: bool = False,
        retry_failed: bool = False,
    ) -> int:
        """Reconcile roots in full (None: every root) and embed what needs it."""
        ids = tuple(root_ids) if root_ids is not None else None
        job = self._job(
            ev.INDEX, root_ids=ids, confirm_missing=confirm_missing, retry_failed=retry_failed
        )
        return self._submit(job)

    def retry_failed(self, root_ids: Sequence[int] | None = None) -> int:
        """Try the photos that could not be read again (the user's Retry)."""
        return self.index(root_ids, retry_failed=True)

    def confirm_missing(self, root_id: int) -> int:
        """The user confirmed that the photos that vanished at once were deleted."""
        return self._submit(self._job(ev.CONFIRM, root_ids=(root_id,), confirm_missing=True))

    def remove_root(self, root_id: int) -> int:
        """Stop watching a root and forget its photos (the files are never touched)."""
        return self._submit(self._job(ev.REMOVE, root_ids=(root_id,)))

    def set_model(self, factory: Callable[[], ClipModel | None]) -> int:
        """Load another model on the writer thread (between jobs); :class:`ModelChanged`
        tells the outcome. The next index job embeds what the new model lacks."""
        return self._submit(self._job(ev.MODEL, model_factory=factory))

    def set_excluded(self, excluded: Sequence[str]) -> None:
        self.excluded = tuple(excluded)  # read by the next job

    def run_action(self, action: Callable[[Library], Any]) -> int:
        """Run a write a face asked for (a file action, an album edit) as a job of its own."""
        return self._submit(self._job(ev.ACTION, action=action))

    def pause(self) -> None:
        """Hold indexing at the next batch boundary; changes keep queuing up."""
        with self._lock:
            self._paused = True
            controls = [j.control for j in (self._running, *self._jobs) if j and j.control]
        for control in controls:
            control.pause()

    def resume(self) -> None:
        with self._lock:
            self._paused = False
            controls = [j.control for j in (self._running, *self._jobs) if j and j.control]
        for control in controls:
            control.resume()

    @property
    def paused(self) -> bool:
        return self._paused

    def cancel(self) -> None:
        """Stop the running job and drop the queued ones (each still ends with JobFinished)."""
        with self._lock:
            dropped = list(self._jobs)
            self._jobs.clear()
            running = self._running
            self._paused = False
        for job in dropped:
            self._emit(ev.JobFinished(job.id, job.kind, JobSummary(job.kind, cancelled=True)))
        if running is not None and running.control is not None:
            running.control.cancel()
        self._update_busy()

    @property
    def busy(self) -> bool:
        with self._lock:
            return self._running is not None or bool(self._jobs)

    def wait_idle(self, timeout: float | None = None) -> bool:
        """Block until no work is queued or running; False on timeout. (Changes the watcher is
        still debouncing are not work yet.)"""
        with self._lock:
            return self._wake.wait_for(
                lambda: self._stopping or not (self._running or self._jobs), timeout
            )

    def _job(self, kind: str, **fields: Any) -> _Job:
        return _Job(next(self._ids), kind, **fields)

    def _submit(self, job: _Job) -> int:
        with self._lock:
            if self._stopping:
                stopped = True
            else:
                stopped = False
                self._jobs.append(job)
                self._wake.notify_all()
        if stopped:
            self._emit(ev.JobFinished(job.id, job.kind, JobSummary(job.kind, cancelled=True)))
        else:
            self._update_busy()
        return job.id

    def _on_changes(self, batch: ChangeBatch) -> None:
        """Watcher thread: queue the batch, merged into one still waiting (never blocks)."""
        with self._lock:
            if self._stopping:
                return
            waiting = next((j for j in self._jobs if j.kind == ev.CHANGES), None)
            if waiting is not None and waiting.batch is not None:
                waiting.batch = waiting.batch.merged(batch)
            else:
                self._jobs.append(self._job(ev.CHANGES, batch=batch, automatic=True))
            self._wake.notify_all()
        self._update_busy()

    def _emit(self, event: Event) -> None:
        try:
            self.on_event(event)
        except Exception:  # a face's bug must not end the writer
            log.exception("An event handler failed")

    def _update_busy(self) -> None:
        # The GUI thread (submitting) and the writer (finishing) both get here: the state is
        # read and its change sent under one lock, or a stale "busy" could be sent last.
        with self._busy_lock:
            with self._lock:
                busy = self._running is not None or bool(self._jobs)
                changed = busy != self._busy
                self._busy = busy
            if changed:
                self._emit(ev.BusyChanged(busy))

    # -- the writer thread ------------------------------------------------------------------

    def _run(self) -> None:
        try:
            self._library = Library(self.library_path)
            if self.watcher is not None:
                # Watch before the start-up reconcile: a change made while it runs is not lost.
                for root in self._library.roots():
                    if root.online and Path(root.path).is_dir():
                        self.watcher.add_path(root.path)
                self.watcher.start()
        except Exception as exc:
            error = as_environment_error(exc, self.library_path)
            if error is None:
                log.exception("Opening the library failed")
                error = DesktopAlbumError(f"Cannot open the library: {exc}", kind=BUG)
            self.start_error = error
            with self._lock:
                self._stopping = True
                dropped = list(self._jobs)
                self._jobs.clear()
            if self.watcher is not None:
                self.watcher.stop()
            self._emit(ev.WriterStopped(error.kind, str(error)))
            for job in dropped:  # every job a face submitted ends, as promised
                summary = JobSummary(job.kind, cancelled=True)
                self._emit(ev.JobFinished(job.id, job.kind, summary, failed=True))
            self._started.set()
            self._update_busy()
            return
        self._started.set()
        self._send_notices()
        self._emit_roots()
        try:
            self._loop()
        finally:
            self._library.close()
            with self._lock:
                self._running = None
                self._wake.notify_all()
            self._update_busy()

    def _loop(self) -> None:
        now = time.monotonic()
        check = self.availability_interval_s
        rescan = self.rescan_interval_s
        next_check = now + check if check else None
        next_rescan = now + rescan if rescan else None
        while True:
            deadlines = [t for t in (next_check, next_rescan) if t is not None]
            job = self._next_job(min(deadlines) if deadlines else None)
            if self._stopping:
                return
            if job is None:  # time for the periodic looks
                now = time.monotonic()
                if next_check is not None and now >= next_check:
                    self._look_around()
                    next_check = time.monotonic() + (check or 0)
                if next_rescan is not None and now >= next_rescan:
                    self._execute(self._job(ev.PERIODIC, automatic=True))
                    next_rescan = time.monotonic() + (rescan or 0)
                continue
            self._execute(job)

    def _next_job(self, until: float | None) -> _Job | None:
        """The next job (now running), or None when ``until`` came first (or on stop)."""
        with self._lock:
            while not self._jobs and not self._stopping:
                remaining = None if until is None else until - time.monotonic()
                if remaining is not None and remaining <= 0:
                    return None
                self._wake.wait(remaining)
            if self._stopping or not self._jobs:
                return None
            job = self._jobs.popleft()
            job.control = RunControl()
            if self._paused:
                job.control.pause()
            self._running = job
            return job

    def _execute(self, job: _Job) -> None:
        """Run one job: started, maybe failed, always finished."""
        if job.control is None:
            job.control = RunControl()
            if self._paused:
                job.control.pause()
            with self._lock:
                self._running = job
        self._update_busy()
        summary = JobSummary(job.kind)
        failed = False
        began = time.perf_counter()
        self._emit(ev.JobStarted(job.id, job.kind))
        try:
            self._handle(job, summary)
            if self._held_up is not None and job.kind in (ev.RESUME, ev.PERIODIC, ev.INDEX):
                kind, _ = self._held_up
                self._held_up = None
                self._emit(ev.Resumed(kind))
        except Exception as exc:
            failed = True
            self._failed(job, exc)
        finally:
            summary.seconds = time.perf_counter() - began
            summary.cancelled = summary.cancelled or job.control.cancelled
            with self._lock:
                self._running = None
                self._wake.notify_all()
            self._emit(ev.JobFinished(job.id, job.kind, summary, failed))
            self._update_busy()

    def _failed(self, job: _Job, exc: Exception) -> None:
        error = as_environment_error(exc, self.library_path)
        if error is None:
            log.exception("Library work failed (%s job)", job.kind)
            self._emit(ev.JobFailed(job.id, job.kind, BUG, f"{type(exc).__name__}: {exc}"))
            return
        if error.kind == DISK_FULL and job.kind not in (ev.REMOVE, ev.ACTION, ev.MODEL):
            again = self._held_up is not None and self._held_up[0] == DISK_FULL
            self._held_up = (DISK_FULL, None)  # reconcile everything once space is back
            self._free_at_failure = self._free_bytes()
            if again and job.kind == ev.RESUME:
                return  # still full: said once already
        self._emit(ev.JobFailed(job.id, job.kind, error.kind, str(error), dict(error.details)))

    def _handle(self, job: _Job, summary: JobSummary) -> None:
        library = self._library
        assert library is not None and job.control is not None
        if job.kind == ev.ADD:
            ids, missing = [], []
            for path in job.paths:
                if not os.path.isdir(path):
                    missing.append(path)
                    continue
                root = library.add_root(path)
                ids.append(root.id)
                if self.watcher is not None:
                    self.watcher.add_path(root.path)
            self._emit_roots()
            self._index(job, {i: None for i in ids}, summary)
            if missing:
                raise RootNotFoundError(
                    f"Folder not found: {', '.join(missing)}", path=missing[0], paths=missing
                )
        elif job.kind in (ev.STARTUP, ev.INDEX, ev.CONFIRM, ev.PERIODIC, ev.RESUME, ev.BACK):
            roots = library.roots()
            scopes: Scopes = {
                r.id: None
                for r in roots
                if (job.root_ids is None or r.id in job.root_ids)
                # A periodic look skips offline roots: the availability check brings them back.
                and (r.online or job.kind not in (ev.PERIODIC, ev.RESUME))
            }
            self._index(job, scopes, summary)
        elif job.kind == ev.CHANGES and job.batch is not None:
            roots = library.roots()
            job.moved = apply_moves(library, roots, job.batch.moved)
            summary.moved += sum(job.moved.values())
            scopes = change_scopes(roots, job.batch)
            for root in roots:  # moved, with nothing else to reconcile there: still say so
                if job.moved.get(root.id) and root.id not in scopes:
                    moved = job.moved[root.id]
                    self._emit(ev.PhotosChanged(job.id, root.id, root.path, job.kind, moved=moved))
            if scopes:
                self._index(job, scopes, summary)
            elif summary.moved:
                self._emit_roots()
        elif job.kind == ev.REMOVE and job.root_ids:
            for root in library.roots():
                if root.id in job.root_ids:
                    if self.watcher is not None:
                        self.watcher.remove_path(root.path)
                    library.remove_root(root.id)
            self._emit_roots()
        elif job.kind == ev.MODEL and job.model_factory is not None:
            self._load_model(job.model_factory)
            self._derive(job, summary)  # a model whose vectors exist: its things at once
        elif job.kind == ev.ACTION and job.action is not None:
            job.action(library)
            self._emit_roots()

    def _load_model(self, factory: Callable[[], ClipModel | None]) -> None:
        try:
            model = factory()
        except DesktopAlbumError as exc:
            self.model = None
            self._emit(ev.ModelChanged(None, exc.kind, str(exc)))
            return
        self.model = model
        self._emit(ev.ModelChanged(model))

    # -- reconciling and indexing -----------------------------------------------------------

    def _index(self, job: _Job, scopes: Scopes, summary: JobSummary) -> None:
        """Reconcile what ``scopes`` names, embed what needs it, and report per root."""
        library = self._library
        assert library is not None and job.control is not None
        if not scopes:
            return
        before = {r.id: r for r in library.roots()}
        if job.retry_failed:
            summary.retried = library.reset_failed(list(scopes))
        scanned = False

        def progress(p: IndexProgress) -> None:
            nonlocal scanned
            if p.phase != "scanning" and not scanned:
                scanned = True
                self._emit_roots()  # the new files are in: counts and the grid can show them
            self._emit(ev.Progress(job.id, p.phase, p.done, p.total, p.failed, p.current, p.rate))

        model = self.model
        if model is None:
            progress(IndexProgress("scanning"))
            reports = scan_roots(
                library,
                list(scopes),
                self.excluded,
                job.control,
                job.confirm_missing,
                scopes,
                follow_external_links=self.follow_external_links,
            )
            result = IndexSummary(
                reports=reports,
                cancelled=job.control.cancelled,
                unreadable_folders=[f for r in reports for f in r.unreadable_folders],
            )
            summary.scanned_only = True
        else:
            indexer = Indexer(
                library,
                model,
                self.thumbnails,
                batch_size=self.batch_size,
                decode_threads=self.decode_threads,
                excluded=self.excluded,
                follow_external_links=self.follow_external_links,
                on_batch=lambda ids, vectors: self._emit(
                    ev.VectorsAdded(model.model_id, tuple(ids), np.asarray(vectors))
                ),
            )
            result = indexer.run(
                list(scopes),
                progress=progress,
                control=job.control,
                confirm_missing=job.confirm_missing,
                subpaths=scopes,
            )
        self._report(job, before, result, summary)
        self._emit_roots()
        if not summary.cancelled:
            self._derive(job, summary)

    def _report(
        self, job: _Job, before: dict[int, Root], result: IndexSummary, summary: JobSummary
    ) -> None:
        """Fold one indexing run into the job's summary; events per root."""
        summary.indexed += result.indexed
        summary.reused += result.reused
        summary.failed.extend(result.failed)
        summary.unreadable_folders.extend(result.unreadable_folders)
        summary.cancelled = summary.cancelled or result.cancelled
        failed_by_root: dict[int, int] = {}
        for path, _reason in result.failed:
            root = deepest_root(list(before.values()), path)
            if root is not None:
                failed_by_root[root.id] = failed_by_root.get(root.id, 0) + 1
        single = len(result.reports) == 1
        for report in result.reports:
            self._fold_report(job, before, report, summary, failed_by_root, single, result)

    def _fold_report(
        self,
        job: _Job,
        before: dict[int, Root],
        report: ScanReport,
        summary: JobSummary,
        failed_by_root: dict[int, int],
        single: bool,
        result: IndexSummary,
    ) -> None:
        root = report.root
        was_online = before[root.id].online if root.id in before else root.online
        if not report.online:
            summary.offline_roots.append(root.path)
            if was_online:
                self._went_offline(root)
            return
        if not was_online:
            self._emit(ev.RootOnline(root.id, root.path))
            if self.watcher is not None:
                self.watcher.add_path(root.path)
        summary.unchanged += report.unchanged
        summary.new += report.new
        summary.changed += report.changed
        summary.moved += report.moved
        summary.missing += report.missing
        summary.back += report.back
        if report.held_back_missing:
            held = ev.NeedsConfirmation(root.id, root.path, tuple(report.held_back_missing))
            summary.held_back.append(held)
            self._emit(held)
        change = ev.PhotosChanged(
            job.id,
            root.id,
            root.path,
            job.kind,
            new=report.new,
            changed=report.changed,
            moved=report.moved + job.moved.get(root.id, 0),
            missing=report.missing,
            back=report.back,
            # Indexing counts are per run; with one root they are that root's.
            indexed=result.indexed if single else 0,
            reused=result.reused if single else 0,
            failed=failed_by_root.get(root.id, 0),
        )
        if change.any or job.kind in (ev.ADD, ev.INDEX, ev.STARTUP):
            self._emit(change)

    def _derive(self, job: _Job, summary: JobSummary) -> None:
        """What is computed from the indexed photos: perceptual hashes for duplicates (photos
        indexed before hashes existed, or whose thumbnail came later) and the model's things.

        Both are cheap when nothing changed (an index lookup, a fingerprint) and tag only the new
        photos otherwise, so this runs after every indexing job, watcher batches included.
        Without a model nothing is derived: hashing would decode every photo just for that.
        """
        library, model = self._library, self.model
        if library is None or model is None or job.control is None:
            return
        summary.hashed += backfill_phashes(library, self.thumbnails, control=job.control).hashed
        if job.control.cancelled:
            return
        vocabulary = load_vocabulary(self.vocabulary_file) if self.vocabulary_file else None
        run = compute_tags(library, model, vocabulary, control=job.control)
        if run.computed:
            summary.tagged += run.photos
            self._emit(ev.ThingsUpdated(model.model_id, run.photos, run.tags, run.incremental))

    def _went_offline(self, root: Root) -> None:
        if self.watcher is not None:
            # The watch followed the old folder (or an empty mount point): drop it, and watch
            # afresh when the root is back.
            self.watcher.remove_path(root.path)
        self._emit(ev.RootOffline(root.id, root.path))

    def _emit_roots(self) -> None:
        library = self._library
        if library is None:
            return
        counts = library.root_counts()
        roots = tuple(
            ev.RootState(r.id, r.path, r.online, counts.get(r.id, 0)) for r in library.roots()
        )
        self._emit(ev.RootsListed(roots))

    def _send_notices(self) -> None:
        if self.watcher is None:
            return
        fresh = self.watcher.notice_events[self._notices_sent :]
        self._notices_sent += len(fresh)
        for notice in fresh:
            self._emit(notice)

    # -- the periodic look ------------------------------------------------------------------

    def _look_around(self) -> None:
        """Roots unplugged since the last look go offline; roots plugged back in, or added by
        another process, are watched and reconciled; work held up by a full disk is retried."""
        library = self._library
        assert library is not None
        try:
            counts = library.root_counts()
            roots = library.roots()
            changed = False
            watched = set(self.watcher.paths) if self.watcher is not None else None
            for root in roots:
                available = root_is_available(
                    Path(root.path), has_photos=counts.get(root.id, 0) > 0
                )
                if root.online and not available:
                    library.set_root_online(root.id, False)
                    self._went_offline(root)
                    changed = True
                elif not root.online and available:
                    if self.watcher is not None:
                        self.watcher.add_path(root.path)  # first: no change during the scan lost
                    self._execute(self._job(ev.BACK, root_ids=(root.id,), automatic=True))
                elif watched is not None and root.online and root.path not in watched:
                    # Added by another process (a second window, ``desktop-album index``).
                    assert self.watcher is not None
                    self.watcher.add_path(root.path)
                    self._execute(self._job(ev.INDEX, root_ids=(root.id,), automatic=True))
            if watched is not None and self.watcher is not None:
                known = {r.path for r in roots}
                for path in watched - known:  # removed by another process
                    self.watcher.remove_path(path)
                    changed = True
            if changed:
                self._emit_roots()
            self._send_notices()
        except Exception as exc:
            self._failed(self._job(ev.PERIODIC, automatic=True), exc)
        if self._held_up is not None and self._space_came_back():
            self._execute(self._job(ev.RESUME, automatic=True))

    def _free_bytes(self) -> int:
        try:
            return shutil.disk_usage(self.library_path.parent).free
        except OSError:
            return 0

    def _space_came_back(self) -> bool:
        """Retry after a full disk only once some space was freed (not every few seconds)."""
        free = self._free_bytes()
        if free > self._free_at_failure + _RETRY_MARGIN:
            self._free_at_failure = free  # if it fails again, wait for more
            return True
        return False


# -- watcher batches (plain functions on the writer's connection) -------------------------------


def change_scopes(roots: Sequence[Root], batch: ChangeBatch) -> Scopes:
    """What of each online root a batch asks to reconcile; an overflow means the whole root.

    Offline roots are left out: the availability check reconciles them when they are back.
    """
    full: set[int] = set()
    parts: dict[int, set[str]] = {}
    for path in batch.overflow_roots:
        if (root := deepest_root(roots, path)) is not None:
            full.add(root.id)
    paths = set(batch.changed) | set(batch.deleted)
    for src, dest in batch.moved:
        paths.update((src, dest))  # a move applied is confirmed by the scan, one not is found
    for path in paths:
        if (root := deepest_root(roots, path)) is not None:
            parts.setdefault(root.id, set()).add(path)
    return {
        root.id: None if root.id in full else sorted(parts[root.id])
        for root in roots
        if root.online and (root.id in full or root.id in parts)
    }


def apply_moves(
    library: Library, roots: Sequence[Root], moved: Sequence[tuple[str, str]]
) -> dict[int, int]:
    """Renamed or moved photos (or folders of photos) keep their id and vectors.

    A move is applied only where the disk agrees (the file at the new path has the stored size
    and mtime, which a rename keeps); the rest is left to the scan. All in one transaction: a
    renamed folder of thousands of photos is one commit. Returns photos moved per root id.
    """
    planned: list[tuple[int, str, int]] = []
    leaving: set[str] = set()
    for src, dest in moved:
        src_root, dest_root = deepest_root(roots, src), deepest_root(roots, dest)
        if src_root is None or dest_root is None or not dest_root.online:
            continue
        prefix = src.rstrip(os.sep)
        for old_path, photo in stored_photos_under(library, src_root.id, src).items():
            new_path = dest.rstrip(os.sep) + old_path[len(prefix) :]
            try:
                st = os.stat(new_path)
            except OSError:
                continue
            if st.st_size == photo.size and st.st_mtime_ns == photo.mtime_ns:
                planned.append((photo.id, new_path, dest_root.id))
                leaving.add(old_path)
    # A swap (a -> b while b -> a) would overwrite a photo still to be moved: the scan decides.
    moves = [m for m in planned if m[1] not in leaving]
    if moves:
        library.move_photos(moves)
    per_root: dict[int, int] = {}
    for _, _, root_id in moves:
        per_root[root_id] = per_root.get(root_id, 0) + 1
    return per_root
