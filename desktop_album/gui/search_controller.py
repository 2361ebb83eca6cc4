"""Searching from the window: a worker thread owning a reader library and the search engine.

Every request carries a generation number. The worker skips requests that a newer one has
already replaced before it got to them, and :class:`SearchController` drops any answer whose
generation is not the latest, so typing fast never shows an older query's photos.
"""

from __future__ import annotations

import logging
import time
from dataclasses import replace
from pathlib import Path

from PySide6.QtCore import QObject, Signal, Slot

from desktop_album.core import albums, folders
from desktop_album.core.embedding import ClipModel
from desktop_album.core.errors import DesktopAlbumError
from desktop_album.core.filters import browse_in_order
from desktop_album.core.library import Library
from desktop_album.core.ordering import hit_sections, order_ids
from desktop_album.core.query import Filters
from desktop_album.core.search import SearchEngine, SearchHit, SearchOptions
from desktop_album.core.similar import similar_to_photos
from desktop_album.core.things import load_vocabulary
from desktop_album.gui.photo_model import PAGE
from desktop_album.gui.records import (
    Chip,
    ModelStatus,
    PhotoRow,
    QueryRequest,
    ResultSet,
    RootState,
    RowsPage,
)
from desktop_album.gui.scope_filters import scope_chips, scope_filters
from desktop_album.gui.services import Services
from desktop_album.gui.tasks import WorkerThread

log = logging.getLogger(__name__)

BROWSE, TEXT, SIMILAR_PHOTO, SIMILAR_FILE = "browse", "text", "similar_photo", "similar_file"
QUERY = "query"  # the search bar: text with dates, negatives and the window's filters
# Browsing a part of the library (payloads: None, an album id, (root id, folder)), and finding
# photos like several at once (payload: a list of photo ids).
FAVOURITES, ALBUM, FOLDER, SIMILAR_PHOTOS = "favourites", "album", "folder", "similar_photos"


class _Latest:
    """The newest generation asked for; written by the GUI thread, read by the worker."""

    __slots__ = ("value",)

    def __init__(self) -> None:
        self.value = 0


