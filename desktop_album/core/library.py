"""The library file: roots, photos and embeddings in one SQLite database (WAL).

One ``Library`` object is one connection, used only by the thread that opened it. The app keeps
exactly one writer (the index worker); searches and the grid read through their own connections,
which WAL lets run while the writer commits.
"""

from __future__ import annotations

import os
import sqlite3
import time
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import DTypeLike, NDArray
from sqlite_utils import Database

from desktop_album.core.errors import LibraryError
from desktop_album.core.migrations import migrate
from desktop_album.core.vectors import from_blob, from_blobs, to_blob

STATUSES = ("pending", "ok", "error", "missing")


@dataclass(frozen=True)
class Root:
    id: int
    path: str
    online: bool
    last_scan_at: float | None


@dataclass(frozen=True)
class StoredPhoto:
    """What the scanner needs to decide whether a file changed."""

    id: int
    path: str
    size: int
    mtime_ns: int
    status: str
    content_hash: str | None


@dataclass(frozen=True)
class PhotoInfo:
    """What the window shows about one photo."""

    id: int
    path: str
    root_id: int
    status: str
    error: str | None
    width: int | None
    height: int | None
    taken_at: str | None
    camera: str | None
    size: int
    content_hash: str | None
    online: bool


@dataclass(frozen=True)
class PhotoResult:
    """The outcome of decoding (and maybe embedding) one photo, written by ``record_batch``."""

    photo_id: int
    vector: NDArray[np.float32] | None = None
    content_hash: str | None = None
    width: int | None = None
    height: int | None = None
    taken_at: str | None = None
    camera: str | None = None
    error: str | None = None
    phash: int | None = None  # perceptual hash (core/phash.py), for near-duplicates


@dataclass(frozen=True)
class VectorRows:
    """Embeddings read from the library: row ids (for catching up later), photo ids, vectors."""

    rowids: NDArray[np.int64]
    photo_ids: NDArray[np.int64]
    vectors: NDArray[np.floating[Any]]  # float32 unless load_vectors was asked otherwise
    searchable: NDArray[np.bool_]  # the photo's status is ok


def deepest_root(roots: Sequence[Root], path: str) -> Root | None:
    """The root ``path`` lies in (the innermost one when roots are nested)."""
    best: Root | None = None
    for root in roots:
        inside = path == root.path or path.startswith(root.path.rstrip(os.sep) + os.sep)
        if inside and (best is None or len(root.path) > len(best.path)):
            best = root
    return best


def _info(row: Sequence[Any]) -> PhotoInfo:
    """A PhotoInfo from a row of ``Library._INFO_COLUMNS``."""
    return PhotoInfo(
        id=row[0],
        path=row[1],
        root_id=row[2],
        status=row[3],
        error=row[4],
        width=row[5],
        height=row[6],
        taken_at=row[7],
        camera=row[8],
        size=row[9],
        content_hash=row[10],
        online=bool(row[11]),
    )


