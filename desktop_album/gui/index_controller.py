"""The window's handle on the library writer (``core/writer.py``): a thin Qt bridge.

The core :class:`LibraryWriter` owns every write, watching, availability checks, the vanish
guard and the model used for indexing, exactly as for ``desktop-album watch``. This bridge turns
its typed events (sent on the writer's thread) into queued Qt signals on the GUI thread, and
words them in the window's language. It runs no SQL and no model itself.

One model in the window: the writer loads it (on its thread) and the bridge hands the same
object to the search side through :attr:`IndexController.modelReady`.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Sequence
from pathlib import Path

from PySide6.QtCore import QObject, Qt, Signal, Slot

from desktop_album.core import events as ev
from desktop_album.core.embedding import ClipModel
from desktop_album.core.errors import READ_ONLY, DesktopAlbumError
from desktop_album.core.library import Library
from desktop_album.core.watching import FolderWatcher
from desktop_album.core.writer import LibraryWriter
from desktop_album.gui.error_words import failure_text
from desktop_album.gui.records import (
    HeldBack,
    IndexResult,
    ModelChoice,
    ModelStatus,
    RootState,
)
from desktop_album.gui.services import Services, open_model

log = logging.getLogger(__name__)

# Jobs the writer starts by itself: worth a word only when something changed.
_AUTOMATIC = {ev.STARTUP, ev.CHANGES, ev.BACK, ev.PERIODIC, ev.RESUME}


def index_result(summary: ev.JobSummary) -> IndexResult:
    """The window's record of a finished job."""
    return IndexResult(
        indexed=summary.indexed,
        reused=summary.reused,
        unchanged=summary.unchanged,
        missing=summary.missing,
        failed=list(summary.failed),
        offline_roots=list(summary.offline_roots),
        cancelled=summary.cancelled,
        seconds=summary.seconds,
        scanned_only=summary.scanned_only,
        new=summary.new,
        moved=summary.moved,
        held_back=[HeldBack(h.root_id, h.path, h.photo_ids) for h in summary.held_back],
        live=summary.kind in _AUTOMATIC,
        kind=summary.kind,
        retried=summary.retried,
    )


