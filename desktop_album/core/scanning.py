"""Walking roots and reconciling what is on disk with what the library holds.

The scan never reads photo contents, except to confirm a suspected move by its hash. It decides:
new files (pending), changed files (size or mtime differ: pending again, old vectors dropped),
vanished files (missing, vectors kept), files back from missing, and moves (a vanished file and a
new file with the same size, mtime and content: the photo keeps its id and vectors).

Symbolic links are followed only into the library's roots (``walk_photos``), unless the user's
``follow_external_links`` setting says otherwise. Folders that cannot be read are reported, and
their photos are not taken for deleted. When too many photos vanish at once (the vanish guard),
they are marked vanished instead of missing until they come back or the user confirms.
"""

from __future__ import annotations

import hashlib
import os
import stat
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from desktop_album.core.control import RunControl
from desktop_album.core.imaging import SUPPORTED_EXTENSIONS
from desktop_album.core.library import Library, Root, StoredPhoto, path_from_db, path_to_db

# A scan that would mark more than this share of a root's photos missing at once does not: a
# drive half-unmounted or a share that answers with an empty folder must not look like deletion.
VANISH_GUARD_SHARE = 0.2
VANISH_GUARD_MIN = 20


@dataclass(frozen=True)
class FoundFile:
    path: str
    size: int
    mtime_ns: int


@dataclass
class ScanReport:
    root: Root
    online: bool = True
    new: int = 0
    changed: int = 0
    unchanged: int = 0
    missing: int = 0
    back: int = 0
    moved: int = 0
    # Set when the vanish guard held back marking photos missing; the faces ask the user.
    held_back_missing: list[int] = field(default_factory=list)
    # Folders the walk could not read: (folder, reason such as "permission denied").
    unreadable_folders: list[tuple[str, str]] = field(default_factory=list)

    @property
    def needs_confirmation(self) -> bool:
        return bool(self.held_back_missing)


def is_photo_name(name: str) -> bool:
    return not name.startswith(".") and os.path.splitext(name)[1].lower() in SUPPORTED_EXTENSIONS


def walk_photos(
    root: Path,
    excluded: tuple[str, ...] = (),
    should_stop: Callable[[], bool] | None = None,
    *,
    roots: Sequence[str] | None = None,
    follow_external_links: bool = False,
    problems: list[tuple[str, str]] | None = None,
) -> Iterator[FoundFile]:
    """Photo files under ``root``; skips hidden folders and excluded ones, and never raises for
    an unreadable folder.

    Symbolic links (to folders or files) are followed only when their target lies inside one
    of ``roots`` (default: ``root`` itself); each folder is walked once, so link loops are cut.
    A link that leads out of every root (say, to ``/``) is skipped unless
    ``follow_external_links`` is set: a library must not grow into the whole machine.

    Args:
        roots: the library's root folders, where links may lead.
        problems: when given, (folder, reason) is appended for each folder that could not be
            read (e.g. "permission denied"), so the faces can say what was left out.
    """
    seen: set[tuple[int, int]] = set()
    stack = [str(root)]
    excluded_set = {os.path.normpath(e) for e in excluded}
    inside = [os.path.realpath(r) for r in (roots if roots is not None else (str(root),))]
    while stack:
        if should_stop is not None and should_stop():
            return
        folder = stack.pop()
        try:
            info = os.stat(folder)
        except OSError as exc:
            if problems is not None:
                problems.append((folder, _reason(exc)))
            continue
        key = (info.st_dev, info.st_ino)
        if key in seen:
            continue
        seen.add(key)
        try:
            entries = list(os.scandir(folder))
        except OSError as exc:
            if problems is not None:
                problems.append((folder, _reason(exc)))
            continue
        for entry in entries:
            try:
                if (
                    entry.is_symlink()
                    and not follow_external_links
                    and not any(_under(os.path.realpath(entry.path), r) for r in inside)
                ):
                    continue
                if entry.is_dir(follow_symlinks=True):
                    if not entry.name.startswith(".") and (
                        os.path.normpath(entry.path) not in excluded_set
                    ):
                        stack.append(entry.path)
                    continue
                if not is_photo_name(entry.name):
                    continue
                st = entry.stat(follow_symlinks=True)
            except OSError:
                continue  # a dangling symlink or a file that vanished while we looked
            if stat.S_ISREG(st.st_mode):
                yield FoundFile(entry.path, st.st_size, st.st_mtime_ns)


def _leads_out(path: str, roots: Sequence[str], follow_external_links: bool) -> bool:
    """Whether ``path`` goes through a link to somewhere outside every root."""
    if follow_external_links or not roots:
        return False
    real = os.path.realpath(path)
    return not any(_under(real, os.path.realpath(r)) for r in roots)


def _reason(exc: OSError) -> str:
    """A short, stable reason for a folder that could not be read."""
    if isinstance(exc, PermissionError):
        return "permission denied"
    return (exc.strerror or type(exc).__name__).lower()


