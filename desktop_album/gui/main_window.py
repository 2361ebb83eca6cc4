"""The main window: library folders, the search bar, the photo grid, indexing in the status bar.

While it runs, the library follows the disk (the core's library writer, through
``index_controller.py``): changes made outside show up, unplugged folders are shown offline, and
many photos vanishing at once are asked about (``vanish_prompt.py``). The current view refreshes
once when the library changed, not on every signal.

The window only wires things together. Reading and writing the library, running the model,
decoding photos and touching the file system all happen on the workers it was given; the window
reacts to their signals.
"""

from __future__ import annotations

import time
from pathlib import Path

from PySide6.QtCore import QByteArray, QModelIndex, QPoint, QSettings, Qt, QTimer, Signal
from PySide6.QtGui import (
    QAction,
    QCloseEvent,
    QDragEnterEvent,
    QDropEvent,
    QGuiApplication,
    QKeySequence,
    QShortcut,
)
from PySide6.QtWidgets import (
    QFileDialog,
    QLabel,
    QMainWindow,
    QMenu,
    QMessageBox,
    QSplitter,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from desktop_album.core import errors
from desktop_album.core.library_files import set_aside
from desktop_album.gui import photo_actions
from desktop_album.gui.browse_prefs import BrowsePreferences
from desktop_album.gui.delegate import PhotoDelegate
from desktop_album.gui.dialogs import WindowDialogs
from desktop_album.gui.duplicates_view import install_duplicates
from desktop_album.gui.error_words import failure_text
from desktop_album.gui.grid import PhotoGrid
from desktop_album.gui.index_controller import IndexController
from desktop_album.gui.library_actions import LibraryActions
from desktop_album.gui.photo_model import ID_ROLE, PhotoListModel
from desktop_album.gui.records import (
    Chip,
    IndexResult,
    ModelStatus,
    PhotoRow,
    QueryRequest,
    ResultSet,
    RootState,
)
from desktop_album.gui.search_bar import SearchBar, remember, remove_chip
from desktop_album.gui.search_controller import (
    ALBUM,
    BROWSE,
    FAVOURITES,
    FOLDER,
    QUERY,
    SIMILAR_FILE,
    SIMILAR_PHOTO,
    TEXT,
    SearchController,
)
from desktop_album.gui.search_options import SearchOptionsBar
from desktop_album.gui.search_scope import SearchScope
from desktop_album.gui.services import Services
from desktop_album.gui.sidebar import LibrarySidebar
from desktop_album.gui.status_panel import IndexStatus
from desktop_album.gui.tasks import TaskManager
from desktop_album.gui.thumbnail_loader import ThumbnailLoader
from desktop_album.gui.vanish_prompt import VanishPrompt

MESSAGE_MS = 10_000


class MainWindow(QMainWindow):
    """Desktop Album's window. Build it with :func:`build_window`.

    Signals:
        resultsShown(ResultSet): the grid now shows this result.
        messageShown(str): a message was put in the status bar.
        libraryQuestion(QMessageBox): the damaged-library question was put up (tests answer).
        closed(float): the window closed; seconds it took to stop the workers.
    """

    resultsShown = Signal(object)
    messageShown = Signal(str)
    libraryQuestion = Signal(object)
    closed = Signal(float)

    def __init__(
        self,
        services: Services,
        index: IndexController,
        search: SearchController,
        tasks: TaskManager,
        thumbnail_tasks: TaskManager,
    ) -> None:
        super().__init__()
        self.services = services
        self.index = index
        self.search = search
        self.tasks = tasks
        self.thumbnail_tasks = thumbnail_tasks
        self._similar_name: str | None = None
        self.model_status = ModelStatus(False)
        self.library_problem: str | None = None  # an error kind when the library is unusable
        self._model_known = False  # until the search worker has said
        self.setObjectName("mainWindow")
        self.setWindowTitle(self.tr("Desktop Album"))
        self.setAcceptDrops(True)
        tuning = services.tuning
        self.loader = ThumbnailLoader(
            services.thumbnails,
            thumbnail_tasks,
            size=tuning.thumbnail_size,
            ram_bytes=tuning.ram_cache_mb << 20,
            max_in_flight=tuning.thumbnail_threads,
            parent=self,
        )
        self.photos = PhotoListModel(self)
        self.loader.ready.connect(self._thumbnail_ready)
        self.photos.rowsWanted.connect(self.search.fetch_rows)
        self.search.rowsFetched.connect(lambda page: self.photos.add_rows(page.rows))
        self.photos.rowsArrived.connect(self._repaint_rows)
        self.dialogs = WindowDialogs(self)
        self.live = VanishPrompt(index, self)
        self._refresh = QTimer(self)  # library changes, coalesced into one refresh of the view
        self._refresh.setSingleShot(True)
        self._refresh.setInterval(tuning.refresh_coalesce_ms)
        self._refresh.timeout.connect(self.refresh_view)
        self._query: tuple[str, object] = (BROWSE, None)  # what the grid shows, to refresh it
        self._build_widgets(tuning.search_debounce_ms)
        self.library = LibraryActions(self)  # folder tree, albums, info panel, selection actions
        self.browse_prefs = BrowsePreferences(self)  # the order and thumbnail size, remembered
        # The sidebar moves into the left column (the splitter then holds the grid only).
        column = self.library.sidebar_column(self.sidebar)
        self.splitter.insertWidget(0, column)
        self.scope = SearchScope(self)  # search inside an album, favourites or a thing; Things
        self.scope.add_to(column)
        self.splitter.addWidget(self.library.info)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([250, 950, 280])
        self._build_menus()
        self._connect_workers()
        self.search_bar.set_recent(services.settings.recent_queries)
        self._restore_geometry()

    # -- construction -----------------------------------------------------------------------

    def _build_widgets(self, debounce_ms: int) -> None:
        self.sidebar = LibrarySidebar()
        self.sidebar.addFolderRequested.connect(self.choose_folder)
        self.sidebar.rootSelected.connect(self._root_selected)
        self.sidebar.removeRootRequested.connect(self.confirm_remove_root)
        self.sidebar.rescanRequested.connect(lambda root_id: self.index.index([root_id]))
        self.search_bar = SearchBar(debounce_ms)
        self.search_bar.queryChanged.connect(self.run_query)
        self.search_bar.submitted.connect(self._remember_query)
        self.search_options = SearchOptionsBar()
        self.search_options.chipRemoved.connect(self._chip_removed)
        self.search_options.sortChanged.connect(self._sort_changed)
        self.search_options.strictnessChanged.connect(lambda _key: self._rerun())
        self.search_options.showMoreRequested.connect(self._show_more)
        self.header = QLabel()
        self.header.setObjectName("resultHeader")
        self.delegate = PhotoDelegate(self.loader)
        self.grid = PhotoGrid(self.delegate)
        self.grid.setModel(self.photos)
        self.grid.activated.connect(self.open_viewer)
        self.grid.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.grid.customContextMenuRequested.connect(self._grid_menu)
        self.empty = QLabel()
        self.empty.setObjectName("emptyState")
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.setWordWrap(True)
        self.empty.setMargin(40)
        self.pages = QStackedWidget()
        self.pages.addWidget(self.grid)
        self.pages.addWidget(self.empty)
        right = QWidget()
        column = QVBoxLayout(right)
        column.setContentsMargins(4, 8, 8, 0)
        column.addWidget(self.search_bar)
        column.addWidget(self.search_options)
        column.addWidget(self.header)
        column.addWidget(self.pages, 1)
        self.splitter = QSplitter()
        self.splitter.addWidget(self.sidebar)
        self.splitter.addWidget(right)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([230, 970])
        self.setCentralWidget(self.splitter)
        self.index_status = IndexStatus()
        self.index_status.pauseRequested.connect(self.index.pause)
        self.index_status.resumeRequested.connect(self.index.resume)
        self.index_status.cancelRequested.connect(self.index.cancel)
        self.statusBar().addPermanentWidget(self.index_status)
        QShortcut(QKeySequence(QKeySequence.StandardKey.Find), self, self.focus_search)
        self._update_empty_state()
        self._update_placeholder()

    def _build_menus(self) -> None:
        file_menu = self.menuBar().addMenu(self.tr("&File"))
        self.add_folder_action = self._action(self.tr("&Add folder…"), self.choose_folder)
        self.add_folder_action.setShortcut(QKeySequence.StandardKey.Open)
        file_menu.addAction(self.add_folder_action)
        file_menu.addAction(self._action(self.tr("&Models…"), lambda: self.dialogs.show_models()))
        settings = self._action(self.tr("&Settings…"), self.dialogs.show_settings)
        settings.setMenuRole(QAction.MenuRole.PreferencesRole)
        file_menu.addAction(settings)
        file_menu.addSeparator()
        quit_action = self._action(self.tr("&Quit"), self.close)
        quit_action.setShortcut(QKeySequence.StandardKey.Quit)
        quit_action.setMenuRole(QAction.MenuRole.QuitRole)
        file_menu.addAction(quit_action)
        view_menu = self.menuBar().addMenu(self.tr("&View"))
        self.info_action = self.library.info_action()
        view_menu.addAction(self.info_action)
        self.addAction(self.info_action)
        self.duplicates = install_duplicates(self)  # View ▸ Duplicates: a page beside the grid
        view_menu.addAction(self.duplicates.action)
        help_menu = self.menuBar().addMenu(self.tr("&Help"))
        about = self._action(self.tr("&About Desktop Album"), self.dialogs.show_about)
        about.setMenuRole(QAction.MenuRole.AboutRole)
        help_menu.addAction(about)

    def _action(self, text: str, slot: object) -> QAction:
        action = QAction(text, self)
        action.triggered.connect(slot)
        return action

    def _connect_workers(self) -> None:
        self.index.libraryReady.connect(self.search.start)
        self.index.rootsChanged.connect(self._roots_changed)
        self.index.progress.connect(self.index_status.update_progress)
        self.index.busyChanged.connect(self._busy_changed)
        self.index.pausedChanged.connect(self.index_status.set_paused)
        self.index.finished.connect(self._index_finished)
        self.index.error.connect(self.show_error)
        self.index.libraryFailed.connect(self._library_failed)
        self.index.libraryChanged.connect(self._refresh.start)
        self.index.modelReady.connect(self.search.use_model)
        self.index.modelChanged.connect(self._model_changed)
        self.index.message.connect(self.show_message)
        self.search.modelChanged.connect(self._model_changed)
        self.search.results.connect(self.show_results)
        self.search.rootsRead.connect(self._roots_read)
        self.search.failed.connect(self.show_message)

    def start(self) -> None:
        """Start the workers and show the library."""
        self.index.start()
        self.run_query("")
        self.library.read_sidebar()

    # -- library ----------------------------------------------------------------------------

    def choose_folder(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, self.tr("Add a folder of photos"))
        if folder:
            self.add_folders([folder])

    def add_folders(self, folders: list[str]) -> None:
        self.index.add_roots(folders)
        names = ", ".join(Path(f).name or f for f in folders)
        self.show_message(self.tr("Adding {folders} to the library…").format(folders=names))

    def _roots_changed(self, roots: list[RootState]) -> None:
        counts = [(r.id, r.photos, r.online) for r in self.sidebar.roots]
        self.sidebar.set_roots(roots)
        if counts != [(r.id, r.photos, r.online) for r in roots]:
            self._refresh.start()  # photos appeared or went: the view follows, once
        self._update_empty_state()

    def _roots_read(self, roots: list[RootState]) -> None:
        if self.library_problem is not None:  # no writer: the reader's list is all there is
            self._roots_changed(roots)

    def refresh_view(self) -> None:
        """Ask again for what the grid shows (browse or the current search): the library
        changed. The answer keeps the scroll position and the current photo."""
        kind, payload = self._query
        if self.library.refresh(kind, payload):
            pass
        elif kind == QUERY and isinstance(payload, QueryRequest):
            self.search.ask(payload)
        elif kind == BROWSE:
            self.search.browse(self.sidebar.selected_root())
        elif kind == TEXT:
            self.search.search_text(str(payload))
        elif kind == SIMILAR_PHOTO and isinstance(payload, int):
            self.search.similar_to_photo(payload)
        elif kind == SIMILAR_FILE:
            self.search.similar_to_file(str(payload))

    def confirm_remove_root(self, root_id: int) -> None:
        root = next((r for r in self.sidebar.roots if r.id == root_id), None)
        if root is None:
            return
        answer = QMessageBox.question(
            self,
            self.tr("Remove from library"),
            self.tr(
                "Remove {folder} from the library? The photos stay on disk; only what Desktop "
                "Album learned about them is forgotten."
            ).format(folder=root.path),
        )
        if answer == QMessageBox.StandardButton.Yes:
            self.index.remove_root(root_id)

    def set_query(self, kind: str, payload: object) -> None:
        """What the grid shows now (asked for elsewhere), so that a refresh asks again."""
        self._query = (kind, payload)

    def _root_selected(self, root_id: int | None) -> None:
        """A folder of the sidebar scopes what the grid shows: the timeline or the search."""
        if self._query[0] in (SIMILAR_PHOTO, SIMILAR_FILE):
            self.search_bar.set_text_silently("")
        self.scope.clear()  # a library folder replaces the album or thing
        self._rerun()

    def _busy_changed(self, busy: bool) -> None:
        self.index_status.set_busy(busy)
        self.sidebar.set_indexing(busy)

    def _index_finished(self, result: IndexResult) -> None:
        if not result.live:
            text = self.index_status.summary(result, self.model_status.name)
        elif result.has_changes and not result.cancelled:
            text = self._live_summary(result)
        else:
            text = ""
        if text:
            self.show_message(text)

    def _live_summary(self, result: IndexResult) -> str:
        """What a job that followed the disk changed, e.g. "Library updated: 3 new, 1 moved."."""
        counts = (
            (result.new, self.tr("{count} new")),
            (result.moved, self.tr("{count} moved")),
            (result.missing, self.tr("{count} missing")),
            (len(result.failed), self.tr("{count} unreadable")),
        )
        parts = [text.format(count=count) for count, text in counts if count]
        if not parts and result.indexed:
            parts.append(self.tr("{count} updated").format(count=result.indexed))
        if not parts:
            return ""
        return self.tr("Library updated: {changes}.").format(changes=", ".join(parts))

    def _model_changed(self, status: ModelStatus) -> None:
        if not status.available:
            self.dialogs.offer_model(status.problem)
        self.model_status = status
        self._model_known = True
        self._update_placeholder()
        self.dialogs.model_status_changed(status)

    def _update_placeholder(self) -> None:
        if self.model_status.available:
            text = self.tr("Describe a photo, e.g. “a red circle” or “빨간 원” (Ctrl+F)")
        elif not self._model_known:
            text = self.tr("Loading the model…")
        else:
            text = self.tr("No model yet: browse your photos, or get one from File ▸ Models…")
        self.search_bar.setPlaceholderText(text)
        self.search_bar.setEnabled(self.model_status.available)

    # -- searching --------------------------------------------------------------------------

    def focus_search(self) -> None:
        if self.duplicates.showing:
            self.duplicates.close_page()  # Ctrl+F means search: back to the photos
        self.search_bar.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search_bar.selectAll()

    def run_query(self, text: str, more: int | None = None) -> None:
        """Search for ``text`` as the bar reads it (dates, negatives), in the sidebar's folder,
        in the chosen order and strictness; an empty text shows the timeline."""
        folder = self._selected_folder()
        request = QueryRequest(
            text.strip(),
            folder=folder,
            sort=self.search_options.sort_key,
            strictness=self.search_options.strictness_key,
            k=more,
            scope=self.scope.current(),
        )
        self._query = (QUERY, request)
        self.search.ask(request)

    def _selected_folder(self) -> str | None:
        root_id = self.sidebar.selected_root()
        root = next((r for r in self.sidebar.roots if r.id == root_id), None)
        return root.path if root is not None else None

    def _rerun(self) -> None:
        self.run_query(self.search_bar.text())

    def _sort_changed(self, _key: str) -> None:
        """Another order: what the grid shows is asked for again in it, from the top."""
        self.grid.scrollToTop()
        kind, payload = self._query
        if not self.library.refresh(kind, payload):
            self._rerun()

    def _show_more(self) -> None:
        self.run_query(self.search_bar.text(), more=max(50, len(self.photos.ids()) * 2))

    def _chip_removed(self, chip: Chip) -> None:
        """Search again without what the chip stood for."""
        if self.scope.remove(chip):  # an album, favourites or a thing: the whole library
            return
        if chip.kind == "folder":
            self.sidebar.select_all()  # the whole library (runs the query again)
            return
        text = remove_chip(self.search_bar.text(), chip)
        self.search_bar.set_text_silently(text)
        self.run_query(text)

    def _remember_query(self, text: str) -> None:
        settings = self.services.settings
        settings.recent_queries = remember(settings.recent_queries, text)
        self.search_bar.set_recent(settings.recent_queries)
        self.save_settings()

    def save_settings(self) -> None:
        """Write the settings file on a worker (it is fsynced: never on the GUI thread)."""
        snapshot, path = self.services.settings_snapshot(), self.services.paths.settings_file
        self.tasks.run_in_background(lambda: snapshot.save(path), None, self._save_failed)

    def _save_failed(self, exc: BaseException) -> None:
        self.show_message(self.tr("The settings could not be saved: {error}").format(error=exc))

    def find_similar(self, row: PhotoRow) -> None:
        self._similar_name = row.name
        self.search_bar.set_text_silently("")
        self._query = (SIMILAR_PHOTO, row.id)
        self.search.similar_to_photo(row.id)

    def find_similar_to_file(self, path: str) -> None:
        self._similar_name = Path(path).name
        self.search_bar.set_text_silently("")
        self._query = (SIMILAR_FILE, path)
        self.search.similar_to_file(path)

    def _thumbnail_ready(self, key: str) -> None:
        """Repaint just the cells showing this thumbnail (no relayout of the whole grid)."""
        viewport = self.grid.viewport()
        for number in self.photos.rows_for_key(key):
            rect = self.grid.visualRect(self.photos.index(number, 0))
            if rect.intersects(viewport.rect()):
                viewport.update(rect)

    def _repaint_rows(self, first: int, last: int) -> None:
        """Rows fetched for cells on screen: repaint those cells (no relayout)."""
        viewport = self.grid.viewport()
        for number in range(first, last + 1):
            rect = self.grid.visualRect(self.photos.index(number, 0))
            if rect.intersects(viewport.rect()):
                viewport.update(rect)

    def show_results(self, result: ResultSet) -> None:
        keep = self.photos.kind == result.kind  # a refresh of the same view
        scroll = self.grid.verticalScrollBar().value() if keep else 0
        current = self.grid.currentIndex().data(ID_ROLE) if keep else None
        self.loader.forget_waiting()
        self.grid.set_headers(bool(result.sections))
        self.photos.set_rows(result.rows, result.kind, result.ids, result.sections)
        self.search_options.set_chips(result.chips)
        self.search_options.show_more.setVisible(result.limited)
        if current is not None and (row := self.photos.row_of(current)) >= 0:
            self.grid.setCurrentIndex(self.photos.index(row, 0))
        self.grid.verticalScrollBar().setValue(scroll)
        self.header.setText(
            self._header_text(result) if result.ids or result.kind != BROWSE else ""
        )
        self._update_empty_state()
        self.resultsShown.emit(result)

    def _header_text(self, result: ResultSet) -> str:
        count = len(result.ids)
        if result.kind == BROWSE:
            order = self.search_options.sort_key
            if order == "oldest":
                return self.tr("{count} photos, oldest first").format(count=count)
            if order == "name":
                return self.tr("{count} photos by name").format(count=count)
            if order == "modified":
                return self.tr("{count} photos, last modified first").format(count=count)
            if order == "folder":
                return self.tr("{count} photos by folder").format(count=count)
            return self.tr("{count} photos, newest first").format(count=count)
        if result.verdict == "no_good_match":
            return self.tr("No good matches for “{query}”. The closest photos:").format(
                query=result.query
            )
        if result.verdict == "empty":
            return self.tr("No photos to search here.")
        if result.verdict == "unknown_tag":
            names = ", ".join(f"“{w}”" for w in result.unknown)
            return self.tr("No thing called {names}.").format(names=names)
        if result.verdict == "no_things":
            return self.tr(
                "Your photos are not sorted into things yet; this happens after indexing."
            )
        if result.kind == TEXT:
            return self.tr("{count} matches for “{query}”").format(count=count, query=result.query)
        if result.kind in (FOLDER, ALBUM, FAVOURITES):
            return self.tr("{count} photos").format(count=count)
        name = self._similar_name or Path(result.query).name
        return self.tr("Photos like {name}").format(name=name)

    def _update_empty_state(self) -> None:
        if self.photos.rowCount() > 0:
            self.pages.setCurrentWidget(self.grid)
            return
        if not self.sidebar.roots:
            text = self.tr("Drop a folder of photos here, or use File ▸ Add folder…")
        elif self.photos.kind == BROWSE:
            text = self.tr("No photos here yet.")
        else:
            text = self.tr("No photos match.")
        self.empty.setText(text)
        self.pages.setCurrentWidget(self.empty)

    # -- photos -----------------------------------------------------------------------------

    def selected_row(self) -> PhotoRow | None:
        return self.photos.photo(self.grid.currentIndex().row())

    def open_viewer(self, index: QModelIndex) -> None:
        row = self.photos.photo(index.row())
        loaded = self.photos.photos()
        if row is not None:
            self.dialogs.show_viewer(loaded, loaded.index(row))

    def _grid_menu(self, pos: QPoint) -> None:
        index = self.grid.indexAt(pos)
        if not index.isValid():
            return
        if not self.grid.selectionModel().isSelected(index):
            self.grid.setCurrentIndex(index)  # right-click outside the selection: just this one
        self.library.menu_for_selection().exec(self.grid.viewport().mapToGlobal(pos))

    def photo_menu(self, index: QModelIndex) -> QMenu:
        """The right-click menu of a photo (actions named for tests and scripts)."""
        row = self.photos.photo(index.row())
        menu = QMenu(self)
        if row is None:
            return menu
        entries = (
            ("findSimilar", self.tr("Find similar"), lambda: self.find_similar(row)),
            ("open", self.tr("Open"), lambda: photo_actions.open_file(row.path)),
            (
                "showInFolder",
                self.tr("Show in folder"),
                lambda: photo_actions.show_in_folder(row.path),
            ),
            (
                "copyPath",
                self.tr("Copy path"),
                lambda: QGuiApplication.clipboard().setText(row.path),
            ),
            ("copyImage", self.tr("Copy image"), lambda: self.copy_image(row.path)),
        )
        for name, text, slot in entries:
            action = menu.addAction(text)
            action.setObjectName(name)
            action.triggered.connect(slot)
        menu.actions()[0].setEnabled(self.model_status.available and not row.offline)
        return menu

    def copy_image(self, path: str) -> None:
        self.tasks.run_in_background(
            lambda: photo_actions.image_to_qimage(path),
            lambda image: QGuiApplication.clipboard().setImage(image),
            lambda exc: self.show_message(str(exc)),
            self,
        )

    # -- drag and drop ----------------------------------------------------------------------

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        """Override QWidget.dragEnterEvent: files and folders from this computer."""
        if event.mimeData().hasUrls():
            event.acceptProposedAction()
        else:
            event.ignore()

    def dropEvent(self, event: QDropEvent) -> None:
        """Override QWidget.dropEvent: folders are added, an image is searched by."""
        urls = event.mimeData().urls()
        paths = [u.toLocalFile() for u in urls if u.isLocalFile()]
        event.acceptProposedAction()
        if not paths:
            self.show_message(self.tr("Only files and folders on this computer can be dropped."))
            return
        self.tasks.run_in_background(
            lambda: photo_actions.classify_drop(paths), self._drop_classified, None, self
        )

    def _drop_classified(self, plan: photo_actions.DropPlan) -> None:
        if plan.folders:
            self.add_folders(plan.folders)
        elif plan.images:
            self.find_similar_to_file(plan.images[0])
        skipped = plan.vanished + plan.unusable
        if not skipped:
            return
        names = ", ".join(Path(p).name or p for p in skipped[:3])
        if plan.vanished and not plan.unusable:
            message = self.tr("Not found (moved or deleted?): {names}").format(names=names)
        else:
            message = self.tr("Not a photo or a folder: {names}").format(names=names)
        if plan.usable:
            message = self.tr("Some items were skipped. {details}").format(details=message)
        self.show_message(message)

    def show_message(self, text: str) -> None:
        self.statusBar().showMessage(text, MESSAGE_MS)
        self.messageShown.emit(text)

    def show_report(self, text: str, failed: bool) -> None:
        """A file action's outcome; failures stay until the next message."""
        (self.show_error if failed else self.show_message)(text)

    def show_error(self, text: str) -> None:
        """A failure: in the status bar until the next message (never only logged)."""
        self.statusBar().showMessage(text)
        self.messageShown.emit(text)

    def _library_failed(self, kind: str, text: str) -> None:
        """The library could not be opened for writing: say so, and keep it on screen. A
        damaged library can be set aside (renamed beside, never deleted) to start a new one."""
        self.library_problem = kind
        self.show_error(text)
        self.index_status.set_unavailable(text)
        self.add_folder_action.setEnabled(False)
        if kind == errors.CORRUPT:
            self.offer_new_library(text)

    def offer_new_library(self, text: str) -> QMessageBox:
        box = QMessageBox(self)
        box.setObjectName("damagedLibrary")
        box.setIcon(QMessageBox.Icon.Warning)
        box.setWindowTitle(self.tr("The library is damaged"))
        box.setText(text)
        box.setInformativeText(
            self.tr(
                "Start a new library? The damaged file is kept, renamed beside it, so nothing is "
                "lost. Your photos are not touched; add their folders again to index them."
            )
        )
        start = box.addButton(self.tr("Start a new library"), QMessageBox.ButtonRole.AcceptRole)
        start.setObjectName("newLibrary")
        later = box.addButton(self.tr("Not now"), QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(later)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.buttonClicked.connect(
            lambda button: self._start_new_library() if button is start else None
        )
        box.open()
        self.libraryQuestion.emit(box)
        return box

    def _start_new_library(self) -> None:
        path = self.services.library_file
        self.tasks.run_in_background(
            lambda: set_aside(path), self._library_set_aside, self._set_aside_failed, self
        )

    def _library_set_aside(self, old: Path) -> None:
        self.library_problem = None
        self.index_status.set_available()
        self.add_folder_action.setEnabled(True)
        self.show_message(
            self.tr("A new library was started. The damaged one is kept as {file}.").format(
                file=old.name
            )
        )
        self.index.reopen()

    def _set_aside_failed(self, exc: BaseException) -> None:
        kind = getattr(exc, "kind", errors.BUG)
        self.show_error(failure_text(kind, str(exc), getattr(exc, "details", {})))

    # -- life -------------------------------------------------------------------------------

    def _window_settings(self) -> QSettings:
        path = self.services.paths.config / "window.ini"
        return QSettings(str(path), QSettings.Format.IniFormat)

    def _restore_geometry(self) -> None:
        geometry = self._window_settings().value("geometry")
        if isinstance(geometry, QByteArray) and self.restoreGeometry(geometry):
            return
        self.resize(1200, 800)

    def closeEvent(self, event: QCloseEvent) -> None:
        """Override QWidget.closeEvent: stop the workers (cooperatively, about a second)."""
        began = time.perf_counter()
        self.browse_prefs.flush()
        self._window_settings().setValue("geometry", self.saveGeometry())
        self.dialogs.close_all()
        self.live.shutdown()
        self.index.shutdown(1000)
        self.search.shutdown(1000)
        self.thumbnail_tasks.shutdown(1000)
        self.tasks.shutdown(1000)
        super().closeEvent(event)
        self.closed.emit(time.perf_counter() - began)


def build_window(services: Services, rescan_on_start: bool = True) -> MainWindow:
    """Build the window with its workers (not started: call ``window.start()``)."""
    tasks = TaskManager(max_threads=2)
    thumbnail_tasks = TaskManager(max_threads=services.tuning.thumbnail_threads)
    index = IndexController(services, reconcile_on_start=rescan_on_start)
    search = SearchController(services)
    window = MainWindow(services, index, search, tasks, thumbnail_tasks)
    for child in (tasks, thumbnail_tasks, index, search):
        child.setParent(window)
    return window
