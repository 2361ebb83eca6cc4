"""The orders photos can be shown in: relevance, date taken (newest or oldest first), file name,
date modified and folder; one implementation for the window and the CLI.

Browsing (no text) is ordered by SQLite. Name and folder order read an index of the
expressions spelled below (``_V_BROWSE_ORDER`` in migrations.py), rather than sort every
name. Names are then put in natural order ("IMG_2" before "IMG_10") where the list is not too
long for a Python sort (``NATURAL_LIMIT``). A text search keeps its hits (the same cut-off)
and only reorders them (:func:`order_hits`).
"""

from __future__ import annotations

import re
import sqlite3
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol, TypeVar

from desktop_album.core.library import path_from_db
from desktop_album.core.timeline import FOLDER as FOLDER_HEADER
from desktop_album.core.timeline import Section, folder_sections, sections

RELEVANCE, NEWEST, OLDEST = "relevance", "date", "oldest"
NAME, MODIFIED, FOLDER = "name", "modified", "folder"
ORDERS = (RELEVANCE, NEWEST, OLDEST, NAME, MODIFIED, FOLDER)


# The start of a path's last part: everything up to its last "/" or "\" (rtrim drops every
# trailing character that is not a separator). The index expressions and the queries must be
# spelled the same, so both are made here.
def _dir_end(col: str) -> str:
    return f"length(rtrim({col}, replace(replace({col}, '/', ''), '\\', '')))"


def name_sql(col: str = "path") -> str:
    """SQL for the file name of the path in ``col``."""
    return f"substr({col}, {_dir_end(col)} + 1)"


def dir_sql(col: str = "path") -> str:
    """SQL for the folder (with its final separator) of the path in ``col``."""
    return f"substr({col}, 1, {_dir_end(col)})"


def order_by(order: str, a: str = "") -> str:
    """What an order sorts by, as SQL over ``photos`` (``a``: its alias with a dot)."""
    return {
        NEWEST: f"{a}date_at DESC, {a}id DESC",
        OLDEST: f"{a}date_at ASC, {a}id ASC",
        NAME: f"{name_sql(a + 'path')} COLLATE NOCASE, {a}id",
        MODIFIED: f"{a}mtime_ns DESC, {a}id DESC",
        FOLDER: f"{dir_sql(a + 'path')}, {name_sql(a + 'path')} COLLATE NOCASE, {a}id",
    }[browse_key(order)]


_DIGITS = re.compile(r"(\d+)")


def natural_key(name: str) -> tuple[object, ...]:
    """ "IMG_2.jpg" before "IMG_10.jpg"; case ignored."""
    parts = _DIGITS.split(name.casefold())
    return tuple(int(p) if n % 2 else p for n, p in enumerate(parts))


def _split(path: str) -> tuple[str, str]:
    cut = max(path.rfind("/"), path.rfind("\\")) + 1
    return path[:cut], path[cut:]


def browse_key(order: str) -> str:
    """The order browsing uses for a sort choice (relevance means nothing without a query)."""
    return order if order in (NEWEST, OLDEST, NAME, MODIFIED, FOLDER) else NEWEST


@dataclass(frozen=True)
class Browsed:
    """Photo ids in display order, and the headers to show among them."""

    ids: list[int]
    sections: list[Section] = field(default_factory=list)


# Natural order costs a Python sort (about 0.3 s per 100,000 names on a busy 2-core box): past
# this many photos the index's case-insensitive order is kept as it is.
NATURAL_LIMIT = 50_000


def browse_ordered(
    conn: sqlite3.Connection,
    where: str,
    params: Sequence[object],
    order: str,
    limit: int | None = None,
    with_sections: bool = True,
) -> Browsed:
    """Photos passing ``where`` (a clause over ``photos p JOIN roots r``) in ``order``.

    Headers: date taken (day, month or year) for the date orders, the date modified for
    MODIFIED, each folder (relative to its root) for FOLDER, none for NAME.
    """
    order = browse_key(order)
    what = {
        NEWEST: "p.date_at",
        OLDEST: "p.date_at",
        MODIFIED: "date(p.mtime_ns / 1000000000, 'unixepoch', 'localtime')",
        NAME: "p.path",  # split in Python: cheaper than SQLite's string functions per row
        FOLDER: "p.path, r.path",
    }[order]
    if order in (NAME, FOLDER):
        # Read the order's index rather than sort every name (the status index would win
        # otherwise, then a sort of every expression).
        where = where.replace("p.status", "+p.status", 1)
    sql = f"SELECT p.id, {what} FROM photos p JOIN roots r ON r.id = p.root_id WHERE {where} "
    sql += f"ORDER BY {order_by(order, 'p.')}"
    if limit is not None:
        sql += f" LIMIT {int(limit)}"
    rows = conn.execute(sql, list(params)).fetchall()
    natural = len(rows) <= NATURAL_LIMIT
    if order == NAME:
        if natural:  # stable: ties keep the id order
            rows.sort(key=lambda r: natural_key(_split(path_from_db(r[1]))[1]))
        return Browsed([int(r[0]) for r in rows])
    if order == FOLDER:
        return _by_folder(rows, natural, with_sections)
    ids = [int(r[0]) for r in rows]
    return Browsed(ids, sections([r[1] for r in rows]) if with_sections else [])


