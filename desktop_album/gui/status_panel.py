"""The indexing part of the status bar: what is happening, a bar, pause/resume and cancel."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QProgressBar, QToolButton, QWidget

from desktop_album.core.events import Progress
from desktop_album.gui.records import IndexResult


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
        self._unavailable = False
        self.set_paused(False)
        self.setVisible(False)

    def set_unavailable(self, reason: str) -> None:
        """Indexing cannot run (e.g. a read-only library): say why, offer no buttons."""
        self._unavailable = True
        self.label.setText(self.tr("Indexing is off"))
        self.label.setToolTip(reason)
        self.bar.setVisible(False)
        self.pause_button.setVisible(False)
        self.cancel_button.setVisible(False)
        self.setVisible(True)

    def set_available(self) -> None:
        """Indexing can run again (a new library was started)."""
        self._unavailable = False
        self.label.setToolTip("")
        self.bar.setVisible(True)
        self.pause_button.setVisible(True)
        self.cancel_button.setVisible(True)
        self.setVisible(False)

    def set_busy(self, busy: bool) -> None:
        if self._unavailable:
            return
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

    def update_progress(self, update: Progress) -> None:
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

    def summary(self, result: IndexResult, model: str | None = None) -> str:
        """One sentence about a finished job, for the status bar's message; "" when the job
        changed nothing worth a word (the status bar never reports work that did not happen).
        """
        if result.cancelled:
            return self.tr("Indexing stopped. It continues where it left off next time.")
        if result.scanned_only:
            if not (result.new or result.moved or result.missing):
                return ""
            return self.tr("Folders scanned. Photos will be searchable once a model is installed.")
        embedded = result.indexed + result.reused
        seconds = f"{result.seconds:.1f}"
        if result.new:
            text = self.tr("Indexing finished: {count} new photos in {seconds} s.").format(
                count=result.new, seconds=seconds
            )
        elif embedded:
            text = self.tr("{count} photos prepared for {model} in {seconds} s.").format(
                count=embedded, model=model or self.tr("the model"), seconds=seconds
            )
        elif result.moved or result.missing:
            text = self.tr("Library updated: {moved} moved, {missing} missing.").format(
                moved=result.moved, missing=result.missing
            )
        elif not (result.failed or result.offline_roots):
            return self.tr("Up to date: no new photos.") if result.kind == "add" else ""
        else:
            text = ""
        if result.failed:
            text += (" " if text else "") + self.tr("{count} could not be read.").format(
                count=len(result.failed)
            )
        if result.offline_roots:
            text += (" " if text else "") + self.tr("{count} folders are offline.").format(
                count=len(result.offline_roots)
            )
        return text