class Library:
    """One connection to a library file.

    Args:
        path: the SQLite file; created (with its folder) if missing.
        busy_timeout_ms: how long a reader or writer waits for a lock before failing.
    """

    def __init__(self, path: str | Path, busy_timeout_ms: int = 10_000) -> None:
        self.path = Path(path)
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            new = not self.path.exists() or self.path.stat().st_size == 0
            # isolation_level=None: transactions are ours (BEGIN IMMEDIATE for every write, so
            # a read-then-write never fails with SQLITE_BUSY half-way).
            conn = sqlite3.connect(
                str(self.path), isolation_level=None, timeout=busy_timeout_ms / 1000
            )
            if new:
                # 8 KiB pages: one vector row no longer fills a page (NOTES.md: file -1/3).
                conn.execute("PRAGMA page_size = 8192")
            conn.execute("PRAGMA journal_mode = WAL")
            conn.execute("PRAGMA synchronous = NORMAL")
            conn.execute("PRAGMA foreign_keys = ON")
            conn.execute(f"PRAGMA busy_timeout = {int(busy_timeout_ms)}")
            self.db = Database(conn)
            migrate(self.db, str(self.path))
        except sqlite3.DatabaseError as exc:
            raise LibraryError(f"Cannot open the library {self.path}: {exc}.") from exc
        self.conn = conn

    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> Library:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def write(self) -> Iterator[sqlite3.Connection]:
        """One write transaction, taken with BEGIN IMMEDIATE and committed on success."""
        self.conn.execute("BEGIN IMMEDIATE")
        try:
            yield self.conn
        except BaseException:
            if self.conn.in_transaction:
                self.conn.execute("ROLLBACK")
            raise
        else:
            self.conn.execute("COMMIT")

    def data_version(self) -> int:
        """Changes when another connection commits (SQLite's PRAGMA data_version)."""
        return int(self.conn.execute("PRAGMA data_version").fetchone()[0])

    def generation(self) -> int:
        """Bumped by deletions an incremental reader could not see (roots, models removed)."""
        row = self.conn.execute("SELECT value FROM meta WHERE key = 'generation'").fetchone()
        return int(row[0])

    def _bump_generation(self, conn: sqlite3.Connection) -> None:
        conn.execute("UPDATE meta SET value = CAST(value AS INTEGER) + 1 WHERE key = 'generation'")

    # -- roots ------------------------------------------------------------------------------

    def add_root(self, path: str | Path) -> Root:
        resolved = str(Path(path).expanduser().resolve())
        with self.write() as conn:
            conn.execute(
                "INSERT OR IGNORE INTO roots (path, added_at) VALUES (?, ?)",
                (resolved, time.time()),
            )
        root = self.root_by_path(resolved)
        assert root is not None
        return root

    def roots(self) -> list[Root]:
        rows = self.conn.execute(
            "SELECT id, path, online, last_scan_at FROM roots ORDER BY path"
        ).fetchall()
        return [Root(r[0], r[1], bool(r[2]), r[3]) for r in rows]

    def root_by_path(self, path: str | Path) -> Root | None:
        row = self.conn.execute(
            "SELECT id, path, online, last_scan_at FROM roots WHERE path = ?", (str(path),)
        ).fetchone()
        return Root(row[0], row[1], bool(row[2]), row[3]) if row else None

    def root_for_file(self, path: str | Path) -> Root | None:
        """The root a file lies under, the deepest if roots are nested."""
        return deepest_root(self.roots(), str(path))

    def remove_root(self, root_id: int) -> None:
        """Forget a root and its photos (the files themselves are never touched)."""
        with self.write() as conn:
            conn.execute("DELETE FROM roots WHERE id = ?", (root_id,))
            self._bump_generation(conn)

    def set_root_online(self, root_id: int, online: bool) -> None:
        with self.write() as conn:
            conn.execute("UPDATE roots SET online = ? WHERE id = ?", (int(online), root_id))

    def mark_root_scanned(self, root_id: int) -> None:
        with self.write() as conn:
            conn.execute("UPDATE roots SET last_scan_at = ? WHERE id = ?", (time.time(), root_id))

    # -- photos: scanning -------------------------------------------------------------------

    def stored_photos(self, root_id: int) -> dict[str, StoredPhoto]:
        rows = self.conn.execute(
            "SELECT id, path, size, mtime_ns, status, content_hash FROM photos WHERE root_id = ?",
            (root_id,),
        )
        return {r[1]: StoredPhoto(*r) for r in rows}

    def add_pending(self, root_id: int, files: Iterable[tuple[str, int, int]]) -> int:
        """Insert new files (path, size, mtime_ns) as pending; returns how many were new."""
        now = time.time()
        with self.write() as conn:
            cursor = conn.executemany(
                "INSERT OR IGNORE INTO photos (root_id, path, size, mtime_ns, status, added_at) "
                "VALUES (?, ?, ?, ?, 'pending', ?)",
                ((root_id, p, s, m, now) for p, s, m in files),
            )
            return cursor.rowcount

    def mark_changed(self, changes: Iterable[tuple[int, int, int]]) -> None:
        """Files whose (size, mtime) changed: (photo_id, size, mtime_ns). Old vectors go."""
        items = list(changes)
        with self.write() as conn:
            conn.executemany(
                "UPDATE photos SET size = ?, mtime_ns = ?, status = 'pending', error = NULL "
                "WHERE id = ?",
                ((s, m, i) for i, s, m in items),
            )
            conn.executemany(
                "DELETE FROM embeddings WHERE photo_id = ?", ((i,) for i, _, _ in items)
            )

    def mark_missing(self, photo_ids: Iterable[int]) -> None:
        """Vanished files: kept with their vectors (they may come back), hidden from search."""
        with self.write() as conn:
            conn.executemany(
                "UPDATE photos SET status = 'missing' WHERE id = ? AND status != 'missing'",
                ((i,) for i in photo_ids),
            )

    def mark_back(self, photo_ids: Iterable[int]) -> None:
        """Missing files found again unchanged: ok again if they have any vector."""
        with self.write() as conn:
            conn.executemany(
                "UPDATE photos SET status = CASE WHEN content_hash IS NULL THEN 'pending' "
                "WHEN error IS NOT NULL THEN 'error' ELSE 'ok' END WHERE id = ?",
                ((i,) for i in photo_ids),
            )

    def move_photo(self, photo_id: int, new_path: str, root_id: int) -> None:
        """A renamed or moved file keeps its id, metadata and vectors."""
        self.move_photos([(photo_id, new_path, root_id)])

    def move_photos(self, moves: Iterable[tuple[int, str, int]]) -> None:
        """Apply many moves (photo id, new path, root id) in one transaction: a renamed folder
        of thousands of photos is one commit, and a crash leaves all or none of it."""
        with self.write() as conn:
            for photo_id, new_path, root_id in moves:
                conn.execute("DELETE FROM photos WHERE path = ? AND id != ?", (new_path, photo_id))
                conn.execute(
                    "UPDATE photos SET path = ?, root_id = ?, status = CASE "
                    "WHEN content_hash IS NULL THEN 'pending' "
                    "WHEN error IS NOT NULL THEN 'error' ELSE 'ok' END WHERE id = ?",
                    (new_path, root_id, photo_id),
                )

    # -- photos: indexing -------------------------------------------------------------------

    def photos_to_embed(
        self, model_id: str, root_ids: Sequence[int] | None = None
    ) -> list[tuple[int, str]]:
        """(id, path) of photos that need a vector of this model, oldest first.

        Pending photos, and readable photos with no vector of this model yet (after a model
        switch). Offline roots are skipped.
        """
        where_root = ""
        params: list[object] = [model_id]
        if root_ids is not None:
            if not root_ids:
                return []
            where_root = f"AND p.root_id IN ({','.join('?' * len(root_ids))})"
            params.extend(root_ids)
        rows = self.conn.execute(
            f"""
            SELECT p.id, p.path FROM photos p JOIN roots r ON r.id = p.root_id
            WHERE r.online = 1 AND (
                p.status = 'pending'
                OR (p.status = 'ok' AND NOT EXISTS (
                    SELECT 1 FROM embeddings e WHERE e.photo_id = p.id AND e.model_id = ?)))
            {where_root}
            ORDER BY p.id
            """,
            params,
        ).fetchall()
        return [(r[0], r[1]) for r in rows]

    def ensure_model(self, model_id: str, dim: int) -> None:
        row = self.conn.execute("SELECT dim FROM models WHERE id = ?", (model_id,)).fetchone()
        if row is None:
            with self.write() as conn:
                conn.execute(
                    "INSERT OR IGNORE INTO models (id, dim, added_at) VALUES (?, ?, ?)",
                    (model_id, dim, time.time()),
                )
        elif int(row[0]) != dim:
            raise LibraryError(
                f"Model '{model_id}' was stored with {row[0]} dimensions, but the pack now has "
                f"{dim}. Import it under another name."
            )

    def vectors_by_hash(self, model_id: str, hashes: Iterable[str]) -> dict[str, bytes]:
        """Stored vectors of photos with these contents (copies and moves reuse them)."""
        wanted = list(set(hashes))
        found: dict[str, bytes] = {}
        for start in range(0, len(wanted), 500):
            chunk = wanted[start : start + 500]
            rows = self.conn.execute(
                f"SELECT p.content_hash, e.vector FROM photos p JOIN embeddings e "
                f"ON e.photo_id = p.id AND e.model_id = ? "
                f"WHERE p.content_hash IN ({','.join('?' * len(chunk))})",
                [model_id, *chunk],
            )
            found.update({h: v for h, v in rows})
        return found

    def record_batch(
        self, model_id: str, results: Sequence[PhotoResult], reused: dict[str, bytes] | None = None
    ) -> None:
        """Write one batch of outcomes in one transaction: all of it lands, or none."""
        now = time.time()
        ok = [r for r in results if r.error is None]
        failed = [r for r in results if r.error is not None]
        reused = reused or {}
        with self.write() as conn:
            conn.executemany(
                "UPDATE photos SET status = 'ok', error = NULL, content_hash = ?, width = ?, "
                "height = ?, taken_at = ?, camera = ?, indexed_at = ? WHERE id = ?",
                [
                    (r.content_hash, r.width, r.height, r.taken_at, r.camera, now, r.photo_id)
                    for r in ok
                ],
            )
            conn.executemany(
                "INSERT OR REPLACE INTO embeddings (photo_id, model_id, vector) VALUES (?, ?, ?)",
                [
                    (
                        r.photo_id,
                        model_id,
                        to_blob(r.vector) if r.vector is not None else reused[r.content_hash or ""],
                    )
                    for r in ok
                ],
            )
            conn.executemany(
                "UPDATE photos SET status = 'error', error = ?, content_hash = ?, indexed_at = ? "
                "WHERE id = ?",
                [(r.error, r.content_hash, now, r.photo_id) for r in failed],
            )
            # Perceptual hashes (core/duplicates.py): a statement of their own, kept apart.
            conn.executemany(
                "UPDATE photos SET phash = ? WHERE id = ?",
                [(r.phash, r.photo_id) for r in ok if r.phash is not None],
            )

    # -- embeddings -------------------------------------------------------------------------

    def load_vectors(
        self,
        model_id: str,
        dim: int,
        after_rowid: int = 0,
        limit: int | None = None,
        dtype: DTypeLike = np.float32,
    ) -> VectorRows:
        """The vectors of a model (any photo status) added after ``after_rowid``, oldest first.

        Args:
            limit: at most this many rows (read a large library in chunks: bounded memory).
            dtype: of the returned matrix; float16 is the stored form and costs no conversion.
        """
        sql = (
            "SELECT e.rowid, e.photo_id, e.vector, p.status = 'ok' FROM embeddings e "
            "JOIN photos p ON p.id = e.photo_id WHERE e.model_id = ? AND e.rowid > ? "
            "ORDER BY e.rowid"
        )
        params: list[object] = [model_id, after_rowid]
        if limit is not None:
            sql += " LIMIT ?"
            params.append(limit)
        rows = self.conn.execute(sql, params).fetchall()
        count = len(rows)
        return VectorRows(
            np.fromiter((r[0] for r in rows), dtype=np.int64, count=count),
            np.fromiter((r[1] for r in rows), dtype=np.int64, count=count),
            from_blobs([r[2] for r in rows], dim, dtype),
            np.fromiter((bool(r[3]) for r in rows), dtype=bool, count=count),
        )

    def vector_of(self, photo_id: int, model_id: str, dim: int) -> NDArray[np.float32] | None:
        row = self.conn.execute(
            "SELECT vector FROM embeddings WHERE photo_id = ? AND model_id = ?",
            (photo_id, model_id),
        ).fetchone()
        return from_blob(row[0], dim) if row else None

    def status_changes(self, after_seq: int) -> tuple[list[tuple[int, str]], int]:
        """(photo_id, status) of photos whose status changed after ``after_seq``; newest seq."""
        rows = self.conn.execute(
            "SELECT id, status, seq FROM photos WHERE seq > ? ORDER BY seq", (after_seq,)
        ).fetchall()
        newest = rows[-1][2] if rows else after_seq
        return [(r[0], r[1]) for r in rows], int(newest)

    def max_seq(self) -> int:
        return int(self.conn.execute("SELECT coalesce(max(seq), 0) FROM photos").fetchone()[0])

    @contextmanager
    def snapshot(self) -> Iterator[None]:
        """Several reads that see one consistent state of the library."""
        if self.conn.in_transaction:
            yield
            return
        self.conn.execute("BEGIN")
        try:
            yield
        finally:
            self.conn.execute("COMMIT")

    def embedding_counts(self) -> dict[str, int]:
        rows = self.conn.execute("SELECT model_id, count(*) FROM embeddings GROUP BY model_id")
        return {r[0]: int(r[1]) for r in rows}

    def delete_embeddings(self, model_id: str) -> int:
        with self.write() as conn:
            count = conn.execute("DELETE FROM embeddings WHERE model_id = ?", (model_id,)).rowcount
            conn.execute("DELETE FROM models WHERE id = ?", (model_id,))
            self._bump_generation(conn)
        return int(count)

    def count_needing_embedding(self, model_id: str) -> int:
        return len(self.photos_to_embed(model_id))

    # -- reading for the faces --------------------------------------------------------------

    def counts(self) -> dict[str, int]:
        result = dict.fromkeys(STATUSES, 0)
        for status, count in self.conn.execute(
            "SELECT status, count(*) FROM photos GROUP BY status"
        ):
            result[status] = int(count)
        return result

    def root_counts(self) -> dict[int, int]:
        """Photos per root that are not missing (what the sidebar shows)."""
        rows = self.conn.execute(
            "SELECT root_id, count(*) FROM photos WHERE status != 'missing' GROUP BY root_id"
        )
        return {int(r[0]): int(r[1]) for r in rows}

    def failures(self, limit: int | None = None) -> list[tuple[str, str]]:
        sql = "SELECT path, error FROM photos WHERE status = 'error' ORDER BY path"
        if limit is not None:
            sql += f" LIMIT {int(limit)}"
        return [(r[0], r[1] or "unknown error") for r in self.conn.execute(sql)]

    _INFO_COLUMNS = (
        "p.id, p.path, p.root_id, p.status, p.error, p.width, p.height, p.taken_at, p.camera, "
        "p.size, p.content_hash, r.online"
    )

    def photo_info(self, photo_ids: Sequence[int]) -> dict[int, PhotoInfo]:
        found: dict[int, PhotoInfo] = {}
        for start in range(0, len(photo_ids), 500):
            chunk = list(photo_ids[start : start + 500])
            rows = self.conn.execute(
                f"SELECT {self._INFO_COLUMNS} FROM photos p JOIN roots r ON r.id = p.root_id "
                f"WHERE p.id IN ({','.join('?' * len(chunk))})",
                chunk,
            )
            for r in rows:
                found[r[0]] = _info(r)
        return found

    def photo_by_path(self, path: str | Path) -> PhotoInfo | None:
        row = self.conn.execute(
            f"SELECT {self._INFO_COLUMNS} FROM photos p JOIN roots r ON r.id = p.root_id "
            "WHERE p.path = ?",
            (str(path),),
        ).fetchone()
        return _info(row) if row else None

    def browse_ids(self, root_id: int | None = None) -> list[int]:
        """Photos to show with no search, newest first (by EXIF date, then by when added)."""
        where = "status IN ('ok', 'pending')"
        params: list[object] = []
        if root_id is not None:
            where += " AND root_id = ?"
            params.append(root_id)
        rows = self.conn.execute(
            f"SELECT id FROM photos WHERE {where} ORDER BY coalesce(taken_at, '') DESC, id DESC",
            params,
        )
        return [int(r[0]) for r in rows]
