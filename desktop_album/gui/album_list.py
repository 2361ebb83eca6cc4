"""The sidebar's albums: Favourites, then each album with its count; photos dropped on them.

It shows :class:`~desktop_album.core.albums.Album` values read on a worker and only asks
(signals) for changes; the writer makes them. Photos dragged from the grid carry their ids in
:data:`PHOTO_IDS_MIME`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import QCoreApplication, QMimeData, QPoint, Qt, Signal
from PySide6.QtGui import QDragEnterEvent, QDragMoveEvent, QDropEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFileDialog,
    QInputDialog,
    QListWidget,
    QListWidgetItem,
    QMenu,
    QMessageBox,
    QWidget,
)

from desktop_album.core.albums import Album
from desktop_album.gui.photo_model import PHOTO_IDS_MIME, photo_ids_from

FAVOURITES = -1  # the id the Favourites entry stands under

_ID_ROLE = Qt.ItemDataRole.UserRole + 1


class AlbumList(QListWidget):
    """Favourites and the albums, as a filter for the grid and a target for dropped photos.

    Signals:
        favouritesSelected(): show the favourites.
        albumSelected(int): show this album.
        createRequested(str): make an album with this name.
        renameRequested(int, str): rename the album.
        deleteRequested(int): forget the album (its photos stay); the user confirmed.
        exportRequested(int, str): copy the album's files into this folder.
        photosDropped(list, int): add these photo ids to the album (FAVOURITES: favourite them).
    """

    favouritesSelected = Signal()
    albumSelected = Signal(int)
    createRequested = Signal(str)
    renameRequested = Signal(int, str)
    deleteRequested = Signal(int)
    exportRequested = Signal(int, str)
    photosDropped = Signal(list, int)

    def __init__(
        self,
        parent: QWidget | None = None,
        ask_name: Callable[[QWidget, str, str], str | None] | None = None,
        confirm: Callable[[QWidget, str], bool] | None = None,
        ask_folder: Callable[[QWidget, str], str | None] | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("albumList")
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setAcceptDrops(True)
        self.viewport().setAcceptDrops(True)
        self.setDropIndicatorShown(True)
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.customContextMenuRequested.connect(self._menu)
        self.currentItemChanged.connect(self._current_changed)
        self._ask_name = ask_name or _ask_name
        self._confirm = confirm or _confirm
        self._ask_folder = ask_folder or _ask_folder
        self._albums: list[Album] = []
        self.set_albums([], 0)

    def set_albums(self, albums: Sequence[Album], favourites: int) -> None:
        """Show these albums (and how many favourites), keeping the current entry."""
        current = self.current_id()
        self._albums = list(albums)
        self.blockSignals(True)
        self.clear()
        self._add(self.tr("Favourites"), favourites, FAVOURITES)
        for album in albums:
            self._add(album.name, album.count, album.id)
        if current is not None:
            self.select(current)
        self.blockSignals(False)

    def _add(self, name: str, count: int, album_id: int) -> None:
        item = QListWidgetItem(f"{name}  ({count})", self)
        item.setData(_ID_ROLE, album_id)
        item.setToolTip(self.tr("Drop photos here to add them"))

    def item_for(self, album_id: int) -> QListWidgetItem | None:
        for row in range(self.count()):
            item = self.item(row)
            if item is not None and item.data(_ID_ROLE) == album_id:
                return item
        return None

    def current_id(self) -> int | None:
        item = self.currentItem()
        return int(item.data(_ID_ROLE)) if item is not None else None

    def select(self, album_id: int) -> None:
        item = self.item_for(album_id)
        if item is not None:
            self.setCurrentItem(item)

    def _current_changed(self, current: QListWidgetItem | None, _previous: object) -> None:
        if current is None:
            return
        album_id = int(current.data(_ID_ROLE))
        if album_id == FAVOURITES:
            self.favouritesSelected.emit()
        else:
            self.albumSelected.emit(album_id)

    # -- the menu -------------------------------------------------------------------------------

    def menu_for(self, album_id: int | None) -> QMenu:
        """The right-click menu: on an album rename, export, delete; anywhere "New album…"."""
        menu = QMenu(self)
        new = menu.addAction(self.tr("New album…"), self.create_album)
        new.setObjectName("newAlbum")
        if album_id is not None and album_id != FAVOURITES:
            menu.addSeparator()
            for name, text, slot in (
                ("rename", self.tr("Rename…"), lambda: self.rename_album(album_id)),
                ("export", self.tr("Export album…"), lambda: self.export_album(album_id)),
                ("delete", self.tr("Delete album…"), lambda: self.delete_album(album_id)),
            ):
                menu.addAction(text, slot).setObjectName(name)
        return menu

    def _menu(self, pos: QPoint) -> None:
        item = self.itemAt(pos)
        album_id = int(item.data(_ID_ROLE)) if item is not None else None
        self.menu_for(album_id).exec(self.viewport().mapToGlobal(pos))

    def _name(self, album_id: int) -> str:
        return next((a.name for a in self._albums if a.id == album_id), "")

    def create_album(self) -> None:
        name = self._ask_name(self, self.tr("New album"), "")
        if name:
            self.createRequested.emit(name)

    def rename_album(self, album_id: int) -> None:
        old = self._name(album_id)
        name = self._ask_name(self, self.tr("Rename album"), old)
        if name and name != old:
            self.renameRequested.emit(album_id, name)

    def delete_album(self, album_id: int) -> None:
        text = self.tr("Delete the album {name}? Its photos stay where they are.").format(
            name=self._name(album_id)
        )
        if self._confirm(self, text):
            self.deleteRequested.emit(album_id)

    def export_album(self, album_id: int) -> None:
        title = self.tr("Export {name} to").format(name=self._name(album_id))
        folder = self._ask_folder(self, title)
        if folder:
            self.exportRequested.emit(album_id, folder)

    # -- drops ----------------------------------------------------------------------------------

    def _target(self, pos: QPoint, mime: QMimeData) -> int | None:
        item = self.itemAt(pos)
        if item is None or not photo_ids_from(mime):
            return None
        return int(item.data(_ID_ROLE))

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        """Override QListWidget.dragEnterEvent: photos from the grid only."""
        if event.mimeData().hasFormat(PHOTO_IDS_MIME):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dragMoveEvent(self, event: QDragMoveEvent) -> None:
        """Override QListWidget.dragMoveEvent: only over an album or Favourites."""
        if self._target(event.position().toPoint(), event.mimeData()) is not None:
            event.acceptProposedAction()
        else:
            event.ignore()

    def dropEvent(self, event: QDropEvent) -> None:
        """Override QListWidget.dropEvent: ask for the photos to be added."""
        target = self._target(event.position().toPoint(), event.mimeData())
        if target is None:
            event.ignore()
            return
        event.acceptProposedAction()
        self.photosDropped.emit(photo_ids_from(event.mimeData()), target)


def _ask_name(parent: QWidget, title: str, current: str) -> str | None:
    name, ok = QInputDialog.getText(parent, title, title, text=current)
    return name.strip() if ok and name.strip() else None


def _confirm(parent: QWidget, text: str) -> bool:
    answer = QMessageBox.question(
        parent,
        QCoreApplication.translate("AlbumList", "Delete album"),
        text,
        QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
        QMessageBox.StandardButton.Cancel,
    )
    return answer == QMessageBox.StandardButton.Yes


def _ask_folder(parent: QWidget, title: str) -> str | None:
    return QFileDialog.getExistingDirectory(parent, title) or None
