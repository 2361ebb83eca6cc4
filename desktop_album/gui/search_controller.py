"""Searching from the window: a worker thread owning a reader library and the search engine.

Every request carries a generation number. The worker skips requests that a newer one has
already replaced before it got to them, and :class:`SearchController` drops any answer whose
generation is not the latest, so typing fast never shows an older query's photos.
"""

from __future__ import annotations

import logging
import time
from pathlib import Path

from PySide6.QtCore import QObject, Signal, Slot

from desktop_album.core.embedding import ClipModel
from desktop_album.core.errors import DesktopAlbumError
from desktop_album.core.library import Library
from desktop_album.core.search import SearchEngine, SearchHit
from desktop_album.gui.records import ModelChoice, ModelStatus, PhotoRow, ResultSet
from desktop_album.gui.services import Services, load_model
from desktop_album.gui.tasks import WorkerThread

log = logging.getLogger(__name__)

BROWSE, TEXT, SIMILAR_PHOTO, SIMILAR_FILE = "browse", "text", "similar_photo", "similar_file"


class _Latest:
    """The newest generation asked for; written by the GUI thread, read by the worker."""

    __slots__ = ("value",)

    def __init__(self) -> None:
        self.value = 0


class SearchWorker(QObject):
    """Answers queries on its own thread.

    Signals:
        results(ResultSet): the answer to a query.
        failed(int, str): generation and a message for the user.
        modelChanged(ModelStatus): the text tower is ready, or why there is none.
    """

    results = Signal(object)
    failed = Signal(int, str)
    modelChanged = Signal(object)

    def __init__(
        self, library_file: Path, choice: ModelChoice, k: int, warm_up: bool, latest: _Latest
    ) -> None:
        super().__init__()
        self._library_file = library_file
        self._choice = choice
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
            self.modelChanged.emit(ModelStatus(False, problem=str(exc)))
            return
        self.set_model(self._choice)

    @Slot()
    def stop(self) -> None:
        if self._model is not None:
            self._model.unload()
        if self._library is not None:
            self._library.close()
            self._library = None

    @Slot(object)
    def set_model(self, choice: ModelChoice) -> None:
        if self._model is not None:
            self._model.unload()
        self._engine = None
        self._model, status = load_model(choice)
        if self._model is not None and self._library is not None:
            if self._warm_up:
                try:
                    self._model.embed_query("a photo")  # loads the text tower now, not on query 1
                except DesktopAlbumError as exc:
                    self._model = None
                    status = ModelStatus(False, problem=str(exc))
            if self._model is not None:
                self._engine = SearchEngine(self._library, self._model)
        self.modelChanged.emit(status)

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
        self.results.emit(ResultSet(generation, kind, str(payload or ""), rows, elapsed))

    def _rows(self, kind: str, payload: object) -> list[PhotoRow]:
        assert self._library is not None
        if kind == BROWSE:
            root_id = payload if isinstance(payload, int) else None
            ids = self._library.browse_ids(root_id)
            info = self._library.photo_info(ids)
            return [PhotoRow.from_info(info[i]) for i in ids if i in info]
        engine = self._engine
        if engine is None:
            raise DesktopAlbumError("No model is loaded, so photos cannot be searched yet.")
        if kind == TEXT:
            hits = engine.search_text(str(payload), self._k)
        elif kind == SIMILAR_PHOTO:
            hits = engine.similar_to_photo(int(payload), self._k)  # type: ignore[call-overload]
        elif kind == SIMILAR_FILE:
            hits = engine.similar_to_file(Path(str(payload)), self._k)
        else:
            raise ValueError(f"unknown query kind {kind!r}")
        return self._hit_rows(hits)

    def _hit_rows(self, hits: list[SearchHit]) -> list[PhotoRow]:
        assert self._library is not None
        info = self._library.photo_info([h.photo_id for h in hits])
        return [PhotoRow.from_info(info[h.photo_id], h.score) for h in hits if h.photo_id in info]


class SearchController(QObject):
    """The GUI thread's handle on the search worker.

    Signals:
        results(ResultSet): the answer to the latest query only.
        failed(str): the latest query could not be answered (no model, unreadable file).
        modelChanged(ModelStatus): forwarded from the worker.
    """

    results = Signal(object)
    failed = Signal(str)
    modelChanged = Signal(object)

    _query = Signal(int, str, object)
    _setModel = Signal(object)

    def __init__(self, services: Services, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._latest = _Latest()
        tuning = services.tuning
        self._worker = SearchWorker(
            services.library_file,
            services.model_choice(),
            tuning.search_k,
            tuning.warm_up_text_tower,
            self._latest,
        )
        self._thread = WorkerThread(self._worker, "search-worker")
        WorkerThread.connect_request(self._query, self._worker.query)
        WorkerThread.connect_request(self._setModel, self._worker.set_model)
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

    def search_text(self, text: str) -> int:
        return self._ask(TEXT, text)

    def similar_to_photo(self, photo_id: int) -> int:
        return self._ask(SIMILAR_PHOTO, photo_id)

    def similar_to_file(self, path: str | Path) -> int:
        return self._ask(SIMILAR_FILE, str(path))

    def set_model(self, choice: ModelChoice) -> None:
        self._setModel.emit(choice)

    @Slot(object)
    def _on_results(self, result: ResultSet) -> None:
        if result.generation == self._latest.value:
            self.results.emit(result)

    @Slot(int, str)
    def _on_failed(self, generation: int, message: str) -> None:
        if generation == self._latest.value:
            self.failed.emit(message)

    def shutdown(self, timeout_ms: int = 1000) -> bool:
        self._latest.value += 1  # whatever is queued is stale now
        if self._thread.stop(timeout_ms):
            return True
        log.warning("The search worker is finishing a query; waiting for it.")
        self._thread.thread.wait()
        return False
