"""Searching inside what the sidebar has chosen, and the sidebar's Things.

When an album, Favourites or a thing is chosen, a search typed in the bar runs inside it: the
request carries a :class:`~desktop_album.gui.records.Scope`, the worker turns it into the core's
filters (a mask inside the index, like the folder) and shows it as a removable chip; removing
the chip searches the whole library.

The Things list is read on a worker (the active model's tag counts) when the model is ready,
when the library changed and when the writer computed the things again; the info panel shows a
photo's things as links that choose the thing here.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QLabel, QSplitter, QVBoxLayout, QWidget

from desktop_album.core.embedding import ClipModel
from desktop_album.gui.album_list import FAVOURITES as FAVOURITES_ENTRY
from desktop_album.gui.records import Chip, Scope
from desktop_album.gui.scope_filters import ALBUM, FAVOURITES, KINDS, THING
from desktop_album.gui.things_list import ThingEntry, ThingsList, read_tags_of, read_things
from desktop_album.gui.translations import effective_language

if TYPE_CHECKING:
    from desktop_album.gui.main_window import MainWindow


class SearchScope(QObject):
    """The window's scope (album, favourites or thing) and its Things list.

    Signals:
        thingsRead(list): the Things list was read again (ThingEntry values; tests wait on it).
    """

    thingsRead = Signal(object)

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.things = ThingsList()
        self.model_id: str | None = None
        self._reading = False
        self._read_again = False
        self._open = False  # the library opened (libraryReady), for reading
        services = window.services
        self._vocabulary = services.tuning.things_vocabulary
        self._language = effective_language(services.settings.language)
        self._wire()

    def add_to(self, column: QWidget) -> None:
        """Put the Things section at the bottom of the sidebar's column (a splitter)."""
        assert isinstance(column, QSplitter)
        box = QWidget()
        layout = QVBoxLayout(box)
        layout.setContentsMargins(4, 4, 4, 4)
        label = QLabel(self.tr("Things"))
        label.setObjectName("sidebarTitle")
        layout.addWidget(label)
        layout.addWidget(self.things, 1)
        column.addWidget(box)

    def _wire(self) -> None:
        w = self.window
        lib = w.library
        self.things.thingSelected.connect(self._thing_chosen)
        # Another place of the sidebar chosen: no thing is current any more.
        lib.album_list.albumSelected.connect(lambda _id: self.things.forget())
        lib.album_list.favouritesSelected.connect(self.things.forget)
        lib.tree.folderSelected.connect(lambda *_: self.things.forget())
        w.sidebar.rootSelected.connect(lambda _root: self.things.forget())
        w.index.modelReady.connect(self._model_ready)
        w.index.libraryReady.connect(self._library_open)
        w.index.libraryFailed.connect(self._library_failed)
        w.index.libraryChanged.connect(self.read)
        w.index.thingsChanged.connect(self._things_changed)
        lib.info.thingClicked.connect(self.choose)
        lib.info.things_reader = self._tags_reader

    # -- the scope --------------------------------------------------------------------------

    def current(self) -> Scope | None:
        """What the sidebar limits a search to now (None: the whole library)."""
        tag = self.things.current_tag()
        if tag is not None:
            return Scope(THING, tag, self.things.current_name())
        album_id = self.window.library.album_list.current_id()
        if album_id == FAVOURITES_ENTRY:
            return Scope(FAVOURITES, None, self.tr("Favourites"))
        if album_id is not None:
            name = next(
                (a.name for a in self.window.library.album_list._albums if a.id == album_id), ""
            )
            return Scope(ALBUM, album_id, name)
        return None

    def clear(self) -> None:
        """No album, favourites or thing limits a search any more."""
        self.things.forget()
        self.window.library._forget_selection(self.window.library.album_list)
        self.window.library.current_album = None

    def remove(self, chip: Chip) -> bool:
        """The scope's chip was removed: search the whole library. False for other chips."""
        if chip.kind not in KINDS:
            return False
        self.clear()
        self.window.run_query(self.window.search_bar.text())
        return True

    def choose(self, tag: str) -> None:
        """Show the photos of this thing (the info panel's links)."""
        self.things.select(tag)

    def _thing_chosen(self, tag: str, _name: str) -> None:
        w = self.window
        lib = w.library
        lib._forget_selection(lib.tree, lib.album_list)
        lib.current_album = None
        w.search_bar.set_text_silently("")
        w.grid.clearSelection()
        w.grid.scrollToTop()
        w.run_query("")

    # -- reading ----------------------------------------------------------------------------

    def _library_open(self) -> None:
        self._open = True  # also a read-only library: it is browsed and searched
        self.read()

    def _library_failed(self, _kind: str, _text: str) -> None:
        self._open = False

    def _model_ready(self, model: ClipModel | None) -> None:
        self.model_id = model.model_id if model is not None else None
        self.read()

    def _things_changed(self, model_id: str) -> None:
        if model_id == self.model_id:
            self.read()

    def read(self) -> None:
        """Read the Things again on a worker (one read at a time, the last wins)."""
        if self.model_id is None:
            self.things.set_things([])
            return
        if not self._open:
            return  # read once the library is open (a damaged one is told about elsewhere)
        if self._reading:
            self._read_again = True
            return
        self._reading = True
        path, model_id = self.window.services.library_file, self.model_id
        language, vocabulary = self._language, self._vocabulary
        self.window.tasks.run_in_background(
            lambda: read_things(path, model_id, language, vocabulary),
            self._read,
            self._failed,
            self,
        )

    def _read(self, entries: list[ThingEntry]) -> None:
        self._reading = False
        self.things.set_things(entries)
        self.thingsRead.emit(entries)
        if self._read_again:
            self._read_again = False
            self.read()

    def _failed(self, exc: BaseException) -> None:
        self._reading = False
        self.window.show_error(self.tr("The things cannot be read: {error}").format(error=exc))

    def _tags_reader(self, photo_id: int) -> Callable[[], list[tuple[str, str]]]:
        """For the info panel: a function (run on a worker) reading a photo's things."""
        model_id, path = self.model_id, self.window.services.library_file
        language, vocabulary = self._language, self._vocabulary
        if model_id is None:
            return list
        return lambda: read_tags_of(path, model_id, photo_id, language, vocabulary)
