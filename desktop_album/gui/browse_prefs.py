"""How the window browses, as the user left it: the order and the thumbnail size.

The thumbnail-size slider sits in the status bar; Ctrl+wheel on the grid moves it too. Both
choices are settings (``core/settings.py``), saved a moment after the last change, and restored
when the window opens.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QSizePolicy, QSlider, QWidget

from desktop_album.core.settings import THUMBNAIL_MAX, THUMBNAIL_MIN

if TYPE_CHECKING:
    from desktop_album.gui.main_window import MainWindow


class ThumbnailSizeSlider(QWidget):
    """A small slider for the thumbnails' size in pixels.

    Signals:
        sizeChanged(int): the user moved it (not when set with :meth:`set_size`).
    """

    sizeChanged = Signal(int)

    def __init__(self, size: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("thumbnailSize")
        self.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        row = QHBoxLayout(self)
        row.setContentsMargins(8, 0, 8, 0)
        row.setSpacing(6)
        small, large = QLabel("▫"), QLabel("◻")
        for label in (small, large):
            label.setToolTip(self.tr("Thumbnail size"))
        self.slider = QSlider(Qt.Orientation.Horizontal)
        self.slider.setObjectName("thumbnailSlider")
        self.slider.setRange(THUMBNAIL_MIN, THUMBNAIL_MAX)
        self.slider.setSingleStep(8)
        self.slider.setPageStep(32)
        self.slider.setFixedWidth(120)
        self.slider.setValue(size)
        self.slider.setToolTip(self.tr("Thumbnail size (Ctrl+wheel on the photos)"))
        self.slider.setAccessibleName(self.tr("Thumbnail size"))
        self.slider.valueChanged.connect(self.sizeChanged)
        row.addWidget(small)
        row.addWidget(self.slider)
        row.addWidget(large)

    @property
    def size_value(self) -> int:
        return self.slider.value()

    def set_size(self, size: int) -> None:
        self.slider.blockSignals(True)
        self.slider.setValue(size)
        self.slider.blockSignals(False)


class BrowsePreferences(QObject):
    """Restores the order and thumbnail size, follows their changes and saves them."""

    SAVE_DELAY_MS = 400  # a slider drag is many steps: save once after the last one

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        settings = window.services.settings
        window.search_options.set_sort(settings.sort)
        window.grid.set_thumbnail_size(settings.thumbnail_size)
        self.slider = ThumbnailSizeSlider(window.grid.thumbnail_size)
        window.statusBar().addPermanentWidget(self.slider)
        self._save = QTimer(self)
        self._save.setSingleShot(True)
        self._save.setInterval(self.SAVE_DELAY_MS)
        self._save.timeout.connect(window.save_settings)
        self.slider.sizeChanged.connect(self.set_thumbnail_size)
        window.grid.thumbnailSizeChanged.connect(self.set_thumbnail_size)
        window.search_options.sortChanged.connect(self._sort_changed)

    def set_thumbnail_size(self, size: int) -> None:
        grid = self.window.grid
        grid.set_thumbnail_size(size)
        self.slider.set_size(grid.thumbnail_size)
        self.window.services.settings.thumbnail_size = grid.thumbnail_size
        self._save.start()

    def _sort_changed(self, key: str) -> None:
        self.window.services.settings.sort = key
        self._save.start()

    def flush(self) -> None:
        """Save now what is waiting to be saved (the window closes)."""
        if self._save.isActive():
            self._save.stop()
            self.window.save_settings()