class IndexController(QObject):
    """The GUI thread's handle on the library writer.

    Signals:
        libraryReady(): the library is open (start the readers after it).
        libraryFailed(str, str): it could not be opened: the error kind and a message.
        progress(Progress): indexing progress (core.events), about once per batch.
        finished(IndexResult): a job ended (always, also after an error or a cancel).
        rootsChanged(list[RootState]): the library folders or their counts changed.
        libraryChanged(): photos were added, changed, moved or went missing, or a root went
            offline or came back: the current view should refresh (once per job).
        modelChanged(ModelStatus): the model was loaded, or why there is none.
        modelReady(object): the loaded ClipModel (or None), for the search side.
        thingsChanged(str): the things (tags) of this model id were computed again.
        error(str): a job failed; the sentence says what it means and what to do.
        errorKind(str): the same failure's kind (core.errors), for views that react to it.
        message(str): a root went offline or came back, a watcher notice, space is back.
        missingAsked(HeldBack): many photos vanished at once: ask the user.
        busyChanged(bool): work started, or the last queued work ended.
        pausedChanged(bool): pause() or resume() took effect.
    """

    libraryReady = Signal()
    libraryFailed = Signal(str, str)
    progress = Signal(object)
    finished = Signal(object)
    rootsChanged = Signal(object)
    libraryChanged = Signal()
    thingsChanged = Signal(str)  # the model id whose things (tags) were computed again
    modelChanged = Signal(object)
    modelReady = Signal(object)
    error = Signal(str)
    errorKind = Signal(str)
    message = Signal(str)
    missingAsked = Signal(object)
    busyChanged = Signal(bool)
    pausedChanged = Signal(bool)

    _event = Signal(object)  # from the writer's thread, queued to this one

    def __init__(
        self,
        services: Services,
        parent: QObject | None = None,
        *,
        reconcile_on_start: bool = True,
    ) -> None:
        super().__init__(parent)
        self._services = services
        self._choice = services.model_choice()
        self._reconcile_on_start = reconcile_on_start
        self.writer = self._make_writer()
        self._event.connect(self._dispatch, Qt.ConnectionType.QueuedConnection)
        self._busy = False
        self._closed = False
        self._ready = False
        self._online: dict[int, bool] = {}
        self._changed_in_job: set[int] = set()
        self.library_problem: tuple[str, str] | None = None  # (kind, message) when not opened

    def _make_writer(self) -> LibraryWriter:
        services, tuning = self._services, self._services.tuning
        return LibraryWriter(
            services.library_file,
            self._event.emit,  # thread-safe: a queued connection carries it over
            thumbnails=services.thumbnails,
            excluded=services.settings.excluded_folders,
            follow_external_links=services.settings.follow_external_links,
            batch_size=tuning.batch_size,
            decode_threads=tuning.decode_threads,
            watch=tuning.watch_folders,
            reconcile_on_start=self._reconcile_on_start,
            debounce_s=tuning.watch_debounce_ms / 1000,
            force_polling=tuning.watch_polling,
            polling_interval_s=tuning.watch_polling_interval_ms / 1000,
            availability_interval_s=tuning.availability_interval_ms / 1000 or None,
            vocabulary_file=tuning.things_vocabulary,
        )

    # -- requests (GUI thread; none of them waits) --------------------------------------------

    def start(self) -> None:
        """Start the writer and load the model on its thread. Returns at once."""
        self.set_model(self._choice)
        try:
            self.writer.start(timeout=0)
        except Exception:  # reported as WriterStopped too, when the thread got that far
            log.debug("The writer did not start", exc_info=True)

    def reopen(self) -> None:
        """Start again on the library file (after a damaged one was set aside: a new one)."""
        self.writer.stop(0)
        self.library_problem = None
        self._ready = False
        self.writer = self._make_writer()
        self.start()

    @property
    def watcher(self) -> FolderWatcher | None:
        """The core folder watcher (thread-safe; tests read its state)."""
        return self.writer.watcher

    @property
    def busy(self) -> bool:
        return self._busy

    @property
    def running(self) -> bool:
        """Whether the writer's thread is alive."""
        return self.writer.running

    @property
    def paused(self) -> bool:
        return self.writer.paused

    @property
    def ready(self) -> bool:
        return self._ready

    def add_roots(self, paths: Sequence[str | Path]) -> None:
        """Add folders to the library and index them (a missing one is reported, not raised)."""
        self.writer.add_roots([str(p) for p in paths], check=False)

    def index(
        self,
        root_ids: Sequence[int] | None = None,
        confirm_missing: bool = False,
        retry_failed: bool = False,
    ) -> None:
        """Reconcile and index these roots (all when None)."""
        self.writer.index(root_ids, confirm_missing=confirm_missing, retry_failed=retry_failed)

    def confirm_missing(self, root_id: int) -> None:
        self.writer.confirm_missing(root_id)

    def retry_failed(self, root_ids: Sequence[int] | None = None) -> None:
        self.writer.retry_failed(root_ids)

    def remove_root(self, root_id: int) -> None:
        self.writer.remove_root(root_id)

    def run_action(self, action: Callable[[Library], object]) -> None:
        """A write a view asked for (file actions, albums), run as a writer job."""
        self.writer.run_action(action)

    def set_model(self, choice: ModelChoice) -> None:
        """Load another model on the writer's thread; takes effect between jobs."""
        self._choice = choice
        self.writer.set_model(lambda: open_model(choice))

    def set_excluded(self, excluded: Sequence[str]) -> None:
        self.writer.set_excluded(list(excluded))

    def pause(self) -> None:
        self.writer.pause()
        self.pausedChanged.emit(True)

    def resume(self) -> None:
        self.writer.resume()
        self.pausedChanged.emit(False)

    def cancel(self) -> None:
        """Stop the running job and drop the queued ones (cooperatively)."""
        was_paused = self.writer.paused
        self.writer.cancel()
        if was_paused:
            self.pausedChanged.emit(False)

    def shutdown(self, timeout_ms: int = 1000) -> bool:
        """Stop the writer; True when it ended within the timeout.

        A batch in inference cannot be interrupted: past the timeout this waits for it (each
        batch is one transaction), so nothing is left half-written.
        """
        if self._closed:
            return True
        self._closed = True
        self._event.disconnect(self._dispatch)
        if self.writer.stop(timeout_ms / 1000):
            return True
        log.warning("The library writer is finishing its batch; waiting for it.")
        self.writer.stop(120.0)
        return False

    # -- events (GUI thread) ------------------------------------------------------------------

    @Slot(object)
    def _dispatch(self, event: ev.Event) -> None:
        if isinstance(event, ev.RootsListed):
            self._roots_listed(event)
        elif isinstance(event, ev.Progress):
            self.progress.emit(event)  # plain frozen data: the core's record crosses as it is
        elif isinstance(event, ev.PhotosChanged):
            if event.any:
                self._changed_in_job.add(event.job_id)
        elif isinstance(event, ev.JobFinished):
            self._job_finished(event)
        elif isinstance(event, ev.JobFailed):
            self.error.emit(failure_text(event.error_kind, event.message, event.details))
            self.errorKind.emit(event.error_kind)
        elif isinstance(event, ev.BusyChanged):
            self._busy = event.busy
            self.busyChanged.emit(event.busy)
        elif isinstance(event, ev.ModelChanged):
            self._model_changed(event)
        elif isinstance(event, ev.ThingsUpdated):
            self.thingsChanged.emit(event.model_id)
        elif isinstance(event, ev.NeedsConfirmation):
            self.missingAsked.emit(HeldBack(event.root_id, event.path, event.photo_ids))
        elif isinstance(event, ev.RootOffline):
            text = self.tr("{folder} is offline (unplugged drive?). Its photos are kept.")
            self.message.emit(text.format(folder=event.path))
            self.libraryChanged.emit()
        elif isinstance(event, ev.RootOnline):
            self.message.emit(self.tr("{folder} is back online.").format(folder=event.path))
            self.libraryChanged.emit()
        elif isinstance(event, ev.WatchNotice):
            self.message.emit(self._notice_text(event))
        elif isinstance(event, ev.Resumed):
            self.message.emit(self.tr("Space is available again: indexing resumed."))
        elif isinstance(event, ev.WriterStopped) and event.error_kind is not None:
            self.library_problem = (event.error_kind, event.message or "")
            text = failure_text(event.error_kind, event.message or "", {})
            self.libraryFailed.emit(event.error_kind, text)
            self._load_model_alone()
            if event.error_kind == READ_ONLY:
                self.libraryReady.emit()  # readers still work: browse and search

    def _load_model_alone(self) -> None:
        """The writer could not open the library, so it loads no model: load it on a thread
        of its own, so that browsing and search of a read-only library still work."""
        choice = self._choice

        def load() -> None:
            try:
                model = open_model(choice)
            except DesktopAlbumError as exc:
                self._event.emit(ev.ModelChanged(None, exc.kind, str(exc)))
            else:
                self._event.emit(ev.ModelChanged(model))

        threading.Thread(target=load, name="model-loader", daemon=True).start()

    def _roots_listed(self, event: ev.RootsListed) -> None:
        roots = [RootState(r.id, r.path, r.online, r.photos) for r in event.roots]
        if not self._ready:
            self._ready = True
            self.libraryReady.emit()
        self.rootsChanged.emit(roots)

    def _job_finished(self, event: ev.JobFinished) -> None:
        result = index_result(event.summary)
        changed = event.job_id in self._changed_in_job
        self._changed_in_job.discard(event.job_id)
        if event.kind not in (ev.MODEL,):
            self.finished.emit(result)
        # Hashes filled in after indexing change what the Duplicates view can find.
        hashed = event.summary.hashed > 0
        if changed or hashed or event.kind in (ev.REMOVE, ev.ACTION) or result.has_changes:
            self.libraryChanged.emit()

    def _model_changed(self, event: ev.ModelChanged) -> None:
        model = event.model if isinstance(event.model, ClipModel) else None
        if model is None:
            problem = failure_text(event.error_kind or "", event.message or "", {})
            status = ModelStatus(False, problem=problem)
        else:
            pack = model.pack
            status = ModelStatus(
                True,
                name=pack.name,
                path=str(pack.path),
                license=pack.license,
                provider=self._choice.provider,
            )
        self.modelReady.emit(model)
        self.modelChanged.emit(status)

    def _notice_text(self, notice: ev.WatchNotice) -> str:
        if notice.kind == "limit":
            return self.tr(
                "Too many folders to watch (the system's limit was reached): {path} is checked "
                "by polling, so changes may take a minute to appear."
            ).format(path=notice.path)
        if notice.kind == "network":
            return self.tr(
                "{path} is on a network drive: it is checked by polling, so changes may take a "
                "minute to appear."
            ).format(path=notice.path)
        return self.tr(
            "{path} cannot be watched ({error}): changes show up when it is scanned again."
        ).format(path=notice.path, error=notice.detail or "")
