"""The vanish guard's question: many photos disappeared at once; were they deleted?

The library writer (core) holds back marking them missing and says so; this asks the user, once
per root while the question is open, and tells the writer the answer. Photos the user chose to
keep are not asked about again while the window runs.
"""

from __future__ import annotations

from functools import partial

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QAbstractButton, QMessageBox, QWidget

from desktop_album.gui.index_controller import IndexController
from desktop_album.gui.records import HeldBack


class VanishPrompt(QObject):
    """Asks about photos that vanished at once.

    Signals:
        missingAsked(QMessageBox): the question was put up (tests answer it).
    """

    missingAsked = Signal(object)

    def __init__(self, index: IndexController, window: QWidget) -> None:
        super().__init__(window)
        self._window = window
        self._index = index
        self._kept: dict[int, set[int]] = {}  # root id -> photo ids the user chose to keep
        self.prompts: dict[int, QMessageBox] = {}  # root id -> the question on screen
        self._closed = False
        index.missingAsked.connect(self.ask_missing)

    def shutdown(self) -> None:
        self._closed = True
        for box in list(self.prompts.values()):
            box.blockSignals(True)
            box.close()
        self.prompts.clear()

    def ask_missing(self, held: HeldBack) -> QMessageBox | None:
        """Ask whether photos that vanished at once were deleted; returns the open question.

        The box is window-modal but does not block (``open()``): the answer arrives as a click.
        """
        kept = self._kept.get(held.root_id, set())
        if self._closed or held.root_id in self.prompts or set(held.photo_ids) <= kept:
            return None
        box = QMessageBox(self._window)
        box.setObjectName("missingPrompt")
        box.setIcon(QMessageBox.Icon.Question)
        box.setWindowTitle(self.tr("Photos disappeared"))
        question = self.tr(
            "{count} photos in {folder} disappeared at once. Was the drive unplugged?"
        )
        box.setText(question.format(count=len(held.photo_ids), folder=held.path))
        keep = box.addButton(self.tr("Keep them"), QMessageBox.ButtonRole.RejectRole)
        keep.setObjectName("keepPhotos")
        mark = box.addButton(self.tr("Mark them missing"), QMessageBox.ButtonRole.DestructiveRole)
        mark.setObjectName("markMissing")
        box.setDefaultButton(keep)
        box.setEscapeButton(keep)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.buttonClicked.connect(partial(self._answered, held))
        box.finished.connect(lambda _code: self.prompts.pop(held.root_id, None))
        self.prompts[held.root_id] = box
        box.open()
        self.missingAsked.emit(box)
        return box

    def _answered(self, held: HeldBack, button: QAbstractButton) -> None:
        if button.objectName() == "markMissing":
            self._index.confirm_missing(held.root_id)
        else:
            self._kept.setdefault(held.root_id, set()).update(held.photo_ids)
