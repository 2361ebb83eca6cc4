"""The library file as a file: setting a damaged one aside so that a new one can start.

Nothing here reads or repairs the damaged file: it is renamed, with its SQLite side files, to a
name beside it that says when it was set aside, so that nothing is lost and a backup tool or a
repair attempt can still find it.
"""

from __future__ import annotations

import time
from pathlib import Path

from desktop_album.core.errors import as_environment_error

_SIDE_FILES = ("-wal", "-shm", "-journal")


def set_aside(library: Path, now: float | None = None) -> Path:
    """Rename ``library`` (and its -wal/-shm/-journal files) to ``<name>.damaged-<time>``.

    Returns the new path of the main file. Raises a DesktopAlbumError (e.g. PERMISSION) when
    the folder does not allow it; the file is then untouched.
    """
    stamp = time.strftime("%Y%m%d-%H%M%S", time.localtime(now))
    target = library.with_name(f"{library.name}.damaged-{stamp}")
    counter = 1
    while target.exists():
        counter += 1
        target = library.with_name(f"{library.name}.damaged-{stamp}-{counter}")
    try:
        library.rename(target)
        for suffix in _SIDE_FILES:
            side = library.with_name(library.name + suffix)
            if side.exists():
                side.rename(target.with_name(target.name + suffix))
    except OSError as exc:
        error = as_environment_error(exc, library)
        raise error if error is not None else exc from exc
    return target
