"""tasks.py: background results come back on the GUI thread; owners and shutdown are honoured."""

from __future__ import annotations

import threading

from PySide6.QtCore import QObject, QThread, Signal, Slot
from PySide6.QtWidgets import QWidget

from desktop_album.gui.tasks import ProgressRelay, TaskManager, WorkerThread


def test_result_is_delivered_on_the_gui_thread(qtbot) -> None:
    tasks = TaskManager(max_threads=2)
    seen: dict[str, object] = {}

    def work() -> int:
        seen["worker"] = threading.current_thread()
        return 42

    def done(value: int) -> None:
        seen["value"] = value
        seen["callback"] = threading.current_thread()

    with qtbot.waitSignal(tasks.idle, timeout=5000):
        tasks.run_in_background(work, done)
    assert seen["value"] == 42
    assert seen["callback"] is threading.main_thread()
    assert seen["worker"] is not threading.main_thread()
    tasks.shutdown()


def test_exception_goes_to_on_error(qtbot) -> None:
    tasks = TaskManager()
    errors: list[BaseException] = []

    def boom() -> None:
        raise ValueError("bad photo")

    with qtbot.waitSignal(tasks.idle, timeout=5000):
        tasks.run_in_background(boom, lambda _: None, errors.append)
    assert isinstance(errors[0], ValueError)
    tasks.shutdown()


def test_no_callback_once_the_owner_is_deleted(qtbot) -> None:
    tasks = TaskManager()
    gate = threading.Event()
    called: list[int] = []
    owner = QWidget()
    tasks.run_in_background(lambda: gate.wait(5) and 1, called.append, None, owner)
    owner.deleteLater()
    qtbot.waitUntil(lambda: not __import__("shiboken6").isValid(owner), timeout=2000)
    with qtbot.waitSignal(tasks.idle, timeout=5000):
        gate.set()
    assert called == []
    tasks.shutdown()


def test_nothing_is_delivered_after_shutdown(qtbot) -> None:
    tasks = TaskManager()
    called: list[int] = []
    tasks.run_in_background(lambda: 1, called.append)
    assert tasks.shutdown(2000)
    qtbot.wait(20)
    assert called == []


class _Echo(QObject):
    answered = Signal(object)

    def __init__(self) -> None:
        super().__init__()
        self.started_on: QThread | None = None

    @Slot()
    def start(self) -> None:
        self.started_on = QThread.currentThread()

    @Slot(object)
    def ask(self, value: object) -> None:
        self.answered.emit((value, QThread.currentThread()))


class _Asker(QObject):
    request = Signal(object)


def test_worker_thread_runs_slots_on_its_thread(qtbot) -> None:
    echo = _Echo()
    worker = WorkerThread(echo, "echo")
    asker = _Asker()
    replies: list[object] = []
    WorkerThread.connect_request(asker.request, echo.ask)
    echo.answered.connect(lambda value: replies.append(value))
    worker.start()
    qtbot.waitUntil(lambda: echo.started_on is not None, timeout=5000)
    asker.request.emit("hi")
    qtbot.waitUntil(lambda: bool(replies), timeout=5000)
    value, thread = replies[0]  # type: ignore[misc]
    assert value == "hi"
    assert thread is worker.thread and thread is not QThread.currentThread()
    assert worker.stop(1000)


def test_progress_relay_crosses_threads(qtbot) -> None:
    tasks = TaskManager()
    relay = ProgressRelay()
    got: list[int] = []
    relay.progressed.connect(lambda value: got.append(value))

    def work() -> None:
        for i in range(3):
            relay.progressed.emit(i)

    with qtbot.waitSignal(tasks.idle, timeout=5000):
        tasks.run_in_background(work)
    qtbot.waitUntil(lambda: got == [0, 1, 2], timeout=2000)
    tasks.shutdown()
