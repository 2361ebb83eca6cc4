"""A system trash inside the test's temporary home, for in-process tests of Move to trash.

send2trash's freedesktop implementation reads XDG_DATA_HOME when it is imported, so setting
the variables is not enough in a process that already imported it: its module constants are
pointed at the temporary home too, and the freedesktop implementation is used even where
PyGObject (gio, which caches the user's real trash folder) is installed.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest


def use_temporary_trash(monkeypatch: pytest.MonkeyPatch, home: Path) -> Path:
    """Point HOME, XDG_DATA_HOME and send2trash at ``home``; returns its Trash folder."""
    if not sys.platform.startswith("linux"):
        pytest.skip("the temporary trash is set up for the freedesktop trash (Linux) only")
    from send2trash import plat_other

    from desktop_album.core import file_actions

    data = home / ".local" / "share"
    data.mkdir(parents=True, exist_ok=True)
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_DATA_HOME", str(data))
    monkeypatch.setattr(plat_other, "XDG_DATA_HOME", os.fsencode(data))
    monkeypatch.setattr(plat_other, "HOMETRASH_B", os.fsencode(data / "Trash"))
    monkeypatch.setattr(plat_other, "HOMETRASH", str(data / "Trash"))
    monkeypatch.setattr(file_actions, "send2trash", plat_other.send2trash)
    return data / "Trash"
