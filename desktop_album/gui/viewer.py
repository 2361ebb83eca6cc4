"""The photo viewer: one photo large, zoom and pan, full screen, previous/next, slideshow.

The cached thumbnail shows at once; the full image is decoded (and EXIF-oriented) on a worker,
reduced to what a screen can show, and replaces it. A load that finishes after the user moved on
is dropped by its generation number, and one that finishes after the viewer closed is never
delivered (the task's owner is the viewer). An offline photo shows its thumbnail and says why.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import QPoint, QPointF, QRectF, QSize, Qt, QTimer, Signal
from PySide6.QtGui import (
    QCloseEvent,
    QColor,
    QImage,
    QKeyEvent,
    QKeySequence,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QPixmap,
    QShortcut,
    QWheelEvent,
)
from PySide6.QtWidgets import QDialog, QHBoxLayout, QPushButton, QVBoxLayout, QWidget

from desktop_album.gui.info_panel import InfoPanel, info_from_row
from desktop_album.gui.photo_actions import image_to_qimage
from desktop_album.gui.records import PhotoRow
from desktop_album.gui.tasks import TaskManager

MAX_SIDE = 3000  # pixels decoded for the screen; more is invisible and slow
ZOOM_STEP = 1.25
MIN_ZOOM, MAX_ZOOM = 0.02, 16.0

ThumbnailSource = Callable[[PhotoRow], QPixmap | None]
ImageLoader = Callable[[str, int], QImage]


class ImageCanvas(QWidget):
    """Paints a pixmap fitted (the default) or at a zoom factor, panned by dragging.

    ``zoom`` is None while fitting; otherwise screen pixels per image pixel (1.0: 100%). The
    image's own size (``full_size``) is what 100% means, also while a smaller preview shows.

    Signals:
        zoomChanged(float): the zoom factor now in effect (also while fitting).
    """

    zoomChanged = Signal(float)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._pixmap: QPixmap | None = None
        self._full_size = QSize()
        self._message = ""
        self._zoom: float | None = None
        self._offset = QPointF(0, 0)  # pan: image centre relative to the widget centre
        self._drag_from: QPoint | None = None
        self.is_preview = False
        self.setMinimumSize(320, 240)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)

    def set_pixmap(
        self,
        pixmap: QPixmap | None,
        message: str = "",
        preview: bool = False,
        full_size: QSize | None = None,
    ) -> None:
        """Show ``pixmap`` (a thumbnail when ``preview``), or ``message`` when None."""
        keep_view = preview is False and self.is_preview and pixmap is not None
        self._pixmap, self._message, self.is_preview = pixmap, message, preview
        self._full_size = full_size or (pixmap.size() if pixmap is not None else QSize())
        if not keep_view:  # the full image replacing its preview keeps the zoom and pan
            self._zoom, self._offset = None, QPointF(0, 0)
        self.update()
        self.zoomChanged.emit(self.effective_zoom())

    @property
    def has_image(self) -> bool:
        return self._pixmap is not None

    @property
    def message(self) -> str:
        return self._message

    @property
    def zoom(self) -> float | None:
        return self._zoom

    @property
    def offset(self) -> QPointF:
        return QPointF(self._offset)

    def fit_zoom(self) -> float:
        size = self._full_size
        if size.isEmpty():
            return 1.0
        return min(1.0, self.width() / size.width(), self.height() / size.height())

    def effective_zoom(self) -> float:
        return self._zoom if self._zoom is not None else self.fit_zoom()

    def fit(self) -> None:
        self._zoom, self._offset = None, QPointF(0, 0)
        self.update()
        self.zoomChanged.emit(self.effective_zoom())

    def set_zoom(self, zoom: float, anchor: QPointF | None = None) -> None:
        """Zoom to ``zoom`` keeping the image point under ``anchor`` (widget coordinates;
        the centre by default) where it is."""
        if self._pixmap is None:
            return
        old = self.effective_zoom()
        new = max(MIN_ZOOM, min(MAX_ZOOM, zoom))
        centre = QPointF(self.width() / 2, self.height() / 2)
        point = (anchor or centre) - centre
        # The image point under ``point`` stays there: offset' = point - (point - offset) * k.
        self._offset = point - (point - self._offset) * (new / old)
        self._zoom = new
        self._clamp()
        self.update()
        self.zoomChanged.emit(new)

    def zoom_in(self, anchor: QPointF | None = None) -> None:
        self.set_zoom(self.effective_zoom() * ZOOM_STEP, anchor)

    def zoom_out(self, anchor: QPointF | None = None) -> None:
        self.set_zoom(self.effective_zoom() / ZOOM_STEP, anchor)

    def pan(self, dx: float, dy: float) -> None:
        self._offset += QPointF(dx, dy)
        self._clamp()
        self.update()

    def _shown_size(self) -> tuple[float, float]:
        zoom = self.effective_zoom()
        return self._full_size.width() * zoom, self._full_size.height() * zoom

    def _clamp(self) -> None:
        """No panning beyond the image's edges (and none on an axis where it fits)."""
        width, height = self._shown_size()
        limit_x = max(0.0, (width - self.width()) / 2)
        limit_y = max(0.0, (height - self.height()) / 2)
        self._offset = QPointF(
            max(-limit_x, min(limit_x, self._offset.x())),
            max(-limit_y, min(limit_y, self._offset.y())),
        )

    def image_rect(self) -> QRectF:
        """Where the image is drawn, in widget coordinates."""
        width, height = self._shown_size()
        centre = QPointF(self.width() / 2, self.height() / 2) + self._offset
        return QRectF(centre.x() - width / 2, centre.y() - height / 2, width, height)

    def paintEvent(self, event: QPaintEvent) -> None:
        """Override QWidget.paintEvent."""
        painter = QPainter(self)
        painter.fillRect(self.rect(), QColor(32, 32, 34))  # photos read best on a dark ground
        if self._pixmap is not None:
            painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
            painter.drawPixmap(self.image_rect(), self._pixmap, QRectF(self._pixmap.rect()))
        if self._message:
            painter.setPen(QColor(230, 230, 230))
            area = self.rect().adjusted(12, 12, -12, -12)
            align = Qt.AlignmentFlag.AlignCenter
            if self._pixmap is not None:  # a caption over a preview: at the bottom, on a band
                band = area.adjusted(0, area.height() - 36, 0, 0)
                painter.fillRect(band, QColor(0, 0, 0, 150))
                area, align = band, Qt.AlignmentFlag.AlignCenter
            painter.drawText(area, align | Qt.TextFlag.TextWordWrap, self._message)

    def wheelEvent(self, event: QWheelEvent) -> None:
        """Override QWidget.wheelEvent: the wheel zooms around the pointer."""
        steps = event.angleDelta().y() / 120
        if steps and self._pixmap is not None:
            self.set_zoom(self.effective_zoom() * ZOOM_STEP**steps, event.position())
            event.accept()
        else:
            super().wheelEvent(event)

    def mousePressEvent(self, event: QMouseEvent) -> None:
        """Override QWidget.mousePressEvent: start panning."""
        if event.button() == Qt.MouseButton.LeftButton:
            self._drag_from = event.position().toPoint()
            self.setCursor(Qt.CursorShape.ClosedHandCursor)
        super().mousePressEvent(event)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        """Override QWidget.mouseMoveEvent: pan while the button is down."""
        if self._drag_from is not None:
            now = event.position().toPoint()
            delta = now - self._drag_from
            self._drag_from = now
            self.pan(delta.x(), delta.y())
        super().mouseMoveEvent(event)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        """Override QWidget.mouseReleaseEvent."""
        self._drag_from = None
        self.unsetCursor()
        super().mouseReleaseEvent(event)

    def mouseDoubleClickEvent(self, event: QMouseEvent) -> None:
        """Override QWidget.mouseDoubleClickEvent: fit, or 100% where double-clicked."""
        if self._zoom is None:
            self.set_zoom(1.0, event.position())
        else:
            self.fit()


