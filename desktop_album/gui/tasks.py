"""The one module that owns thread traffic between the window and its workers.

Two shapes of background work exist, as in Anki's ``taskman.py`` and superqt's ``_qthreading``:

* short jobs (decode a thumbnail, list model packs, save the settings) go through
  :meth:`TaskManager.run_in_background` onto a ``QThreadPool``;
* long-lived workers that own a resource bound to one thread (the writer library, the searcher's
  reader connection) are ``QObject``\\ s moved onto their own ``QThread`` by :class:`WorkerThread`.

Background functions take plain data and never touch widgets. Their results come back to the GUI
thread through signals with explicit queued connections. Workers and tasks are strongly
referenced until they are done, so nothing is collected while a thread still uses it.
"""

from __future__ import annotations

import itertools
import logging
from collections.abc import Callable
from typing import Any, Generic, TypeVar

import shiboken6
from PySide6.QtCore import QObject, QRunnable, Qt, QThread, QThreadPool, Signal, Slot

log = logging.getLogger(__name__)

T = TypeVar("T")
DoneCallback = Callable[[Any], None]
ErrorCallback = Callable[[BaseException], None]


class _Task(QRunnable):
    """Runs one function on a pool thread and reports through its manager's signals."""

    def __init__(self, manager: TaskManager, task_id: int, fn: Callable[[], Any]) -> None:
        super().__init__()
        self.setAutoDelete(False)  # the manager holds the reference until delivery
        self._manager = manager
        self._task_id = task_id
        self._fn = fn

    def run(self) -> None:
        """Override QRunnable.run: call the function, emit its result or its exception."""
        try:
            result = self._fn()
        except BaseException as exc:  # delivered to on_error on the GUI thread
            self._manager._failed.emit(self._task_id, exc)
        else:
            self._manager._finished.emit(self._task_id, result)


_Entry = tuple[_Task, DoneCallback | None, ErrorCallback | None, QObject | None]


class TaskManager(QObject):
    """Runs plain functions on a thread pool; calls back on the thread that owns the manager.

    Args:
        max_threads: pool size (0: Qt's default, one per core).
        parent: the Qt parent.

    Signals:
        idle: no task is running or waiting any more.
    """

    idle = Signal()
    _finished = Signal(int, object)
    _failed = Signal(int, object)

    def __init__(self, max_threads: int = 0, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._pool = QThreadPool(self)
        if max_threads > 0:
            self._pool.setMaxThreadCount(max_threads)
        self._ids = itertools.count(1)
        self._running: dict[int, _Entry] = {}
        self._closed = False
        # Emitted from pool threads, received here on the GUI thread: queued on purpose.
        self._finished.connect(self._deliver, Qt.ConnectionType.QueuedConnection)
        self._failed.connect(self._deliver_error, Qt.ConnectionType.QueuedConnection)

    @property
    def pending(self) -> int:
        """Tasks started and not yet delivered."""
        return len(self._running)

    def run_in_background(
        self,
        fn: Callable[[], T],
        on_done: Callable[[T], None] | None = None,
        on_error: ErrorCallback | None = None,
        owner: QObject | None = None,
    ) -> None:
        """Run ``fn()`` on the pool; ``on_done(result)`` or ``on_error(exc)`` on this thread.

        Without ``on_error`` an exception is logged as a bug. Nothing is called back after
        :meth:`shutdown`, nor once ``owner`` (the widget the callbacks use) has been deleted.
        """
        if self._closed:
            return
        task_id = next(self._ids)
        task = _Task(self, task_id, fn)
        self._running[task_id] = (task, on_done, on_error, owner)
        self._pool.start(task)

    def _take(self, task_id: int) -> _Entry | None:
        entry = self._running.pop(task_id, None)
        if entry is None or self._closed:
            return None
        owner = entry[3]
        if owner is not None and not shiboken6.isValid(owner):
            return None
        return entry

    @Slot(int, object)
    def _deliver(self, task_id: int, result: object) -> None:
        entry = self._take(task_id)
        if entry is not None and entry[1] is not None:
            entry[1](result)
        self._check_idle()

    @Slot(int, object)
    def _deliver_error(self, task_id: int, exc: object) -> None:
        entry = self._take(task_id)
        if entry is not None:
            if entry[2] is not None:
                entry[2](exc if isinstance(exc, BaseException) else RuntimeError(str(exc)))
            else:
                log.error("Background task failed", exc_info=exc)  # type: ignore[arg-type]
        self._check_idle()

    def _check_idle(self) -> None:
        if not self._running:
            self.idle.emit()

    def shutdown(self, timeout_ms: int = 1000) -> bool:
        """Drop queued tasks, wait for running ones; no callback runs afterwards."""
        self._closed = True
        self._pool.clear()
        done = self._pool.waitForDone(timeout_ms)
        self._running.clear()
        return done


W = TypeVar("W", bound=QObject)


class ProgressRelay(QObject):
    """Carries progress from a background function to the GUI thread.

    Give ``relay.progressed.emit`` to the background function as its progress callback; connect
    ``progressed`` to a GUI slot (Qt queues it, since the relay lives on the GUI thread).

    Signals:
        progressed(object): one progress report, plain data.
    """

    progressed = Signal(object)


class WorkerThread(Generic[W]):
    """A long-lived worker object living on its own ``QThread``.

    The worker's slots run on that thread; talk to it only through signals connected with
    :meth:`connect_request` (queued). ``worker.start`` (a slot, if the worker has one) runs first
    on the new thread, so resources bound to a thread (SQLite connections) are created there.
    """

    def __init__(self, worker: W, name: str) -> None:
        self.worker = worker
        self.thread = QThread()
        self.thread.setObjectName(name)
        worker.moveToThread(self.thread)
        start = getattr(worker, "start", None)
        if start is not None:
            # Direct: ``started`` is emitted on the new thread before its event loop runs, so
            # start() always comes before any request queued meanwhile.
            self.thread.started.connect(start, Qt.ConnectionType.DirectConnection)
        # On quit, the worker releases what it holds on its own thread, then is deleted there.
        stop = getattr(worker, "stop", None)
        if stop is not None:
            self.thread.finished.connect(stop, Qt.ConnectionType.DirectConnection)

    def start(self) -> None:
        self.thread.start()

    @staticmethod
    def connect_request(signal: Any, slot: Any) -> None:
        """Connect a GUI-side request signal to a worker slot: always queued."""
        signal.connect(slot, Qt.ConnectionType.QueuedConnection)

    @staticmethod
    def connect_result(signal: Any, slot: Any) -> None:
        """Connect a worker's result signal to a GUI-side slot: always queued."""
        signal.connect(slot, Qt.ConnectionType.QueuedConnection)

    def stop(self, timeout_ms: int = 1000) -> bool:
        """Ask the thread's event loop to quit and wait for it; True when it ended in time."""
        if not self.thread.isRunning():
            return True
        self.thread.quit()
        return self.thread.wait(timeout_ms)
