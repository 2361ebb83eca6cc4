"""Numbered schema migrations. The schema version is SQLite's ``user_version``.

Append new steps; never edit a released one. A library whose version is higher than the last
step here was written by a newer Desktop Album and is refused, never altered.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable

from sqlite_utils import Database

from desktop_album.core.errors import LibraryVersionError

_V1_INITIAL = """
        CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
        CREATE TABLE roots (
            id INTEGER PRIMARY KEY,
            path TEXT NOT NULL UNIQUE,
            added_at REAL NOT NULL,
            last_scan_at REAL,
            online INTEGER NOT NULL DEFAULT 1
        );
        CREATE TABLE photos (
            id INTEGER PRIMARY KEY,
            root_id INTEGER NOT NULL REFERENCES roots(id) ON DELETE CASCADE,
            path TEXT NOT NULL UNIQUE,
            size INTEGER NOT NULL,
            mtime_ns INTEGER NOT NULL,
            content_hash TEXT,
            width INTEGER,
            height INTEGER,
            taken_at TEXT,
            camera TEXT,
            status TEXT NOT NULL
                CHECK (status IN ('pending', 'ok', 'error', 'missing')),
            error TEXT,
            added_at REAL NOT NULL,
            indexed_at REAL,
            seq INTEGER NOT NULL DEFAULT 0
        );
        CREATE INDEX photos_root ON photos(root_id);
        CREATE INDEX photos_status ON photos(status);
        CREATE INDEX photos_hash ON photos(content_hash);
        CREATE INDEX photos_seq ON photos(seq);
        CREATE INDEX photos_taken ON photos(coalesce(taken_at, ''), id);
        CREATE TABLE models (
            id TEXT PRIMARY KEY,
            dim INTEGER NOT NULL,
            added_at REAL NOT NULL
        );
        CREATE TABLE embeddings (
            photo_id INTEGER NOT NULL REFERENCES photos(id) ON DELETE CASCADE,
            model_id TEXT NOT NULL REFERENCES models(id),
            vector BLOB NOT NULL,
            PRIMARY KEY (photo_id, model_id)
        );
        CREATE INDEX embeddings_model ON embeddings(model_id);
        -- Every change of a photo's status gets a fresh sequence number, so an in-memory
        -- search index can catch up by reading only what changed since it last looked.
        CREATE TRIGGER photos_status_seq AFTER UPDATE OF status ON photos
        BEGIN
            UPDATE photos SET seq = (SELECT coalesce(max(seq), 0) + 1 FROM photos)
            WHERE id = NEW.id;
        END;
        CREATE TRIGGER photos_insert_seq AFTER INSERT ON photos
        BEGIN
            UPDATE photos SET seq = (SELECT coalesce(max(seq), 0) + 1 FROM photos)
            WHERE id = NEW.id;
        END;
        INSERT INTO meta (key, value) VALUES ('generation', '0');
"""

# Favourites and albums: rows of the library, never written into photo files. Each entry points
# at the photo's id (which survives moves and renames) and remembers its content hash, so that a
# photo removed and found again (trash, then restore) comes back into its albums.
_V_ALBUMS = """
        CREATE TABLE albums (
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL UNIQUE,
            created_at REAL NOT NULL
        );
        CREATE TABLE album_items (
            id INTEGER PRIMARY KEY,
            album_id INTEGER NOT NULL REFERENCES albums(id) ON DELETE CASCADE,
            photo_id INTEGER REFERENCES photos(id) ON DELETE SET NULL,
            content_hash TEXT,
            added_at REAL NOT NULL,
            UNIQUE (album_id, photo_id)
        );
        CREATE INDEX album_items_photo ON album_items(photo_id);
        CREATE INDEX album_items_hash ON album_items(content_hash);
        CREATE TABLE favourites (
            id INTEGER PRIMARY KEY,
            photo_id INTEGER UNIQUE REFERENCES photos(id) ON DELETE SET NULL,
            content_hash TEXT,
            added_at REAL NOT NULL
        );
        CREATE INDEX favourites_hash ON favourites(content_hash);
"""

# Image spaces (issue 12): vectors are keyed by the image tower's identity (hash of
# visual/model.onnx + preprocess_cfg.json), not the pack's name, so packs that share an image
# tower share vectors. Libraries from before keep their vectors under the pack name until that
# pack is first used; they then move to its space id (Library.adopt_model_vectors), and this
# table remembers which name they came from.
_V_IMAGE_SPACE = """
        CREATE TABLE model_names (
            name TEXT PRIMARY KEY,
            model_id TEXT NOT NULL
        );
"""

# Which model was indexing when a photo failed: a photo that failed under one model is tried
# once more when another model indexes (the failure may have been the model's, not the file's).
_V_RETRY = """
        ALTER TABLE photos ADD COLUMN failed_model TEXT;
"""

# Scan problems: folders a full scan of a root could not read (replaced per root on each full
# scan), and photos the vanish guard held back from "missing" until the user confirms.
_V_SCAN_PROBLEMS = """
        CREATE TABLE scan_problems (
            root_id INTEGER NOT NULL REFERENCES roots(id) ON DELETE CASCADE,
            path TEXT NOT NULL,
            reason TEXT NOT NULL,
            seen_at REAL NOT NULL
        );
        CREATE INDEX scan_problems_root ON scan_problems(root_id);
        ALTER TABLE photos ADD COLUMN vanished_at REAL;
        -- Few photos are ever marked: a partial index keeps each scan's look at them cheap.
        CREATE INDEX photos_vanished ON photos(root_id) WHERE vanished_at IS NOT NULL;
