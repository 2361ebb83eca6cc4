"""The on-disk thumbnail cache: JPEG bytes keyed by content hash and size.

Files live in a two-level fan-out, ``folder/ab/<key>.jpg``, so no folder grows past a few thousand
entries. Writes are atomic (a temporary file in the same folder, then ``os.replace``): a reader
sees the old file, the new one, or none, never half of one. Because keys name content, two
writers of one key write the same bytes, and either may win.

Recency is the file's modification time, refreshed on every hit: access times are unreliable
(``noatime`` and ``relatime`` mounts). :meth:`ThumbnailCache.prune` evicts the least recently
used files until the cache fits its budget. The cache does not call ``fsync``: after a power cut
a thumbnail may be lost or empty, and an empty file reads as a miss.
"""

from __future__ import annotations

import contextlib
import os
import re
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

_KEY = re.compile(r"^[0-9A-Za-z][0-9A-Za-z_-]+$")
_SUFFIX = ".jpg"
_TEMP_PREFIX = ".tmp-"
_STALE_TEMP_SECONDS = 3600.0


class ThumbnailCache:
    """JPEG thumbnails on disk, keyed by :meth:`key`, bounded by ``max_bytes``."""

    def __init__(self, folder: Path, max_bytes: int = 1 << 30) -> None:
        if max_bytes < 0:
            raise ValueError("max_bytes must not be negative")
        self.folder = Path(folder)
        self.max_bytes = max_bytes

    @staticmethod
    def key(content_hash: str, size: int) -> str:
        """The key of the ``size`` px thumbnail of the file whose sha256 is ``content_hash``."""
        if size <= 0:
            raise ValueError("thumbnail size must be positive")
        key = f"{content_hash.lower()}-{size}"
        if not _KEY.match(key):
            raise ValueError(f"not a content hash: {content_hash!r}")
        return key

    def path_for(self, key: str) -> Path:
        """Where ``key`` is stored: ``folder/<first two characters>/<key>.jpg``."""
        if not _KEY.match(key):
            raise ValueError(f"not a thumbnail key: {key!r}")
        return self.folder / key[:2] / f"{key}{_SUFFIX}"

    def get(self, key: str) -> bytes | None:
        """The stored bytes, or None on a miss. A hit counts as a use for :meth:`prune`."""
        path = self.path_for(key)
        try:
            data = path.read_bytes()
        except OSError:
            return None
        if not data:
            return None
        # A read-only cache folder, or a prune meanwhile: the hit still counts.
        with contextlib.suppress(OSError):
            os.utime(path)
        return data

    def put(self, key: str, data: bytes) -> None:
        """Store ``data`` under ``key`` atomically, creating folders as needed.

        Raises:
            OSError: the cache folder cannot be written (full disk, permissions).
        """
        path = self.path_for(key)
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, temp = tempfile.mkstemp(prefix=_TEMP_PREFIX, suffix=".part", dir=path.parent)
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
            try:
                os.replace(temp, path)
            except PermissionError:
                # Windows refuses to replace a file that a reader holds open. The key names the
                # content, so the file already there has the same bytes.
                if not path.is_file():
                    raise
                os.unlink(temp)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(temp)
            raise

    def contains(self, key: str) -> bool:
        return self.path_for(key).is_file()

    def size_bytes(self) -> int:
        """Bytes used by stored thumbnails (not counting folders)."""
        return sum(size for _, size, _ in self._entries())

    def prune(self) -> int:
        """Evict least-recently-used thumbnails until the cache fits ``max_bytes``.

        Also removes temporary files left behind by a crash more than an hour ago.

        Returns:
            The number of bytes freed.
        """
        freed = self._remove_stale_temps()
        entries = sorted(self._entries())
        total = sum(size for _, size, _ in entries)
        for _, size, path in entries:
            if total <= self.max_bytes:
                break
            try:
                path.unlink()
            except FileNotFoundError:  # another pruner got there first
                total -= size
                continue
            except OSError:
                continue
            total -= size
            freed += size
        return freed

    def _shards(self) -> Iterator[os.DirEntry[str]]:
        try:
            with os.scandir(self.folder) as top:
                shards = [entry for entry in top if entry.is_dir(follow_symlinks=False)]
        except OSError:
            return
        for shard in shards:
            try:
                with os.scandir(shard.path) as files:
                    yield from list(files)
            except OSError:
                continue

    def _entries(self) -> Iterator[tuple[float, int, Path]]:
        """(mtime, size, path) of every stored thumbnail."""
        for entry in self._shards():
            if not entry.name.endswith(_SUFFIX) or entry.name.startswith(_TEMP_PREFIX):
                continue
            try:
                stat = entry.stat(follow_symlinks=False)
            except OSError:
                continue
            yield stat.st_mtime, stat.st_size, Path(entry.path)

    def _remove_stale_temps(self) -> int:
        freed = 0
        cutoff = time.time() - _STALE_TEMP_SECONDS
        for entry in self._shards():
            if not entry.name.startswith(_TEMP_PREFIX):
                continue
            try:
                stat = entry.stat(follow_symlinks=False)
                if stat.st_mtime < cutoff:
                    os.unlink(entry.path)
                    freed += stat.st_size
            except OSError:
                continue
        return freed
