"""Indexing from the window: one long-lived worker thread owning the writer library.

:class:`IndexWorker` lives on its own ``QThread`` and owns the only writing ``Library`` connection
(opened on that thread), the ``ClipModel`` and the ``Indexer``. :class:`IndexController` is its
face on the GUI thread: requests go over as queued signals, progress and results come back as
plain data. Pause and cancel do not queue behind the running job: they flip the job's
thread-safe :class:`RunControl` directly.

Jobs that follow the disk (a folder watcher's batches, roots plugged back in) reconcile only
what changed: renames and moves are applied first so photos keep their vectors, then only the
named files and folders are scanned (``live_watch.py`` has those steps).
"""

from __future__ import annotations

import logging
from collections import deque
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal, Slot

from desktop_album.core.control import RunControl
from desktop_album.core.embedding import ClipModel
from desktop_album.core.errors import DesktopAlbumError
from desktop_album.core.indexing import Indexer, IndexProgress, IndexSummary
from desktop_album.core.library import Library
from desktop_album.core.scanning import scan_roots
from desktop_album.core.thumbnails import ThumbnailCache
from desktop_album.core.watching import ChangeBatch
from desktop_album.gui.live_watch import (
    Scopes,
    check_roots,
    held_back,
    plan,
)
from desktop_album.gui.records import (
    Availability,
    IndexRequest,
    IndexResult,
    IndexUpdate,
    ModelChoice,
    RootState,
)
from desktop_album.gui.services import Services, load_model
from desktop_album.gui.tasks import WorkerThread

log = logging.getLogger(__name__)


