"""The sidebar: the library's folders with their photo counts and state.

A handful of rows, so a ``QTreeWidget`` is right here (the photo grid is the one place where a
model and a delegate are needed).
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QModelIndex, QPoint, Qt, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QHeaderView,
    QLabel,
    QMenu,
    QPushButton,
    QStyle,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop_album.gui.records import RootState

_ALL = -1
_ROOT_ID_ROLE = Qt.ItemDataRole.UserRole + 1


class LibrarySidebar(QWidget):
    """Lists "All photos" and every library folder.

    Signals:
        rootSelected(object): a root id, or None for all photos.
        addFolderRequested(): the "Add folder…" button was pressed.
        removeRootRequested(int): "Remove from library" was chosen on a folder.
        rescanRequested(int): "Scan again" was chosen on a folder.
    """

    rootSelected = Signal(object)
    addFolderRequested = Signal()
    removeRootRequested = Signal(int)
    rescanRequested = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._title = QLabel(self.tr("Library"))
        font = QFont(self._title.font())
        font.setBold(True)
        self._title.setFont(font)
        self._list = QTreeWidget()
        self._list.setObjectName("libraryFolders")
        self._list.setColumnCount(2)
        self._list.setHeaderHidden(True)
        self._list.setRootIsDecorated(False)
        self._list.setUniformRowHeights(True)
        self._list.setIndentation(0)
        header = self._list.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        self._list.setStyleSheet("QTreeView::item { padding: 5px 2px; }")
        self._list.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self._list.customContextMenuRequested.connect(self._menu)
        self._list.currentItemChanged.connect(self._current_changed)
        self._list.setAcceptDrops(False)
        self._add = QPushButton(self.tr("Add folder…"))
        self._add.clicked.connect(self.addFolderRequested)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 4, 8)
        layout.addWidget(self._title)
        layout.addWidget(self._list, 1)
        layout.addWidget(self._add)
        self._roots: list[RootState] = []
        self._indexing = False
        self._cleared = False  # a folder of the tree or an album is shown: nothing here is
        self.set_roots([])

    @property
    def roots(self) -> list[RootState]:
        return list(self._roots)

    def set_indexing(self, indexing: bool) -> None:
        if indexing != self._indexing:
            self._indexing = indexing
            self.set_roots(self._roots)

    def set_roots(self, roots: list[RootState]) -> None:
        """Show these folders, keeping the current selection when it still exists."""
        current = self.selected_root()
        self._roots = list(roots)
        style = self.style()
        self._list.blockSignals(True)
        self._list.clear()
        total = sum(r.photos for r in roots)
        everything = self._item(self.tr("All photos"), total, _ALL)
        everything.setIcon(0, style.standardIcon(QStyle.StandardPixmap.SP_DirHomeIcon))
        selected = everything
        for root in roots:
            name = Path(root.path).name or root.path
            if not root.online:
                name = self.tr("{folder} (offline)").format(folder=name)
            item = self._item(name, root.photos, root.id)
            tip = root.path
            if not root.online:
                tip += "\n" + self.tr("Offline: the folder cannot be reached (unplugged drive?).")
                tip += "\n" + self.tr("Its photos stay in the library and can still be searched.")
                item.setIcon(0, style.standardIcon(QStyle.StandardPixmap.SP_DriveNetIcon))
                for column in (0, 1):
                    item.setForeground(column, self.palette().placeholderText())
            else:
                item.setIcon(0, style.standardIcon(QStyle.StandardPixmap.SP_DirIcon))
                if self._indexing:
                    tip += "\n" + self.tr("Indexing…")
            item.setToolTip(0, tip)
            if root.id == current:
                selected = item
        if not self._cleared:
            self._list.setCurrentItem(selected)
        self._list.blockSignals(False)

    def clear_current(self) -> None:
        """Highlight nothing (something else of the sidebar is shown), without a signal; a
        click on an entry then selects it again."""
        self._cleared = True
        self._list.blockSignals(True)
        self._list.setCurrentIndex(QModelIndex())
        self._list.clearSelection()
        self._list.blockSignals(False)

    def highlighted(self) -> list[str]:
        """The texts of the highlighted entries (what a user sees as chosen)."""
        return [item.text(0) for item in self._list.selectedItems()]

    def item_text(self, root_id: int) -> str | None:
        """The text shown for a folder (None when it is not listed)."""
        for row in range(self._list.topLevelItemCount()):
            item = self._list.topLevelItem(row)
            if item is not None and item.data(0, _ROOT_ID_ROLE) == root_id:
                return item.text(0)
        return None

    def _item(self, name: str, count: int, root_id: int) -> QTreeWidgetItem:
        item = QTreeWidgetItem(self._list, [name, str(count)])
        item.setData(0, _ROOT_ID_ROLE, root_id)
        item.setTextAlignment(1, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        item.setToolTip(1, self._count(count))
        return item

    def _count(self, n: int) -> str:
        return self.tr("1 photo") if n == 1 else self.tr("{count} photos").format(count=n)

    def selected_root(self) -> int | None:
        item = self._list.currentItem()
        if item is None:
            return None
        value = item.data(0, _ROOT_ID_ROLE)
        return None if value in (None, _ALL) else int(value)

    def select_root_id(self, root_id: int) -> None:
        """Select a root (as a click does: rootSelected follows)."""
        for row in range(self._list.topLevelItemCount()):
            item = self._list.topLevelItem(row)
            if item is not None and item.data(0, _ROOT_ID_ROLE) == root_id:
                self._list.setCurrentItem(item)
                return

    def select_all(self) -> None:
        first = self._list.topLevelItem(0)
        if first is not None:
            self._list.setCurrentItem(first)

    def _current_changed(self, current: QTreeWidgetItem | None, _previous: object) -> None:
        if current is not None:
            self._cleared = False
            self.rootSelected.emit(self.selected_root())

    def _menu(self, pos: QPoint) -> None:
        item = self._list.itemAt(pos)
        if item is None or item.data(0, _ROOT_ID_ROLE) in (None, _ALL):
            return
        root_id = int(item.data(0, _ROOT_ID_ROLE))
        menu = QMenu(self)
        menu.addAction(self.tr("Scan again"), lambda: self.rescanRequested.emit(root_id))
        menu.addAction(
            self.tr("Remove from library"), lambda: self.removeRootRequested.emit(root_id)
        )
        menu.exec(self._list.viewport().mapToGlobal(pos))
