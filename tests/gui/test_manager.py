"""The window as a photo manager: the folder tree, favourites, albums, trash, retry and the info
panel, from the widgets a person uses down to the library and the disk."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from PIL import Image

from desktop_album.core.settings import Settings
from desktop_album.gui.album_list import FAVOURITES
from desktop_album.gui.folder_tree import FOLDER, UNREADABLE
from desktop_album.gui.installed_packs import InstalledPacks
from desktop_album.gui.main_window import MainWindow
from tests.gui.helpers import drop, names, wait_indexed
from tests.trash import use_temporary_trash

TIMEOUT = 60_000


def camera_photo(path: Path) -> None:
    """A JPEG with the camera and the date taken in its EXIF."""
    image = Image.new("RGB", (64, 48), (200, 30, 30))
    exif = Image.Exif()
    exif[0x010F] = "Canon"
    exif[0x0110] = "EOS R6"
    exif.get_ifd(0x8769)[0x9003] = "2024:05:01 10:00:00"
    image.save(path, exif=exif)


@pytest.fixture
def pics(corpus: Path, tmp_path: Path) -> Path:
    """Pics/ with two photos and a camera photo, Pics/Trip/ with two photos."""
    root = tmp_path / "photos" / "Pics"
    (root / "Trip").mkdir(parents=True)
    shapes = sorted(corpus.iterdir())
    for source in shapes[:2]:
        shutil.copy(source, root / source.name)
    for source in shapes[2:4]:
        shutil.copy(source, root / "Trip" / source.name)
    camera_photo(root / "camera.jpg")
    return root


def open_window(make_window, settings: Settings, qtbot) -> MainWindow:
    window = make_window(settings)
    qtbot.waitUntil(lambda: window.model_status.available, timeout=TIMEOUT)
    return window


@pytest.fixture
def window(make_window, settings: Settings, pics: Path, qtbot) -> MainWindow:
    window = open_window(make_window, settings, qtbot)
    assert drop(window, [pics])
    wait_indexed(qtbot, window, 5)
    qtbot.waitUntil(lambda: root_id(window) is not None, timeout=TIMEOUT)
    return window


def root_id(window: MainWindow) -> int | None:
    roots = window.library.data.roots if window.library.data else []
    return roots[0].root_id if roots else None


def select(window: MainWindow, *file_names: str) -> None:
    by_name = {r.name: r.id for r in window.photos.photos()}
    rows = [window.photos.row_of(by_name[n]) for n in file_names]  # grid rows: headers count
    window.grid.clearSelection()
    window.grid.setCurrentIndex(window.photos.index(rows[0], 0))
    for row in rows[1:]:
        window.grid.selectionModel().select(
            window.photos.index(row, 0), window.grid.selectionModel().SelectionFlag.Select
        )


def trigger(window: MainWindow, name: str) -> None:
    menu = window.library.menu_for_selection()
    for action in menu.actions():
        inner = action.menu().actions() if action.menu() is not None else []
        for candidate in [action, *inner]:
            if candidate.objectName() == name:
                candidate.trigger()
                return
    raise AssertionError(f"no action {name}")


def albums_read(window: MainWindow) -> dict[str, int]:
    data = window.library.data
    return {a.name: a.count for a in data.albums} if data else {}


def test_browse_a_subfolder_from_the_tree(window: MainWindow, pics: Path, qtbot) -> None:
    rid = root_id(window)
    assert rid is not None
    tree = window.library.tree
    qtbot.waitUntil(lambda: tree.item_for(FOLDER, rid, "Trip") is not None, timeout=TIMEOUT)
    assert "2" in tree.item_for(FOLDER, rid, "Trip").text(0) or tree.item_for(
        FOLDER, rid, "Trip"
    ).text(1)
    with qtbot.waitSignal(window.resultsShown, timeout=TIMEOUT):
        tree.select_folder(rid, "Trip")
    assert sorted(names(window)) == sorted(p.name for p in (pics / "Trip").iterdir())


def test_favourite_survives_a_restart(
    window: MainWindow, make_window, settings: Settings, qtbot
) -> None:
    name = names(window)[0]
    select(window, name)
    key = next(a for a in window.grid.actions() if a.objectName() == "favouriteKey")
    key.trigger()
    qtbot.waitUntil(
        lambda: window.library.data is not None and window.library.data.favourites == 1,
        timeout=TIMEOUT,
    )
    window.close()
    again = open_window(make_window, settings, qtbot)
    qtbot.waitUntil(
        lambda: again.library.data is not None and again.library.data.favourites == 1,
        timeout=TIMEOUT,
    )
    with qtbot.waitSignal(again.resultsShown, timeout=TIMEOUT):
        again.library.album_list.select(FAVOURITES)
    assert names(again) == [name]


def test_add_to_album_by_the_context_menu(window: MainWindow, qtbot) -> None:
    first, second, third = names(window)[:3]
    window.library.actions._ask_album_name = lambda parent: "Jeju"
    select(window, first, second)
    trigger(window, "newAlbum")
    qtbot.waitUntil(lambda: albums_read(window) == {"Jeju": 2}, timeout=TIMEOUT)
    (jeju,) = window.library.data.albums
    select(window, third)
    trigger(window, f"album-{jeju.id}")
    qtbot.waitUntil(lambda: albums_read(window) == {"Jeju": 3}, timeout=TIMEOUT)
    with qtbot.waitSignal(window.resultsShown, timeout=TIMEOUT):
        window.library.album_list.select(jeju.id)
    assert sorted(names(window)) == sorted([first, second, third])


def test_trash_a_photo(window: MainWindow, pics: Path, tmp_path: Path, monkeypatch, qtbot) -> None:
    trash = use_temporary_trash(monkeypatch, tmp_path / "user")
    asked: list[str] = []
    window.library.actions._confirm = lambda parent, title, text: asked.append(text) or True
    name = names(window)[0]
    select(window, name)
    trigger(window, "moveToTrash")
    assert asked and "trash" in asked[0]
    qtbot.waitUntil(lambda: name not in names(window) and len(names(window)) == 4, timeout=TIMEOUT)
    assert [p.name for p in (trash / "files").iterdir()] == [name]
    assert "1 photos moved to the trash." in window.statusBar().currentMessage()


def test_album_survives_a_rename_of_its_folder(window: MainWindow, pics: Path, qtbot) -> None:
    trip = sorted(p.name for p in (pics / "Trip").iterdir())
    window.library.actions._ask_album_name = lambda parent: "Trip album"
    select(window, *trip)
    trigger(window, "newAlbum")
    qtbot.waitUntil(lambda: albums_read(window) == {"Trip album": 2}, timeout=TIMEOUT)
    (album,) = window.library.data.albums
    (pics / "Trip").rename(pics / "Journey")
    window.index.index()
    rid = root_id(window)
    tree = window.library.tree
    qtbot.waitUntil(lambda: tree.item_for(FOLDER, rid, "Journey") is not None, timeout=TIMEOUT)
    with qtbot.waitSignal(window.resultsShown, timeout=TIMEOUT):
        window.library.album_list.select(album.id)
    qtbot.waitUntil(lambda: sorted(names(window)) == trip, timeout=TIMEOUT)
    assert all("/Journey/" in r.path for r in window.photos.photos())
    assert albums_read(window) == {"Trip album": 2}


def test_retry_an_unreadable_photo_after_fixing_it(
    window: MainWindow, pics: Path, corpus: Path, qtbot
) -> None:
    broken = pics / "broken.jpg"
    broken.write_bytes(b"not a photo at all" * 20)
    window.index.index()
    rid = root_id(window)
    tree = window.library.tree
    qtbot.waitUntil(lambda: tree.item_for(UNREADABLE, rid) is not None, timeout=TIMEOUT)
    item = tree.item_for(UNREADABLE, rid)
    assert "1" in item.text(0)
    shutil.copy(sorted(corpus.iterdir())[5], broken)
    menu = tree.menu_for(item)
    assert menu is not None
    next(a for a in menu.actions() if a.objectName() == "retry").trigger()
    qtbot.waitUntil(lambda: tree.item_for(UNREADABLE, rid) is None, timeout=TIMEOUT)
    qtbot.waitUntil(lambda: "broken.jpg" in names(window), timeout=TIMEOUT)


def test_info_panel_shows_the_date_source_and_camera(window: MainWindow, qtbot) -> None:
    window.info_action.trigger()
    assert window.library.info.isVisible()
    with qtbot.waitSignal(window.library.info.shown, timeout=TIMEOUT):
        select(window, "camera.jpg")
    labels = window.library.info.labels
    assert "Canon" in labels["camera"].text() and "EOS R6" in labels["camera"].text()
    assert "(from the camera)" in labels["date"].text()
    assert "2024" in labels["date"].text()


def models_dialog_with_two_packs(
    make_window, home, tiny_pack: Path, qtbot
) -> tuple[MainWindow, InstalledPacks]:
    """File ▸ Models… with two installed copies of one pack, tiny-a in use."""
    for name in ("tiny-a", "tiny-b"):
        shutil.copytree(tiny_pack, home.models_dir / name)
    window = open_window(make_window, Settings(model="tiny-a", provider="cpu", threads=1), qtbot)
    window.dialogs.show_models()
    packs = window.dialogs.model_dialog.installed_packs
    qtbot.waitUntil(lambda: len(packs.packs) == 2, timeout=TIMEOUT)
    return window, packs


def test_models_dialog_switches_to_a_pack_of_the_same_space(
    make_window, home, tiny_pack: Path, qtbot
) -> None:
    window, packs = models_dialog_with_two_packs(make_window, home, tiny_pack, qtbot)
    assert packs.list.item(0).text() == "tiny-a (in use)"
    packs.list.setCurrentRow(1)
    assert packs.use_button.isEnabled() and packs.remove_button.isEnabled()
    with qtbot.waitSignal(window.messageShown, timeout=TIMEOUT):
        packs.use_button.click()
    assert "tiny-b is ready, no re-indexing needed." in window.statusBar().currentMessage()
    assert window.services.settings.model == "tiny-b"
    packs.list.setCurrentRow(0)  # tiny-a, no longer in use: removable
    qtbot.waitUntil(lambda: packs.remove_button.isEnabled(), timeout=TIMEOUT)
    with qtbot.waitSignal(packs.packsRead, timeout=TIMEOUT):
        packs.reload()  # as when the model switch ends: the user's choice stays chosen
    assert packs.selected() is not None and packs.selected().name == "tiny-a"
    packs.remove_button.click()
    qtbot.waitUntil(lambda: [p.name for p in packs.packs] == ["tiny-b"], timeout=TIMEOUT)
    assert not (home.models_dir / "tiny-a").exists()


def test_a_pack_that_cannot_be_removed_says_so_in_the_window(
    make_window, home, tiny_pack: Path, qtbot
) -> None:
    window, packs = models_dialog_with_two_packs(make_window, home, tiny_pack, qtbot)
    packs.list.setCurrentRow(1)
    shutil.rmtree(home.models_dir / "tiny-b")  # gone behind the window's back
    with qtbot.waitSignal(window.messageShown, timeout=TIMEOUT) as shown:
        packs.remove_button.click()
    assert "could not be removed" in shown.args[0] and "tiny-b" in shown.args[0]
    qtbot.waitUntil(lambda: [p.name for p in packs.packs] == ["tiny-a"], timeout=TIMEOUT)


def test_activating_a_photo_opens_the_viewer_on_the_grid_photos(window: MainWindow, qtbot) -> None:
    second = window.photos.index(window.photos.first_photo_row() + 1, 0)
    window.grid.activated.emit(second)
    viewer = window.dialogs.viewer
    assert viewer is not None
    qtbot.waitUntil(lambda: viewer.isVisible(), timeout=TIMEOUT)
    assert viewer._rows == window.photos.photos() and viewer.current == 1


def test_a_refused_album_name_is_shown_in_the_window(window: MainWindow, qtbot) -> None:
    window.library.album_list.createRequested.emit("Jeju")
    qtbot.waitUntil(lambda: albums_read(window) == {"Jeju": 0}, timeout=TIMEOUT)
    with qtbot.waitSignal(window.messageShown, timeout=TIMEOUT) as shown:
        window.library.album_list.createRequested.emit("Jeju")
    assert "Jeju" in shown.args[0]


def test_a_folder_chosen_again_after_an_album_browses_again(window: MainWindow, qtbot) -> None:
    rid = root_id(window)
    tree = window.library.tree
    qtbot.waitUntil(lambda: tree.item_for(FOLDER, rid, "Trip") is not None, timeout=TIMEOUT)
    with qtbot.waitSignal(window.resultsShown, timeout=TIMEOUT):
        tree.select_folder(rid, "Trip")
    with qtbot.waitSignal(window.resultsShown, timeout=TIMEOUT):
        window.library.album_list.select(FAVOURITES)
    assert names(window) == []
    with qtbot.waitSignal(window.resultsShown, timeout=TIMEOUT):
        tree.select_folder(rid, "Trip")
    assert len(names(window)) == 2
