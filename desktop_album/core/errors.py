"""The error taxonomy of the core.

The core raises; the faces (CLI, window) decide what to show. Every error the core raises on
purpose is a :class:`DesktopAlbumError`: something about the user's environment (a full disk, a
read-only or corrupt library, a missing model, a file that cannot be read) that the user can fix.
Anything else that escapes is a bug. Each error carries a ``kind`` (a stable code the faces word
in their own language) and ``details`` (the facts: paths, counts), next to an English message.
"""

from __future__ import annotations

import errno
import sqlite3
from typing import Any

# Kinds: stable codes the faces translate. Never parse the English message back.
DISK_FULL = "disk_full"
READ_ONLY = "read_only"
PERMISSION = "permission"
CORRUPT = "corrupt"
NEWER_VERSION = "newer_version"
MODEL_MISSING = "model_missing"
PACK = "pack"
NOT_FOUND = "not_found"
ALREADY_EXISTS = "already_exists"  # a name the user chose is taken (an album, a file)
OFFLINE = "offline"  # the file is on a drive that is not connected
INVALID_NAME = "invalid_name"  # a name the user typed cannot be used (empty)
DOWNLOAD = "download"
CANCELLED = "cancelled"
ENVIRONMENT = "environment"  # some other OS-level problem (I/O error, ...)
BUG = "bug"  # not an error of ours: a face reports it as a bug


class DesktopAlbumError(Exception):
    """Base class of every error the core raises on purpose (exit code 2 in the CLI)."""

    kind: str = ENVIRONMENT

    def __init__(self, message: str, *, kind: str | None = None, **details: Any) -> None:
        super().__init__(message)
        if kind is not None:
            self.kind = kind
        self.details: dict[str, Any] = details


class PackError(DesktopAlbumError):
    """A model pack is missing, incomplete or inconsistent."""

    kind = PACK


class ModelMissingError(PackError):
    """No model pack is configured or installed."""

    kind = MODEL_MISSING


class LibraryError(DesktopAlbumError):
    """The library file cannot be opened or used."""


class LibraryVersionError(LibraryError):
    """The library was written by a newer Desktop Album and is not touched."""

    kind = NEWER_VERSION


class CorruptLibraryError(LibraryError):
    """The library file is not a readable SQLite database (or is damaged). Never touched."""

    kind = CORRUPT


class ReadOnlyError(LibraryError):
    """The library (file or folder) cannot be written: search and browse still work."""

    kind = READ_ONLY


class DiskFullError(DesktopAlbumError):
    """No space left. Committed work is kept; what was in flight is done again later."""

    kind = DISK_FULL


class PermissionProblem(DesktopAlbumError):
    """The app may not read or write a file or folder it needs."""

    kind = PERMISSION


class RootNotFoundError(DesktopAlbumError):
    """A folder given to be added does not exist or is not a folder."""

    kind = NOT_FOUND


class ImageDecodeError(DesktopAlbumError):
    """A file could not be read as a photo. ``reason`` is short and shown to the user."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class DownloadError(DesktopAlbumError):
    """A model download failed (network, server, or disk)."""

    kind = DOWNLOAD


class ChecksumError(DownloadError):
    """A downloaded file does not match its published checksum."""


class DownloadCancelled(DownloadError):
    """The user cancelled a download."""

    kind = CANCELLED


class OperationCancelled(DesktopAlbumError):
    """A long-running operation stopped because cancel was requested."""

    kind = CANCELLED


def as_environment_error(exc: BaseException, path: object = None) -> DesktopAlbumError | None:
    """The :class:`DesktopAlbumError` an OS or SQLite failure means, or None for a bug.

    ``path`` names the file or folder concerned, for the message. Used at the core's boundary
    (the library's writes, the writer service's jobs) so that a full disk or a read-only file
    reaches the faces as a kind they word, never as a traceback.
    """
    if isinstance(exc, DesktopAlbumError):
        return exc
    where = f" ({path})" if path is not None else ""
    if isinstance(exc, sqlite3.Error):
        text = str(exc).lower()
        if "full" in text:
            return DiskFullError(
                f"The disk is full{where}. Free some space; work already saved is kept.",
                path=str(path) if path is not None else None,
            )
        if "readonly" in text or "read-only" in text or "read only" in text:
            return ReadOnlyError(
                f"The library cannot be written{where}: it or its folder is read-only. Search "
                "and browsing still work; make it writable to index.",
                path=str(path) if path is not None else None,
            )
        if "not a database" in text or "malformed" in text or "corrupt" in text:
            return CorruptLibraryError(
                f"The library{where} is damaged or is not a Desktop Album library. It was not "
                "changed; move it aside (or restore a backup) and start again.",
                path=str(path) if path is not None else None,
            )
        if "unable to open" in text or "disk i/o" in text:
            return LibraryError(
                f"The library{where} cannot be opened or read ({exc}). Check that its drive is "
                "connected and its folder is readable.",
                path=str(path) if path is not None else None,
            )
        return None
    if isinstance(exc, OSError):
        target = exc.filename if exc.filename is not None else path
        where = f" ({target})" if target is not None else where
        details = {"path": str(target) if target is not None else None}
        if exc.errno in (errno.ENOSPC, errno.EDQUOT):
            return DiskFullError(
                f"The disk is full{where}. Free some space; work already saved is kept.",
                **details,
            )
        if exc.errno == errno.EROFS:
            return ReadOnlyError(f"The drive is read-only{where}.", **details)
        if exc.errno in (errno.EACCES, errno.EPERM):
            return PermissionProblem(
                f"Permission denied{where}. Check who owns it, or choose another place.",
                **details,
            )
        if exc.errno in (errno.ENOENT, errno.ENOTDIR):
            return DesktopAlbumError(f"Not found{where}.", kind=NOT_FOUND, **details)
        return DesktopAlbumError(f"{exc.strerror or exc}{where}.", kind=ENVIRONMENT, **details)
    return None
