"""Each selection action, from the menu to the library and the disk, wired as the writer will
be: the menu's signal calls the core function with the writer's Library."""

from __future__ import annotations

from pathlib import Path

import pytest

from desktop_album.core import albums, file_actions
from desktop_album.core.library import Library
from desktop_album.gui.photo_actions import SelectionActions
from desktop_album.gui.records import PhotoRow
from tests.core.library_helpers import index_root, make_files
from tests.trash import use_temporary_trash


@pytest.fixture
def setup(tmp_path: Path):
    library = Library(tmp_path / "lib.db")
    make_files(tmp_path / "Pictures" / "Trip", ["a.jpg", "b.jpg", "c.jpg"])
    ids = index_root(library, tmp_path / "Pictures")
    infos = library.photo_info(list(ids.values()))
    rows = {
        name: PhotoRow.from_info(infos[photo_id], favourite=False) for name, photo_id in ids.items()
    }
    yield library, rows
    library.close()


def wire(actions: SelectionActions, library: Library, reports: list) -> None:
    actions.copyRequested.connect(
        lambda ids, folder: reports.append(file_actions.copy_to_folder(library, ids, folder))
    )
    actions.moveRequested.connect(
        lambda ids, folder: reports.append(file_actions.move_to_folder(library, ids, folder))
    )
    actions.trashRequested.connect(
        lambda ids: reports.append(file_actions.move_to_trash(library, ids))
    )
    actions.favouriteRequested.connect(lambda ids, on: albums.set_favourite(library, ids, on))
    actions.addToAlbumRequested.connect(lambda ids, a: albums.add_to_album(library, a, ids))
    actions.newAlbumRequested.connect(
        lambda ids, name: albums.add_to_album(library, albums.create_album(library, name).id, ids)
    )


def trigger(menu, name: str) -> None:
    for action in menu.actions():
        if action.objectName() == name:
            action.trigger()
            return
        if action.menu() is not None:
            for inner in action.menu().actions():
                if inner.objectName() == name:
                    inner.trigger()
                    return
    raise AssertionError(f"no action {name}")


def test_trash_from_the_menu(qtbot, setup, tmp_path: Path, monkeypatch) -> None:
    library, rows = setup
    trash = use_temporary_trash(monkeypatch, tmp_path / "home")
    confirmations: list[str] = []
    actions = SelectionActions(
        confirm=lambda parent, title, text: confirmations.append(text) or True
    )
    reports: list = []
    wire(actions, library, reports)
    trigger(actions.build_menu([rows["a.jpg"], rows["b.jpg"]]), "moveToTrash")
    assert confirmations[0].startswith("Move these 2 photos to the trash?")
    (report,) = reports
    assert [o.ok for o in report.outcomes] == [True, True]
    assert sorted(p.name for p in (trash / "files").iterdir()) == ["a.jpg", "b.jpg"]
    assert not (tmp_path / "Pictures" / "Trip" / "a.jpg").exists()
    left = library.photo_info([r.id for r in rows.values()])
    assert [Path(i.path).name for i in left.values()] == ["c.jpg"]


def test_copy_move_favourite_and_albums_from_the_menu(qtbot, setup, tmp_path: Path) -> None:
    library, rows = setup
    folders = iter([str(tmp_path / "Backup"), str(tmp_path / "Pictures" / "Best")])
    actions = SelectionActions(
        ask_folder=lambda parent, title: next(folders), ask_album_name=lambda parent: "Jeju"
    )
    reports: list = []
    wire(actions, library, reports)
    selection = [rows["a.jpg"], rows["c.jpg"]]
    trigger(actions.build_menu(selection), "copyToFolder")
    assert sorted(p.name for p in (tmp_path / "Backup").iterdir()) == ["a.jpg", "c.jpg"]
    trigger(actions.build_menu(selection), "favourite")
    trigger(actions.build_menu(selection), "newAlbum")
    trigger(actions.build_menu(selection), "moveToFolder")
    assert all(o.ok and not o.left_library for o in reports[-1].outcomes)
    assert albums.favourite_ids(library) == {rows["a.jpg"].id, rows["c.jpg"].id}
    (jeju,) = albums.albums(library)
    assert jeju.name == "Jeju" and jeju.count == 2
    moved = library.photo_info([rows["a.jpg"].id])[rows["a.jpg"].id]
    assert moved.path.endswith("Best/a.jpg")  # same photo, new folder, still in its album
    assert albums.album_photos(library, jeju.id) == [rows["a.jpg"].id, rows["c.jpg"].id]
