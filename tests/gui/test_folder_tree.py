"""The sidebar's folder tree: subfolders with counts, offline roots, unreadable files, Retry."""

from __future__ import annotations

from pathlib import Path

import pytest

from desktop_album.core.folders import root_folders
from desktop_album.core.library import Library, PhotoResult
from desktop_album.gui.folder_tree import FILE, FOLDER, UNREADABLE, FolderTree
from tests.core.library_helpers import index_root, make_files


@pytest.fixture
def library(tmp_path: Path):
    lib = Library(tmp_path / "lib.db")
    make_files(
        tmp_path / "Pictures", ["top.jpg", "2024/a.jpg", "2024/Jeju/b.jpg", "2024/Jeju/bad.jpg"]
    )
    ids = index_root(lib, tmp_path / "Pictures")
    lib.record_batch("m", [PhotoResult(ids["bad.jpg"], error="truncated file")])
    yield lib
    lib.close()


def test_tree_shows_subfolders_with_counts(qtbot, library: Library) -> None:
    tree = FolderTree()
    qtbot.addWidget(tree)
    tree.set_roots(root_folders(library))
    root_id = library.roots()[0].id
    top = tree.item_for(FOLDER, root_id)
    assert top is not None and (top.text(0), top.text(1)) == ("Pictures", "4")
    year = tree.item_for(FOLDER, root_id, "2024")
    jeju = tree.item_for(FOLDER, root_id, "2024/Jeju")
    assert year is not None and year.text(1) == "3"
    assert jeju is not None and (jeju.text(0), jeju.text(1)) == ("Jeju", "2")
    with qtbot.waitSignal(tree.folderSelected, timeout=2000) as selected:
        tree.select_folder(root_id, "2024/Jeju")
    assert selected.args == [root_id, "2024/Jeju"]


def test_unreadable_files_are_listed_with_reasons_and_can_be_retried(
    qtbot, library: Library
) -> None:
    tree = FolderTree()
    qtbot.addWidget(tree)
    tree.set_roots(root_folders(library))
    root_id = library.roots()[0].id
    entry = tree.item_for(UNREADABLE, root_id)
    assert entry is not None and entry.text(0) == "1 unreadable"
    (bad,) = [p for p in library.stored_photos(root_id).values() if p.status == "error"]
    file_item = tree.item_for(FILE, root_id, bad.path)
    assert file_item is not None and file_item.text(0) == "bad.jpg — truncated file"
    with qtbot.waitSignal(tree.unreadableSelected, timeout=2000) as chosen:
        tree.setCurrentItem(entry)
    assert chosen.args == [root_id]
    menu = tree.menu_for(entry)
    assert menu is not None
    (retry,) = [a for a in menu.actions() if a.objectName() == "retry"]
    assert retry.text() == "Retry all"
    with qtbot.waitSignal(tree.retryAllRequested, timeout=2000) as asked:
        retry.trigger()
    assert asked.args == [root_id]
    (one,) = [a for a in tree.menu_for(file_item).actions() if a.objectName() == "retry"]
    assert one.text() == "Retry"
    with qtbot.waitSignal(tree.retryRequested, timeout=2000) as asked:
        one.trigger()
    assert asked.args == [[bad.id]]
    assert tree.menu_for(tree.item_for(FOLDER, root_id)) is None  # nothing to retry there


def test_offline_root_keeps_its_tree_and_says_so(qtbot, library: Library) -> None:
    tree = FolderTree()
    qtbot.addWidget(tree)
    tree.set_roots(root_folders(library))
    root_id = library.roots()[0].id
    tree.item_for(FOLDER, root_id).setExpanded(True)
    tree.select_folder(root_id, "2024")
    library.set_root_online(root_id, False)
    tree.set_roots(root_folders(library))  # refreshed: the open folder and the current stay
    top = tree.item_for(FOLDER, root_id)
    assert top is not None and top.text(0) == "Pictures (offline)" and top.isExpanded()
    assert "unplugged" in top.toolTip(0)
    assert tree.item_for(FOLDER, root_id, "2024/Jeju") is not None
    assert tree.current_key() == (FOLDER, root_id, "2024")
