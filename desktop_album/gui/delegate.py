"""Paints one grid cell: the thumbnail (aspect kept, centred), placeholders, badges, selection.

Painting never waits: a thumbnail not in RAM yet is requested from the loader and a placeholder
drawn in its place; the model's ``dataChanged`` repaints the cell when it arrives.
"""

from __future__ import annotations

from PySide6.QtCore import (
    QCoreApplication,
    QModelIndex,
    QPersistentModelIndex,
    QRect,
    QRectF,
    QSize,
    Qt,
)
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter, QPainterPath, QPalette, QPen
from PySide6.QtWidgets import QStyle, QStyledItemDelegate, QStyleOptionViewItem, QWidget

from desktop_album.gui.photo_model import HEADER_ROLE, ROW_ROLE, THUMBNAIL_KEY_ROLE
from desktop_album.gui.records import PhotoRow
from desktop_album.gui.thumbnail_loader import ThumbnailLoader

Index = QModelIndex | QPersistentModelIndex


class PhotoDelegate(QStyledItemDelegate):
    """Draws photos in uniform square cells.

    Args:
        loader: where thumbnails come from.
        cell: the side of a cell in pixels, margins included.
    """

    MARGIN = 6
    RADIUS = 6.0

    def __init__(self, loader: ThumbnailLoader, cell: int = 176, parent: QWidget | None = None):
        super().__init__(parent)
        self._loader = loader
        self._cell = cell
        self._width = cell
        self._offline_text = QCoreApplication.translate("PhotoDelegate", "offline")
        self._unreadable_text = QCoreApplication.translate("PhotoDelegate", "unreadable")
        self._vanished_text = QCoreApplication.translate("PhotoDelegate", "missing?")

    @property
    def cell(self) -> int:
        return self._cell

    def set_cell(self, cell: int) -> None:
        self._cell = cell

    HEADER_HEIGHT = 34

    def set_width(self, width: int) -> None:
        """The view's width: a date header spans it, so the photos after it start a new row."""
        self._width = width

    def sizeHint(self, option: QStyleOptionViewItem, index: Index) -> QSize:
        """Override QStyledItemDelegate.sizeHint: every photo cell the same size; a date header
        the whole width."""
        if index.data(HEADER_ROLE) is not None:
            return QSize(max(self._cell, self._width), self.HEADER_HEIGHT)
        return QSize(self._cell, self._cell)

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Index) -> None:
        """Override QStyledItemDelegate.paint."""
        header = index.data(HEADER_ROLE)
        if isinstance(header, str):
            self._paint_header(painter, option, header)
            return
        row = index.data(ROW_ROLE)
        if not isinstance(row, PhotoRow):
            return
        palette = option.palette
        rect: QRect = option.rect
        state = option.state
        selected = bool(state & QStyle.StateFlag.State_Selected)
        hovered = bool(state & QStyle.StateFlag.State_MouseOver)
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
        frame = QRectF(rect.adjusted(2, 2, -2, -2))
        if selected or hovered:
            color = QColor(palette.color(QPalette.ColorRole.Highlight))
            color.setAlpha(255 if selected else 60)
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(color)
            painter.drawRoundedRect(frame, self.RADIUS, self.RADIUS)
        area = rect.adjusted(self.MARGIN, self.MARGIN, -self.MARGIN, -self.MARGIN)
        key = index.data(THUMBNAIL_KEY_ROLE)
        pixmap = self._loader.pixmap(key, row.path, row.content_hash)
        if pixmap is not None and not pixmap.isNull():
            size = pixmap.size().scaled(area.size(), Qt.AspectRatioMode.KeepAspectRatio)
            target = QRect(0, 0, size.width(), size.height())
            target.moveCenter(area.center())
            painter.drawPixmap(target, pixmap)
            edge = QColor(palette.color(QPalette.ColorRole.Shadow))
            edge.setAlpha(45)  # a hairline, so white photos do not melt into the background
            painter.setPen(QPen(edge, 1))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawRect(QRectF(target).adjusted(0.5, 0.5, -0.5, -0.5))
        else:
            self._placeholder(painter, palette, area, self._loader.is_failed(key))
        if row.offline:
            self._badge(painter, area, self._offline_text)
        elif row.vanished:
            self._badge(painter, area, self._vanished_text)
        if row.favourite:
            self._heart(painter, area)
        if state & QStyle.StateFlag.State_HasFocus and not selected:
            pen = QPen(palette.color(QPalette.ColorRole.Highlight), 1.5)
            painter.setPen(pen)
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawRoundedRect(frame, self.RADIUS, self.RADIUS)
        painter.restore()

    def _paint_header(self, painter: QPainter, option: QStyleOptionViewItem, text: str) -> None:
        painter.save()
        font = QFont(option.font)
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.15)
        painter.setFont(font)
        painter.setPen(option.palette.color(QPalette.ColorRole.WindowText))
        area = option.rect.adjusted(self.MARGIN + 2, 6, -self.MARGIN, 0)
        painter.drawText(area, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, text)
        painter.restore()

    def _placeholder(self, painter: QPainter, palette: QPalette, area: QRect, failed: bool) -> None:
        base = QColor(palette.color(QPalette.ColorRole.Mid))
        base.setAlpha(70)
        inner = QRectF(area).adjusted(8, 8, -8, -8)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(base)
        painter.drawRoundedRect(inner, 4.0, 4.0)
        if failed:
            painter.setPen(palette.color(QPalette.ColorRole.PlaceholderText))
            painter.drawText(inner, Qt.AlignmentFlag.AlignCenter, self._unreadable_text)

    def _badge(self, painter: QPainter, area: QRect, text: str) -> None:
        font = QFont(painter.font())
        font.setPointSizeF(max(7.0, font.pointSizeF() * 0.8))
        font.setBold(True)
        metrics = QFontMetrics(font)
        width = metrics.horizontalAdvance(text) + 12
        height = metrics.height() + 4
        badge = QRectF(area.right() - width - 4, area.top() + 4, width, height)
        painter.setFont(font)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor(40, 40, 40, 200))
        painter.drawRoundedRect(badge, height / 2, height / 2)
        painter.setPen(QColor(255, 255, 255))
        painter.drawText(badge, Qt.AlignmentFlag.AlignCenter, text)

    @staticmethod
    def heart_rect(area: QRect) -> QRectF:
        """Where the favourite heart sits: the bottom-left corner of the cell's image area."""
        side = max(12.0, min(22.0, area.width() / 8))
        return QRectF(area.left() + 6, area.bottom() - side - 6, side, side)

    def _heart(self, painter: QPainter, area: QRect) -> None:
        box = self.heart_rect(area)
        x, y, w, h = box.x(), box.y(), box.width(), box.height()
        path = QPainterPath()
        path.moveTo(x + w / 2, y + h * 0.95)
        path.cubicTo(x - w * 0.1, y + h * 0.55, x + w * 0.05, y - h * 0.05, x + w / 2, y + h * 0.28)
        path.cubicTo(x + w * 0.95, y - h * 0.05, x + w * 1.1, y + h * 0.55, x + w / 2, y + h * 0.95)
        painter.setPen(QPen(QColor(255, 255, 255, 230), 1.5))  # readable on any photo
        painter.setBrush(QColor(230, 40, 70))
        painter.drawPath(path)