def hash_file(path: str, chunk: int = 1 << 20) -> str | None:
    digest = hashlib.sha256()
    try:
        with open(path, "rb") as handle:
            while block := handle.read(chunk):
                digest.update(block)
    except OSError:
        return None
    return digest.hexdigest()


def root_is_available(root: Path, has_photos: bool) -> bool:
    """False for an unplugged drive or unmounted share: the folder is gone, unreadable, or an
    empty mount point where the library knows photos."""
    try:
        if not root.is_dir():
            return False
        if has_photos:
            with os.scandir(root) as entries:
                if next(entries, None) is None:
                    return False
    except OSError:
        return False
    return True


def scan_root(
    library: Library,
    root: Root,
    excluded: tuple[str, ...] = (),
    confirm_missing: bool = False,
    should_stop: Callable[[], bool] | None = None,
    subpaths: Sequence[str] | None = None,
    *,
    follow_external_links: bool = False,
) -> ScanReport:
    """Reconcile one root with the disk; writes the outcome to the library.

    Links are followed only into the library's roots unless ``follow_external_links`` (see
    ``walk_photos``). Folders that cannot be read are listed in the report and, after a full
    scan, stored in the library (``Library.scan_problems``); photos under them are not taken
    for deleted. Photos the vanish guard holds back are marked vanished until seen again or
    confirmed.

    Args:
        subpaths: reconcile only these files and folders (recursively) under the root, as the
            watcher reports them; None reconciles the whole root. Photos outside them are left
            alone, but the vanish guard still weighs vanished photos against the whole root.
    """
    report = ScanReport(root)
    # A root inside this one is scanned as itself: walking into it here would count its photos
    # as new on every scan (they cannot be inserted twice: paths are unique).
    excluded = excluded + tuple(
        r.path for r in library.roots() if r.id != root.id and _under(r.path, root.path)
    )
    if subpaths is None:
        stored = library.stored_photos(root.id)
        live = sum(1 for p in stored.values() if p.status != "missing")
    else:
        # A watcher batch touches a few folders of a root that may hold 100,000 photos: read
        # only the rows under them (a range on the path index), and count the rest.
        scopes = _scopes(root.path, subpaths, excluded)
        stored = {}
        for scope in scopes:
            stored.update(stored_photos_under(library, root.id, scope))
        live = library.root_counts().get(root.id, 0)
    if not root_is_available(Path(root.path), has_photos=live > 0):
        report.online = False
        if root.online:
            library.set_root_online(root.id, False)
        return report
    if not root.online:
        library.set_root_online(root.id, True)

    roots = [r.path for r in library.roots()]
    problems = report.unreadable_folders
    walk: dict[str, Any] = {
        "roots": roots,
        "follow_external_links": follow_external_links,
        "problems": problems,
    }
    if subpaths is None:
        found = {f.path: f for f in walk_photos(Path(root.path), excluded, should_stop, **walk)}
    else:
        found = {f.path: f for f in _walk_scopes(scopes, excluded, should_stop, **walk)}
    if should_stop is not None and should_stop():
        return report

    new: list[FoundFile] = []
    changed: list[tuple[int, int, int]] = []
    back: list[int] = []
    for path, file in found.items():
        old = stored.get(path)
        if old is None:
            new.append(file)
        elif old.size != file.size or old.mtime_ns != file.mtime_ns:
            changed.append((old.id, file.size, file.mtime_ns))
        elif old.status == "missing":
            back.append(old.id)
        else:
            report.unchanged += 1
    # A photo in a folder that could not be read is still there, as far as we know.
    vanished = [
        p
        for path, p in stored.items()
        if path not in found
        and p.status != "missing"
        and not any(_under(path, folder) for folder, _ in problems)
    ]

    moved = _match_moves(library, root, new, vanished, should_stop)
    report.moved = len(moved)
    if should_stop is not None and should_stop():
        # Stopped while hashing: the moves confirmed so far are stored; the rest must not be
        # taken for new files (they would be embedded again) and missing ones. Next scan.
        return report
    moved_new = {path for path, _ in moved}
    moved_old = {photo_id for _, photo_id in moved}
    new = [f for f in new if f.path not in moved_new]
    vanished = [p for p in vanished if p.id not in moved_old]

    library.add_pending(root.id, ((f.path, f.size, f.mtime_ns) for f in new))
    if changed:
        library.mark_changed(changed)
    if back:
        library.mark_back(back)
    report.new, report.changed, report.back = len(new), len(changed), len(back)

    too_many = len(vanished) >= VANISH_GUARD_MIN and len(vanished) > VANISH_GUARD_SHARE * live
    if vanished and too_many and not confirm_missing:
        report.held_back_missing = [p.id for p in vanished]
    elif vanished:
        library.mark_missing(p.id for p in vanished)
        report.missing = len(vanished)
    library.update_vanished(
        root.id,
        report.held_back_missing,
        None if subpaths is None else [p.id for p in stored.values()],
    )
    if subpaths is None:
        library.set_scan_problems(root.id, problems)
        library.mark_root_scanned(root.id)
    return report


