"""The window's library pieces: folder tree, albums, info panel and the selection's actions.

Reading (the tree, the albums) runs on a worker with its own read-only Library; every write
(favourites, albums, moves, trash, retry) runs on the one library writer through
``IndexController.run_action``. A write's outcome is emitted from the writer's thread as a Qt
signal, which Qt queues to the GUI thread, so failures show in the window, never only in a log.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtCore import QModelIndex, QObject, QPoint, Qt, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QAbstractItemView, QLabel, QMenu, QSplitter, QVBoxLayout, QWidget

from desktop_album.core import albums, errors, file_actions, folders, retry
from desktop_album.core.library import Library
from desktop_album.gui.album_list import FAVOURITES as FAVOURITES_ENTRY
from desktop_album.gui.album_list import AlbumList
from desktop_album.gui.error_words import failure_text
from desktop_album.gui.folder_tree import FolderTree
from desktop_album.gui.info_panel import InfoPanel, info_from_row
from desktop_album.gui.photo_actions import SelectionActions
from desktop_album.gui.search_controller import ALBUM, FAVOURITES, FOLDER, SIMILAR_PHOTOS

if TYPE_CHECKING:
    from desktop_album.gui.main_window import MainWindow

# What the grid shows, beyond the window's own kinds (to refresh it after a write).
FOLDER_VIEW, ALBUM_VIEW, FAVOURITES_VIEW, SIMILAR_MANY = FOLDER, ALBUM, FAVOURITES, SIMILAR_PHOTOS


@dataclass(frozen=True)
class SidebarData:
    roots: list[folders.RootFolders]
    albums: list[albums.Album]
    favourites: int


def read_sidebar(path: object) -> SidebarData:
    """The folder tree and the albums, read with a read-only connection (on a worker)."""
    library = Library.open_reader(str(path))
    try:
        return SidebarData(
            folders.root_folders(library),
            albums.albums(library),
            len(albums.favourite_ids(library)),
        )
    finally:
        library.close()


class LibraryActions(QObject):
    """Builds the sidebar's folder tree and album list and the info panel, and wires the grid's
    selection actions to the writer.

    Signals:
        sidebarRead(SidebarData): the tree and albums were read again (tests wait on it).
        actionDone(object): a write finished on the writer; carries its result (or None).
        actionFailed(str): a write raised; the text is shown in the window.
        retryReset(list): chosen unreadable photos are pending again; index these roots.
    """

    sidebarRead = Signal(object)
    actionDone = Signal(object)
    actionFailed = Signal(str)
    retryReset = Signal(list)

    def __init__(self, window: MainWindow, actions: SelectionActions | None = None) -> None:
        super().__init__(window)
        self.window = window
        self.tree = FolderTree()
        self.album_list = AlbumList()
        self.info = InfoPanel()
        self.info.setObjectName("infoPanel")
        self.actions = actions or SelectionActions(self)
        self.current_album: int | None = None
        self._reading = False
        self._read_again = False
        self._roots: list[folders.RootFolders] = []
        self.data: SidebarData | None = None  # what was read last
        self.actionDone.connect(self._action_done)
        self.actionFailed.connect(window.show_error)
        self.retryReset.connect(lambda root_ids: root_ids and window.index.index(root_ids))
        self._wire()

    # -- layout -----------------------------------------------------------------------------

    def sidebar_column(self, library_sidebar: QWidget) -> QWidget:
        """The left column: the library folders, the folder tree, then the albums."""
        column = QSplitter(Qt.Orientation.Vertical)
        column.setObjectName("sidebarColumn")
        column.addWidget(library_sidebar)
        column.addWidget(self._titled(self.tr("Folders"), self.tree))
        column.addWidget(self._titled(self.tr("Albums"), self.album_list))
        column.setSizes([200, 320, 200])
        return column

    def _titled(self, title: str, widget: QWidget) -> QWidget:
        box = QWidget()
        layout = QVBoxLayout(box)
        layout.setContentsMargins(4, 4, 4, 4)
        label = QLabel(title)
        label.setObjectName("sidebarTitle")
        layout.addWidget(label)
        layout.addWidget(widget, 1)
        return box

    def info_action(self) -> QAction:
        """View ▸ Photo info (I): shows or hides the right-hand panel."""
        action = QAction(self.tr("Photo &info"), self.window)
        action.setObjectName("toggleInfo")
        action.setCheckable(True)
        action.setShortcut(QKeySequence("I"))
        action.setChecked(False)
        action.toggled.connect(self.set_info_visible)
        self.info.setVisible(False)
        return action

    def set_info_visible(self, visible: bool) -> None:
        self.info.setVisible(visible)
        if visible:
            self.show_current()

    # -- wiring -----------------------------------------------------------------------------

    def _wire(self) -> None:
        w = self.window
        self.tree.folderSelected.connect(self.browse_folder)
        self.tree.retryRequested.connect(self.retry)
        self.tree.retryAllRequested.connect(self.retry_all)
        self.album_list.favouritesSelected.connect(self.browse_favourites)
        self.album_list.albumSelected.connect(self.browse_album)
        self.album_list.createRequested.connect(
            lambda name: self.write(lambda lib: albums.create_album(lib, name))
        )
        self.album_list.renameRequested.connect(
            lambda album_id, name: self.write(lambda lib: albums.rename_album(lib, album_id, name))
        )
        self.album_list.deleteRequested.connect(
            lambda album_id: self.write(lambda lib: albums.delete_album(lib, album_id))
        )
        self.album_list.exportRequested.connect(self.export_album)
        self.album_list.photosDropped.connect(self.add_to_album)
        a = self.actions
        a.findSimilarRequested.connect(self.find_similar)
        a.copyRequested.connect(self.copy_to_folder)
        a.moveRequested.connect(
            lambda ids, folder: self.write(
                lambda lib: file_actions.move_to_folder(lib, ids, folder)
            )
        )
        a.trashRequested.connect(
            lambda ids: self.write(lambda lib: file_actions.move_to_trash(lib, ids))
        )
        a.favouriteRequested.connect(
            lambda ids, on: self.write(lambda lib: albums.set_favourite(lib, ids, on))
        )
        a.addToAlbumRequested.connect(self.add_to_album)
        a.newAlbumRequested.connect(
            lambda ids, name: self.write(
                lambda lib: albums.add_to_album(lib, albums.create_album(lib, name).id, ids)
            )
        )
        a.removeFromAlbumRequested.connect(
            lambda ids, album_id: self.write(
                lambda lib: albums.remove_from_album(lib, album_id, ids)
            )
        )
        a.pathsCopied.connect(
            lambda n: w.show_message(self.tr("{count} paths copied.").format(count=n))
        )
        a.install_shortcuts(w.grid, w.grid.selected_photos)
        w.grid.selectionModel().currentChanged.connect(lambda *_: self.show_current())
        w.index.libraryChanged.connect(self.read_sidebar)
        w.sidebar.rootSelected.connect(
            lambda _root: self._forget_selection(self.tree, self.album_list)
        )
        w.index.rootsChanged.connect(lambda _roots: self.read_sidebar())

    # -- reading ----------------------------------------------------------------------------

    def read_sidebar(self) -> None:
        """Read the tree and albums again on a worker (one read at a time, the last wins)."""
        if self._reading:
            self._read_again = True
            return
        self._reading = True
        path = self.window.services.library_file
        self.window.tasks.run_in_background(
            lambda: read_sidebar(path), self._sidebar_read, self._sidebar_failed, self
        )

    def _sidebar_read(self, data: SidebarData) -> None:
        self._reading = False
        self._roots = data.roots
        self.data = data
        self.tree.set_roots(data.roots)
        self.album_list.set_albums(data.albums, data.favourites)
        self.sidebarRead.emit(data)
        if self._read_again:
            self._read_again = False
            self.read_sidebar()

    def _sidebar_failed(self, exc: BaseException) -> None:
        self._reading = False
        self.window.show_error(
            self.tr("The folders and albums cannot be read: {error}").format(error=exc)
        )

    def show_current(self) -> None:
        """The info panel follows the grid's current photo (its file is read on a worker)."""
        if not self.info.isVisible():
            return
        row = self.window.selected_row()
        if row is None:
            self.info.clear()
        elif row.id != self.info.current:
            self.info.load(info_from_row(row), self.window.tasks)

    # -- browsing ---------------------------------------------------------------------------

    def _forget_selection(self, *views: QAbstractItemView) -> None:
        """Another place was chosen: these lists lose their current entry, so that choosing it
        again browses it again (a current entry chosen twice emits nothing)."""
        for view in views:
            view.blockSignals(True)
            view.setCurrentIndex(QModelIndex())
            view.clearSelection()
            view.blockSignals(False)

    def _browse(self, kind: str, payload: object, ask: Callable[[], object]) -> None:
        # Whatever the grid shows is the one entry highlighted in the sidebar.
        sidebar = self.window.sidebar
        if kind == FOLDER_VIEW:
            self._forget_selection(self.album_list)
            sidebar.clear_current()
        elif kind in (ALBUM_VIEW, FAVOURITES_VIEW):
            self._forget_selection(self.tree)
            sidebar.clear_current()
        self.window.search_bar.set_text_silently("")
        self.window.set_query(kind, payload)
        # Another folder or album opens at the top (a refresh of the same kind keeps the scroll).
        self.window.grid.clearSelection()
        self.window.grid.scrollToTop()
        self.current_album = payload if kind == ALBUM_VIEW else None  # type: ignore[assignment]
        ask()

    @property
    def order(self) -> str:
        """The order the options bar asks for (core/ordering.py)."""
        return self.window.search_options.sort_key

    def browse_folder(self, root_id: int, folder: str) -> None:
        s = self.window.search
        self._browse(
            FOLDER_VIEW, (root_id, folder), lambda: s.browse_folder(root_id, folder, self.order)
        )

    def browse_album(self, album_id: int) -> None:
        s = self.window.search
        self._browse(ALBUM_VIEW, album_id, lambda: s.browse_album(album_id, self.order))

    def browse_favourites(self) -> None:
        s = self.window.search
        self._browse(FAVOURITES_VIEW, None, lambda: s.browse_favourites(self.order))

    def find_similar(self, ids: list[int]) -> None:
        s = self.window.search
        self.window._similar_name = self.tr("{count} selected photos").format(count=len(ids))
        self._browse(SIMILAR_MANY, list(ids), lambda: s.similar_to_photos(list(ids)))

    def refresh(self, kind: str, payload: object) -> bool:
        """Ask again for one of these views; False when the kind is not one of them."""
        s = self.window.search
        if kind == FOLDER_VIEW and isinstance(payload, tuple):
            s.browse_folder(*payload, self.order)
        elif kind == ALBUM_VIEW and isinstance(payload, int):
            s.browse_album(payload, self.order)
        elif kind == FAVOURITES_VIEW:
            s.browse_favourites(self.order)
        elif kind == SIMILAR_MANY and isinstance(payload, list):
            s.similar_to_photos(payload)
        else:
            return False
        return True

    # -- the selection's menu ---------------------------------------------------------------

    def menu_for_selection(self, pos: QPoint | None = None) -> QMenu:
        w = self.window
        rows = w.grid.selected_photos()
        if not rows and (row := w.selected_row()) is not None:
            rows = [row]
        return self.actions.build_menu(
            rows,
            w,
            albums=self.album_list._albums,
            current_album=self.current_album,
            can_search=w.model_status.available,
        )

    # -- writes -----------------------------------------------------------------------------

    def write(self, action: Callable[[Library], object]) -> None:
        """Run ``action`` on the writer; its result comes back through :attr:`actionDone`."""

        def job(library: Library) -> object:
            try:
                result = action(library)
            except Exception as exc:  # shown in the window, then the writer reports it too
                kind = getattr(exc, "kind", errors.BUG)
                self.actionFailed.emit(failure_text(kind, str(exc), getattr(exc, "details", {})))
                raise
            self.actionDone.emit(result)  # queued to the GUI thread
            return result

        self.window.index.run_action(job)

    def add_to_album(self, ids: list[int], album_id: int) -> None:
        if album_id == FAVOURITES_ENTRY:  # dropped on Favourites
            self.write(lambda lib: albums.set_favourite(lib, ids, True))
            return
        self.write(lambda lib: albums.add_to_album(lib, album_id, ids))

    def retry_all(self, root_id: int) -> None:
        """ "Retry all" of a root: the writer reads every unreadable photo of it again."""
        self.window.index.retry_failed([root_id])
        self.window.show_message(self.tr("Trying the unreadable photos again…"))

    def retry(self, photo_ids: list[int]) -> None:
        """Retry on chosen files: only these become pending (a write on the writer), then their
        roots are indexed, which reads the pending ones; the other unreadable files stay."""

        def job(library: Library) -> object:
            try:
                root_ids = retry.reset_unreadable(library, photo_ids)
            except Exception as exc:
                kind = getattr(exc, "kind", errors.BUG)
                self.actionFailed.emit(failure_text(kind, str(exc), getattr(exc, "details", {})))
                raise
            self.retryReset.emit(root_ids)  # queued to the GUI thread, which asks to index
            return None

        self.window.index.run_action(job)
        count = len(photo_ids)
        self.window.show_message(
            self.tr("Trying {name} again…").format(name=self._unreadable_name(photo_ids[0]))
            if count == 1
            else self.tr("Trying {count} unreadable photos again…").format(count=count)
        )

    def _unreadable_name(self, photo_id: int) -> str:
        for root in self._roots:
            for entry in root.unreadable:
                if entry.photo_id == photo_id:
                    return entry.path.replace("\\", "/").rsplit("/", 1)[-1]
        return str(photo_id)

    def copy_to_folder(self, ids: list[int], folder: str) -> None:
        """Only reads the library: on a worker with a reader."""
        path = self.window.services.library_file

        def copy() -> file_actions.ActionReport:
            library = Library.open_reader(str(path))
            try:
                return file_actions.copy_to_folder(library, ids, folder)
            finally:
                library.close()

        self.window.tasks.run_in_background(copy, self._action_done, self._failed, self)

    def export_album(self, album_id: int, folder: str) -> None:
        path = self.window.services.library_file

        def export() -> file_actions.ActionReport:
            library = Library.open_reader(str(path))
            try:
                return albums.export_album(library, album_id, folder)
            finally:
                library.close()

        self.window.tasks.run_in_background(export, self._action_done, self._failed, self)

    def _failed(self, exc: BaseException) -> None:
        self.window.show_error(str(exc))

    def _action_done(self, result: object) -> None:
        if isinstance(result, file_actions.ActionReport):
            self.window.show_report(self.report_text(result), bool(result.failed))
        self.read_sidebar()

    def report_text(self, report: file_actions.ActionReport) -> str:
        """E.g. "2 photos moved to the trash; 1 failed: a.jpg (the file is in use)"."""
        done = len(report.done)
        texts = {
            file_actions.COPY: self.tr("{count} photos copied."),
            file_actions.MOVE: self.tr("{count} photos moved."),
            file_actions.TRASH: self.tr("{count} photos moved to the trash."),
            file_actions.EXPORT: self.tr("{count} photos exported."),
        }
        text = texts.get(report.action, self.tr("{count} photos done.")).format(count=done)
        if report.failed:
            names = "; ".join(
                f"{o.path.rsplit('/', 1)[-1]} ({o.message or o.kind})" for o in report.failed[:3]
            )
            text += " " + self.tr("{count} failed: {names}").format(
                count=len(report.failed), names=names
            )
        return text
