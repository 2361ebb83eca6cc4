"""The installed model packs, in the Models dialog: which is active, switch to one, remove one.

The pack folders are read on a worker (loading a pack's config reads files); switching is the
window's (``IndexController.set_model`` loads the model on the writer)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop_album.core.pack_store import PackStore
from desktop_album.core.packs import load_pack
from desktop_album.gui.tasks import TaskManager

_NAME_ROLE = Qt.ItemDataRole.UserRole


@dataclass(frozen=True)
class PackEntry:
    name: str
    path: str
    model_id: str | None  # the image space; None for a broken pack
    problem: str | None


def read_packs(models_dir: Path) -> list[PackEntry]:
    found = []
    for pack in PackStore(models_dir).installed():
        model_id = None
        if pack.problem is None:
            try:
                model_id = load_pack(pack.path).model_id
            except Exception:  # a pack broken since it was listed: shown without a space
                model_id = None
        found.append(PackEntry(pack.name, str(pack.path), model_id, pack.problem))
    return found


class InstalledPacks(QWidget):
    """Signals: useRequested(str) (a pack's name), removeRequested(str), packsRead(list),
    removeFailed(str) (why a pack could not be removed, in words for the user)."""

    useRequested = Signal(str)
    removeRequested = Signal(str)
    packsRead = Signal(list)
    removeFailed = Signal(str)

    def __init__(self, models_dir: Path, active: str | None, tasks: TaskManager) -> None:
        super().__init__()
        self.setObjectName("installedPacks")
        self._models_dir = models_dir
        self._tasks = tasks
        self.active = active
        self.packs: list[PackEntry] = []
        self.list = QListWidget()
        self.list.setObjectName("installedList")
        self.list.setMaximumHeight(120)
        self.list.currentItemChanged.connect(self._update_buttons)
        self.use_button = QPushButton(self.tr("Use this model"))
        self.use_button.setObjectName("usePack")
        self.use_button.clicked.connect(self._use)
        self.remove_button = QPushButton(self.tr("Remove"))
        self.remove_button.setObjectName("removePack")
        self.remove_button.clicked.connect(self._remove)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.use_button)
        buttons.addWidget(self.remove_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(QLabel(self.tr("Installed models")))
        layout.addWidget(self.list)
        layout.addLayout(buttons)
        self._update_buttons()
        self.reload()

    def reload(self) -> None:
        folder = self._models_dir
        self._tasks.run_in_background(lambda: read_packs(folder), self._show, None, self)

    def is_active(self, entry: PackEntry) -> bool:
        return self.active in (entry.name, entry.path)

    def entry(self, name: str) -> PackEntry | None:
        return next((p for p in self.packs if p.name == name), None)

    def active_entry(self) -> PackEntry | None:
        return next((p for p in self.packs if self.is_active(p)), None)

    def _show(self, packs: list[PackEntry]) -> None:
        # A reload (the model switched, a pack removed) keeps the pack the user had chosen.
        chosen = self.selected()
        self.packs = packs
        self.list.clear()
        for pack in packs:
            text = pack.name
            if self.is_active(pack):
                text = self.tr("{name} (in use)").format(name=pack.name)
            elif pack.problem:
                text = self.tr("{name} (broken: {problem})").format(
                    name=pack.name, problem=pack.problem
                )
            item = QListWidgetItem(text)
            item.setData(_NAME_ROLE, pack.name)
            self.list.addItem(item)
            if chosen is not None and pack.name == chosen.name:
                self.list.setCurrentItem(item)
        self._update_buttons()
        self.packsRead.emit(packs)

    def _failed(self, exc: BaseException) -> None:
        text = self.tr("The model could not be removed: {error}").format(error=exc)
        self.removeFailed.emit(text)
        self.reload()

    def selected(self) -> PackEntry | None:
        item = self.list.currentItem()
        return self.entry(str(item.data(_NAME_ROLE))) if item is not None else None

    def _update_buttons(self, *_args: object) -> None:
        pack = self.selected()
        usable = pack is not None and pack.problem is None and not self.is_active(pack)
        self.use_button.setEnabled(usable)
        self.remove_button.setEnabled(pack is not None and not self.is_active(pack))

    def _use(self) -> None:
        pack = self.selected()
        if pack is not None:
            self.useRequested.emit(pack.name)

    def _remove(self) -> None:
        pack = self.selected()
        if pack is None or self.is_active(pack):
            return
        folder, name = self._models_dir, pack.name
        self._tasks.run_in_background(
            lambda: PackStore(folder).remove(name), lambda _: self.reload(), self._failed, self
        )
        self.removeRequested.emit(name)
