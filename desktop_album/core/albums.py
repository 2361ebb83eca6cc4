"""Favourites and albums, kept in the library (never written into the photo files).

They follow the photo's identity, its row id, which survives renames and moves (the scanner
matches a moved file by its content hash and keeps the row). Each entry also remembers the
photo's content hash: a photo that leaves the library (trashed, its folder removed) and is found
again with the same content comes back as a favourite and into its albums. Vectors live apart,
so a model switch changes nothing here.

Reads work on any connection; the functions that change something are writes, for the one
writer.
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from desktop_album.core.errors import (
    ALREADY_EXISTS,
    INVALID_NAME,
    NOT_FOUND,
    OFFLINE,
    DesktopAlbumError,
)
from desktop_album.core.file_actions import EXPORT, ActionReport, FileOutcome, copy_paths
from desktop_album.core.library import Library


@dataclass(frozen=True)
class Album:
    id: int
    name: str
    count: int  # photos in it that the library holds
    created_at: float


class AlbumError(DesktopAlbumError):
    """An album name that is empty or taken, or an album that no longer exists."""


def _clean_name(name: str) -> str:
    cleaned = " ".join(name.split())
    if not cleaned:
        raise AlbumError("An album needs a name.", kind=INVALID_NAME, name=name)
    return cleaned


def _chunks(ids: Sequence[int], size: int = 500) -> Iterable[list[int]]:
    for start in range(0, len(ids), size):
        yield list(ids[start : start + size])


def _hashes(conn: sqlite3.Connection, photo_ids: Sequence[int]) -> dict[int, str | None]:
    found: dict[int, str | None] = {}
    for chunk in _chunks(photo_ids):
        rows = conn.execute(
            f"SELECT id, content_hash FROM photos WHERE id IN ({','.join('?' * len(chunk))})",
            chunk,
        )
        found.update({int(r[0]): r[1] for r in rows})
    return found


def _resolve(conn: sqlite3.Connection, rows: Iterable[tuple[int | None, str | None]]) -> list[int]:
    """Photo ids of entries (photo id, content hash) in order, without repeats: an entry whose
    photo left the library stands for a photo with its content, if one came back."""
    entries = list(rows)
    orphans = {h for i, h in entries if i is None and h}
    by_hash: dict[str, int] = {}
    hashes = sorted(orphans)
    for start in range(0, len(hashes), 500):
        chunk = hashes[start : start + 500]
        found = conn.execute(
            f"SELECT content_hash, min(id) FROM photos WHERE content_hash IN "
            f"({','.join('?' * len(chunk))}) GROUP BY content_hash",
            chunk,
        )
        by_hash.update({r[0]: int(r[1]) for r in found})
    result: list[int] = []
    seen: set[int] = set()
    for photo_id, content_hash in entries:
        resolved = photo_id if photo_id is not None else by_hash.get(content_hash or "")
        if resolved is not None and resolved not in seen:
            seen.add(resolved)
            result.append(int(resolved))
    return result


def remember_hashes(library: Library, photo_ids: Sequence[int]) -> None:
    """Store the current content hash of these photos in their entries, before they leave the
    library (a file action calls this), so that they can be found again by content."""
    with library.write() as conn:
        for chunk in _chunks(list(photo_ids)):
            marks = ",".join("?" * len(chunk))
            for table in ("album_items", "favourites"):
                conn.execute(
                    f"UPDATE {table} SET content_hash = coalesce((SELECT p.content_hash FROM "
                    f"photos p WHERE p.id = {table}.photo_id), content_hash) "
                    f"WHERE photo_id IN ({marks})",
                    chunk,
                )


# -- favourites -----------------------------------------------------------------------------


def favourite_ids(library: Library, photo_ids: Sequence[int] | None = None) -> set[int]:
    """Which photos are favourites (of ``photo_ids``, or all of them)."""
    rows = library.conn.execute("SELECT photo_id, content_hash FROM favourites ORDER BY id")
    every = set(_resolve(library.conn, rows))
    return every if photo_ids is None else every & set(photo_ids)


def favourite_photos(library: Library) -> list[int]:
    """The favourites, most recently marked first."""
    rows = library.conn.execute(
        "SELECT photo_id, content_hash FROM favourites ORDER BY added_at DESC, id DESC"
    )
    return _resolve(library.conn, rows)


def set_favourite(library: Library, photo_ids: Sequence[int], favourite: bool) -> None:
    """Mark or unmark photos as favourites (unknown ids are ignored)."""
    ids = list(dict.fromkeys(photo_ids))
    now = time.time()
    with library.write() as conn:
        hashes = _hashes(conn, ids)
        known = [i for i in ids if i in hashes]
        if favourite:
            conn.executemany(
                "INSERT OR IGNORE INTO favourites (photo_id, content_hash, added_at) "
                "VALUES (?, ?, ?)",
                [(i, hashes[i], now) for i in known],
            )
        else:
            conn.executemany("DELETE FROM favourites WHERE photo_id = ?", [(i,) for i in known])
            orphaned = [(h,) for h in hashes.values() if h]
            conn.executemany(
                "DELETE FROM favourites WHERE photo_id IS NULL AND content_hash = ?", orphaned
            )


def toggle_favourite(library: Library, photo_ids: Sequence[int]) -> bool:
    """Favourite all of these, or, if they all are already, none of them; returns the new state
    (what a heart button on a selection does)."""
    now_all = favourite_ids(library, photo_ids) >= set(photo_ids)
    set_favourite(library, photo_ids, not now_all)
    return not now_all


# -- albums ---------------------------------------------------------------------------------


def albums(library: Library) -> list[Album]:
    """Every album by name, with how many of its photos the library holds."""
    found = library.conn.execute(
        "SELECT id, name, created_at FROM albums ORDER BY name COLLATE NOCASE"
    )
    return [
        Album(int(r[0]), r[1], len(album_photos(library, int(r[0]))), float(r[2])) for r in found
    ]


def album(library: Library, album_id: int) -> Album:
    row = library.conn.execute(
        "SELECT id, name, created_at FROM albums WHERE id = ?", (album_id,)
    ).fetchone()
    if row is None:
        raise AlbumError("This album no longer exists.", kind=NOT_FOUND, album_id=album_id)
    return Album(int(row[0]), row[1], len(album_photos(library, album_id)), float(row[2]))


def create_album(library: Library, name: str) -> Album:
    cleaned = _clean_name(name)
    try:
        with library.write() as conn:
            cursor = conn.execute(
                "INSERT INTO albums (name, created_at) VALUES (?, ?)", (cleaned, time.time())
            )
            album_id = int(cursor.lastrowid or 0)
    except sqlite3.IntegrityError as exc:
        raise AlbumError(
            f"There is already an album called {cleaned}.", kind=ALREADY_EXISTS, name=cleaned
        ) from exc
    return album(library, album_id)


def rename_album(library: Library, album_id: int, name: str) -> Album:
    cleaned = _clean_name(name)
    try:
        with library.write() as conn:
            changed = conn.execute(
                "UPDATE albums SET name = ? WHERE id = ?", (cleaned, album_id)
            ).rowcount
    except sqlite3.IntegrityError as exc:
        raise AlbumError(
            f"There is already an album called {cleaned}.", kind=ALREADY_EXISTS, name=cleaned
        ) from exc
    if not changed:
        raise AlbumError("This album no longer exists.", kind=NOT_FOUND, album_id=album_id)
    return album(library, album_id)


def delete_album(library: Library, album_id: int) -> None:
    """Forget an album; its photos stay where they are."""
    with library.write() as conn:
        conn.execute("DELETE FROM albums WHERE id = ?", (album_id,))


def add_to_album(library: Library, album_id: int, photo_ids: Sequence[int]) -> int:
    """Add photos (already there: ignored); returns how many were added."""
    album(library, album_id)  # raises when it was deleted meanwhile
    ids = list(dict.fromkeys(photo_ids))
    present = set(album_photos(library, album_id))
    now = time.time()
    with library.write() as conn:
        hashes = _hashes(conn, ids)
        new = [i for i in ids if i in hashes and i not in present]
        conn.executemany(
            "INSERT OR IGNORE INTO album_items (album_id, photo_id, content_hash, added_at) "
            "VALUES (?, ?, ?, ?)",
            [(album_id, i, hashes[i], now) for i in new],
        )
    return len(new)


def remove_from_album(library: Library, album_id: int, photo_ids: Sequence[int]) -> int:
    """Take photos out of an album (the photos themselves stay); returns how many left it."""
    ids = list(dict.fromkeys(photo_ids))
    before = set(album_photos(library, album_id))
    with library.write() as conn:
        hashes = _hashes(conn, ids)
        conn.executemany(
            "DELETE FROM album_items WHERE album_id = ? AND photo_id = ?",
            [(album_id, i) for i in ids],
        )
        conn.executemany(
            "DELETE FROM album_items WHERE album_id = ? AND photo_id IS NULL AND content_hash = ?",
            [(album_id, h) for h in hashes.values() if h],
        )
    return len(before & set(ids))


def album_photos(library: Library, album_id: int) -> list[int]:
    """The album's photos, in the order they were added."""
    rows = library.conn.execute(
        "SELECT photo_id, content_hash FROM album_items WHERE album_id = ? ORDER BY added_at, id",
        (album_id,),
    )
    return _resolve(library.conn, rows)


def albums_of(library: Library, photo_id: int) -> list[Album]:
    """The albums a photo is in (for its details)."""
    return [a for a in albums(library) if photo_id in album_photos(library, a.id)]


def export_album(library: Library, album_id: int, folder: str | Path) -> ActionReport:
    """Copy the album's files into ``folder`` (names kept; a clash becomes "name (2).jpg").

    Reads only. Each file has its outcome: an offline or unreadable one is reported, the others
    are copied all the same.
    """
    ids = album_photos(library, album_id)
    infos = library.photo_info(ids)
    report = ActionReport(EXPORT, str(folder))
    wanted: list[tuple[int | None, str]] = []
    for photo_id in ids:
        info = infos.get(photo_id)
        if info is None:
            continue
        if not info.online:
            report.outcomes.append(
                FileOutcome(
                    info.path,
                    photo_id,
                    kind=OFFLINE,
                    message=f"{info.path} is on a drive that is not connected.",
                )
            )
        else:
            wanted.append((photo_id, info.path))
    report.outcomes.extend(copy_paths(wanted, folder, EXPORT).outcomes)
    return report