class IndexWorker(QObject):
    """Runs index jobs one after another on its own thread.

    Signals:
        progress(IndexUpdate): during a job, about once per batch.
        finished(IndexResult): a job ended (also when cancelled before it began).
        rootsChanged(list[RootState]): the library folders or their counts changed.
        modelChanged(ModelStatus): the model was loaded, or could not be.
        error(str): something the user should read (a folder that vanished, a broken library).
        libraryReady(): the library file is open and migrated: readers may open it now.
        availabilityChecked(Availability): the roots that went offline or came back.
    """

    libraryReady = Signal()
    progress = Signal(object)
    finished = Signal(object)
    rootsChanged = Signal(object)
    modelChanged = Signal(object)
    error = Signal(str)
    availabilityChecked = Signal(object)

    def __init__(
        self,
        library_file: Path,
        thumbnails: ThumbnailCache,
        choice: ModelChoice,
        excluded: Sequence[str],
        batch_size: int,
        decode_threads: int,
    ) -> None:
        super().__init__()
        self._library_file = library_file
        self._thumbnails = thumbnails
        self._choice = choice
        self._excluded = tuple(excluded)
        self._batch_size = batch_size
        self._decode_threads = decode_threads
        self._library: Library | None = None
        self._model: ClipModel | None = None

    @Slot()
    def start(self) -> None:
        """Open the writer connection and resolve the model, on this worker's thread."""
        try:
            self._library = Library(self._library_file)
        except DesktopAlbumError as exc:
            self.error.emit(str(exc))
            return
        self.libraryReady.emit()
        self._load_model(self._choice)
        self._emit_roots()

    @Slot()
    def stop(self) -> None:
        if self._model is not None:
            self._model.unload()
        if self._library is not None:
            self._library.close()
            self._library = None

    def _load_model(self, choice: ModelChoice) -> None:
        if self._model is not None:
            self._model.unload()
        self._choice = choice
        self._model, status = load_model(choice)
        self.modelChanged.emit(status)

    def _emit_roots(self) -> None:
        if self._library is None:
            return
        counts = self._library.root_counts()
        self.rootsChanged.emit(
            [RootState(r.id, r.path, r.online, counts.get(r.id, 0)) for r in self._library.roots()]
        )

    @Slot(object)
    def set_model(self, choice: ModelChoice) -> None:
        self._load_model(choice)

    @Slot(object)
    def set_excluded(self, excluded: list[str]) -> None:
        self._excluded = tuple(excluded)

    @Slot(object, object)
    def add_roots(self, paths: list[str], control: RunControl) -> None:
        """Add folders to the library, then index them as one job."""
        if self._library is None:
            self.finished.emit(IndexResult(cancelled=True))
            return
        root_ids = []
        for raw in paths:
            folder = Path(raw)
            if not folder.is_dir():
                self.error.emit(f"Folder not found: {folder}")
                continue
            try:
                root_ids.append(self._library.add_root(folder).id)
            except DesktopAlbumError as exc:
                self.error.emit(str(exc))
        self._emit_roots()
        self.index(IndexRequest(tuple(root_ids)), control)

    @Slot(int)
    def remove_root(self, root_id: int) -> None:
        if self._library is not None:
            self._library.remove_root(root_id)
            self._emit_roots()

    @Slot()
    def check_availability(self) -> None:
        """Stat every root: unplugged ones go offline, ones plugged back in come online.

        Only the flag changes here (photos stay, marked offline); a root that is back is then
        reconciled by an index job the controller queues.
        """
        availability = Availability()
        if self._library is not None:
            try:
                availability = check_roots(self._library)
            except DesktopAlbumError as exc:
                self.error.emit(str(exc))
        if availability.gone or availability.back:
            self._emit_roots()
        self.availabilityChecked.emit(availability)

    @Slot(object, object)
    def index(self, request: IndexRequest, control: RunControl) -> None:
        """Reconcile what the request names (whole roots, watcher changes), embed what needs it."""
        live = request.live
        if self._library is None or control.cancelled:
            self.finished.emit(IndexResult(cancelled=control.cancelled, live=live))
            return
        try:
            moved, scopes = plan(self._library, request)
            if not scopes:
                result = IndexResult()
            elif self._model is None:
                result = self._scan_only(scopes, control, request.confirm_missing)
            else:
                result = self._run(self._model, scopes, control, request.confirm_missing)
            result = replace(result, moved=result.moved + moved, live=live)
        except DesktopAlbumError as exc:
            self.error.emit(str(exc))
            result = IndexResult(cancelled=True, live=live)
        self._emit_roots()
        self.finished.emit(result)

    def _run(
        self, model: ClipModel, scopes: Scopes, control: RunControl, confirm_missing: bool
    ) -> IndexResult:
        assert self._library is not None
        scanned = False

        def report(p: IndexProgress) -> None:
            nonlocal scanned
            if p.phase != "scanning" and not scanned:
                scanned = True
                self._emit_roots()  # the new files are in: counts and the grid can show them
            self.progress.emit(IndexUpdate(p.phase, p.done, p.total, p.failed, p.current, p.rate))

        indexer = Indexer(
            self._library,
            model,
            self._thumbnails,
            batch_size=self._batch_size,
            decode_threads=self._decode_threads,
            excluded=self._excluded,
        )
        summary = indexer.run(
            list(scopes),
            progress=report,
            control=control,
            confirm_missing=confirm_missing,
            subpaths=scopes,
        )
        return _result(summary)

    def _scan_only(self, scopes: Scopes, control: RunControl, confirm_missing: bool) -> IndexResult:
        """Without a model: find the files so that browsing shows them; embed them later."""
        assert self._library is not None
        self.progress.emit(IndexUpdate("scanning"))
        reports = scan_roots(
            self._library, list(scopes), self._excluded, control, confirm_missing, scopes
        )
        if control.cancelled:
            return IndexResult(cancelled=True, scanned_only=True)
        return IndexResult(
            unchanged=sum(r.unchanged for r in reports),
            missing=sum(r.missing for r in reports),
            offline_roots=[r.root.path for r in reports if not r.online],
            scanned_only=True,
            new=sum(r.new for r in reports),
            moved=sum(r.moved for r in reports),
            held_back=held_back(reports),
        )


