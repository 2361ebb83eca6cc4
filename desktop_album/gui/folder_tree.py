"""The sidebar's folder tree: each root, its subfolders with photo counts, and its unreadable files.

It shows :class:`~desktop_album.core.folders.RootFolders` built on a worker from stored paths
(no disk walk, so an unplugged drive keeps its tree, marked offline). Under a root with files
that failed to read, an "N unreadable" entry lists each file with its reason and offers Retry:
the tree only asks (a signal); the writer does it.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QPoint, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QMenu,
    QStyle,
    QTreeWidget,
    QTreeWidgetItem,
    QWidget,
)

from desktop_album.core.folders import FolderNode, RootFolders

_KEY_ROLE = Qt.ItemDataRole.UserRole + 1  # ("folder", root id, folder) / ("unreadable", root id)
_IDS_ROLE = Qt.ItemDataRole.UserRole + 2  # photo ids a Retry on this entry asks for

FOLDER = "folder"
UNREADABLE = "unreadable"
FILE = "file"


class FolderTree(QTreeWidget):
    """Roots and their folders with counts; offline roots greyed; unreadable files per root.

    Signals:
        folderSelected(int, str): a root (folder "") or one of its folders ("2024/Jeju", "/"
            separated, relative to the root) became current.
        unreadableSelected(int): the "N unreadable" entry of this root became current.
        retryRequested(list): read these photos again, only these (ids of unreadable files).
        retryAllRequested(int): read every unreadable photo of this root again.
    """

    folderSelected = Signal(int, str)
    unreadableSelected = Signal(int)
    retryRequested = Signal(list)
    retryAllRequested = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("folderTree")
        self.setColumnCount(2)
        self.setHeaderHidden(True)
        self.setUniformRowHeights(True)
        # Several unreadable files can be chosen (Ctrl, Shift) and retried together.
        self.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        header = self.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.customContextMenuRequested.connect(self._menu)
        self.currentItemChanged.connect(self._current_changed)
        self._roots: list[RootFolders] = []

    # -- what it shows --------------------------------------------------------------------------

    def set_roots(self, roots: list[RootFolders]) -> None:
        """Show these roots, keeping which folders were open and which one was current."""
        current = self.current_key()
        expanded = {key for key, item in self._items() if item.isExpanded()}
        self._roots = list(roots)
        style = self.style()
        self.blockSignals(True)
        self.clear()
        selected: QTreeWidgetItem | None = None
        for root in roots:
            name = root.tree.name or Path(root.path).name or root.path
            if not root.online:
                name = self.tr("{folder} (offline)").format(folder=name)
            item = self._folder_item(self.invisibleRootItem(), root.root_id, root.tree, name)
            item.setToolTip(0, root.path)
            if not root.online:
                item.setToolTip(
                    0,
                    root.path
                    + "\n"
                    + self.tr("Offline: the folder cannot be reached (unplugged drive?)."),
                )
                item.setIcon(0, style.standardIcon(QStyle.StandardPixmap.SP_DriveNetIcon))
                self._grey(item)
            if root.unreadable:
                self._unreadable_item(item, root)
        for key, item in self._items():
            item.setExpanded(key in expanded)
            if key == current:
                selected = item
        if selected is not None:
            self.setCurrentItem(selected)
        self.blockSignals(False)

    def _folder_item(
        self, parent: QTreeWidgetItem, root_id: int, node: FolderNode, name: str
    ) -> QTreeWidgetItem:
        item = QTreeWidgetItem(parent, [name, str(node.total)])
        item.setData(0, _KEY_ROLE, (FOLDER, root_id, node.path))
        item.setIcon(0, self.style().standardIcon(QStyle.StandardPixmap.SP_DirIcon))
        item.setTextAlignment(1, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        item.setToolTip(1, self._count(node.total))
        for child in node.children:
            self._folder_item(item, root_id, child, child.name)
        return item

    def _unreadable_item(self, parent: QTreeWidgetItem, root: RootFolders) -> None:
        count = len(root.unreadable)
        item = QTreeWidgetItem(
            parent, [self.tr("{count} unreadable").format(count=count), str(count)]
        )
        item.setData(0, _KEY_ROLE, (UNREADABLE, root.root_id, ""))
        item.setData(0, _IDS_ROLE, [u.photo_id for u in root.unreadable])
        item.setIcon(0, self.style().standardIcon(QStyle.StandardPixmap.SP_MessageBoxWarning))
        item.setToolTip(0, self.tr("Photos that could not be read. Right-click to retry."))
        for entry in root.unreadable:
            name = Path(entry.path).name
            child = QTreeWidgetItem(item, [f"{name} — {entry.reason}", ""])
            child.setData(0, _KEY_ROLE, (FILE, root.root_id, entry.path))
            child.setData(0, _IDS_ROLE, [entry.photo_id])
            child.setToolTip(0, f"{entry.path}\n{entry.reason}")

    def _grey(self, item: QTreeWidgetItem) -> None:
        for column in (0, 1):
            item.setForeground(column, self.palette().placeholderText())
        for number in range(item.childCount()):
            child = item.child(number)
            if child is not None:
                self._grey(child)

    def _count(self, n: int) -> str:
        return self.tr("1 photo") if n == 1 else self.tr("{count} photos").format(count=n)

    # -- finding entries (tests, the window) ----------------------------------------------------

    def _items(self) -> list[tuple[tuple[str, int, str], QTreeWidgetItem]]:
        found = []
        stack = [self.topLevelItem(i) for i in range(self.topLevelItemCount())]
        while stack:
            item = stack.pop()
            if item is None:
                continue
            found.append((tuple(item.data(0, _KEY_ROLE)), item))
            stack.extend(item.child(i) for i in range(item.childCount()))
        return found

    def item_for(self, kind: str, root_id: int, path: str = "") -> QTreeWidgetItem | None:
        """The entry of a folder (``FOLDER``, root, "a/b"), a root's unreadable list
        (``UNREADABLE``, root) or an unreadable file (``FILE``, root, its full path)."""
        return dict(self._items()).get((kind, root_id, path))

    def current_key(self) -> tuple[str, int, str] | None:
        item = self.currentItem()
        return tuple(item.data(0, _KEY_ROLE)) if item is not None else None

    def select_folder(self, root_id: int, folder: str = "") -> None:
        item = self.item_for(FOLDER, root_id, folder)
        if item is not None:
            self.setCurrentItem(item)

    # -- what it asks for -----------------------------------------------------------------------

    def _current_changed(self, current: QTreeWidgetItem | None, _previous: object) -> None:
        if current is None:
            return
        kind, root_id, path = current.data(0, _KEY_ROLE)
        if kind == FOLDER:
            self.folderSelected.emit(int(root_id), str(path))
        elif kind == UNREADABLE:
            self.unreadableSelected.emit(int(root_id))

    def retry(self, item: QTreeWidgetItem) -> None:
        """Retry an entry: a root's "N unreadable" (all of them), or a file, with the other
        unreadable files chosen with it (only those)."""
        kind, root_id, _path = item.data(0, _KEY_ROLE)
        if kind == UNREADABLE:
            self.retryAllRequested.emit(int(root_id))
            return
        ids = self._chosen_file_ids(item)
        if ids:
            self.retryRequested.emit(ids)

    def _chosen_file_ids(self, item: QTreeWidgetItem) -> list[int]:
        """The file ``item`` and, when it is among the selected entries, the other selected
        unreadable files."""
        chosen = [item]
        if item.isSelected():
            chosen += [i for i in self.selectedItems() if i is not item]
        ids: list[int] = []
        for entry in chosen:
            if entry.data(0, _KEY_ROLE)[0] == FILE:
                ids.extend(int(i) for i in entry.data(0, _IDS_ROLE) or ())
        return list(dict.fromkeys(ids))

    def menu_for(self, item: QTreeWidgetItem) -> QMenu | None:
        """The right-click menu of an entry (None where there is nothing to do)."""
        kind = item.data(0, _KEY_ROLE)[0]
        if kind not in (UNREADABLE, FILE):
            return None
        menu = QMenu(self)
        if kind == UNREADABLE:
            text = self.tr("Retry all")
        else:
            count = len(self._chosen_file_ids(item))
            text = (
                self.tr("Retry")
                if count == 1
                else self.tr("Retry {count} files").format(count=count)
            )
        action = menu.addAction(text, lambda: self.retry(item))
        action.setObjectName("retry")
        return menu

    def _menu(self, pos: QPoint) -> None:
        item = self.itemAt(pos)
        menu = self.menu_for(item) if item is not None else None
        if menu is not None:
            menu.exec(self.viewport().mapToGlobal(pos))
