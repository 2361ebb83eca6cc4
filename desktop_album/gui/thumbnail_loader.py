"""Thumbnails for the grid, asked for at paint time, as calibre's cover grid does.

1. RAM: an LRU of ``QPixmap`` (GUI thread only), bounded in bytes.
2. Disk: the indexer's ``ThumbnailCache`` (JPEG bytes keyed by content hash and size), read on a
   worker.
3. Render: photos not indexed yet are decoded with ``render_thumbnail`` on a worker.

Misses go on a last-in-first-out stack, so the rows painted last (the ones on screen now) load
first; the stack is bounded, and what falls off it was scrolled past. Workers return ``QImage``
(never ``QPixmap``); the GUI thread converts it and announces the key with ``ready``.
"""

from __future__ import annotations

import contextlib
import functools
import logging
from collections import OrderedDict
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QImage, QPixmap

from desktop_album.core.errors import DesktopAlbumError
from desktop_album.core.imaging import render_thumbnail
from desktop_album.core.thumbnails import ThumbnailCache
from desktop_album.gui.tasks import TaskManager

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class ThumbnailRequest:
    """Plain data for one load: everything the worker function needs."""

    key: str
    path: str
    content_hash: str | None
    size: int


def load_thumbnail(cache: ThumbnailCache, request: ThumbnailRequest) -> QImage:
    """Disk cache, else render. Runs on a worker thread; raises DesktopAlbumError or OSError."""
    data: bytes | None = None
    disk_key = None
    if request.content_hash:
        disk_key = ThumbnailCache.key(request.content_hash, request.size)
        data = cache.get(disk_key)
    if data is None:
        data = render_thumbnail(Path(request.path), request.size)
        if disk_key is not None:
            # A full or read-only cache only costs another render later.
            with contextlib.suppress(OSError):
                cache.put(disk_key, data)
    image = QImage.fromData(data)
    if image.isNull():
        raise DesktopAlbumError(f"Unreadable thumbnail for {request.path}")
    return image


class ThumbnailLoader(QObject):
    """Serves thumbnails to the delegate; loads misses in the background.

    Args:
        cache: the disk cache the indexer writes to.
        tasks: the pool that runs the loads.
        size: the thumbnail size asked of the disk cache (the indexer's).
        ram_bytes: budget of the in-memory pixmap cache.
        max_in_flight: loads running at once; more wait on the stack.
        max_waiting: stack depth; the oldest requests beyond it are dropped.

    Signals:
        ready(str): the thumbnail of this key is in the RAM cache now (or failed for good).
    """

    ready = Signal(str)

    def __init__(
        self,
        cache: ThumbnailCache,
        tasks: TaskManager,
        size: int = 256,
        ram_bytes: int = 256 << 20,
        max_in_flight: int = 2,
        max_waiting: int = 300,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._cache = cache
        self._tasks = tasks
        self._size = size
        self._ram_budget = ram_bytes
        self._ram: OrderedDict[str, QPixmap] = OrderedDict()
        self._ram_used = 0
        self._waiting: OrderedDict[str, ThumbnailRequest] = OrderedDict()  # newest last
        self._in_flight: set[str] = set()
        self._failed: set[str] = set()
        self._max_in_flight = max(1, max_in_flight)
        self._max_waiting = max(1, max_waiting)

    @property
    def busy(self) -> bool:
        return bool(self._waiting or self._in_flight)

    def is_failed(self, key: str) -> bool:
        return key in self._failed

    def pixmap(self, key: str, path: str, content_hash: str | None) -> QPixmap | None:
        """The thumbnail if it is in RAM; otherwise None, and it is queued (newest first)."""
        found = self._ram.get(key)
        if found is not None:
            self._ram.move_to_end(key)
            return found
        if key in self._failed or key in self._in_flight:
            return None
        self._waiting.pop(key, None)
        self._waiting[key] = ThumbnailRequest(key, path, content_hash, self._size)
        while len(self._waiting) > self._max_waiting:
            self._waiting.popitem(last=False)  # scrolled past long ago
        self._pump()
        return None

    def forget_waiting(self) -> None:
        """Drop the queued requests (a new result replaced the grid); loads in flight finish."""
        self._waiting.clear()

    def _pump(self) -> None:
        while self._waiting and len(self._in_flight) < self._max_in_flight:
            key, request = self._waiting.popitem(last=True)  # last in, first out
            self._in_flight.add(key)
            self._tasks.run_in_background(
                functools.partial(load_thumbnail, self._cache, request),
                functools.partial(self._loaded, key),
                functools.partial(self._load_failed, key),
            )

    def _loaded(self, key: str, image: QImage) -> None:
        self._in_flight.discard(key)
        pixmap = QPixmap.fromImage(image)  # GUI thread: the only place pixmaps are made
        self._store(key, pixmap)
        self.ready.emit(key)
        self._pump()

    def _load_failed(self, key: str, exc: BaseException) -> None:
        self._in_flight.discard(key)
        if not isinstance(exc, (DesktopAlbumError, OSError)):
            log.error("Thumbnail loading failed", exc_info=exc)  # a bug, not a bad photo
        self._failed.add(key)
        self.ready.emit(key)  # repaint: the delegate draws the "unreadable" placeholder
        self._pump()

    def _store(self, key: str, pixmap: QPixmap) -> None:
        cost = pixmap.width() * pixmap.height() * 4
        old = self._ram.pop(key, None)
        if old is not None:
            self._ram_used -= old.width() * old.height() * 4
        self._ram[key] = pixmap
        self._ram_used += cost
        while self._ram_used > self._ram_budget and len(self._ram) > 1:
            _, dropped = self._ram.popitem(last=False)
            self._ram_used -= dropped.width() * dropped.height() * 4