"""


def _V_SEARCH_FIELDS(db: Database) -> None:
    """What search filters on: the photo's date and its source, file type, orientation.

    Existing photos get their fields computed now (the date from the file's time where EXIF has
    none); new ones when indexing records them (``facets.fill_search_fields``).
    """
    from desktop_album.core.facets import fill_search_fields

    for column in ("date_at TEXT", "date_source TEXT", "file_type TEXT", "orientation TEXT"):
        db.conn.execute(f"ALTER TABLE photos ADD COLUMN {column}")
    db.conn.execute("CREATE INDEX photos_date ON photos(date_at)")
    fill_search_fields(db.conn)


# Duplicates and things (issue 14): each photo's perceptual hash (a signed 64-bit pattern, see
# core/phash.py), and zero-shot tags per model. ``tag_sets`` records what the tags of a model
# were computed from (text model, vocabulary, the vectors seen), so they are recomputed when
# any of it changes; it also caches the vocabulary's text embeddings.
_V_DUPLICATES = """
        ALTER TABLE photos ADD COLUMN phash INTEGER;
        CREATE TABLE tag_sets (
            model_id TEXT PRIMARY KEY REFERENCES models(id) ON DELETE CASCADE,
            text_model TEXT NOT NULL,
            vocabulary TEXT NOT NULL,
            concepts BLOB NOT NULL,
            source TEXT NOT NULL,
            computed_at REAL NOT NULL
        );
        CREATE TABLE photo_tags (
            model_id TEXT NOT NULL REFERENCES tag_sets(model_id) ON DELETE CASCADE,
            tag TEXT NOT NULL,
            photo_id INTEGER NOT NULL REFERENCES photos(id) ON DELETE CASCADE,
            score REAL NOT NULL,
            PRIMARY KEY (model_id, tag, photo_id)
        ) WITHOUT ROWID;
        CREATE INDEX photo_tags_photo ON photo_tags(photo_id, model_id);
"""

# Tags of new photos are judged against stored backgrounds (no full pass per watcher batch), and
# the photos still without a perceptual hash are found without reading the whole table.
_V_TAG_BACKGROUNDS = """
        ALTER TABLE tag_sets ADD COLUMN background BLOB;
        ALTER TABLE tag_sets ADD COLUMN full_count INTEGER NOT NULL DEFAULT 0;
        ALTER TABLE tag_sets ADD COLUMN upto_rowid INTEGER NOT NULL DEFAULT 0;
        CREATE INDEX photos_without_phash ON photos(id) WHERE status = 'ok' AND phash IS NULL;
"""
# Browsing by file name, date modified or folder (issue 13): each order reads an index, so a
# large library opens its first page without sorting (core/ordering.py spells the expressions).
# The name is what follows the last "/" or "\\" (rtrim drops the trailing non-separators).
_V_BROWSE_ORDER = r"""
        CREATE INDEX photos_name ON photos(substr(path, length(rtrim(path, replace(replace(path, '/', ''), '\', ''))) + 1) COLLATE NOCASE, id);
        CREATE INDEX photos_mtime ON photos(mtime_ns, id);
        CREATE INDEX photos_folder ON photos(substr(path, 1, length(rtrim(path, replace(replace(path, '/', ''), '\', '')))), substr(path, length(rtrim(path, replace(replace(path, '/', ''), '\', ''))) + 1) COLLATE NOCASE, id);
"""  # noqa: E501

# Each step is SQL, run statement by statement inside one transaction, or a callable for steps
# that need Python.
MIGRATIONS: list[str | Callable[[Database], None]] = [
    _V1_INITIAL,
    _V_ALBUMS,
    _V_IMAGE_SPACE,
    _V_RETRY,
    _V_SCAN_PROBLEMS,
    _V_SEARCH_FIELDS,
    _V_DUPLICATES,
    _V_TAG_BACKGROUNDS,
    _V_BROWSE_ORDER,
]
SCHEMA_VERSION = len(MIGRATIONS)


def _statements(script: str) -> list[str]:
    """Split a script into complete statements (triggers keep their inner semicolons)."""
    statements, buffer = [], ""
    for line in script.splitlines(keepends=True):
        buffer += line
        if sqlite3.complete_statement(buffer):
            statements.append(buffer.strip())
            buffer = ""
    if buffer.strip():
        statements.append(buffer.strip())
    return statements


def migrate(db: Database, path: str, target: int = SCHEMA_VERSION) -> None:
    """Bring the schema up to date (or up to ``target`` steps: tests make older libraries with
    it), one transaction per step.

    The version is read again under the write lock, so two connections opening a new library at
    the same moment do not both run a step.
    """
    conn = db.conn
    for number in range(target):
        conn.execute("BEGIN IMMEDIATE")
        try:
            version = int(conn.execute("PRAGMA user_version").fetchone()[0])
            if version > SCHEMA_VERSION:
                raise LibraryVersionError(
                    f"The library {path} was written by a newer Desktop Album (schema "
                    f"{version}; this version knows up to {SCHEMA_VERSION}). Update the app; "
                    "the file was not changed."
                )
            if version > number:
                conn.execute("COMMIT")
                continue
            step = MIGRATIONS[number]
            if isinstance(step, str):
                for statement in _statements(step):
                    conn.execute(statement)
            else:
                step(db)
            conn.execute(f"PRAGMA user_version = {number + 1}")
            conn.execute("COMMIT")
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise
