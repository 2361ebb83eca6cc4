"""Folders of a root as the sidebar shows them, from the stored paths alone (no disk walk).

A folder tree of a million photos is built from one query on a worker; an unplugged drive still
shows its folders, since nothing here looks at the disk.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import PurePath

from desktop_album.core.filters import browse_in_order
from desktop_album.core.library import Library, path_from_db
from desktop_album.core.ordering import Browsed
from desktop_album.core.query import Filters


@dataclass
class FolderNode:
    """One folder: ``path`` relative to its root ("" for the root), photos in it and below."""

    name: str
    path: str
    own: int = 0  # photos directly in this folder
    total: int = 0  # photos in it and every folder below
    children: list[FolderNode] = field(default_factory=list)


@dataclass(frozen=True)
class Unreadable:
    """A photo that failed to read, and why (shown under its root with a Retry action)."""

    photo_id: int
    path: str
    reason: str


def folder_counts(library: Library, root_id: int) -> dict[str, int]:
    """Folder (relative to the root, "/"-separated, "" for the root) -> photos directly in it.

    Vanished photos are not counted; unreadable ones are (they are in the folder).
    """
    row = library.conn.execute("SELECT path FROM roots WHERE id = ?", (root_id,)).fetchone()
    if row is None:
        return {}
    root = row[0].rstrip(os.sep) + os.sep
    counts: dict[str, int] = {}
    for (path,) in library.conn.execute(
        "SELECT path FROM photos WHERE root_id = ? AND status != 'missing'", (root_id,)
    ):
        relative = path[len(root) :] if path.startswith(root) else os.path.basename(path)
        folder = PurePath(relative).parent.as_posix()
        key = "" if folder == "." else folder
        counts[key] = counts.get(key, 0) + 1
    return counts


def folder_tree(counts: dict[str, int], name: str = "") -> FolderNode:
    """The tree of folders from :func:`folder_counts`, children sorted by name, with totals."""
    top = FolderNode(name, "")
    nodes: dict[str, FolderNode] = {"": top}
    for folder in sorted(counts):
        parts = folder.split("/") if folder else []
        for depth in range(1, len(parts) + 1):
            key = "/".join(parts[:depth])
            if key not in nodes:
                node = FolderNode(parts[depth - 1], key)
                nodes["/".join(parts[: depth - 1])].children.append(node)
                nodes[key] = node
        nodes[folder].own = counts[folder]

    def total(node: FolderNode) -> int:
        node.children.sort(key=lambda n: n.name.casefold())
        node.total = node.own + sum(total(c) for c in node.children)
        return node.total

    total(top)
    return top


def unreadable(library: Library, root_id: int) -> list[Unreadable]:
    """The root's photos that could not be read, by path."""
    rows = library.conn.execute(
        "SELECT id, path, error FROM photos WHERE root_id = ? AND status = 'error' ORDER BY path",
        (root_id,),
    )
    return [Unreadable(int(r[0]), r[1], r[2] or "unknown error") for r in rows]


def folder_photo_ids(library: Library, root_id: int, folder: str) -> list[int]:
    """Photos in a folder and below it (browse order: newest first), for the grid."""
    row = library.conn.execute("SELECT path FROM roots WHERE id = ?", (root_id,)).fetchone()
    if row is None:
        return []
    base = row[0].rstrip(os.sep)
    prefix = base + os.sep + (folder.replace("/", os.sep) + os.sep if folder else "")
    # substr, not LIKE: folder names may hold % and _.
    rows = library.conn.execute(
        "SELECT id FROM photos WHERE root_id = ? AND status IN ('ok', 'pending') "
        "AND substr(path, 1, ?) = ? ORDER BY coalesce(taken_at, '') DESC, id DESC",
        (root_id, len(prefix), prefix),
    )
    return [int(r[0]) for r in rows]


def folder_in_order(library: Library, root_id: int, folder: str, order: str) -> Browsed:
    """A folder and its subfolders in one of the browse orders, with that order's headers."""
    row = library.conn.execute("SELECT path FROM roots WHERE id = ?", (root_id,)).fetchone()
    if row is None:
        return Browsed([])
    base = path_from_db(row[0]).rstrip(os.sep)
    path = base + (os.sep + folder.replace("/", os.sep) if folder else "")
    return browse_in_order(library.conn, Filters(folders=(path,)), order)


@dataclass(frozen=True)
class RootFolders:
    """One root for the sidebar: its folder tree and its unreadable files."""

    root_id: int
    path: str
    online: bool
    tree: FolderNode
    unreadable: list[Unreadable]


def root_folders(library: Library) -> list[RootFolders]:
    """Every root's folders and unreadable files: what the folder tree shows (on a reader)."""
    found = []
    with library.snapshot():
        for root in library.roots():
            name = PurePath(root.path).name or root.path
            tree = folder_tree(folder_counts(library, root.id), name)
            found.append(
                RootFolders(root.id, root.path, root.online, tree, unreadable(library, root.id))
            )
    return found
