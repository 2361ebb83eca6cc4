"""The photo viewer: one photo large, previous/next, and its details.

The full image is decoded (and EXIF-oriented) on a worker, reduced to what a screen can show; a
load that finishes after the user moved on is dropped by its generation number.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QDateTime, QLocale, QSize, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QImage,
    QKeyEvent,
    QKeySequence,
    QPainter,
    QPaintEvent,
    QPixmap,
    QShortcut,
)
from PySide6.QtWidgets import (
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop_album.gui.photo_actions import image_to_qimage
from desktop_album.gui.records import PhotoRow
from desktop_album.gui.tasks import TaskManager

MAX_SIDE = 3000  # pixels decoded for the screen; more is invisible and slow


class ImageCanvas(QWidget):
    """Paints a pixmap scaled to fit, centred, or a message while there is none."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._pixmap: QPixmap | None = None
        self._message = ""
        self.setMinimumSize(320, 240)

    def set_pixmap(self, pixmap: QPixmap | None, message: str = "") -> None:
        self._pixmap, self._message = pixmap, message
        self.update()

    @property
    def has_image(self) -> bool:
        return self._pixmap is not None

    def paintEvent(self, event: QPaintEvent) -> None:
        """Override QWidget.paintEvent."""
        painter = QPainter(self)
        painter.fillRect(self.rect(), QColor(32, 32, 34))  # photos read best on a dark ground
        if self._pixmap is None:
            painter.setPen(QColor(200, 200, 200))
            painter.drawText(self.rect(), Qt.AlignmentFlag.AlignCenter, self._message)
            return
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
        size = self._pixmap.size()
        if size.width() > self.width() or size.height() > self.height():
            size = size.scaled(self.size(), Qt.AspectRatioMode.KeepAspectRatio)
        x = (self.width() - size.width()) // 2
        y = (self.height() - size.height()) // 2
        painter.drawPixmap(x, y, size.width(), size.height(), self._pixmap)


class PhotoViewer(QDialog):
    """Shows the photos of a result one at a time.

    Signals:
        loaded(int): the photo with this id is on screen.
        failed(int, str): the photo could not be read.
    """

    loaded = Signal(int)
    failed = Signal(int, str)

    def __init__(
        self,
        rows: Sequence[PhotoRow],
        start: int,
        tasks: TaskManager,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("photoViewer")
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self._rows = list(rows)
        self._tasks = tasks
        self._generation = 0
        self.current = max(0, min(start, len(self._rows) - 1))
        self.canvas = ImageCanvas()
        self._prev = QPushButton(self.tr("Previous"))
        self._next = QPushButton(self.tr("Next"))
        self._prev.clicked.connect(self.show_previous)
        self._next.clicked.connect(self.show_next)
        self._fields = {key: QLabel() for key in ("name", "date", "camera", "size", "path")}
        for label in self._fields.values():
            label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            label.setWordWrap(True)
        details = QFormLayout()
        details.addRow(self.tr("Name"), self._fields["name"])
        details.addRow(self.tr("Date"), self._fields["date"])
        details.addRow(self.tr("Camera"), self._fields["camera"])
        details.addRow(self.tr("Size"), self._fields["size"])
        details.addRow(self.tr("Path"), self._fields["path"])
        side = QWidget()
        side.setFixedWidth(260)
        side_layout = QVBoxLayout(side)
        side_layout.addLayout(details)
        side_layout.addStretch(1)
        buttons = QHBoxLayout()
        buttons.addWidget(self._prev)
        buttons.addWidget(self._next)
        side_layout.addLayout(buttons)
        layout = QHBoxLayout(self)
        layout.addWidget(self.canvas, 1)
        layout.addWidget(side)
        QShortcut(QKeySequence(Qt.Key.Key_Left), self, self.show_previous)
        QShortcut(QKeySequence(Qt.Key.Key_Right), self, self.show_next)
        self.resize(QSize(1100, 720))
        self._show(self.current)

    def show_previous(self) -> None:
        if self.current > 0:
            self._show(self.current - 1)

    def show_next(self) -> None:
        if self.current < len(self._rows) - 1:
            self._show(self.current + 1)

    def _show(self, number: int) -> None:
        if not self._rows:
            return
        self.current = number
        row = self._rows[number]
        self.setWindowTitle(row.name)
        self._describe(row)
        self._prev.setEnabled(number > 0)
        self._next.setEnabled(number < len(self._rows) - 1)
        self.canvas.set_pixmap(None, self.tr("Loading…"))
        self._generation += 1
        generation, path = self._generation, row.path
        self._tasks.run_in_background(
            lambda: image_to_qimage(path, MAX_SIDE),
            lambda image: self._loaded(generation, row.id, image),
            lambda exc: self._failed(generation, row.id, exc),
        )

    def _loaded(self, generation: int, photo_id: int, image: QImage) -> None:
        if generation != self._generation:
            return  # the user moved on
        self.canvas.set_pixmap(QPixmap.fromImage(image))
        self.loaded.emit(photo_id)

    def _failed(self, generation: int, photo_id: int, exc: BaseException) -> None:
        if generation != self._generation:
            return
        reason = getattr(exc, "reason", None) or str(exc)
        self.canvas.set_pixmap(
            None, self.tr("This photo cannot be shown: {reason}").format(reason=reason)
        )
        self.failed.emit(photo_id, reason)

    def _describe(self, row: PhotoRow) -> None:
        locale = QLocale()
        self._fields["name"].setText(row.name)
        self._fields["date"].setText(_date_text(row.taken_at, locale) or self.tr("unknown"))
        self._fields["camera"].setText(row.camera or self.tr("unknown"))
        size = locale.formattedDataSize(row.size)
        if row.width and row.height:
            size = f"{row.width} × {row.height} · {size}"
        self._fields["size"].setText(size)
        self._fields["path"].setText(row.path)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        """Override QDialog.keyPressEvent: Esc closes, Home/End jump."""
        if event.key() == Qt.Key.Key_Home:
            self._show(0)
        elif event.key() == Qt.Key.Key_End:
            self._show(len(self._rows) - 1)
        else:
            super().keyPressEvent(event)


def _date_text(taken_at: str | None, locale: QLocale) -> str | None:
    if not taken_at:
        return None
    moment = QDateTime.fromString(taken_at, Qt.DateFormat.ISODate)
    if not moment.isValid():
        return taken_at
    return locale.toString(moment, QLocale.FormatType.LongFormat)