def _by_folder(rows: list[Any], natural: bool, with_sections: bool) -> Browsed:
    """Rows (id, path, root) in folder order: names put in natural order within each folder,
    a header per folder."""
    ids: list[int] = []
    found: list[Section] = []
    start = 0
    split = [(int(r[0]), *_split(path_from_db(r[1])), r[2]) for r in rows]
    while start < len(split):
        folder = split[start][1]
        end = start + 1
        while end < len(split) and split[end][1] == folder:
            end += 1
        group = split[start:end]
        if natural:
            group.sort(key=lambda r: natural_key(r[2]))
        if with_sections:
            label = folder_label(folder, path_from_db(group[0][3]))
            if not found or found[-1].key != label:
                found.append(Section(len(ids), label, FOLDER_HEADER))
        ids.extend(r[0] for r in group)
        start = end
    return Browsed(ids, found)


def folder_label(folder: str, root: str) -> str:
    """A folder's header: its root's name, then the path below the root ("Photos/2024/Jeju")."""
    folder = folder.rstrip("/\\")
    base = root.rstrip("/\\")
    name = _split(base)[1] or base
    if folder == base:
        return name
    if folder.startswith(base) and folder[len(base)] in "/\\":
        return name + "/" + folder[len(base) + 1 :].replace("\\", "/")
    return folder


class _Hit(Protocol):
    @property
    def photo_id(self) -> int: ...
    @property
    def path(self) -> str: ...
    @property
    def taken_at(self) -> str | None: ...


H = TypeVar("H", bound=_Hit)


def order_hits(conn: sqlite3.Connection, hits: list[H], order: str) -> list[H]:
    """The same hits in another order (the cut-off already chose them); relevance keeps them."""
    if order in (NEWEST, "newest"):
        return sorted(hits, key=lambda h: (h.taken_at or "", h.photo_id), reverse=True)
    if order == OLDEST:
        return sorted(hits, key=lambda h: (h.taken_at or "9999", h.photo_id))
    if order == NAME:
        return sorted(hits, key=lambda h: (natural_key(_split(h.path)[1]), h.photo_id))
    if order == FOLDER:
        return sorted(hits, key=lambda h: (*_folder_key(h.path), h.photo_id))
    if order == MODIFIED:
        times = modified_times(conn, [h.photo_id for h in hits])
        return sorted(hits, key=lambda h: (times.get(h.photo_id, 0), h.photo_id), reverse=True)
    return hits


def modified_times(conn: sqlite3.Connection, photo_ids: list[int]) -> dict[int, int]:
    """Each photo's file modification time (ns)."""
    found: dict[int, int] = {}
    for start in range(0, len(photo_ids), 500):
        chunk = photo_ids[start : start + 500]
        rows = conn.execute(
            f"SELECT id, mtime_ns FROM photos WHERE id IN ({','.join('?' * len(chunk))})", chunk
        )
        found.update((int(i), int(m)) for i, m in rows)
    return found


def hit_sections(
    order: str, dates: Sequence[str | None], paths: Sequence[str], roots: Sequence[str] = ()
) -> list[Section]:
    """Headers for search hits already in ``order``: dates for the date orders, each folder
    (named from the root among ``roots`` that holds it) for FOLDER, none otherwise."""
    if order in (NEWEST, OLDEST):
        return sections(dates)
    if order != FOLDER:
        return []
    by_length = sorted(roots, key=len, reverse=True)
    labels = []
    for path in paths:
        folder = _split(path)[0]
        root = next((r for r in by_length if folder.startswith(r.rstrip("/\\") + folder[-1:])), "")
        labels.append(folder_label(folder, root) if root else folder.rstrip("/\\"))
    return folder_sections(labels)


def order_ids(conn: sqlite3.Connection, photo_ids: list[int], order: str) -> Browsed:
    """A list of photos (an album, the favourites) in ``order``, with its headers; relevance
    keeps the list's own order (the order photos were added)."""
    if order not in (NEWEST, OLDEST, NAME, MODIFIED, FOLDER):
        return Browsed(list(photo_ids))
    facts: dict[int, tuple[str, str | None, int, str]] = {}
    for start in range(0, len(photo_ids), 500):
        chunk = photo_ids[start : start + 500]
        rows = conn.execute(
            "SELECT p.id, p.path, p.date_at, p.mtime_ns, r.path FROM photos p "
            f"JOIN roots r ON r.id = p.root_id WHERE p.id IN ({','.join('?' * len(chunk))})",
            chunk,
        )
        for photo_id, path, date, mtime, root in rows:
            facts[int(photo_id)] = (path_from_db(path), date, int(mtime), path_from_db(root))
    ids = [i for i in photo_ids if i in facts]
    if order == NEWEST:
        ids.sort(key=lambda i: (facts[i][1] or "", i), reverse=True)
    elif order == OLDEST:
        ids.sort(key=lambda i: (facts[i][1] or "9999", i))
    elif order == MODIFIED:
        ids.sort(key=lambda i: (facts[i][2], i), reverse=True)
    elif order == NAME:
        ids.sort(key=lambda i: (natural_key(_split(facts[i][0])[1]), i))
    else:
        ids.sort(key=lambda i: (*_folder_key(facts[i][0]), i))
    paths = [facts[i][0] for i in ids]
    roots = sorted({facts[i][3] for i in ids})
    if order == MODIFIED:
        return Browsed(ids, sections([_day(facts[i][2]) for i in ids]))
    return Browsed(ids, hit_sections(order, [facts[i][1] for i in ids], paths, roots))


def _folder_key(path: str) -> tuple[str, tuple[object, ...]]:
    folder, name = _split(path)
    return folder, natural_key(name)


def _day(mtime_ns: int) -> str:
    return time.strftime("%Y-%m-%d", time.localtime(mtime_ns / 1e9))
