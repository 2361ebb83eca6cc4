"""What the user asks to be done to photo files: copy to a folder, move to a folder, move to trash.

Nothing here runs unless the user asked for exactly that action, and each function does only
that one. Every file gets its own outcome (done, or failed with an error kind and a sentence);
a failure never stops the others and is never silent. The moves and the trash change the
library as each file goes, on the connection passed in: these are writes, so the window and the
CLI run them through the one writer (each function is one writer job).
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from send2trash import send2trash

from desktop_album.core.errors import NOT_FOUND, OFFLINE, as_environment_error
from desktop_album.core.library import Library, PhotoInfo

COPY = "copy"
MOVE = "move"
TRASH = "trash"
EXPORT = "export"


@dataclass(frozen=True)
class FileOutcome:
    """What happened to one file. ``kind`` and ``message`` are set when it failed."""

    path: str
    photo_id: int | None = None
    target: str | None = None  # where the file is now (copy, move)
    kind: str | None = None  # an error kind of core.errors
    message: str | None = None
    left_library: bool = False  # moved out of every library folder, or trashed

    @property
    def ok(self) -> bool:
        return self.kind is None


@dataclass
class ActionReport:
    """The outcomes of one action, one per file asked for, in the order asked."""

    action: str
    folder: str | None = None
    outcomes: list[FileOutcome] = field(default_factory=list)

    @property
    def done(self) -> list[FileOutcome]:
        return [o for o in self.outcomes if o.ok]

    @property
    def failed(self) -> list[FileOutcome]:
        return [o for o in self.outcomes if not o.ok]


def _failure(path: str, exc: BaseException, photo_id: int | None = None) -> FileOutcome:
    """The outcome of a file whose action raised; bugs are not hidden as outcomes."""
    error = as_environment_error(exc, path)
    if error is None:
        raise exc
    return FileOutcome(path, photo_id, kind=error.kind, message=str(error))


def free_name(folder: Path, name: str) -> Path:
    """``folder/name``, or ``folder/stem (2).ext`` and so on when that is taken."""
    target = folder / name
    stem, suffix = Path(name).stem, Path(name).suffix
    number = 2
    while target.exists() or target.is_symlink():
        target = folder / f"{stem} ({number}){suffix}"
        number += 1
    return target


def _copy_new(source: Path, folder: Path) -> Path:
    """Copy to a free name in ``folder``, never over an existing file; a partial copy (disk
    full, read error) is removed before the error goes up."""
    while True:
        target = free_name(folder, source.name)
        try:
            out = open(target, "xb")  # noqa: SIM115 - closed below; "x" never overwrites
        except FileExistsError:
            continue  # taken between the look and the open: try the next name
        break
    try:
        with out, open(source, "rb") as src:
            shutil.copyfileobj(src, out, 1 << 20)
        shutil.copystat(source, target)
    except BaseException:
        target.unlink(missing_ok=True)
        raise
    return target


def copy_paths(
    paths: Iterable[tuple[int | None, str]],
    folder: str | Path,
    action: str = COPY,
    should_stop: Callable[[], bool] | None = None,
) -> ActionReport:
    """Copy files (photo id or None, path) into ``folder`` under free names. Reads only: the
    library is not changed (a copy into a watched folder is found by the next scan)."""
    target_dir = Path(folder)
    report = ActionReport(action, str(target_dir))
    try:
        target_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        failure = _failure(str(target_dir), exc)
        report.outcomes = [
            FileOutcome(p, i, kind=failure.kind, message=failure.message) for i, p in paths
        ]
        return report
    for photo_id, path in paths:
        if should_stop is not None and should_stop():
            break
        try:
            target = _copy_new(Path(path), target_dir)
        except OSError as exc:
            report.outcomes.append(_failure(path, exc, photo_id))
        else:
            report.outcomes.append(FileOutcome(path, photo_id, target=str(target)))
    return report


def _photos(library: Library, photo_ids: Sequence[int]) -> list[tuple[int, PhotoInfo | None]]:
    infos = library.photo_info(list(photo_ids))
    return [(i, infos.get(i)) for i in photo_ids]


def _unavailable(photo_id: int, info: PhotoInfo | None) -> FileOutcome | None:
    """Why a photo cannot be acted on at all (gone from the library, drive offline)."""
    if info is None:
        return FileOutcome(
            "", photo_id, kind=NOT_FOUND, message="This photo is no longer in the library."
        )
    if not info.online:
        return FileOutcome(
            info.path,
            photo_id,
            kind=OFFLINE,
            message=f"{info.path} is on a drive that is not connected.",
        )
    return None


def copy_to_folder(library: Library, photo_ids: Sequence[int], folder: str | Path) -> ActionReport:
    """Copy photos into ``folder`` (created if needed); the originals and the library stay."""
    report = ActionReport(COPY, str(folder))
    wanted: list[tuple[int | None, str]] = []
    for photo_id, info in _photos(library, photo_ids):
        problem = _unavailable(photo_id, info)
        if problem is not None:
            report.outcomes.append(problem)
        elif info is not None:
            wanted.append((photo_id, info.path))
    report.outcomes.extend(copy_paths(wanted, folder).outcomes)
    return report


def _move_file(source: Path, folder: Path) -> Path:
    """Move to a free name in ``folder``: a rename on the same drive, else copy then delete
    (the copy is removed again if the original cannot be deleted: never two, never none)."""
    if source.parent.resolve() == folder.resolve():
        return source  # already there: nothing to do
    same_drive = os.stat(source).st_dev == os.stat(folder).st_dev
    if same_drive:
        target = free_name(folder, source.name)
        os.rename(source, target)
        return target
    target = _copy_new(source, folder)
    try:
        source.unlink()
    except BaseException:
        target.unlink(missing_ok=True)
        raise
    return target


def move_to_folder(library: Library, photo_ids: Sequence[int], folder: str | Path) -> ActionReport:
    """Move photos into ``folder``; the library follows each file at once.

    Into a library folder: the photo keeps its id, vectors, favourite and albums. Out of every
    library folder: the photo leaves the library (``left_library``), its albums remember it.
    """
    target_dir = Path(folder)
    report = ActionReport(MOVE, str(target_dir))
    try:
        target_dir.mkdir(parents=True, exist_ok=True)
        target_dir = target_dir.resolve()
    except OSError as exc:
        failure = _failure(str(target_dir), exc)
        report.outcomes = [
            FileOutcome(info.path if info else "", i, kind=failure.kind, message=failure.message)
            for i, info in _photos(library, photo_ids)
        ]
        return report
    root = library.root_for_file(target_dir / "x")
    for photo_id, info in _photos(library, photo_ids):
        problem = _unavailable(photo_id, info)
        if problem is not None or info is None:
            report.outcomes.append(problem or FileOutcome("", photo_id, kind=NOT_FOUND))
            continue
        try:
            target = _move_file(Path(info.path), target_dir)
        except OSError as exc:
            report.outcomes.append(_failure(info.path, exc, photo_id))
            continue
        try:
            if root is not None:
                library.move_photo(photo_id, str(target), root.id)
            else:
                _forget(library, [photo_id])
        except Exception as exc:
            # The file moved but the library could not follow: say so; the next scan of the
            # folder finds it by its content and moves the photo then.
            failure = _failure(info.path, exc, photo_id)
            report.outcomes.append(replace(failure, target=str(target)))
            continue
        report.outcomes.append(
            FileOutcome(info.path, photo_id, target=str(target), left_library=root is None)
        )
    return report


def move_to_trash(library: Library, photo_ids: Sequence[int]) -> ActionReport:
    """Send photos to the system trash (recoverable there); each leaves the library at once."""
    report = ActionReport(TRASH)
    for photo_id, info in _photos(library, photo_ids):
        problem = _unavailable(photo_id, info)
        if problem is not None or info is None:
            report.outcomes.append(problem or FileOutcome("", photo_id, kind=NOT_FOUND))
            continue
        try:
            if not os.path.lexists(info.path):
                raise FileNotFoundError(2, "No such file", info.path)
            send2trash(info.path)
        except OSError as exc:
            report.outcomes.append(_failure(info.path, exc, photo_id))
            continue
        try:
            _forget(library, [photo_id])
        except Exception as exc:
            report.outcomes.append(_failure(info.path, exc, photo_id))
            continue
        report.outcomes.append(FileOutcome(info.path, photo_id, left_library=True))
    return report


def _forget(library: Library, photo_ids: list[int]) -> None:
    # Imported here: albums imports this module for its export.
    from desktop_album.core.albums import remember_hashes

    remember_hashes(library, photo_ids)
    library.remove_photos(photo_ids)