class PhotoViewer(QDialog):
    """Shows the photos of a result one at a time.

    Keys: Space/Right next, Backspace/Left previous, Home/End, +/- zoom, 0 fit, 1 100%,
    F11/f full screen, s slideshow, Esc leaves full screen, then closes.

    Args:
        rows: the photos to step through.
        start: the one to show first.
        tasks: runs the image loads.
        thumbnail: the cached thumbnail of a row (the grid's RAM cache), shown at once.
        slideshow_ms: how long the slideshow shows each photo.
        load_image: decodes a photo (path, max side) on a worker (tests slow it down).

    Signals:
        loaded(int): the full image of the photo with this id is on screen.
        failed(int, str): the photo could not be read.
        currentChanged(int): the photo with this id is the current one.
    """

    loaded = Signal(int)
    failed = Signal(int, str)
    currentChanged = Signal(int)

    def __init__(
        self,
        rows: Sequence[PhotoRow],
        start: int,
        tasks: TaskManager,
        parent: QWidget | None = None,
        thumbnail: ThumbnailSource | None = None,
        slideshow_ms: int = 4000,
        load_image: ImageLoader = image_to_qimage,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("photoViewer")
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self._rows = list(rows)
        self._tasks = tasks
        self._thumbnail = thumbnail
        self._load_image = load_image
        self._generation = 0
        self.current = max(0, min(start, len(self._rows) - 1))
        self.canvas = ImageCanvas()
        self.info = InfoPanel()
        self.slideshow = QTimer(self)
        self.slideshow.setInterval(slideshow_ms)
        self.slideshow.timeout.connect(self._slideshow_step)
        self._prev = QPushButton(self.tr("Previous"))
        self._next = QPushButton(self.tr("Next"))
        self._play = QPushButton(self.tr("Slideshow"))
        self._prev.clicked.connect(self.show_previous)
        self._next.clicked.connect(self.show_next)
        self._play.clicked.connect(self.toggle_slideshow)
        for button in (self._prev, self._next, self._play):
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # Space steps, never clicks
            button.setAutoDefault(False)  # nor does Enter
        self.side = QWidget()
        self.side.setFixedWidth(280)
        side_layout = QVBoxLayout(self.side)
        side_layout.addWidget(self.info, 1)
        buttons = QHBoxLayout()
        buttons.addWidget(self._prev)
        buttons.addWidget(self._next)
        side_layout.addLayout(buttons)
        side_layout.addWidget(self._play)
        layout = QHBoxLayout(self)
        layout.addWidget(self.canvas, 1)
        layout.addWidget(self.side)
        shortcuts: list[tuple[QKeySequence | Qt.Key, Callable[[], None]]] = [
            (Qt.Key.Key_Left, self.show_previous),
            (Qt.Key.Key_Backspace, self.show_previous),
            (Qt.Key.Key_Right, self.show_next),
            (Qt.Key.Key_Space, self.show_next),
            (Qt.Key.Key_F11, self.toggle_full_screen),
            (Qt.Key.Key_F, self.toggle_full_screen),
            (Qt.Key.Key_S, self.toggle_slideshow),
            (Qt.Key.Key_Plus, self.canvas.zoom_in),
            (Qt.Key.Key_Equal, self.canvas.zoom_in),
            (Qt.Key.Key_Minus, self.canvas.zoom_out),
            (Qt.Key.Key_0, self.canvas.fit),
            (Qt.Key.Key_1, lambda: self.canvas.set_zoom(1.0)),
        ]
        for key, slot in shortcuts:
            QShortcut(QKeySequence(key), self, slot)
        self.resize(QSize(1100, 720))
        self._show(self.current)

    # -- stepping -------------------------------------------------------------------------------

    def show_previous(self) -> None:
        if self.current > 0:
            self._show(self.current - 1)

    def show_next(self) -> None:
        if self.current < len(self._rows) - 1:
            self._show(self.current + 1)

    def _slideshow_step(self) -> None:
        if self.current < len(self._rows) - 1:
            self._show(self.current + 1)
        else:
            self.toggle_slideshow()  # the end: stop, stay on the last photo

    def toggle_slideshow(self) -> None:
        if self.slideshow.isActive():
            self.slideshow.stop()
            self._play.setText(self.tr("Slideshow"))
        elif self._rows:
            self.slideshow.start()
            self._play.setText(self.tr("Stop slideshow"))

    def toggle_full_screen(self) -> None:
        if self.isFullScreen():
            self.showNormal()
            self.side.show()
        else:
            self.side.hide()  # the photo alone
            self.showFullScreen()

    def _show(self, number: int) -> None:
        if not self._rows:
            return
        self.current = number
        row = self._rows[number]
        self.setWindowTitle(row.name)
        self.info.load(info_from_row(row), self._tasks)
        self._prev.setEnabled(number > 0)
        self._next.setEnabled(number < len(self._rows) - 1)
        self._generation += 1
        generation = self._generation
        preview = self._thumbnail(row) if self._thumbnail is not None else None
        full_size = _display_size(row)
        self.currentChanged.emit(row.id)
        if row.offline:
            self.canvas.set_pixmap(
                preview,
                self.tr("This photo is on an offline drive. Connect the drive to see it in full."),
                preview=True,
                full_size=full_size,
            )
            return
        if preview is not None and not preview.isNull():
            self.canvas.set_pixmap(preview, preview=True, full_size=full_size)
        else:
            self.canvas.set_pixmap(None, self.tr("Loading…"))
        path, load = row.path, self._load_image
        self._tasks.run_in_background(
            lambda: load(path, MAX_SIDE),
            lambda image: self._loaded(generation, row.id, image),
            lambda exc: self._failed(generation, row.id, exc),
            owner=self,  # closed and deleted meanwhile: nothing is delivered
        )

    def _loaded(self, generation: int, photo_id: int, image: QImage) -> None:
        if generation != self._generation:
            return  # the user moved on
        self.canvas.set_pixmap(QPixmap.fromImage(image), full_size=image.size())
        self.loaded.emit(photo_id)

    def _failed(self, generation: int, photo_id: int, exc: BaseException) -> None:
        if generation != self._generation:
            return
        reason = getattr(exc, "reason", None) or str(exc)
        self.canvas.set_pixmap(
            None, self.tr("This photo cannot be shown: {reason}").format(reason=reason)
        )
        self.failed.emit(photo_id, reason)

    def closeEvent(self, event: QCloseEvent) -> None:
        """Override QDialog.closeEvent: no slideshow step nor late load after closing."""
        self.slideshow.stop()
        self._generation += 1
        super().closeEvent(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        """Override QDialog.keyPressEvent: Esc leaves full screen first; Home/End jump."""
        if event.key() == Qt.Key.Key_Escape and self.isFullScreen():
            self.toggle_full_screen()
        elif event.key() == Qt.Key.Key_Home:
            self._show(0)
        elif event.key() == Qt.Key.Key_End:
            self._show(len(self._rows) - 1)
        else:
            super().keyPressEvent(event)


def _display_size(row: PhotoRow) -> QSize | None:
    """The size the full image will have on screen (the photo's, at most MAX_SIDE), so that a
    preview is zoomed the same way as the image that replaces it."""
    if not (row.width and row.height):
        return None
    size = QSize(row.width, row.height)
    if max(row.width, row.height) > MAX_SIDE:
        size = size.scaled(QSize(MAX_SIDE, MAX_SIDE), Qt.AspectRatioMode.KeepAspectRatio)
    return size