def _match_moves(
    library: Library,
    root: Root,
    new: list[FoundFile],
    vanished: list[StoredPhoto],
    should_stop: Callable[[], bool] | None = None,
) -> list[tuple[str, int]]:
    """Pairs (new path, old photo id) for files that were renamed or moved, confirmed by hash."""
    if not new or not vanished:
        return []
    by_signature: dict[tuple[int, int], list[StoredPhoto]] = {}
    for photo in vanished:
        if photo.content_hash:
            by_signature.setdefault((photo.size, photo.mtime_ns), []).append(photo)
    moves: list[tuple[str, int]] = []
    for file in new:
        # Hashing is the slow part of a scan; a stop request must not wait for all of it.
        if should_stop is not None and should_stop():
            break
        candidates = by_signature.get((file.size, file.mtime_ns))
        if not candidates:
            continue
        digest = hash_file(file.path)
        for photo in candidates:
            if photo.content_hash == digest:
                candidates.remove(photo)
                library.move_photo(photo.id, file.path, root.id)
                moves.append((file.path, photo.id))
                break
    return moves


def _under(path: str, folder: str) -> bool:
    return path == folder or path.startswith(folder.rstrip(os.sep) + os.sep)


def _scopes(root: str, subpaths: Iterable[str], excluded: tuple[str, ...]) -> list[str]:
    """The subpaths worth looking at: inside the root, not hidden nor excluded, and none inside
    another (a created folder and the files the watcher reported in it are one walk)."""
    excluded_norm = [os.path.normpath(e) for e in excluded]
    keep: list[str] = []
    for raw in sorted({os.path.normpath(p) for p in subpaths}):
        if not _under(raw, root):
            continue
        relative = os.path.relpath(raw, root)
        if relative != "." and any(part.startswith(".") for part in relative.split(os.sep)):
            continue
        if any(_under(raw, e) for e in excluded_norm):
            continue
        if keep and _under(raw, keep[-1]):
            continue  # sorted order puts a folder right before what lies inside it
        keep.append(raw)
    return keep


def stored_photos_under(library: Library, root_id: int, path: str) -> dict[str, StoredPhoto]:
    """What the library holds at ``path`` or under it (a file or a folder) in one root.

    A range scan on the unique path index: every path under ``folder/`` sorts between
    ``folder/`` and ``folder`` followed by the character after the separator.
    """
    folder = path.rstrip(os.sep)
    low, high = folder + os.sep, folder + chr(ord(os.sep) + 1)
    # Paths that are not UTF-8 are stored as BLOBs, which sort after all text: a second range
    # over the raw bytes finds them (memcmp order, the same order as UTF-8 text).
    rows = library.conn.execute(
        "SELECT id, path, size, mtime_ns, status, content_hash FROM photos "
        "WHERE root_id = ? AND (path = ? OR path = ? OR (path >= ? AND path < ?) "
        "OR (path >= ? AND path < ?))",
        (
            root_id,
            path_to_db(folder),
            os.fsencode(folder),
            path_to_db(low),
            path_to_db(high),
            os.fsencode(low),
            os.fsencode(high),
        ),
    )
    stored = (StoredPhoto(r[0], path_from_db(r[1]), *r[2:]) for r in rows)
    return {photo.path: photo for photo in stored}


def _walk_scopes(
    scopes: list[str],
    excluded: tuple[str, ...],
    should_stop: Callable[[], bool] | None,
    **walk: Any,
) -> Iterator[FoundFile]:
    """Photo files at or under each scope; a scope that no longer exists yields nothing."""
    roots = walk.get("roots") or ()
    for scope in scopes:
        try:
            st = os.stat(scope)
        except OSError:
            continue  # deleted: its stored photos vanish
        if _leads_out(scope, roots, bool(walk.get("follow_external_links"))):
            continue  # a link out of the library, created under a root: as walk_photos does
        if stat.S_ISDIR(st.st_mode):
            yield from walk_photos(Path(scope), excluded, should_stop, **walk)
        elif stat.S_ISREG(st.st_mode) and is_photo_name(os.path.basename(scope)):
            yield FoundFile(scope, st.st_size, st.st_mtime_ns)


def scan_roots(
    library: Library,
    root_ids: Sequence[int] | None = None,
    excluded: tuple[str, ...] = (),
    control: RunControl | None = None,
    confirm_missing: bool = False,
    subpaths: Mapping[int, Sequence[str] | None] | None = None,
    *,
    follow_external_links: bool = False,
) -> list[ScanReport]:
    """Reconcile several roots (all when ``root_ids`` is None), each in full or, where
    ``subpaths`` names some for it, only those files and folders."""
    reports = []
    for root in library.roots():
        if root_ids is not None and root.id not in root_ids:
            continue
        if control is not None and control.checkpoint():
            break
        scope = (subpaths or {}).get(root.id)
        reports.append(
            scan_root(
                library,
                root,
                excluded,
                confirm_missing=confirm_missing,
                should_stop=(lambda: control.cancelled) if control is not None else None,
                subpaths=None if scope is None else list(scope),
                follow_external_links=follow_external_links,
            )
        )
    return reports
