"""The indexing part of the status bar: what is happening, a bar, pause/resume and cancel."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QProgressBar, QToolButton, QWidget

from desktop_album.gui.records import IndexResult, IndexUpdate


class IndexStatus(QWidget):
    """Shows the index job's progress; hidden while nothing runs.

    Signals:
        pauseRequested(): the pause button was pressed.
        resumeRequested(): the resume button was pressed.
        cancelRequested(): the cancel button was pressed.
    """

    pauseRequested = Signal()
    resumeRequested = Signal()
    cancelRequested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.label = QLabel()
        self.bar = QProgressBar()
        self.bar.setFixedWidth(180)
        self.bar.setTextVisible(False)
        self.pause_button = QToolButton()
        self.pause_button.setObjectName("pauseIndexing")
        self.pause_button.setAutoRaise(True)
        self.pause_button.clicked.connect(self._toggle)
        self.cancel_button = QToolButton()
        self.cancel_button.setObjectName("cancelIndexing")
        self.cancel_button.setText(self.tr("Cancel"))
        self.cancel_button.setAutoRaise(True)
        self.cancel_button.clicked.connect(self.cancelRequested)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 4, 0)
        layout.addWidget(self.label)
        layout.addWidget(self.bar)
        layout.addWidget(self.pause_button)
        layout.addWidget(self.cancel_button)
        self._paused = False
        self.set_paused(False)
        self.setVisible(False)

    def set_busy(self, busy: bool) -> None:
        self.setVisible(busy)
        if busy:
            self.label.setText(self.tr("Looking for photos…"))
            self.bar.setRange(0, 0)

    def set_paused(self, paused: bool) -> None:
        self._paused = paused
        self.pause_button.setText(self.tr("Resume") if paused else self.tr("Pause"))
        if paused:
            self.label.setText(self.tr("Indexing paused"))

    def _toggle(self) -> None:
        if self._paused:
            self.resumeRequested.emit()
        else:
            self.pauseRequested.emit()

    def update_progress(self, update: IndexUpdate) -> None:
        if update.phase == "scanning":
            self.label.setText(self.tr("Looking for photos…"))
            self.bar.setRange(0, 0)
            return
        self.bar.setRange(0, max(1, update.total))
        self.bar.setValue(update.done)
        if self._paused:
            return
        text = self.tr("Indexing {done} of {total}").format(done=update.done, total=update.total)
        if update.rate > 0:
            text += " · " + self.tr("{rate} photos/s").format(rate=f"{update.rate:.1f}")
        self.label.setText(text)

    def summary(self, result: IndexResult) -> str:
        """One sentence about a finished job, for the status bar's message."""
        if result.cancelled:
            return self.tr("Indexing stopped. It continues where it left off next time.")
        if result.scanned_only:
            return self.tr("Folders scanned. Photos will be searchable once a model is installed.")
        text = self.tr("Indexing finished: {count} new photos in {seconds} s.").format(
            count=result.indexed + result.reused, seconds=f"{result.seconds:.1f}"
        )
        if result.failed:
            text += " " + self.tr("{count} could not be read.").format(count=len(result.failed))
        if result.offline_roots:
            text += " " + self.tr("{count} folders are offline.").format(
                count=len(result.offline_roots)
            )
        return text
