"""What can be done with a photo or a drop, outside the widgets that offer it.

The work functions here take plain data and run on worker threads (deciding what a drop is means
asking the file system; reading a photo for the clipboard means decoding it). The ones that talk
to the desktop (open, show in folder) hand over to the OS and return at once.
"""

from __future__ import annotations

import os
import shutil
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QObject, QProcess, Qt, QUrl, Signal
from PySide6.QtGui import QAction, QDesktopServices, QGuiApplication, QImage, QKeySequence
from PySide6.QtWidgets import QFileDialog, QInputDialog, QMenu, QMessageBox, QWidget

from desktop_album.core.albums import Album
from desktop_album.core.imaging import SUPPORTED_EXTENSIONS, open_full_image
from desktop_album.gui.records import PhotoRow


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


def show_in_folder_command(path: str, platform: str = sys.platform) -> tuple[str, list[str]]:
    """The program (and its arguments) that opens the file manager with ``path`` selected.

    Windows: Explorer's /select. macOS: Finder's reveal (open -R). Elsewhere: the freedesktop
    FileManager1 D-Bus call (Nautilus, Dolphin, Nemo, Thunar... select the file), sent with
    dbus-send when it is there; else the folder is opened without a selection ("" program).
    """
    if platform == "win32":
        return "explorer.exe", ["/select,", os.path.normpath(path)]
    if platform == "darwin":
        return "open", ["-R", path]
    sender = shutil.which("dbus-send")
    if sender:
        uri = QUrl.fromLocalFile(path).toString(QUrl.ComponentFormattingOption.FullyEncoded)
        return sender, [
            "--session",
            "--dest=org.freedesktop.FileManager1",
            "--type=method_call",
            "/org/freedesktop/FileManager1",
            "org.freedesktop.FileManager1.ShowItems",
            f"array:string:{uri}",
            "string:",
        ]
    return "", []


def show_in_folder(path: str) -> bool:
    """Open the file manager at the photo, selected where the platform allows it."""
    program, args = show_in_folder_command(path)
    if program and QProcess.startDetached(program, args)[0]:
        return True
    return QDesktopServices.openUrl(QUrl.fromLocalFile(str(Path(path).parent)))


def open_with_command(
    program: str, paths: list[str], platform: str = sys.platform
) -> tuple[str, list[str]]:
    """How to open ``paths`` with an application the user chose (an .app bundle on macOS)."""
    if platform == "darwin" and program.endswith(".app"):
        return "open", ["-a", program, *paths]
    return program, list(paths)


def open_with(program: str, paths: list[str]) -> bool:
    name, args = open_with_command(program, paths)
    return bool(QProcess.startDetached(name, args)[0])


# -- the selection's menu -----------------------------------------------------------------------

FolderAsker = Callable[[QWidget | None, str], str | None]
Confirmer = Callable[[QWidget | None, str, str], bool]
NameAsker = Callable[[QWidget | None], str | None]
AppAsker = Callable[[QWidget | None], str | None]


def _ask_folder(parent: QWidget | None, title: str) -> str | None:
    folder = QFileDialog.getExistingDirectory(parent, title)
    return folder or None


def ask_yes_cancel(parent: QWidget | None, title: str, text: str) -> bool:
    """The question before anything happens to files: Cancel is the default answer."""
    answer = QMessageBox.question(
        parent,
        title,
        text,
        QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
        QMessageBox.StandardButton.Cancel,
    )
    return answer == QMessageBox.StandardButton.Yes


def _ask_album_name(parent: QWidget | None) -> str | None:
    title = QCoreApplication.translate("SelectionActions", "New album")
    label = QCoreApplication.translate("SelectionActions", "Name of the new album:")
    name, ok = QInputDialog.getText(parent, title, label)
    return name.strip() if ok and name.strip() else None


def _ask_application(parent: QWidget | None) -> str | None:
    title = QCoreApplication.translate("SelectionActions", "Open with")
    program, _ = QFileDialog.getOpenFileName(parent, title)
    return program or None


