"""The library file: roots, photos and embeddings in one SQLite database (WAL).

One ``Library`` object is one connection, used only by the thread that opened it. The app keeps
exactly one writer (the index worker); searches and the grid read through their own connections,
which WAL lets run while the writer commits.
"""

from __future__ import annotations

import os
import secrets
import sqlite3
import time
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import DTypeLike, NDArray
from sqlite_utils import Database

from desktop_album.core.errors import (
    CorruptLibraryError,
    DesktopAlbumError,
    LibraryError,
    LibraryVersionError,
    ReadOnlyError,
    as_environment_error,
)
from desktop_album.core.facets import file_type, fill_search_fields, photo_date
from desktop_album.core.migrations import SCHEMA_VERSION, migrate
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
    # Held back by the vanish guard: gone from disk, not yet confirmed missing by the user.
    vanished: bool = False
    date_at: str | None = None  # the EXIF date, else the file's time (search and timelines)
    date_source: str | None = None  # "exif" or "file"


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


def path_to_db(path: str | Path) -> str | bytes:
    """How a file path is stored: TEXT when it is valid UTF-8, else its raw bytes (a BLOB).

    On Linux a file name is bytes; one that is not UTF-8 (a Latin-1 ``\xe9t\xe9.png``) reaches
    Python with surrogate escapes, which SQLite cannot store as text. Every path that enters
    SQLite goes through here, and every path that leaves it through :func:`path_from_db`.
    """
    text = str(path)
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return os.fsencode(text)
    return text


def path_from_db(value: str | bytes) -> str:
    """The path :func:`path_to_db` stored, as Python names it (surrogate escapes kept)."""
    return os.fsdecode(value) if isinstance(value, bytes) else value


def shown_path(path: str | Path) -> str:
    """A path fit to print: bytes that are not UTF-8 are shown escaped (``\\xe9``)."""
    return os.fsencode(str(path)).decode("utf-8", "backslashreplace")


_SQLITE_HEADER = b"SQLite format 3\x00"


def _is_wal(path: Path) -> bool:
    """Whether the file's header says WAL mode (file format numbers 2 at offsets 18 and 19)."""
    with open(path, "rb") as file:
        header = file.read(20)
    return len(header) == 20 and header[18] == 2 and header[19] == 2


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
        path=path_from_db(row[1]),
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
        vanished=bool(row[12]),
        date_at=row[13],
        date_source=row[14],
    )


# How often a reader retries an open that a writer's WAL recovery got in the way of.
_READER_TRIES = 8


