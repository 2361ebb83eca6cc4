"""Multi-select in the grid, and the selection's menu and keys: each action asks by a signal."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication

from desktop_album.core.albums import Album
from desktop_album.core.thumbnails import ThumbnailCache
from desktop_album.gui.delegate import PhotoDelegate
from desktop_album.gui.grid import PhotoGrid
from desktop_album.gui.photo_actions import (
    SelectionActions,
    open_with_command,
    show_in_folder_command,
)
from desktop_album.gui.photo_model import PhotoListModel
from desktop_album.gui.records import PhotoRow
from desktop_album.gui.tasks import TaskManager
from desktop_album.gui.thumbnail_loader import ThumbnailLoader


def make_rows(count: int, favourite: set[int] = frozenset(), offline: set[int] = frozenset()):
    return [
        PhotoRow(
            i,
            f"/photos/p{i}.jpg",
            10,
            None,
            None,
            10,
            10,
            f"hash{i}",
            offline=i in offline,
            favourite=i in favourite,
        )
        for i in range(1, count + 1)
    ]


class Answers:
    """Stands in for the dialogs: what the user would pick, and what was asked."""

    def __init__(self) -> None:
        self.folder: str | None = "/backup"
        self.confirm = True
        self.name: str | None = "Jeju"
        self.app: str | None = "/usr/bin/gimp"
        self.asked: list[str] = []
        self.opened: list[list[str]] = []
        self.opened_with: list[tuple[str, list[str]]] = []
        self.revealed: list[str] = []

    def actions(self) -> SelectionActions:
        return SelectionActions(
            ask_folder=lambda parent, title: self._note(title, self.folder),
            confirm=lambda parent, title, text: self._note(text, self.confirm),
            ask_album_name=lambda parent: self.name,
            ask_application=lambda parent: self.app,
            open_paths=self.opened.append,
            open_paths_with=lambda program, paths: self.opened_with.append((program, paths)),
            reveal=self.revealed.append,
        )

    def _note(self, text: str, answer):
        self.asked.append(text)
        return answer


def action(menu, name: str):
    for candidate in menu.actions():
        if candidate.objectName() == name:
            return candidate
        sub = candidate.menu()
        if sub is not None:
            for inner in sub.actions():
                if inner.objectName() == name:
                    return inner
    return None


@pytest.fixture
def answers() -> Answers:
    return Answers()


def test_menu_actions_emit_what_the_writer_needs(qtbot, answers: Answers) -> None:
    actions = answers.actions()
    rows = make_rows(3, favourite={1})
    albums = [Album(5, "Family", 2, 0.0), Album(6, "Trip", 0, 0.0)]
    menu = actions.build_menu(rows, albums=albums, current_album=5)
    ids = [1, 2, 3]
    expectations = [
        ("findSimilar", actions.findSimilarRequested, [ids]),
        ("favourite", actions.favouriteRequested, [ids, True]),
        ("album-6", actions.addToAlbumRequested, [ids, 6]),
        ("newAlbum", actions.newAlbumRequested, [ids, "Jeju"]),
        ("removeFromAlbum", actions.removeFromAlbumRequested, [ids, 5]),
        ("copyToFolder", actions.copyRequested, [ids, "/backup"]),
        ("moveToFolder", actions.moveRequested, [ids, "/backup"]),
        ("moveToTrash", actions.trashRequested, [ids]),
    ]
    for name, signal, args in expectations:
        with qtbot.waitSignal(signal, timeout=1000) as emitted:
            action(menu, name).trigger()
        assert emitted.args == args, name
    assert action(menu, "favourite").text() == "Add to favourites"
    assert answers.asked == [
        "Copy 3 photos to",
        "Move 3 photos to",
        "Move these 3 photos to the trash? They leave the library; you can restore them from "
        "the trash.",
    ]


def test_nothing_happens_when_the_user_cancels(qtbot, answers: Answers) -> None:
    answers.folder, answers.confirm, answers.name = None, False, None
    actions = answers.actions()
    menu = actions.build_menu(make_rows(1))
    heard: list[object] = []
    for signal in (
        actions.copyRequested,
        actions.moveRequested,
        actions.trashRequested,
        actions.newAlbumRequested,
    ):
        signal.connect(lambda *args: heard.append(args))
    for name in ("copyToFolder", "moveToFolder", "moveToTrash", "newAlbum"):
        action(menu, name).trigger()
    assert heard == []
    assert "Move this photo to the trash?" in answers.asked[-1]


def test_desktop_actions_copy_open_and_reveal(qtbot, answers: Answers) -> None:
    actions = answers.actions()
    rows = make_rows(3, offline={3})
    menu = actions.build_menu(rows)
    with qtbot.waitSignal(actions.pathsCopied, timeout=1000) as copied:
        action(menu, "copyPaths").trigger()
    assert copied.args == [3]
    assert QGuiApplication.clipboard().text() == "/photos/p1.jpg\n/photos/p2.jpg\n/photos/p3.jpg"
    assert action(menu, "copyPaths").text() == "Copy 3 paths"
    action(menu, "open").trigger()
    action(menu, "openWith").trigger()
    action(menu, "showInFolder").trigger()
    # The offline photo is not handed to other programs.
    assert answers.opened == [["/photos/p1.jpg", "/photos/p2.jpg"]]
    assert answers.opened_with == [("/usr/bin/gimp", ["/photos/p1.jpg", "/photos/p2.jpg"])]
    assert answers.revealed == ["/photos/p1.jpg"]


def test_menu_states(answers: Answers) -> None:
    actions = answers.actions()
    all_favourites = actions.build_menu(make_rows(2, favourite={1, 2}), can_search=False)
    assert action(all_favourites, "favourite").text() == "Remove from favourites"
    assert not action(all_favourites, "findSimilar").isEnabled()  # no model
    assert action(all_favourites, "removeFromAlbum") is None  # not showing an album
    offline = actions.build_menu(make_rows(1, offline={1}))
    assert not action(offline, "open").isEnabled()
    assert not action(offline, "showInFolder").isEnabled()
    assert action(offline, "copyPaths").text() == "Copy path"


def test_show_in_folder_selects_the_file_on_each_platform() -> None:
    assert show_in_folder_command(r"C:\a\b.jpg", "win32") == (
        "explorer.exe",
        ["/select,", r"C:\a\b.jpg"],
    )
    assert show_in_folder_command("/Users/me/b.jpg", "darwin") == (
        "open",
        ["-R", "/Users/me/b.jpg"],
    )
    program, args = show_in_folder_command("/home/me/사진 1.jpg", "linux")
    if program:
        assert "org.freedesktop.FileManager1.ShowItems" in args
        assert "array:string:file:///home/me/%EC%82%AC%EC%A7%84%201.jpg" in args
    assert open_with_command("/Applications/Preview.app", ["/a.jpg"], "darwin") == (
        "open",
        ["-a", "/Applications/Preview.app", "/a.jpg"],
    )
    assert open_with_command("/usr/bin/gimp", ["/a.jpg"], "linux") == ("/usr/bin/gimp", ["/a.jpg"])


@pytest.fixture
def grid(qtbot, tmp_path: Path):
    tasks = TaskManager(max_threads=1)
    loader = ThumbnailLoader(ThumbnailCache(tmp_path / "thumbs"), tasks, size=32)
    view = PhotoGrid(PhotoDelegate(loader, cell=100), min_cell=100)
    model = PhotoListModel(view)
    model.set_rows(make_rows(12, favourite={2}))
    view.setModel(model)
    qtbot.addWidget(view)
    view.resize(520, 400)
    view.show()
    qtbot.waitExposed(view)
    yield view
    qtbot.waitUntil(lambda: not loader.busy, timeout=10_000)
    tasks.shutdown()


def click(qtbot, view: PhotoGrid, row: int, modifier=Qt.KeyboardModifier.NoModifier) -> None:
    rect = view.visualRect(view.model().index(row, 0))
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, modifier, rect.center())


def test_grid_selects_with_shift_ctrl_and_ctrl_a(qtbot, grid: PhotoGrid) -> None:
    click(qtbot, grid, 0)
    click(qtbot, grid, 3, Qt.KeyboardModifier.ShiftModifier)
    assert [r.id for r in grid.selected_photos()] == [1, 2, 3, 4]
    click(qtbot, grid, 6, Qt.KeyboardModifier.ControlModifier)
    click(qtbot, grid, 1, Qt.KeyboardModifier.ControlModifier)  # Ctrl toggles one off
    assert [r.id for r in grid.selected_photos()] == [1, 3, 4, 7]
    grid.setFocus()
    qtbot.keyClick(grid, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    assert len(grid.selected_photos()) == 12
    # Keyboard: Shift+Right extends from the current photo.
    click(qtbot, grid, 4)
    qtbot.keyClick(grid, Qt.Key.Key_Right, Qt.KeyboardModifier.ShiftModifier)
    assert [r.id for r in grid.selected_photos()] == [5, 6]


def test_keys_on_the_selection(qtbot, grid: PhotoGrid, answers: Answers) -> None:
    actions = answers.actions()
    actions.install_shortcuts(grid, grid.selected_photos)
    click(qtbot, grid, 1)
    click(qtbot, grid, 2, Qt.KeyboardModifier.ShiftModifier)
    grid.activateWindow()
    qtbot.waitUntil(grid.isActiveWindow, timeout=5000)
    grid.setFocus()
    with qtbot.waitSignal(actions.favouriteRequested, timeout=2000) as favourite:
        qtbot.keyClick(grid, Qt.Key.Key_D, Qt.KeyboardModifier.ControlModifier)
    assert favourite.args == [[2, 3], True]
    with qtbot.waitSignal(actions.trashRequested, timeout=2000) as trashed:
        qtbot.keyClick(grid, Qt.Key.Key_Delete)
    assert trashed.args == [[2, 3]]
    assert answers.asked[-1].startswith("Move these 2 photos to the trash?")
