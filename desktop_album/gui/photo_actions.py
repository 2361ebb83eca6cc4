"""What can be done with a photo or a drop, outside the widgets that offer it.

The work functions here take plain data and run on worker threads (deciding what a drop is means
asking the file system; reading a photo for the clipboard means decoding it). The ones that talk
to the desktop (open, show in folder) hand over to the OS and return at once.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass, field
from pathlib import Path

from PySide6.QtCore import QProcess, QUrl
from PySide6.QtGui import QDesktopServices, QImage

from desktop_album.core.imaging import SUPPORTED_EXTENSIONS, open_full_image


@dataclass
class DropPlan:
    """What a drop holds: folders to add, images to search by, and what cannot be used."""

    folders: list[str] = field(default_factory=list)
    images: list[str] = field(default_factory=list)
    vanished: list[str] = field(default_factory=list)
    unusable: list[str] = field(default_factory=list)

    @property
    def usable(self) -> bool:
        return bool(self.folders or self.images)


def classify_drop(paths: list[str]) -> DropPlan:
    """Sort dropped paths. Runs on a worker: the file system may be slow (network drives)."""
    plan = DropPlan()
    for raw in paths:
        path = Path(raw)
        try:
            if path.is_dir():
                plan.folders.append(str(path.resolve()))
            elif path.is_file() and path.suffix.lower() in SUPPORTED_EXTENSIONS:
                plan.images.append(str(path.resolve()))
            elif not path.exists():
                plan.vanished.append(raw)
            else:
                plan.unusable.append(raw)
        except OSError:
            plan.vanished.append(raw)
    return plan


def image_to_qimage(path: str, max_side: int | None = None) -> QImage:
    """Decode a photo (EXIF-oriented) into a ``QImage``; on a worker. Raises ImageDecodeError."""
    image = open_full_image(Path(path))
    if max_side and max(image.size) > max_side:
        image.thumbnail((max_side, max_side))
    if image.mode != "RGB":
        image = image.convert("RGB")
    data = image.tobytes("raw", "RGB")
    width, height = image.size
    # copy(): the QImage must own its pixels once ``data`` goes away.
    return QImage(data, width, height, 3 * width, QImage.Format.Format_RGB888).copy()


def open_file(path: str) -> bool:
    return QDesktopServices.openUrl(QUrl.fromLocalFile(path))


def show_in_folder(path: str) -> bool:
    """Open the file manager at the photo, selected where the platform allows it."""
    if sys.platform == "win32":
        return QProcess.startDetached("explorer.exe", ["/select,", os.path.normpath(path)])[0]
    if sys.platform == "darwin":
        return QProcess.startDetached("open", ["-R", path])[0]
    return QDesktopServices.openUrl(QUrl.fromLocalFile(str(Path(path).parent)))
