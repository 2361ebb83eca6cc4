"""The favourite heart on a grid cell, and rows marked favourite without a new query."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from PySide6.QtCore import QRect, QSize
from PySide6.QtGui import QColor, QImage, QPainter
from PySide6.QtWidgets import QStyleOptionViewItem

from desktop_album.core.thumbnails import ThumbnailCache
from desktop_album.gui.delegate import PhotoDelegate
from desktop_album.gui.photo_model import ROW_ROLE, PhotoListModel
from desktop_album.gui.records import PhotoRow
from desktop_album.gui.tasks import TaskManager
from desktop_album.gui.thumbnail_loader import ThumbnailLoader

ROW = PhotoRow(1, "/photos/a.jpg", 10, None, None, 10, 10, None, offline=False)


def _paint(delegate: PhotoDelegate, model: PhotoListModel) -> QImage:
    image = QImage(QSize(176, 176), QImage.Format.Format_RGB32)
    image.fill(QColor(255, 255, 255))
    option = QStyleOptionViewItem()
    option.rect = QRect(0, 0, 176, 176)
    painter = QPainter(image)
    delegate.paint(painter, option, model.index(0, 0))
    painter.end()
    return image


def test_heart_is_drawn_only_on_favourites(qtbot, tmp_path: Path) -> None:
    tasks = TaskManager(max_threads=1)
    loader = ThumbnailLoader(ThumbnailCache(tmp_path / "thumbs"), tasks, size=64)
    delegate = PhotoDelegate(loader, cell=176)
    model = PhotoListModel()
    model.set_rows([ROW])
    heart = PhotoDelegate.heart_rect(QRect(0, 0, 176, 176).adjusted(6, 6, -6, -6))
    centre = heart.center().toPoint()
    plain = _paint(delegate, model).pixelColor(centre)
    assert plain.red() < 200 or plain.green() > 150  # no red heart
    with qtbot.waitSignal(model.dataChanged, timeout=5000):
        model.set_favourite([1], True)
    assert model.photo(0).favourite is True
    marked = _paint(delegate, model).pixelColor(centre)
    assert marked.red() > 200 and marked.green() < 80 and marked.blue() < 120
    model.set_favourite([1], False)
    assert model.index(0, 0).data(ROW_ROLE) == replace(ROW, favourite=False)
    qtbot.waitUntil(lambda: not loader.busy, timeout=10_000)
    tasks.shutdown()
