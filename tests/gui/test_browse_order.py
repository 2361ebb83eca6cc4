"""Browsing as a user sees it: the order chosen in the options bar, the thumbnail size (slider
and Ctrl+wheel), the sidebar highlighting what is shown, Retry on one unreadable file, and a
folder opening at the top."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QWheelEvent
from PySide6.QtWidgets import QApplication

from desktop_album.core.settings import Settings
from desktop_album.gui.folder_tree import FILE, FOLDER, UNREADABLE
from desktop_album.gui.main_window import MainWindow
from tests.gui.helpers import drop, names, wait_indexed

TIMEOUT = 60_000
# (path below the root, modification time): plain text, natural, folder and time order differ.
FILES = [
    ("IMG_10", 1_700_000_300),
    ("img_2", 1_700_000_100),
    ("b/IMG_1", 1_700_000_500),
    ("a/zeta", 1_700_000_200),
    ("a/Alpha", 1_700_000_400),
]


@pytest.fixture
def pics(corpus: Path, tmp_path: Path) -> Path:
    root = tmp_path / "photos" / "Pics"
    shapes = sorted(corpus.iterdir())
    for (name, mtime), source in zip(FILES, shapes, strict=False):
        target = root / (name + source.suffix)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(source, target)
        os.utime(target, (mtime, mtime))
    return root


def open_window(make_window, settings: Settings, qtbot, pics: Path | None = None) -> MainWindow:
    window = make_window(settings)
    qtbot.waitUntil(lambda: window.model_status.available, timeout=TIMEOUT)
    if pics is not None:
        assert drop(window, [pics])
    wait_indexed(qtbot, window, len(FILES))
    qtbot.waitUntil(lambda: window.library.data is not None, timeout=TIMEOUT)
    qtbot.waitUntil(lambda: bool(window.library.data.roots), timeout=TIMEOUT)
    return window


@pytest.fixture
def window(make_window, settings: Settings, pics: Path, qtbot) -> MainWindow:
    return open_window(make_window, settings, qtbot, pics)


def stems(window: MainWindow) -> list[str]:
    return [Path(n).stem for n in names(window)]


def choose_order(window: MainWindow, qtbot, key: str) -> None:
    combo = window.search_options.sort
    with qtbot.waitSignal(window.resultsShown, timeout=TIMEOUT):
        combo.setCurrentIndex(combo.findData(key))


def test_each_order_as_the_grid_shows_it(window: MainWindow, qtbot) -> None:
    choose_order(window, qtbot, "name")
    assert stems(window) == ["Alpha", "IMG_1", "img_2", "IMG_10", "zeta"]
    assert window.photos.headers() == []  # no headers by name
    assert "by name" in window.header.text()
    choose_order(window, qtbot, "modified")
    assert stems(window) == ["IMG_1", "Alpha", "IMG_10", "zeta", "img_2"]
    choose_order(window, qtbot, "folder")
    assert stems(window) == ["img_2", "IMG_10", "Alpha", "zeta", "IMG_1"]
    headers = window.photos.headers()
    assert [window.photos.header_text(row) for row, _ in headers] == ["Pics", "Pics/a", "Pics/b"]
    choose_order(window, qtbot, "relevance")  # an empty bar: newest first, date headers
    assert window.photos.headers() and "newest first" in window.header.text()


def test_a_search_keeps_its_matches_in_another_order(window: MainWindow, qtbot) -> None:
    with qtbot.waitSignal(window.resultsShown, timeout=TIMEOUT) as shown:
        window.search_bar.setText("a photo")
        window.run_query("a photo")
    best = sorted(names(window))
    assert shown.args[0].kind == "text"
    choose_order(window, qtbot, "name")
    assert sorted(names(window)) == best
    got = stems(window)
    from desktop_album.core.ordering import natural_key

    assert got == sorted(got, key=natural_key)


def test_a_tree_folder_follows_the_order(window: MainWindow, qtbot) -> None:
    rid = window.library.data.roots[0].root_id
    choose_order(window, qtbot, "name")
    with qtbot.waitSignal(window.resultsShown, timeout=TIMEOUT):
        window.library.tree.select_folder(rid, "a")
    assert stems(window) == ["Alpha", "zeta"]
    with qtbot.waitSignal(window.resultsShown, timeout=TIMEOUT):
        window.library.tree.select_folder(rid, "")  # the whole root, still by name
    assert stems(window) == ["Alpha", "IMG_1", "img_2", "IMG_10", "zeta"]
    choose_order(window, qtbot, "modified")  # the folder shown is asked for again
    assert stems(window) == ["IMG_1", "Alpha", "IMG_10", "zeta", "img_2"]
    assert window.library.tree.current_key() == (FOLDER, rid, "")  # still that folder


def test_sort_and_thumbnail_size_are_remembered_after_a_restart(
    make_window, settings: Settings, pics: Path, qtbot, home
) -> None:
    first = open_window(make_window, settings, qtbot, pics)
    choose_order(first, qtbot, "name")
    first.browse_prefs.slider.slider.setValue(120)
    assert first.grid.thumbnail_size == 120
    first.close()
    saved = Settings.load(home.settings_file)
    assert (saved.sort, saved.thumbnail_size) == ("name", 120)
    second = open_window(make_window, saved, qtbot)
    assert second.search_options.sort_key == "name"
    assert second.grid.thumbnail_size == 120 and second.grid.iconSize().width() == 120
    qtbot.waitUntil(lambda: stems(second) == ["Alpha", "IMG_1", "img_2", "IMG_10", "zeta"])


def test_slider_and_ctrl_wheel_change_the_thumbnail_size(window: MainWindow, qtbot) -> None:
    grid, slider = window.grid, window.browse_prefs.slider.slider
    before = grid.visualRect(window.photos.index(window.photos.first_photo_row(), 0))
    slider.setValue(slider.minimum())
    assert grid.thumbnail_size == 96 and grid.iconSize().width() == 96
    small = grid.visualRect(window.photos.index(window.photos.first_photo_row(), 0))
    assert small.width() < before.width()
    wheel = QWheelEvent(
        QPointF(20, 20),
        QPointF(grid.viewport().mapToGlobal(QPoint(20, 20))),
        QPoint(0, 0),
        QPoint(0, 240),  # two notches up
        Qt.MouseButton.NoButton,
        Qt.KeyboardModifier.ControlModifier,
        Qt.ScrollPhase.NoScrollPhase,
        False,
    )
    QApplication.sendEvent(grid.viewport(), wheel)
    assert grid.thumbnail_size == 96 + 2 * grid.WHEEL_STEP
    assert slider.value() == grid.thumbnail_size  # the slider follows the wheel
    assert window.services.settings.thumbnail_size == grid.thumbnail_size


def test_the_sidebar_highlights_only_what_is_shown(window: MainWindow, qtbot) -> None:
    sidebar, tree, albums = window.sidebar, window.library.tree, window.library.album_list
    rid = window.library.data.roots[0].root_id
    assert sidebar.highlighted() == ["All photos"]
    with qtbot.waitSignal(window.resultsShown, timeout=TIMEOUT):
        tree.select_folder(rid, "a")
    assert sidebar.highlighted() == [] and albums.selectedItems() == []
    assert [i.text(0) for i in tree.selectedItems()] == ["a"]
    with qtbot.waitSignal(window.resultsShown, timeout=TIMEOUT):
        albums.setCurrentRow(0)  # Favourites
    assert sidebar.highlighted() == [] and tree.selectedItems() == []
    assert len(albums.selectedItems()) == 1
    window.library.read_sidebar()  # the lists are read again: nothing comes back highlighted
    qtbot.waitSignal(window.library.sidebarRead, timeout=TIMEOUT)
    with qtbot.waitSignal(window.resultsShown, timeout=TIMEOUT):
        sidebar.select_all()
    assert sidebar.highlighted() == ["All photos"]
    assert tree.selectedItems() == [] and albums.selectedItems() == []


def test_switching_folders_opens_at_the_top(
    make_window, settings: Settings, corpus: Path, tmp_path: Path, qtbot
) -> None:
    root = tmp_path / "photos" / "Many"
    for folder in ("one", "two"):
        shutil.copytree(corpus, root / folder)
    count = 2 * len(list(corpus.iterdir()))
    window = make_window(settings)
    window.resize(900, 500)
    qtbot.waitUntil(lambda: window.model_status.available, timeout=TIMEOUT)
    assert drop(window, [root])
    wait_indexed(qtbot, window, count)
    qtbot.waitUntil(lambda: bool(window.library.data and window.library.data.roots))
    rid = window.library.data.roots[0].root_id
    with qtbot.waitSignal(window.resultsShown, timeout=TIMEOUT):
        window.library.tree.select_folder(rid, "one")
    bar = window.grid.verticalScrollBar()
    qtbot.waitUntil(lambda: bar.maximum() > 0, timeout=TIMEOUT)
    bar.setValue(bar.maximum())
    assert bar.value() > 0
    with qtbot.waitSignal(window.resultsShown, timeout=TIMEOUT):
        window.library.tree.select_folder(rid, "two")
    assert bar.value() == 0
    assert all("/two/" in r.path for r in window.photos.photos())


def test_retry_one_unreadable_file_retries_only_that_one(
    window: MainWindow, pics: Path, corpus: Path, qtbot
) -> None:
    jpegs = sorted(p for p in corpus.iterdir() if p.suffix == ".jpg")[-2:]
    good = {"broken1.jpg": jpegs[0].read_bytes(), "broken2.jpg": jpegs[1].read_bytes()}
    times = {}
    for name in ("broken1.jpg", "broken2.jpg"):  # the JPEG marker spoilt: not an image
        (pics / name).write_bytes(b"XXXX" + good[name][4:])
        times[name] = (pics / name).stat().st_mtime_ns
    window.index.index()
    rid = window.library.data.roots[0].root_id
    tree = window.library.tree
    qtbot.waitUntil(
        lambda: (e := tree.item_for(UNREADABLE, rid)) is not None and "2" in e.text(0),
        timeout=TIMEOUT,
    )
    qtbot.waitUntil(lambda: not window.index.busy, timeout=TIMEOUT)
    for name in ("broken1.jpg", "broken2.jpg"):  # both mended, same size and time: a rescan
        (pics / name).write_bytes(good[name])  # alone would not read them again
        os.utime(pics / name, ns=(times[name], times[name]))
    item = tree.item_for(FILE, rid, str((pics / "broken1.jpg").resolve()))
    assert item is not None
    (retry,) = [a for a in tree.menu_for(item).actions() if a.objectName() == "retry"]
    assert retry.text() == "Retry"
    retry.trigger()
    qtbot.waitUntil(lambda: "broken1.jpg" in names(window), timeout=TIMEOUT)
    qtbot.waitUntil(lambda: not window.index.busy, timeout=TIMEOUT)
    qtbot.waitUntil(
        lambda: (e := tree.item_for(UNREADABLE, rid)) is not None and "1" in e.text(0),
        timeout=TIMEOUT,
    )
    assert tree.item_for(FILE, rid, str((pics / "broken2.jpg").resolve())) is not None
    assert "broken2.jpg" not in names(window)  # the other one was left as it was
    entry = tree.item_for(UNREADABLE, rid)
    (retry_all,) = [a for a in tree.menu_for(entry).actions() if a.objectName() == "retry"]
    assert retry_all.text() == "Retry all"
    retry_all.trigger()  # and "Retry all" still reads it
    qtbot.waitUntil(lambda: "broken2.jpg" in names(window), timeout=TIMEOUT)
    qtbot.waitUntil(lambda: tree.item_for(UNREADABLE, rid) is None, timeout=TIMEOUT)


def test_a_retried_copy_of_an_indexed_photo_shows_in_the_grid(
    window: MainWindow, pics: Path, qtbot
) -> None:
    """Mended into the same bytes as a photo already indexed, it reuses that vector (nothing
    is embedded): the grid still shows it."""
    twin = sorted(p for p in pics.rglob("*.jpg"))[0]
    spoilt = pics / "copy.jpg"
    spoilt.write_bytes(b"XXXX" + twin.read_bytes()[4:])
    when = spoilt.stat().st_mtime_ns
    window.index.index()
    rid = window.library.data.roots[0].root_id
    tree = window.library.tree
    qtbot.waitUntil(lambda: tree.item_for(UNREADABLE, rid) is not None, timeout=TIMEOUT)
    qtbot.waitUntil(lambda: not window.index.busy, timeout=TIMEOUT)
    spoilt.write_bytes(twin.read_bytes())
    os.utime(spoilt, ns=(when, when))  # same size and time: only a retry reads it again
    entry = tree.item_for(UNREADABLE, rid)
    (retry_all,) = [a for a in tree.menu_for(entry).actions() if a.objectName() == "retry"]
    retry_all.trigger()
    qtbot.waitUntil(lambda: "copy.jpg" in names(window), timeout=TIMEOUT)
    qtbot.waitUntil(lambda: tree.item_for(UNREADABLE, rid) is None, timeout=TIMEOUT)