class Library:
    """One connection to a library file.

    A writer (the default) creates the file if missing, switches it to WAL and migrates it, but
    only after a read-only probe found it to be a good library of a known version: a damaged
    file or one from a newer Desktop Album is refused untouched. A reader (``read_only=True``,
    or :meth:`open_reader`) never migrates and never takes the write lock; it works on a
    read-only file or folder.

    Args:
        path: the SQLite file; created (with its folder) if missing.
        busy_timeout_ms: how long a reader or writer waits for a lock before failing.
        read_only: open a reader connection.
    """

    def __init__(
        self, path: str | Path, busy_timeout_ms: int = 10_000, *, read_only: bool = False
    ) -> None:
        self.path = Path(path)
        self.read_only = read_only
        try:
            version = self._probe()
            if read_only and (version is None or version < SCHEMA_VERSION):
                # A new or older library: a writer creates or upgrades it first (once).
                try:
                    Library(self.path, busy_timeout_ms).close()
                except ReadOnlyError as exc:
                    if version is None:
                        raise
                    raise ReadOnlyError(
                        f"The library {self.path} was made by an older Desktop Album and is "
                        "upgraded once before use, which needs it writable: make it (or its "
                        "folder) writable once.",
                        path=str(self.path),
                    ) from exc
            conn = self._connect(busy_timeout_ms) if not read_only else self._connect_reader()
        except DesktopAlbumError:
            raise
        except (sqlite3.Error, OSError) as exc:
            raise self._open_error(exc) from exc
        try:
            conn.execute(f"PRAGMA busy_timeout = {int(busy_timeout_ms)}")
            if read_only:
                self._check_version(int(conn.execute("PRAGMA user_version").fetchone()[0]))
                conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
            self.db = Database(conn)
            if not read_only:
                migrate(self.db, str(self.path))
        except BaseException as exc:
            conn.close()  # a refused library keeps no connection (nor its locks) open
            if isinstance(exc, (sqlite3.Error, OSError)):
                raise self._open_error(exc) from exc
            raise
        self.conn = conn

    @classmethod
    def open_reader(cls, path: str | Path, busy_timeout_ms: int = 10_000) -> Library:
        """A read-only connection: search, browse and status on a library that may be
        read-only (file or folder). Creates or upgrades the library only if it must and can."""
        return cls(path, busy_timeout_ms, read_only=True)

    def _probe(self) -> int | None:
        """The schema version of an existing library, read without changing a byte; None for
        a missing or empty file. Raises for a damaged file or one from a newer version."""
        try:
            size = self.path.stat().st_size
        except FileNotFoundError:
            return None
        if size == 0:
            return None
        with open(self.path, "rb") as file:
            header = file.read(100)
        if len(header) < 100 or not header.startswith(_SQLITE_HEADER):
            raise self._corrupt()
        page_size = int.from_bytes(header[16:18], "big")
        page_size = 65536 if page_size == 1 else page_size
        pages = int.from_bytes(header[28:32], "big")
        valid_for = int.from_bytes(header[92:96], "big")
        changes = int.from_bytes(header[24:28], "big")
        wal = Path(f"{self.path}-wal")
        pending_wal = wal.exists() and wal.stat().st_size > 0  # pages not yet in the file
        if valid_for == changes and pages * page_size > size and not pending_wal:
            raise self._corrupt()  # truncated: the header counts more pages than the file has
        conn = self._connect_reader()
        try:
            version = int(conn.execute("PRAGMA user_version").fetchone()[0])
            self._check_version(version)
            conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        finally:
            conn.close()
        return version

    def _connect_reader(self) -> sqlite3.Connection:
        """A read-only connection (``mode=ro``); ``immutable=1`` only where the WAL's
        shared-memory file cannot be made or written (a read-only folder or drive): then
        nothing at all is written or locked, and changes made later are not seen.

        Where the folder is writable, a failure is retried, never turned into an immutable
        reader: a ``mode=ro`` open can fail for a moment while a writer recovers or checkpoints
        the WAL, and an immutable reader would then show a stale library for the whole session.
        """
        uri = self.path.resolve().as_uri()
        shm = Path(f"{self.path}-shm")
        folder = self.path.parent
        shareable = os.access(folder, os.W_OK) or (shm.exists() and os.access(shm, os.W_OK))
        if not shareable:
            return sqlite3.connect(f"{uri}?immutable=1", uri=True, isolation_level=None)
        for attempt in range(_READER_TRIES):
            try:
                conn = sqlite3.connect(f"{uri}?mode=ro", uri=True, isolation_level=None)
                conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
                return conn
            except sqlite3.OperationalError as exc:
                transient = "readonly" in str(exc) or "locked" in str(exc) or "busy" in str(exc)
                if not transient or attempt == _READER_TRIES - 1:
                    raise
                time.sleep(0.05 * (attempt + 1))  # a writer's recovery takes milliseconds
        raise AssertionError("unreachable")

    def _connect(self, busy_timeout_ms: int) -> sqlite3.Connection:
        """The writer's connection, in WAL mode (the probe has accepted the file)."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        if not self.path.exists():
            self._create()
        # isolation_level=None: transactions are ours (BEGIN IMMEDIATE for every write, so
        # a read-then-write never fails with SQLITE_BUSY half-way).
        conn = sqlite3.connect(str(self.path), isolation_level=None, timeout=busy_timeout_ms / 1000)
        try:
            if not _is_wal(self.path):  # an empty file, or one made in rollback-journal mode
                if self.path.stat().st_size == 0:
                    conn.execute("PRAGMA page_size = 8192")
                conn.execute("PRAGMA journal_mode = WAL")
            conn.execute("PRAGMA synchronous = NORMAL")
            conn.execute("PRAGMA foreign_keys = ON")
        except BaseException:
            conn.close()
            raise
        return conn

    def _create(self) -> None:
        """Make a new library whole, beside its final place, and link it in atomically.

        Switching a file to WAL needs an exclusive lock that SQLite does not wait for when
        another connection holds a shared one: several connections creating one new library at
        once used to fail with "database is locked". A library that appears already complete
        and in WAL mode is never switched, so nothing races. The first link wins; the others
        use its file.
        """
        # Made like SQLite makes a file (0666 less the umask), not 0600 as mkstemp would.
        temporary = str(self.path.with_name(f".{self.path.name}.{secrets.token_hex(8)}.new"))
        os.close(os.open(temporary, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o666))
        try:
            conn = sqlite3.connect(temporary, isolation_level=None)
            try:
                # 8 KiB pages: one vector row no longer fills a page (NOTES.md: file -1/3).
                conn.execute("PRAGMA page_size = 8192")
                conn.execute("PRAGMA journal_mode = WAL")
                migrate(Database(conn), str(self.path))
            finally:
                conn.close()  # checkpoints: the whole library is in the file
            try:
                os.link(temporary, self.path)
            except FileExistsError:
                pass  # another connection created it first: use that one
            except OSError:  # a file system without hard links (FAT): a plain rename
                if not self.path.exists():
                    os.replace(temporary, self.path)
        finally:
            for leftover in (temporary, f"{temporary}-wal", f"{temporary}-shm"):
                with suppress(FileNotFoundError):
                    os.unlink(leftover)

    def _check_version(self, version: int) -> None:
        if version > SCHEMA_VERSION:
            raise LibraryVersionError(
                f"The library {self.path} was written by a newer Desktop Album (schema "
                f"{version}; this version knows up to {SCHEMA_VERSION}). Update the app; "
                "the file was not changed.",
                path=str(self.path),
                version=version,
            )

    def _corrupt(self) -> CorruptLibraryError:
        return CorruptLibraryError(
            f"The library {self.path} is damaged or is not a Desktop Album library. It was not "
            "changed; move it aside (or restore a backup) and start again.",
            path=str(self.path),
        )

    def _open_error(self, exc: sqlite3.Error | OSError) -> DesktopAlbumError:
        """What a failure to open means to the user: read-only, corrupt, missing drive..."""
        folder = self.path.parent
        readable = not self.path.exists() or os.access(self.path, os.R_OK)
        if (
            not self.read_only
            and readable
            and (
                (self.path.exists() and not os.access(self.path, os.W_OK))
                or not os.access(folder if folder.exists() else folder.parent, os.W_OK)
            )
        ):
            return ReadOnlyError(
                f"The library {self.path} cannot be written: it or its folder is read-only. "
                "Search and browsing still work; make it writable (or choose another library "
                "with --library) to index.",
                path=str(self.path),
            )
        mapped = as_environment_error(exc, self.path)
        if mapped is not None:
            return mapped
        return LibraryError(f"Cannot open the library {self.path}: {exc}.", path=str(self.path))

    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> Library:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def write(self) -> Iterator[sqlite3.Connection]:
        """One write transaction, taken with BEGIN IMMEDIATE and committed on success.

        The one place library writes fail: a full disk, a read-only file or a damaged library
        leave as the core's errors (DiskFullError, ReadOnlyError, ...), with the transaction
        rolled back and all earlier commits kept.
        """
        if self.read_only:
            raise ReadOnlyError(
                f"The library {self.path} was opened for reading only.", path=str(self.path)
            )
        try:
            self.conn.execute("BEGIN IMMEDIATE")
            try:
                yield self.conn
            except BaseException:
                if self.conn.in_transaction:
                    self.conn.execute("ROLLBACK")
                raise
            else:
                self.conn.execute("COMMIT")
        except sqlite3.Error as exc:
            if self.conn.in_transaction:
                with suppress(sqlite3.Error):
                    self.conn.execute("ROLLBACK")
            mapped = as_environment_error(exc, self.path)
            if mapped is None:
                raise
            raise mapped from exc

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
                (path_to_db(resolved), time.time()),
            )
        root = self.root_by_path(resolved)
        assert root is not None
        return root

    def roots(self) -> list[Root]:
        rows = self.conn.execute(
            "SELECT id, path, online, last_scan_at FROM roots ORDER BY path"
        ).fetchall()
        return [Root(r[0], path_from_db(r[1]), bool(r[2]), r[3]) for r in rows]

    def root_by_path(self, path: str | Path) -> Root | None:
        row = self.conn.execute(
            "SELECT id, path, online, last_scan_at FROM roots WHERE path = ?", (path_to_db(path),)
        ).fetchone()
        return Root(row[0], path_from_db(row[1]), bool(row[2]), row[3]) if row else None

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
        stored = (StoredPhoto(r[0], path_from_db(r[1]), *r[2:]) for r in rows)
        return {photo.path: photo for photo in stored}

    def add_pending(self, root_id: int, files: Iterable[tuple[str, int, int]]) -> int:
        """Insert new files (path, size, mtime_ns) as pending; returns how many were new.

        They get the file's date and type at once, so that a timeline shows them in place while
        they wait for indexing (which puts the EXIF date in when there is one)."""
        now = time.time()
        with self.write() as conn:
            cursor = conn.executemany(
                "INSERT OR IGNORE INTO photos (root_id, path, size, mtime_ns, status, added_at, "
                "date_at, date_source, file_type) VALUES (?, ?, ?, ?, 'pending', ?, ?, ?, ?)",
                (
                    (root_id, path_to_db(p), s, m, now, *photo_date(None, m), file_type(p))
                    for p, s, m in files
                ),
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
                stored = path_to_db(new_path)
                conn.execute("DELETE FROM photos WHERE path = ? AND id != ?", (stored, photo_id))
                conn.execute(
                    "UPDATE photos SET path = ?, root_id = ?, status = CASE "
                    "WHEN content_hash IS NULL THEN 'pending' "
                    "WHEN error IS NOT NULL THEN 'error' ELSE 'ok' END WHERE id = ?",
                    (stored, root_id, photo_id),
                )

    # -- photos: indexing -------------------------------------------------------------------

    def photos_to_embed(
        self, model_id: str, root_ids: Sequence[int] | None = None
    ) -> list[tuple[int, str]]:
        """(id, path) of photos that need a vector of this model, oldest first.

        Pending photos, readable photos with no vector of this model yet (after a model
        switch), and unreadable photos that failed under another model (tried once more: the
        failure may have been the model's). Offline roots are skipped.
        """
        where_root = ""
        params: list[object] = [model_id, model_id]
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
                    SELECT 1 FROM embeddings e WHERE e.photo_id = p.id AND e.model_id = ?))
                OR (p.status = 'error' AND p.failed_model IS NOT NULL
                    AND p.failed_model != ?))
            {where_root}
            ORDER BY p.id
            """,
            params,
        ).fetchall()
        return [(r[0], path_from_db(r[1])) for r in rows]

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
                "UPDATE photos SET status = 'ok', error = NULL, failed_model = NULL, "
                "content_hash = ?, width = ?, "
                "height = ?, taken_at = ?, camera = ?, indexed_at = ? WHERE id = ?",
                [
                    (r.content_hash, r.width, r.height, r.taken_at, r.camera, now, r.photo_id)
                    for r in ok
                ],
            )
            fill_search_fields(conn, [r.photo_id for r in ok])  # date, type, orientation
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
                "UPDATE photos SET status = 'error', error = ?, content_hash = ?, indexed_at = ?, "
                "failed_model = ? WHERE id = ?",
                [(r.error, r.content_hash, now, model_id, r.photo_id) for r in failed],
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
        return [(path_from_db(r[0]), r[1] or "unknown error") for r in self.conn.execute(sql)]

    _INFO_COLUMNS = (
        "p.id, p.path, p.root_id, p.status, p.error, p.width, p.height, p.taken_at, p.camera, "
        "p.size, p.content_hash, r.online, p.vanished_at IS NOT NULL, p.date_at, p.date_source"
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
            (path_to_db(path),),
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

    # -- photos: removed by a file action ----------------------------------------------------

    def remove_photos(self, photo_ids: Iterable[int]) -> int:
        """Forget photos whose files the user trashed or moved out of every root (the files are
        not touched here). Their vectors go; albums and favourites keep their content hash."""
        ids = list(photo_ids)
        with self.write() as conn:
            removed = sum(
                conn.execute("DELETE FROM photos WHERE id = ?", (i,)).rowcount for i in ids
            )
            if removed:
                self._bump_generation(conn)  # an incremental reader cannot see a deletion
        return removed

    # -- image spaces -----------------------------------------------------------------------

    def adopt_model_vectors(self, old_id: str, new_id: str) -> int:
        """Move the vectors stored under ``old_id`` to ``new_id``; return how many moved.

        Libraries written before image spaces keyed vectors by pack name. The first time such a
        pack is used, its vectors move to its image space id (once, in one transaction), and the
        old name is recorded in ``model_names`` so it can still be looked up. Vectors that
        ``new_id`` already has are kept and the old copies dropped. Nothing moves when the two
        were stored with different dimensions.
        """
        if old_id == new_id:
            return 0
        # Read first: the common case (nothing stored under the name) takes no write lock, so
        # searching a library on read-only media or beside a busy writer never waits here.
        if self.conn.execute("SELECT 1 FROM models WHERE id = ?", (old_id,)).fetchone() is None:
            return 0
        with self.write() as conn:
            old = conn.execute(
                "SELECT dim, added_at FROM models WHERE id = ?", (old_id,)
            ).fetchone()
            if old is None:
                return 0
            new = conn.execute("SELECT dim FROM models WHERE id = ?", (new_id,)).fetchone()
            if new is not None and int(new[0]) != int(old[0]):
                return 0
            conn.execute(
                "INSERT OR IGNORE INTO models (id, dim, added_at) VALUES (?, ?, ?)",
                (new_id, old[0], old[1]),
            )
            moved = conn.execute(
                "UPDATE OR IGNORE embeddings SET model_id = ? WHERE model_id = ?", (new_id, old_id)
            ).rowcount
            conn.execute("DELETE FROM embeddings WHERE model_id = ?", (old_id,))
            conn.execute("DELETE FROM models WHERE id = ?", (old_id,))
            conn.execute(
                "INSERT OR REPLACE INTO model_names (name, model_id) VALUES (?, ?)",
                (old_id, new_id),
            )
            self._bump_generation(conn)
        return int(moved)

    def has_model(self, model_id: str) -> bool:
        """Whether vectors were ever stored under this id (one indexed lookup)."""
        row = self.conn.execute("SELECT 1 FROM models WHERE id = ?", (model_id,)).fetchone()
        return row is not None

    def model_id_for_name(self, name: str) -> str:
        """The id the vectors once stored under pack name ``name`` live under now."""
        row = self.conn.execute(
            "SELECT model_id FROM model_names WHERE name = ?", (name,)
        ).fetchone()
        return str(row[0]) if row else name

    # -- retrying failures --------------------------------------------------------------------

    def reset_failed(self, root_ids: Sequence[int] | None = None) -> int:
        """Make unreadable photos pending again, so the next index run tries them once more.

        Args:
            root_ids: only photos under these roots (None: every root).

        Returns:
            How many photos will be tried again.
        """
        where = "status = 'error'"
        params: list[object] = []
        if root_ids is not None:
            if not root_ids:
                return 0
            where += f" AND root_id IN ({','.join('?' * len(root_ids))})"
            params.extend(root_ids)
        with self.write() as conn:
            cursor = conn.execute(
                f"UPDATE photos SET status = 'pending', error = NULL, failed_model = NULL "
                f"WHERE {where}",
                params,
            )
            return int(cursor.rowcount)

    # -- scan problems and photos awaiting confirmation ---------------------------------------

    def set_scan_problems(self, root_id: int, problems: Sequence[tuple[str, str]]) -> None:
        """Replace what the last full scan of a root could not read: (folder, reason)."""
        with self.write() as conn:
            conn.execute("DELETE FROM scan_problems WHERE root_id = ?", (root_id,))
            now = time.time()
            conn.executemany(
                "INSERT INTO scan_problems (root_id, path, reason, seen_at) VALUES (?, ?, ?, ?)",
                [(root_id, path, reason, now) for path, reason in problems],
            )

    def scan_problems(self) -> list[tuple[str, str]]:
        """(folder, reason) of every folder the last full scans could not read, by path."""
        rows = self.conn.execute("SELECT path, reason FROM scan_problems ORDER BY path")
        return [(r[0], r[1]) for r in rows]

    def update_vanished(
        self, root_id: int, held_back: Sequence[int], scope: Iterable[int] | None = None
    ) -> None:
        """Mark ``held_back`` photos as vanished (awaiting the user's confirmation) and clear
        the mark from every other photo of the root (of ``scope`` only, when given): they were
        seen again or confirmed missing."""
        marked = {
            int(r[0])
            for r in self.conn.execute(
                "SELECT id FROM photos WHERE root_id = ? AND vanished_at IS NOT NULL", (root_id,)
            )
        }
        held = set(held_back)
        clear = marked - held
        if scope is not None:
            clear &= set(scope)
        if not clear and held <= marked:
            return  # nothing changes: no write transaction
        with self.write() as conn:
            conn.executemany(
                "UPDATE photos SET vanished_at = NULL WHERE id = ?", ((i,) for i in clear)
            )
            conn.executemany(
                "UPDATE photos SET vanished_at = ? WHERE id = ? AND vanished_at IS NULL",
                ((time.time(), i) for i in held - marked),
            )

    def vanished_count(self) -> int:
        """Photos held back by the vanish guard, awaiting the user's confirmation."""
        row = self.conn.execute("SELECT count(*) FROM photos WHERE vanished_at IS NOT NULL")
        return int(row.fetchone()[0])
