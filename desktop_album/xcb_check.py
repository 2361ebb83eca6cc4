"""Before the window opens on Linux: are the X11 libraries Qt's xcb plugin needs installed?

Qt 6.5+ loads its xcb platform plugin only with libxcb-cursor0 (and libxcb-icccm4,
libxcb-keysyms1), which many fresh Debian/Ubuntu installs lack. Without them Qt aborts with a
message about plugins that does not say what to install; we say it before Qt is started.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import sys
from collections.abc import Callable, Mapping

# Debian package, the name ``find_library`` takes, and the shared object the loader opens.
XCB_LIBRARIES = (
    ("libxcb-cursor0", "xcb-cursor", "libxcb-cursor.so.0"),
    ("libxcb-icccm4", "xcb-icccm", "libxcb-icccm.so.4"),
    ("libxcb-keysyms1", "xcb-keysyms", "libxcb-keysyms.so.1"),
)
INSTALL_COMMAND = "sudo apt install " + " ".join(package for package, _, _ in XCB_LIBRARIES)

Lookup = Callable[[str, str], bool]


def library_present(name: str, soname: str) -> bool:
    """Whether the dynamic loader can find a library: in the ldconfig cache, or by opening it
    (which also honours LD_LIBRARY_PATH)."""
    if ctypes.util.find_library(name):
        return True
    try:
        ctypes.CDLL(soname)
    except OSError:
        return False
    return True


def uses_xcb(environ: Mapping[str, str], platform: str | None = None) -> bool:
    """Whether Qt will start its xcb (X11) plugin: on Linux, with QT_QPA_PLATFORM unset or
    "xcb", and an X display. With QT_QPA_PLATFORM unset in a Wayland session Qt may pick its
    Wayland plugin: then we do not stand in its way."""
    if not (platform or sys.platform).startswith("linux"):
        return False
    chosen = environ.get("QT_QPA_PLATFORM", "").split(";")[0].strip()
    if chosen not in ("", "xcb"):
        return False
    if not environ.get("DISPLAY"):
        return False
    return not (chosen == "" and environ.get("WAYLAND_DISPLAY"))


def missing_xcb_packages(
    environ: Mapping[str, str] | None = None,
    platform: str | None = None,
    present: Lookup | None = None,
) -> list[str]:
    """The Debian packages the xcb plugin needs and that are missing; empty when all are there
    or when the xcb plugin will not be used.

    Args:
        present: ``(name, soname) -> bool``; default: ask the dynamic loader.
    """
    if not uses_xcb(os.environ if environ is None else environ, platform):
        return []
    found = present or library_present
    return [package for package, name, soname in XCB_LIBRARIES if not found(name, soname)]


def xcb_problem(
    environ: Mapping[str, str] | None = None,
    platform: str | None = None,
    present: Lookup | None = None,
) -> str | None:
    """The message to show instead of Qt's abort, or None when the window can start."""
    missing = missing_xcb_packages(environ, platform, present)
    if not missing:
        return None
    return (
        f"The window needs X11 libraries that are not installed ({', '.join(missing)}). "
        f"Install them with:\n    {INSTALL_COMMAND}\n"
        "(The command line works without them: desktop-album --help.)"
    )
