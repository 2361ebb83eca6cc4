"""What a photo can be filtered by, derived from what indexing read: date, file type, orientation.

A photo's date is its EXIF DateTimeOriginal when it has one (``date_source`` "exif"), else its
file's modification time (``date_source`` "file"), so photos without EXIF never vanish from date
views. Dates are stored as local wall-clock ISO text, ``YYYY-MM-DDTHH:MM:SS`` (no offset: an EXIF
time is the camera's local time and a file time is read in the computer's zone), so a day range
is a plain string range on an indexed column.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Sequence
from datetime import datetime
from pathlib import PurePath

# A photo whose sides differ by at most this fraction of the longer side is square.
SQUARE_TOLERANCE = 0.02
ORIENTATIONS = ("landscape", "portrait", "square")
DATE_SOURCES = ("exif", "file")


def orientation(width: int | None, height: int | None) -> str | None:
    """ "landscape", "portrait" or "square" from the displayed size; None when unknown."""
    if not width or not height:
        return None
    if abs(width - height) <= SQUARE_TOLERANCE * max(width, height):
        return "square"
    return "landscape" if width > height else "portrait"


def file_type(path: str | bytes) -> str:
    """The extension, lower case, without the dot ("jpg", "heic"); "" when there is none.
    (A path that is not UTF-8 is stored as bytes.)"""
    return PurePath(os.fsdecode(path)).suffix.lower().lstrip(".")


def photo_date(taken_at: str | None, mtime_ns: int) -> tuple[str, str]:
    """(local ISO date-time, source): the EXIF time when there is one, else the file's."""
    if taken_at and len(taken_at) >= 19:
        return taken_at[:19], "exif"
    try:
        moment = datetime.fromtimestamp(mtime_ns / 1e9)
    except (OverflowError, OSError, ValueError):
        moment = datetime(1970, 1, 1)
    return moment.replace(microsecond=0).isoformat(), "file"


def fill_search_fields(conn: sqlite3.Connection, photo_ids: Sequence[int] | None = None) -> int:
    """Compute date, date source, file type and orientation for these photos (None: all).

    Runs inside the caller's transaction. Returns how many rows were written.
    """
    select = "SELECT id, path, width, height, taken_at, mtime_ns FROM photos"
    written = 0
    if photo_ids is None:
        chunks: list[list[int] | None] = [None]
    else:
        ids = list(photo_ids)
        chunks = [ids[i : i + 500] for i in range(0, len(ids), 500)]
    for chunk in chunks:
        if chunk is None:
            rows = conn.execute(select).fetchall()
        elif not chunk:
            continue
        else:
            rows = conn.execute(
                f"{select} WHERE id IN ({','.join('?' * len(chunk))})", chunk
            ).fetchall()
        updates = []
        for photo_id, path, width, height, taken_at, mtime_ns in rows:
            when, source = photo_date(taken_at, int(mtime_ns or 0))
            updates.append((when, source, file_type(path), orientation(width, height), photo_id))
        conn.executemany(
            "UPDATE photos SET date_at = ?, date_source = ?, file_type = ?, orientation = ? "
            "WHERE id = ?",
            updates,
        )
        written += len(updates)
    return written
