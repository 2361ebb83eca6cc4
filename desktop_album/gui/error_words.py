"""The window's words for the core's error kinds (``core/errors.py``).

The core reports a kind and facts; the window says what it means and what to do, in the UI's
language. The core's English sentence is used only as the detail of kinds that carry one (a
pack problem names the file at fault), never parsed.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QCoreApplication

from desktop_album.core import errors


def failure_text(kind: str, message: str, details: dict[str, Any]) -> str:
    """One or two sentences for a failure of this kind."""
    path = details.get("path") or ""
    if kind == errors.DISK_FULL:
        return QCoreApplication.translate(
            "ErrorWords",
            "The disk is full. Indexing stopped; what was saved is kept. Free some space and "
            "indexing resumes by itself.",
        )
    if kind == errors.READ_ONLY:
        return QCoreApplication.translate(
            "ErrorWords",
            "The library cannot be written (it or its folder is read-only). Browsing and search "
            "still work; make it writable to index new photos.",
        )
    if kind == errors.PERMISSION:
        return QCoreApplication.translate(
            "ErrorWords", "Permission denied: {path}. Check who owns it, or choose another place."
        ).format(path=path)
    if kind == errors.CORRUPT:
        return QCoreApplication.translate(
            "ErrorWords",
            "The library file is damaged or is not a Desktop Album library. It was not changed.",
        )
    if kind == errors.NEWER_VERSION:
        return QCoreApplication.translate(
            "ErrorWords",
            "The library was made by a newer Desktop Album. Update the app; the file was not "
            "changed.",
        )
    if kind == errors.MODEL_MISSING:
        return QCoreApplication.translate(
            "ErrorWords", "No model is installed yet. Get one from File ▸ Models…."
        )
    if kind == errors.NOT_FOUND:
        return QCoreApplication.translate("ErrorWords", "Folder not found: {path}").format(
            path=path or message
        )
    if kind == errors.BUG:
        return QCoreApplication.translate(
            "ErrorWords",
            "Something went wrong inside Desktop Album (a bug): {detail}. What was saved is kept.",
        ).format(detail=message)
    return message
