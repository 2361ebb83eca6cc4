"""The viewer: thumbnail first, zoom and pan, keys, full screen, slideshow, safe closing."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
import shiboken6
from PIL import Image
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QColor, QImage, QPixmap, QWheelEvent
from PySide6.QtWidgets import QApplication

from desktop_album.gui.photo_actions import image_to_qimage
from desktop_album.gui.records import PhotoRow
from desktop_album.gui.tasks import TaskManager
from desktop_album.gui.viewer import PhotoViewer


@pytest.fixture
def tasks():
    manager = TaskManager(max_threads=2)
    yield manager
    manager.shutdown(5000)


@pytest.fixture
def rows(tmp_path: Path) -> list[PhotoRow]:
    made = []
    for number, colour in enumerate([(200, 0, 0), (0, 200, 0), (0, 0, 200)]):
        path = tmp_path / f"photo_{number}.jpg"
        Image.new("RGB", (1600, 1200), colour).save(path)
        made.append(PhotoRow(number + 1, str(path), 1000, None, None, 1600, 1200, "h", False))
    return made


def thumbnail(row: PhotoRow) -> QPixmap:
    pixmap = QPixmap(64, 48)
    pixmap.fill(QColor(128, 128, 128))
    return pixmap


def open_viewer(qtbot, rows, tasks, start: int = 0, **kwargs) -> PhotoViewer:
    viewer = PhotoViewer(rows, start, tasks, thumbnail=thumbnail, **kwargs)
    qtbot.addWidget(viewer)
    viewer.show()
    qtbot.waitExposed(viewer)
    viewer.activateWindow()
    qtbot.waitUntil(viewer.isActiveWindow, timeout=5000)
    return viewer


def test_thumbnail_shows_at_once_then_the_full_image(qtbot, rows, tasks) -> None:
    with qtbot.waitSignal(tasks.idle, timeout=10_000):
        viewer = PhotoViewer(rows, 0, tasks, thumbnail=thumbnail)
        qtbot.addWidget(viewer)
        assert viewer.canvas.has_image and viewer.canvas.is_preview  # before any decoding
    assert viewer.canvas.has_image and not viewer.canvas.is_preview
    assert viewer.info.labels["dimensions"].text() == "1600 × 1200"


def test_space_and_backspace_step(qtbot, rows, tasks) -> None:
    viewer = open_viewer(qtbot, rows, tasks)
    with qtbot.waitSignal(viewer.loaded, timeout=10_000) as loaded:
        qtbot.keyClick(viewer, Qt.Key.Key_Space)
    assert loaded.args == [2] and viewer.windowTitle() == "photo_1.jpg"
    with qtbot.waitSignal(viewer.currentChanged, timeout=5000) as current:
        qtbot.keyClick(viewer, Qt.Key.Key_Backspace)
    assert current.args == [1]
    qtbot.waitUntil(lambda: tasks.pending == 0, timeout=10_000)


def test_zoom_keys_wheel_and_pan(qtbot, rows, tasks) -> None:
    viewer = open_viewer(qtbot, rows, tasks)
    qtbot.waitUntil(lambda: not viewer.canvas.is_preview, timeout=10_000)
    canvas = viewer.canvas
    assert canvas.zoom is None and canvas.effective_zoom() < 1  # fitted: 1600 px > the window
    qtbot.keyClick(viewer, Qt.Key.Key_1)
    assert canvas.zoom == 1.0
    qtbot.keyClick(viewer, Qt.Key.Key_Plus)
    assert canvas.zoom == pytest.approx(1.25)
    qtbot.keyClick(viewer, Qt.Key.Key_Minus)
    assert canvas.zoom == pytest.approx(1.0)
    # Drag to pan; the image never leaves the view.
    centre = canvas.rect().center()
    qtbot.mousePress(canvas, Qt.MouseButton.LeftButton, pos=centre)
    qtbot.mouseMove(canvas, centre + QPoint(40, 30))
    qtbot.mouseRelease(canvas, Qt.MouseButton.LeftButton, pos=centre + QPoint(40, 30))
    assert canvas.offset == QPointF(40, 30)
    canvas.pan(100_000, 0)
    assert canvas.image_rect().left() <= 0
    # The wheel zooms around the pointer.
    wheel = QWheelEvent(
        QPointF(centre),
        QPointF(canvas.mapToGlobal(centre)),
        QPoint(0, 0),
        QPoint(0, 120),
        Qt.MouseButton.NoButton,
        Qt.KeyboardModifier.NoModifier,
        Qt.ScrollPhase.NoScrollPhase,
        False,
    )
    QApplication.sendEvent(canvas, wheel)
    assert canvas.zoom == pytest.approx(1.25)
    qtbot.keyClick(viewer, Qt.Key.Key_0)
    assert canvas.zoom is None and canvas.offset == QPointF(0, 0)


def test_full_screen_with_f11_and_f(qtbot, rows, tasks) -> None:
    viewer = open_viewer(qtbot, rows, tasks)
    qtbot.keyClick(viewer, Qt.Key.Key_F11)
    qtbot.waitUntil(viewer.isFullScreen, timeout=5000)
    assert viewer.side.isHidden()
    qtbot.keyClick(viewer, Qt.Key.Key_F)
    qtbot.waitUntil(lambda: not viewer.isFullScreen(), timeout=5000)
    assert not viewer.side.isHidden()
    qtbot.waitUntil(lambda: tasks.pending == 0, timeout=10_000)


def test_slideshow_runs_to_the_end_and_stops(qtbot, rows, tasks) -> None:
    viewer = open_viewer(qtbot, rows, tasks, slideshow_ms=20)
    qtbot.keyClick(viewer, Qt.Key.Key_S)
    assert viewer.slideshow.isActive()
    qtbot.waitUntil(lambda: viewer.current == 2 and not viewer.slideshow.isActive(), timeout=10_000)
    qtbot.waitUntil(lambda: tasks.pending == 0, timeout=10_000)


def test_offline_photo_shows_its_thumbnail_and_says_why(qtbot, rows, tasks) -> None:
    offline = [PhotoRow(9, "/media/usb/gone.jpg", 10, None, None, 640, 480, "h", offline=True)]
    calls: list[str] = []

    def load(path: str, side: int) -> QImage:
        calls.append(path)
        return image_to_qimage(path, side)

    viewer = PhotoViewer(offline, 0, tasks, thumbnail=thumbnail, load_image=load)
    qtbot.addWidget(viewer)
    assert viewer.canvas.has_image and viewer.canvas.is_preview
    assert "on an offline drive" in viewer.canvas.message
    qtbot.waitUntil(lambda: tasks.pending == 0, timeout=10_000)
    assert calls == []  # the drive is away: no attempt to read


def test_unreadable_photo_says_why(qtbot, tmp_path: Path, tasks) -> None:
    bad = tmp_path / "bad.jpg"
    bad.write_bytes(b"not a photo")
    row = PhotoRow(1, str(bad), 11, None, None, None, None, "h", False)
    viewer = PhotoViewer([row], 0, tasks)
    qtbot.addWidget(viewer)
    with qtbot.waitSignal(viewer.failed, timeout=10_000):
        pass
    assert "cannot be shown" in viewer.canvas.message
    qtbot.waitUntil(lambda: tasks.pending == 0, timeout=10_000)


def test_closing_while_a_photo_loads_never_touches_the_deleted_viewer(qtbot, rows, tasks) -> None:
    release = threading.Event()
    started = threading.Event()

    def slow(path: str, side: int) -> QImage:
        started.set()
        release.wait(30)
        return image_to_qimage(path, side)

    viewer = PhotoViewer(rows, 0, tasks, thumbnail=thumbnail, load_image=slow)
    viewer.show()
    qtbot.waitUntil(started.is_set, timeout=10_000)
    viewer.close()  # deletes itself (WA_DeleteOnClose)
    qtbot.waitUntil(lambda: not shiboken6.isValid(viewer), timeout=10_000)
    release.set()
    # The load finishes on the worker; delivering it would raise on the deleted widget and
    # fail the test (pytest-qt reports exceptions raised in Qt callbacks).
    qtbot.waitUntil(lambda: tasks.pending == 0, timeout=10_000)
