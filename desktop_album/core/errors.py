"""The error taxonomy of the core.

The core raises; the faces (CLI, window) decide what to show. Every message is a sentence a user
can act on, naming the file or folder concerned.
"""

from __future__ import annotations


class DesktopAlbumError(Exception):
    """Base class of every error the core raises on purpose."""


class PackError(DesktopAlbumError):
    """A model pack is missing, incomplete or inconsistent."""


class ModelMissingError(PackError):
    """No model pack is configured or installed."""


class LibraryError(DesktopAlbumError):
    """The library file cannot be opened or used."""


class LibraryVersionError(LibraryError):
    """The library was written by a newer Desktop Album and is not touched."""


class RootNotFoundError(DesktopAlbumError):
    """A folder given to be added does not exist or is not a folder."""


class ImageDecodeError(DesktopAlbumError):
    """A file could not be read as a photo. ``reason`` is short and shown to the user."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class DownloadError(DesktopAlbumError):
    """A model download failed (network, server, or disk)."""


class ChecksumError(DownloadError):
    """A downloaded file does not match its published checksum."""


class DownloadCancelled(DownloadError):
    """The user cancelled a download."""


class OperationCancelled(DesktopAlbumError):
    """A long-running operation stopped because cancel was requested."""