def _result(summary: IndexSummary) -> IndexResult:
    reports = summary.reports
    return IndexResult(
        indexed=summary.indexed,
        reused=summary.reused,
        unchanged=summary.unchanged,
        missing=summary.missing,
        failed=list(summary.failed),
        offline_roots=list(summary.offline_roots),
        cancelled=summary.cancelled,
        seconds=summary.seconds,
        new=sum(r.new for r in reports),
        moved=summary.moved,
        held_back=held_back(reports),
    )


class IndexController(QObject):
    """The GUI thread's handle on the index worker.

    Signals:
        progress(IndexUpdate): forwarded from the worker.
        finished(IndexResult): forwarded from the worker.
        rootsChanged(list[RootState]): forwarded from the worker.
        modelChanged(ModelStatus): forwarded from the worker.
        error(str): forwarded from the worker.
        libraryReady(): forwarded from the worker (start the readers after it).
        busyChanged(bool): a job started, or the last queued job ended.
        pausedChanged(bool): pause() or resume() took effect.
    """

    libraryReady = Signal()
    progress = Signal(object)
    finished = Signal(object)
    rootsChanged = Signal(object)
    modelChanged = Signal(object)
    error = Signal(str)
    busyChanged = Signal(bool)
    pausedChanged = Signal(bool)

    _addRoots = Signal(object, object)
    _index = Signal(object, object)
    _removeRoot = Signal(int)
    _setModel = Signal(object)
    _setExcluded = Signal(object)
    _checkAvailability = Signal()

    def __init__(self, services: Services, parent: QObject | None = None) -> None:
        super().__init__(parent)
        tuning = services.tuning
        self._worker = IndexWorker(
            services.library_file,
            services.thumbnails,
            services.model_choice(),
            services.settings.excluded_folders,
            tuning.batch_size,
            tuning.decode_threads,
        )
        self._thread = WorkerThread(self._worker, "index-worker")
        w = self._worker
        requests: list[tuple[Any, Any]] = [
            (self._addRoots, w.add_roots),
            (self._index, w.index),
            (self._removeRoot, w.remove_root),
            (self._setModel, w.set_model),
            (self._setExcluded, w.set_excluded),
            (self._checkAvailability, w.check_availability),
        ]
        for request, slot in requests:
            WorkerThread.connect_request(request, slot)
        results: list[tuple[Any, Any]] = [
            (w.progress, self.progress),  # signal to signal: re-emitted on this thread
            (w.finished, self._on_finished),
            (w.rootsChanged, self.rootsChanged),
            (w.modelChanged, self.modelChanged),
            (w.error, self.error),
            (w.libraryReady, self.libraryReady),
            (w.availabilityChecked, self._on_availability),
        ]
        for result, slot in results:
            WorkerThread.connect_result(result, slot)
        self._jobs: deque[RunControl] = deque()  # queued or running, oldest first
        self._paused = False
        self._rescan_roots: set[int] | None = set()
        self._changes: ChangeBatch | None = None  # watcher batches waiting for the next job
        self._checking = False  # an availability check is queued or running
        self._rescan_timer = QTimer(self)
        self._rescan_timer.setSingleShot(True)
        self._rescan_timer.setInterval(tuning.rescan_coalesce_ms)
        self._rescan_timer.timeout.connect(self._flush_rescan)

    def start(self) -> None:
        self._thread.start()

    @property
    def busy(self) -> bool:
        return bool(self._jobs)

    @property
    def paused(self) -> bool:
        return self._paused

    def _new_job(self) -> RunControl:
        control = RunControl()
        if self._paused:
            control.pause()
        self._jobs.append(control)
        if len(self._jobs) == 1:
            self.busyChanged.emit(True)
        return control

    # -- requests ---------------------------------------------------------------------------

    def add_roots(self, paths: Sequence[str | Path]) -> None:
        """Add folders to the library and index them."""
        self._addRoots.emit([str(p) for p in paths], self._new_job())

    def index(self, root_ids: Sequence[int] | None = None, confirm_missing: bool = False) -> None:
        """Scan and index these roots (all roots when None).

        ``confirm_missing``: the user confirmed that photos which vanished at once were deleted.
        """
        ids = None if root_ids is None else tuple(root_ids)
        self._index.emit(IndexRequest(ids, confirm_missing=confirm_missing), self._new_job())

    @Slot(object)
    def request_rescan(self, root_ids: Sequence[int] | None) -> None:
        """Reconcile roots in full soon (None: all); bursts of requests become one job."""
        if root_ids is None or self._rescan_roots is None:
            self._rescan_roots = None
        else:
            self._rescan_roots.update(root_ids)
        self._rescan_timer.start()

    @Slot(object)
    def request_changes(self, batch: ChangeBatch) -> None:
        """Hook for the folder watcher: reconcile what the batch names, merged with the bursts
        around it into one job."""
        self._changes = batch if self._changes is None else self._changes.merged(batch)
        self._rescan_timer.start()

    def _flush_rescan(self) -> None:
        if len(self._jobs) > 1:
            return  # a job is already waiting: keep merging, flush when it is done
        roots, self._rescan_roots = self._rescan_roots, set()
        changes, self._changes = self._changes, None
        if roots == set() and changes is None:
            return
        ids = None if roots is None else tuple(sorted(roots))
        self._index.emit(IndexRequest(ids, changes, live=True), self._new_job())

    def check_availability(self) -> None:
        """Ask the worker which roots were unplugged or came back (one check at a time)."""
        if not self._checking:
            self._checking = True
            self._checkAvailability.emit()

    @Slot(object)
    def _on_availability(self, availability: Availability) -> None:
        self._checking = False
        if availability.back:  # reconciled in full; a word only if something changed
            ids = tuple(r.id for r in availability.back)
            self._index.emit(IndexRequest(ids, live=True), self._new_job())

    def remove_root(self, root_id: int) -> None:
        self._removeRoot.emit(root_id)

    def set_model(self, choice: ModelChoice) -> None:
        """Load another model; takes effect between jobs."""
        self._setModel.emit(choice)

    def set_excluded(self, excluded: Sequence[str]) -> None:
        self._setExcluded.emit(list(excluded))

    # -- steering the running job ------------------------------------------------------------

    def pause(self) -> None:
        self._paused = True
        for control in self._jobs:
            control.pause()
        self.pausedChanged.emit(True)

    def resume(self) -> None:
        self._paused = False
        for control in self._jobs:
            control.resume()
        self.pausedChanged.emit(False)

    def cancel(self) -> None:
        """Stop the running job and drop the queued ones (cooperatively)."""
        self._rescan_timer.stop()
        for control in self._jobs:
            control.cancel()
        if self._paused:
            self._paused = False
            self.pausedChanged.emit(False)

    @Slot(object)
    def _on_finished(self, result: IndexResult) -> None:
        if self._jobs:
            self._jobs.popleft()
        self.finished.emit(result)
        if not self._jobs:
            self.busyChanged.emit(False)
        # Changes that waited behind this job go next (not after a cancel: the next change
        # or request takes them along).
        waiting = self._changes is not None or self._rescan_roots != set()
        if waiting and not result.cancelled and not self._rescan_timer.isActive():
            self._rescan_timer.start()

    def shutdown(self, timeout_ms: int = 1000) -> bool:
        """Cancel everything and stop the thread; True when it ended within the timeout."""
        self.cancel()
        if self._thread.stop(timeout_ms):
            return True
        # A batch in inference cannot be interrupted; never destroy a running QThread.
        log.warning("The index worker is finishing its batch; waiting for it.")
        self._thread.thread.wait()
        return False