class SearchWorker(QObject):
    """Answers queries on its own thread.

    Signals:
        results(ResultSet): the answer to a query.
        rows(RowsPage): rows asked for with fetch_rows.
        roots(list[RootState]): the library's folders, as read when the worker started.
        failed(int, str): generation and a message for the user.
        modelChanged(ModelStatus): the text tower could not be loaded (why).
    """

    results = Signal(object)
    rows = Signal(object)
    roots = Signal(object)
    failed = Signal(int, str)
    modelChanged = Signal(object)

    def __init__(
        self,
        library_file: Path,
        k: int,
        warm_up: bool,
        latest: _Latest,
        vocabulary_file: Path | None = None,
    ) -> None:
        super().__init__()
        self._vocabulary_file = vocabulary_file
        self._library_file = library_file
        self._k = k
        self._warm_up = warm_up
        self._latest = latest
        self._library: Library | None = None
        self._model: ClipModel | None = None
        self._engine: SearchEngine | None = None

    @Slot()
    def start(self) -> None:
        try:
            self._library = Library.open_reader(self._library_file)
        except DesktopAlbumError as exc:
            self.failed.emit(0, str(exc))
            return
        counts = self._library.root_counts()
        self.roots.emit(
            [RootState(r.id, r.path, r.online, counts.get(r.id, 0)) for r in self._library.roots()]
        )
        if self._model is not None:
            self.use_model(self._model)

    @Slot()
    def stop(self) -> None:
        if self._library is not None:
            self._library.close()
            self._library = None

    @Slot(object)
    def use_model(self, model: ClipModel | None) -> None:
        """Search with this model (the one the writer loaded: one model in the window)."""
        self._model = model
        self._engine = None
        if model is None or self._library is None:
            return
        if self._warm_up:
            try:
                model.embed_query("a photo")  # loads the text tower now, not on query 1
            except DesktopAlbumError as exc:
                self._model = None
                self.modelChanged.emit(ModelStatus(False, problem=str(exc)))
                return
        # The app's vocabulary is read by the engine when a query first has a #tag.
        vocabulary = load_vocabulary(self._vocabulary_file) if self._vocabulary_file else None
        self._engine = SearchEngine(self._library, model, vocabulary)

    @Slot(int, str, object)
    def query(self, generation: int, kind: str, payload: object) -> None:
        if generation < self._latest.value or self._library is None:
            return  # replaced before we got to it
        began = time.perf_counter()
        try:
            rows = self._rows(kind, payload)
        except DesktopAlbumError as exc:
            self.failed.emit(generation, str(exc))
            return
        except Exception as exc:  # a bug: say so, keep the worker alive
            log.exception("Search failed")
            self.failed.emit(generation, f"Search failed: {exc}")
            return
        elapsed = time.perf_counter() - began
        if isinstance(rows, ResultSet):
            self.results.emit(replace(rows, generation=generation, seconds=elapsed))
            return
        ids, rows = rows if isinstance(rows, tuple) else ([r.id for r in rows], rows)
        self.results.emit(ResultSet(generation, kind, str(payload or ""), rows, elapsed, ids))

    def _query(self, request: QueryRequest) -> ResultSet:
        """The search bar's query: the core's query model answers, the window's state (folder,
        order, strictness, "Show more") added; date order comes with date headers."""
        assert self._library is not None
        model_id = self._model.model_id if self._model is not None else None
        filters = Filters(
            folders=(request.folder,) if request.folder else (),
            **scope_filters(request.scope, model_id),
        )
        if not request.text.strip():  # an empty bar: the timeline, paged
            found = browse_in_order(self._library.conn, filters, request.sort)
            ids = found.ids
            scope = (Chip("folder", request.folder),) if request.folder else ()
            scope += scope_chips(request.scope)
            return ResultSet(
                0,
                BROWSE,
                "",
                self._page_rows(ids[:PAGE]),
                ids=ids,
                verdict="browse",
                chips=scope,
                sections=tuple(found.sections),
            )
        engine = self._engine
        if engine is None:
            raise DesktopAlbumError("No model is loaded, so photos cannot be searched yet.")
        options = SearchOptions(k=request.k, strictness=request.strictness, sort=request.sort)
        found = engine.ask(request.text, filters=filters, options=options)
        rows = self._hit_rows(found.hits)
        query = found.query
        chips: list[Chip] = []
        if query.date_phrase:
            chips.append(Chip("date", query.date_phrase))
        chips += [Chip("not", n) for n in query.not_texts]
        chips += [Chip("tag", t) for t in query.tags]
        if request.folder:
            chips.append(Chip("folder", request.folder))
        chips += scope_chips(request.scope)
        roots = [r.path for r in self._library.roots()]
        sections = tuple(
            hit_sections(request.sort, [r.date for r in rows], [r.path for r in rows], roots)
        )
        limited = found.verdict == "matches" and len(rows) < found.available
        return ResultSet(
            0,
            TEXT,
            request.text,
            rows,
            ids=[r.id for r in rows],
            verdict=found.verdict,
            chips=tuple(chips),
            sections=sections,
            limited=limited,
            unknown=found.unknown_tags,
        )

    @Slot(int, object)
    def fetch_rows(self, generation: int, ids: list[int]) -> None:
        """Rows for part of a result the grid scrolled to."""
        if generation < self._latest.value or self._library is None:
            return
        try:
            rows = self._page_rows(ids)
        except DesktopAlbumError as exc:
            self.failed.emit(generation, str(exc))
            return
        self.rows.emit(RowsPage(generation, ids, rows))

    def _page_rows(self, ids: list[int]) -> list[PhotoRow]:
        """Rows of these ids in order; a photo removed meanwhile is shown by its id only."""
        assert self._library is not None
        info = self._library.photo_info(ids)
        favourite = albums.favourite_ids(self._library, ids)
        return [PhotoRow.from_info(info[i], favourite=i in favourite) for i in ids if i in info]

    def _rows(
        self, kind: str, payload: object
    ) -> list[PhotoRow] | tuple[list[int], list[PhotoRow]] | ResultSet:
        assert self._library is not None
        if kind == QUERY:
            assert isinstance(payload, QueryRequest)
            return self._query(payload)
        if kind in (FAVOURITES, ALBUM, FOLDER):
            return self._browse_part(kind, payload)
        if kind == BROWSE:
            ids = self._browse_ids(kind, payload)
            # The first page now; the rest as the grid scrolls to it (fetch_rows).
            return ids, self._page_rows(ids[:PAGE])
        engine = self._engine
        if engine is None:
            raise DesktopAlbumError("No model is loaded, so photos cannot be searched yet.")
        if kind == TEXT:
            hits = engine.search_text(str(payload), self._k)
        elif kind == SIMILAR_PHOTO:
            hits = engine.similar_to_photo(int(payload), self._k)  # type: ignore[call-overload]
        elif kind == SIMILAR_PHOTOS:
            hits = similar_to_photos(engine, [int(i) for i in payload], self._k)  # type: ignore[attr-defined]
        elif kind == SIMILAR_FILE:
            hits = engine.similar_to_file(Path(str(payload)), self._k)
        else:
            raise ValueError(f"unknown query kind {kind!r}")
        return self._hit_rows(hits)

    def _browse_part(self, kind: str, payload: object) -> ResultSet:
        """A folder, an album or the favourites, with that order's headers; the first page of
        rows now. Payload: (root id, folder[, order]), (album id[, order]) or (None[, order]);
        without an order a folder is newest first, an album and the favourites as added."""
        assert self._library is not None
        what = payload if isinstance(payload, tuple) else (payload,)
        if kind == FOLDER:
            order = str(what[2]) if len(what) > 2 else "date"
            found = folders.folder_in_order(self._library, int(what[0]), str(what[1]), order)
        else:
            order = str(what[1]) if len(what) > 1 else "relevance"
            found = order_ids(self._library.conn, self._browse_ids(kind, what[0]), order)
        return ResultSet(
            0,
            kind,
            "",
            self._page_rows(found.ids[:PAGE]),
            ids=found.ids,
            sections=tuple(found.sections),
        )

    def _browse_ids(self, kind: str, payload: object) -> list[int]:
        assert self._library is not None
        if kind == FAVOURITES:
            return albums.favourite_photos(self._library)
        if kind == ALBUM:
            return albums.album_photos(self._library, int(payload))  # type: ignore[call-overload]
        if kind == FOLDER:
            assert isinstance(payload, tuple)
            root_id, folder = payload
            return folders.folder_photo_ids(self._library, int(root_id), str(folder))
        return self._library.browse_ids(payload if isinstance(payload, int) else None)

    def _hit_rows(self, hits: list[SearchHit]) -> list[PhotoRow]:
        assert self._library is not None
        info = self._library.photo_info([h.photo_id for h in hits])
        favourite = albums.favourite_ids(self._library, [h.photo_id for h in hits])
        return [
            PhotoRow.from_info(info[h.photo_id], h.score, favourite=h.photo_id in favourite)
            for h in hits
            if h.photo_id in info
        ]


