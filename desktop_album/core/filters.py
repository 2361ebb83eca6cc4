"""Filters as SQL over the photos table: which photo ids a query may return.

The ids become a mask inside the vector index before the top-k is taken (search.py), so a filter
that keeps 1% of the photos returns that 1%'s best matches, never what is left of a top 50.
"""

from __future__ import annotations

import os
import sqlite3
from dataclasses import replace
from datetime import timedelta

import numpy as np
from numpy.typing import NDArray

from desktop_album.core.ordering import NEWEST, OLDEST, Browsed, browse_ordered
from desktop_album.core.query import Filters, normalise_type


def _folder_clause(folder: str) -> tuple[str, list[object]]:
    """Photos in ``folder`` or any folder below it: a range on the path index, no LIKE."""
    prefix = folder.rstrip(os.sep) + os.sep
    upper = prefix[:-1] + chr(ord(os.sep) + 1)  # the first string after every "prefix..."
    return "(p.path >= ? AND p.path < ?)", [prefix, upper]


# An album's photos: its entries by photo id, and entries whose photo left the library by the
# photo that came back with the same content (as albums._resolve reads them).
_IN_ENTRIES = (
    "p.id IN (SELECT photo_id FROM {table} WHERE {where} photo_id IS NOT NULL "
    "UNION SELECT min(q.id) FROM {table} e JOIN photos q ON q.content_hash = e.content_hash "
    "WHERE {where_e} e.photo_id IS NULL GROUP BY q.content_hash)"
)
_ALBUM_CLAUSE = _IN_ENTRIES.format(
    table="album_items", where="album_id = ? AND", where_e="e.album_id = ? AND"
)
_FAVOURITES_CLAUSE = _IN_ENTRIES.format(table="favourites", where="", where_e="")
_THING_CLAUSE = "p.id IN (SELECT photo_id FROM photo_tags WHERE model_id = ? AND tag = ?)"


def filter_sql(filters: Filters, searchable_only: bool = True) -> tuple[str, list[object]]:
    """A WHERE clause over ``photos p JOIN roots r`` and its params.

    Args:
        searchable_only: keep only photos whose status is ok (the index knows this already).
    """
    clauses = ["p.status = 'ok'"] if searchable_only else ["1"]
    params: list[object] = []
    if filters.dates is not None:
        if filters.dates.start is not None:
            clauses.append("p.date_at >= ?")
            params.append(filters.dates.start.isoformat())
        if filters.dates.end is not None:
            clauses.append("p.date_at < ?")
            params.append((filters.dates.end + timedelta(days=1)).isoformat())
    if filters.folders:
        parts = [_folder_clause(f) for f in filters.folders]
        clauses.append("(" + " OR ".join(c for c, _ in parts) + ")")
        for _, folder_params in parts:
            params.extend(folder_params)
    if filters.camera:
        clauses.append("p.camera LIKE ? ESCAPE '\\'")
        escaped = filters.camera.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        params.append(f"%{escaped}%")
    if filters.file_types:
        types = sorted({t for ext in filters.file_types for t in normalise_type(ext)})
        clauses.append(f"p.file_type IN ({','.join('?' * len(types))})")
        params.extend(types)
    if filters.orientation:
        clauses.append("p.orientation = ?")
        params.append(filters.orientation)
    if filters.offline is not None:
        clauses.append("r.online = ?")
        params.append(0 if filters.offline else 1)
    if filters.album is not None:
        clauses.append(_ALBUM_CLAUSE)
        params.extend([filters.album, filters.album])
    if filters.favourites:
        clauses.append(_FAVOURITES_CLAUSE)
    if filters.things and filters.things_model is None:
        raise ValueError("a things filter needs the model whose tags it reads")
    for tag in filters.things:
        clauses.append(_THING_CLAUSE)
        params.extend([filters.things_model, tag])
    return " AND ".join(clauses), params


def matching_ids(
    conn: sqlite3.Connection, filters: Filters, searchable_only: bool = True
) -> NDArray[np.int64]:
    """Ids of the photos that pass ``filters``."""
    where, params = filter_sql(filters, searchable_only)
    join = " JOIN roots r ON r.id = p.root_id" if filters.offline is not None else ""
    cursor = conn.execute(f"SELECT p.id FROM photos p{join} WHERE {where}", params)
    return np.fromiter((row[0] for row in cursor), dtype=np.int64)


def filter_parts(filters: Filters) -> list[Filters]:
    """``filters`` split into parts whose ids can be read and cached apart, then ANDed.

    The date range alone and the folders alone are each read from one covering index (no
    table rows), so changing the folder keeps the date part cached and vice versa; an album,
    the favourites and the things are parts of their own too (a search inside an album keeps
    its mask while the text changes).
    """
    parts = []
    if filters.dates is not None:
        parts.append(Filters(dates=filters.dates))
    if filters.folders:
        parts.append(Filters(folders=filters.folders))
    if filters.album is not None or filters.favourites:
        parts.append(Filters(album=filters.album, favourites=filters.favourites))
    if filters.things:
        parts.append(Filters(things=filters.things, things_model=filters.things_model))
    rest = replace(
        filters, dates=None, folders=(), album=None, favourites=False, things=(), things_model=None
    )
    if not rest.is_empty():
        parts.append(rest)
    return parts


def browse(
    conn: sqlite3.Connection,
    filters: Filters,
    newest_first: bool = True,
    limit: int | None = None,
    order: str | None = None,
) -> list[int]:
    """Photos passing ``filters`` in date order (or ``order``: core/ordering.py), with no
    ranking (an empty search: a timeline)."""
    where, params = filter_sql(filters)
    chosen = order or (NEWEST if newest_first else OLDEST)
    return browse_ordered(conn, where, params, chosen, limit, with_sections=False).ids


def browse_dated(
    conn: sqlite3.Connection, filters: Filters, newest_first: bool = True
) -> list[tuple[int, str | None]]:
    """(id, date) of the photos passing ``filters``, in date order: a timeline with what its
    date headers need, in one query."""
    where, params = filter_sql(filters, searchable_only=False)
    where = f"p.status IN ('ok', 'pending') AND {where}"  # waiting for indexing: shown too
    order = "DESC" if newest_first else "ASC"
    sql = (
        f"SELECT p.id, p.date_at FROM photos p JOIN roots r ON r.id = p.root_id WHERE {where} "
        f"ORDER BY p.date_at {order}, p.id {order}"
    )
    return [(int(r[0]), r[1]) for r in conn.execute(sql, params)]


def browse_in_order(conn: sqlite3.Connection, filters: Filters, order: str) -> Browsed:
    """The timeline in any browse order, with its headers: photos passing ``filters``, those
    waiting for indexing included."""
    where, params = filter_sql(filters, searchable_only=False)
    where = f"p.status IN ('ok', 'pending') AND {where}"
    return browse_ordered(conn, where, params, order)


def photo_dates(
    conn: sqlite3.Connection, photo_ids: list[int]
) -> dict[int, tuple[str | None, str | None]]:
    """(date, source) of each photo: its EXIF date or file time, and which."""
    found: dict[int, tuple[str | None, str | None]] = {}
    for start in range(0, len(photo_ids), 500):
        chunk = photo_ids[start : start + 500]
        rows = conn.execute(
            f"SELECT id, date_at, date_source FROM photos "
            f"WHERE id IN ({','.join('?' * len(chunk))})",
            chunk,
        )
        for photo_id, when, source in rows:
            found[int(photo_id)] = (when, source)
    return found