class SelectionActions(QObject):
    """The actions offered on the grid's selection, as a menu and as shortcuts.

    Nothing here changes a file or the library: each action asks (signals); the writer does it.
    Actions that only hand over to the desktop (copy paths, open, show in folder) are done here.
    The dialogs it opens are injectable so that tests answer them.

    Signals:
        findSimilarRequested(list): photo ids, all used as examples.
        copyRequested(list, str): photo ids, the folder chosen.
        moveRequested(list, str): photo ids, the folder chosen.
        trashRequested(list): photo ids; the user confirmed.
        favouriteRequested(list, bool): photo ids, favourite or not (all of them: on unless
            every one already is).
        addToAlbumRequested(list, int): photo ids, album id.
        newAlbumRequested(list, str): photo ids, the new album's name (create it, then add).
        removeFromAlbumRequested(list, int): photo ids, album id (the album shown).
        pathsCopied(int): this many paths went to the clipboard.
        opened(list): paths handed to the desktop (open, open with).
    """

    findSimilarRequested = Signal(list)
    copyRequested = Signal(list, str)
    moveRequested = Signal(list, str)
    trashRequested = Signal(list)
    favouriteRequested = Signal(list, bool)
    addToAlbumRequested = Signal(list, int)
    newAlbumRequested = Signal(list, str)
    removeFromAlbumRequested = Signal(list, int)
    pathsCopied = Signal(int)
    opened = Signal(list)

    def __init__(
        self,
        parent: QObject | None = None,
        ask_folder: FolderAsker = _ask_folder,
        confirm: Confirmer = ask_yes_cancel,
        ask_album_name: NameAsker = _ask_album_name,
        ask_application: AppAsker = _ask_application,
        open_paths: Callable[[list[str]], object] | None = None,
        open_paths_with: Callable[[str, list[str]], object] = open_with,
        reveal: Callable[[str], object] = show_in_folder,
    ) -> None:
        super().__init__(parent)
        self._ask_folder = ask_folder
        self._confirm = confirm
        self._ask_album_name = ask_album_name
        self._ask_application = ask_application
        self._open_paths = open_paths or (lambda paths: [open_file(p) for p in paths])
        self._open_paths_with = open_paths_with
        self._reveal = reveal

    def build_menu(
        self,
        rows: Sequence[PhotoRow],
        parent: QWidget | None = None,
        albums: Sequence[Album] = (),
        current_album: int | None = None,
        can_search: bool = True,
    ) -> QMenu:
        """The right-click menu of a selection (actions named for tests and scripts).

        Args:
            albums: the albums to offer under "Add to album".
            current_album: the album the grid shows, if any (offers "Remove from album").
            can_search: whether a model is loaded (Find similar needs one).
        """
        rows = list(rows)
        ids = [r.id for r in rows]
        paths = [r.path for r in rows]
        reachable = [r.path for r in rows if not r.offline]
        count = len(rows)
        menu = QMenu(parent)

        def add(name: str, text: str, slot: Callable[[], object], enabled: bool = True) -> QAction:
            action = menu.addAction(text)
            action.setObjectName(name)
            action.triggered.connect(slot)
            action.setEnabled(enabled and bool(rows))
            return action

        add(
            "findSimilar",
            self.tr("Find similar"),
            lambda: self.findSimilarRequested.emit(ids),
            can_search and any(r.content_hash for r in rows),
        )
        menu.addSeparator()
        add("open", self.tr("Open"), lambda: self._open(reachable), bool(reachable))
        add(
            "openWith",
            self.tr("Open with…"),
            lambda: self._open_with(parent, reachable),
            bool(reachable),
        )
        add(
            "showInFolder",
            self.tr("Show in folder"),
            lambda: self._reveal(reachable[0]),
            bool(reachable),
        )
        copy_paths = add(
            "copyPaths",
            (
                self.tr("Copy path")
                if count == 1
                else self.tr("Copy {count} paths").format(count=count)
            ),
            lambda: self._copy_paths(paths),
        )
        copy_paths.setShortcut(QKeySequence("Ctrl+Shift+C"))
        menu.addSeparator()
        favourite = not all(r.favourite for r in rows)
        heart = add(
            "favourite",
            self.tr("Add to favourites") if favourite else self.tr("Remove from favourites"),
            lambda: self.favouriteRequested.emit(ids, favourite),
        )
        heart.setShortcut(QKeySequence("Ctrl+D"))
        album_menu = menu.addMenu(self.tr("Add to album"))
        album_menu.setObjectName("addToAlbum")
        album_menu.setEnabled(bool(rows))
        for album in albums:
            action = album_menu.addAction(album.name)
            action.setObjectName(f"album-{album.id}")
            action.triggered.connect(
                lambda _=False, album_id=album.id: self.addToAlbumRequested.emit(ids, album_id)
            )
        if albums:
            album_menu.addSeparator()
        new_album = album_menu.addAction(self.tr("New album…"))
        new_album.setObjectName("newAlbum")
        new_album.triggered.connect(lambda: self._new_album(parent, ids))
        if current_album is not None:
            add(
                "removeFromAlbum",
                self.tr("Remove from this album"),
                lambda: self.removeFromAlbumRequested.emit(ids, current_album),
            )
        menu.addSeparator()
        add("copyToFolder", self.tr("Copy to folder…"), lambda: self._to_folder(parent, ids, False))
        add("moveToFolder", self.tr("Move to folder…"), lambda: self._to_folder(parent, ids, True))
        trash = add("moveToTrash", self.tr("Move to trash…"), lambda: self._trash(parent, ids))
        trash.setShortcut(QKeySequence(QKeySequence.StandardKey.Delete))
        return menu

    def install_shortcuts(self, view: QWidget, selection: Callable[[], list[PhotoRow]]) -> None:
        """Keys on the grid for the selection: Ctrl+D favourite, Delete trash, Ctrl+Shift+C
        copy paths (Ctrl+A selects all: the grid's own)."""

        def favourite() -> None:
            rows = selection()
            if rows:
                self.favouriteRequested.emit(
                    [r.id for r in rows], not all(r.favourite for r in rows)
                )

        def trash() -> None:
            rows = selection()
            if rows:
                self._trash(view, [r.id for r in rows])

        def paths() -> None:
            rows = selection()
            if rows:
                self._copy_paths([r.path for r in rows])

        for keys, slot, name in (
            (QKeySequence("Ctrl+D"), favourite, "favouriteKey"),
            (QKeySequence(QKeySequence.StandardKey.Delete), trash, "trashKey"),
            (QKeySequence("Ctrl+Shift+C"), paths, "copyPathsKey"),
        ):
            action = QAction(view)
            action.setObjectName(name)
            action.setShortcut(keys)
            action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            action.triggered.connect(slot)
            view.addAction(action)

    # -- what the actions do --------------------------------------------------------------------

    def _copy_paths(self, paths: list[str]) -> None:
        QGuiApplication.clipboard().setText("\n".join(paths))
        self.pathsCopied.emit(len(paths))

    def _open(self, paths: list[str]) -> None:
        self._open_paths(paths)
        self.opened.emit(paths)

    def _open_with(self, parent: QWidget | None, paths: list[str]) -> None:
        program = self._ask_application(parent)
        if program:
            self._open_paths_with(program, paths)
            self.opened.emit(paths)

    def _new_album(self, parent: QWidget | None, ids: list[int]) -> None:
        name = self._ask_album_name(parent)
        if name:
            self.newAlbumRequested.emit(ids, name)

    def _to_folder(self, parent: QWidget | None, ids: list[int], move: bool) -> None:
        count = len(ids)
        if move:
            title = (
                self.tr("Move the photo to")
                if count == 1
                else self.tr("Move {count} photos to").format(count=count)
            )
        else:
            title = (
                self.tr("Copy the photo to")
                if count == 1
                else self.tr("Copy {count} photos to").format(count=count)
            )
        folder = self._ask_folder(parent, title)
        if folder:
            (self.moveRequested if move else self.copyRequested).emit(ids, folder)

    def _trash(self, parent: QWidget | None, ids: list[int]) -> None:
        if len(ids) == 1:
            text = self.tr(
                "Move this photo to the trash? It leaves the library; you can restore it from the trash."  # noqa: E501
            )
        else:
            text = self.tr(
                "Move these {count} photos to the trash? They leave the library; you can restore them from the trash."  # noqa: E501
            ).format(count=len(ids))
        if self._confirm(parent, self.tr("Move to trash"), text):
            self.trashRequested.emit(ids)