class SearchController(QObject):
    """The GUI thread's handle on the search worker.

    Signals:
        results(ResultSet): the answer to the latest query only.
        rowsFetched(RowsPage): rows of the latest result, asked for with fetch_rows.
        rootsRead(list[RootState]): the folders, as the reader found them (when the writer
            cannot open the library, e.g. read-only, this is how the sidebar learns them).
        failed(str): the latest query could not be answered (no model, unreadable file).
        modelChanged(ModelStatus): forwarded from the worker.
    """

    results = Signal(object)
    rowsFetched = Signal(object)
    rootsRead = Signal(object)
    failed = Signal(str)
    modelChanged = Signal(object)

    _query = Signal(int, str, object)
    _fetch = Signal(int, object)
    _setModel = Signal(object)

    def __init__(self, services: Services, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._latest = _Latest()
        tuning = services.tuning
        self._worker = SearchWorker(
            services.library_file,
            tuning.search_k,
            tuning.warm_up_text_tower,
            self._latest,
            tuning.things_vocabulary,
        )
        self._thread = WorkerThread(self._worker, "search-worker")
        WorkerThread.connect_request(self._query, self._worker.query)
        WorkerThread.connect_request(self._fetch, self._worker.fetch_rows)
        WorkerThread.connect_result(self._worker.rows, self._on_rows)
        WorkerThread.connect_result(self._worker.roots, self.rootsRead)
        WorkerThread.connect_request(self._setModel, self._worker.use_model)
        WorkerThread.connect_result(self._worker.results, self._on_results)
        WorkerThread.connect_result(self._worker.failed, self._on_failed)
        WorkerThread.connect_result(self._worker.modelChanged, self.modelChanged)
        self._started = False
        self._waiting: tuple[int, str, object] | None = None

    def start(self) -> None:
        """Start the worker (after the library exists: see IndexController.libraryReady)."""
        if self._started:
            return
        self._started = True
        self._thread.start()
        if self._waiting is not None:
            self._query.emit(*self._waiting)
            self._waiting = None

    @property
    def generation(self) -> int:
        return self._latest.value

    def _ask(self, kind: str, payload: object) -> int:
        self._latest.value += 1
        request = (self._latest.value, kind, payload)
        if self._started:
            self._query.emit(*request)
        else:
            self._waiting = request  # only the latest matters
        return self._latest.value

    def browse(self, root_id: int | None = None) -> int:
        """The library by date, newest first (what an empty search shows)."""
        return self._ask(BROWSE, root_id)

    def ask(self, request: QueryRequest) -> int:
        """The search bar's query (text, the sidebar's folder, order, strictness)."""
        return self._ask(QUERY, request)

    def search_text(self, text: str) -> int:
        return self._ask(TEXT, text)

    def similar_to_photo(self, photo_id: int) -> int:
        return self._ask(SIMILAR_PHOTO, photo_id)

    def similar_to_file(self, path: str | Path) -> int:
        return self._ask(SIMILAR_FILE, str(path))

    def use_model(self, model: ClipModel | None) -> None:
        """Search with the model the writer loaded (None: none)."""
        self._setModel.emit(model)

    def fetch_rows(self, ids: list[int]) -> None:
        """Rows of the current result the grid needs (answered by rowsFetched)."""
        if self._started:
            self._fetch.emit(self._latest.value, ids)

    @Slot(object)
    def _on_rows(self, page: RowsPage) -> None:
        if page.generation == self._latest.value:
            self.rowsFetched.emit(page)

    def similar_to_photos(self, photo_ids: list[int]) -> int:
        """Photos like all of these together (Find similar on a selection)."""
        return self._ask(SIMILAR_PHOTOS, list(photo_ids))

    def browse_favourites(self, order: str = "relevance") -> int:
        """The favourites (relevance: most recently marked first) in ``order``."""
        return self._ask(FAVOURITES, (None, order))

    def browse_album(self, album_id: int, order: str = "relevance") -> int:
        """An album (relevance: in the order its photos were added) in ``order``."""
        return self._ask(ALBUM, (album_id, order))

    def browse_folder(self, root_id: int, folder: str, order: str = "date") -> int:
        """A folder of a root and its subfolders ("" for the whole root) in ``order``."""
        return self._ask(FOLDER, (root_id, folder, order))

    @Slot(object)
    def _on_results(self, result: ResultSet) -> None:
        if result.generation == self._latest.value:
            self.results.emit(result)

    @Slot(int, str)
    def _on_failed(self, generation: int, message: str) -> None:
        if generation in (0, self._latest.value):  # 0: the library could not be read at all
            self.failed.emit(message)

    def shutdown(self, timeout_ms: int = 1000) -> bool:
        self._latest.value += 1  # whatever is queued is stale now
        if self._thread.stop(timeout_ms):
            return True
        log.warning("The search worker is finishing a query; waiting for it.")
        self._thread.thread.wait()
        return False
