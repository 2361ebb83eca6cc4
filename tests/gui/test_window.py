"""The window end to end: drop a folder, index, search by text and by example, bad drops."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from PySide6.QtCore import QElapsedTimer, Qt, QTimer

from desktop_album.core.settings import Settings
from desktop_album.gui.main_window import MainWindow
from tests.gui.helpers import CORPUS_SIZE, drop, names, shape_of, wait_indexed


@pytest.fixture
def indexed(make_window, settings: Settings, photo_folder: Path, qtbot) -> MainWindow:
    window = make_window(settings)
    qtbot.waitUntil(lambda: window.model_status.available, timeout=10_000)
    assert drop(window, [photo_folder])
    wait_indexed(qtbot, window, CORPUS_SIZE)
    return window


def search(qtbot, window: MainWindow, text: str) -> None:
    window.search_bar.setFocus()
    with qtbot.waitSignal(
        window.resultsShown, timeout=10_000, check_params_cb=lambda r: r.kind == "text"
    ):
        if text.isascii():
            qtbot.keyClicks(window.search_bar, text)
        else:  # QTest types Latin-1 only; an input method would commit the whole text
            window.search_bar.setText(text)
        qtbot.keyClick(window.search_bar, Qt.Key.Key_Return)


def test_dropped_folder_is_indexed_and_shown(indexed: MainWindow, photo_folder: Path) -> None:
    window = indexed
    assert sorted(names(window)) == sorted(p.name for p in photo_folder.iterdir())
    roots = window.sidebar.roots
    assert [Path(r.path).name for r in roots] == ["Shapes"] and roots[0].photos == CORPUS_SIZE
    assert window.photos.kind == "browse"
    assert window.pages.currentWidget() is window.grid
    assert str(CORPUS_SIZE) in window.header.text()


def test_text_search_puts_red_circles_first(indexed: MainWindow, qtbot) -> None:
    search(qtbot, indexed, "a red circle")
    top = [shape_of(n) for n in names(indexed, 1)]
    assert top == ["red_circle"], names(indexed, 5)
    assert "a red circle" in indexed.services.settings.recent_queries
    assert indexed.search_bar.recent()[0] == "a red circle"


def test_korean_query(indexed: MainWindow, qtbot) -> None:
    search(qtbot, indexed, "빨간 원")
    assert shape_of(names(indexed, 1)[0]) == "red_circle", names(indexed, 5)


def test_find_similar_from_the_context_menu(indexed: MainWindow, qtbot) -> None:
    window = indexed
    example = next(r for r in window.photos.photos() if r.name.startswith("blue_square"))
    row = window.photos.row_of(example.id)  # the grid's row (date headers sit among photos)
    photo = window.photos.photo(row)
    assert photo is not None
    menu = window.photo_menu(window.photos.index(row, 0))
    action = next(a for a in menu.actions() if a.objectName() == "findSimilar")
    assert action.isEnabled()
    with qtbot.waitSignal(window.resultsShown, timeout=10_000):
        action.trigger()
    assert window.photos.kind == "similar_photo"
    assert photo.name not in names(window)  # the example itself is not a result
    # Photos of the same colour and shape as the example come first.
    assert shape_of(names(window, 1)[0]) == "blue_square", names(window, 5)
    assert photo.name in window.header.text()


def test_dropping_an_image_searches_like_it(indexed: MainWindow, photo_folder: Path, qtbot) -> None:
    example = next(p for p in sorted(photo_folder.iterdir()) if p.name.startswith("green_star"))
    with qtbot.waitSignal(indexed.resultsShown, timeout=10_000):
        assert drop(indexed, [example])
    assert indexed.photos.kind == "similar_file"
    assert shape_of(names(indexed, 1)[0]) == "green_star", names(indexed, 5)
    assert example.name in indexed.header.text()


@pytest.mark.parametrize("make_bad", ["text_file", "vanished"])
def test_unusable_drops_change_nothing(
    indexed: MainWindow, tmp_path: Path, qtbot, make_bad: str
) -> None:
    window = indexed
    if make_bad == "text_file":
        bad = tmp_path / "notes.txt"
        bad.write_text("not a photo")
    else:
        bad = tmp_path / "gone"
        bad.mkdir()
        bad.rmdir()
    before_rows, before_roots = window.photos.photos(), window.sidebar.roots
    with qtbot.waitSignal(window.messageShown, timeout=5000) as message:
        assert drop(window, [bad])
    assert bad.name in message.args[0]
    assert window.statusBar().currentMessage() == message.args[0]
    assert window.photos.photos() == before_rows
    assert window.sidebar.roots == before_roots
    assert not window.index.busy


def test_viewer_opens_and_steps(indexed: MainWindow, qtbot) -> None:
    window = indexed
    first = window.photos.first_photo_row()
    window.grid.setCurrentIndex(window.photos.index(first, 0))
    window.grid.setFocus()
    qtbot.keyClick(window.grid, Qt.Key.Key_Return)
    viewer = window.dialogs.viewer
    assert viewer is not None
    # The grid's thumbnail shows at once; then the full image replaces it.
    qtbot.waitUntil(lambda: viewer.canvas.has_image and not viewer.canvas.is_preview, timeout=5000)
    second = window.photos.photo(first + 1)
    with qtbot.waitSignal(viewer.loaded, timeout=5000) as loaded:
        qtbot.keyClick(viewer, Qt.Key.Key_Right)
    assert second is not None and loaded.args == [second.id]
    assert viewer.windowTitle() == second.name


def test_escape_clears_the_search_and_shows_the_library(indexed: MainWindow, qtbot) -> None:
    search(qtbot, indexed, "a star")
    with qtbot.waitSignal(
        indexed.resultsShown, timeout=10_000, check_params_cb=lambda r: r.kind == "browse"
    ):
        qtbot.keyClick(indexed.search_bar, Qt.Key.Key_Escape)
    assert indexed.search_bar.text() == ""
    assert len(indexed.photos.ids()) == CORPUS_SIZE


def test_gui_thread_never_stalls_while_indexing(
    make_window, settings: Settings, photo_folder: Path, qtbot
) -> None:
    window = make_window(settings)
    qtbot.waitUntil(lambda: window.model_status.available, timeout=10_000)
    clock = QElapsedTimer()
    gaps: list[int] = []
    ticker = QTimer()
    ticker.setInterval(5)

    def tick() -> None:
        gaps.append(clock.restart())

    ticker.timeout.connect(tick)
    clock.start()
    ticker.start()
    began = time.perf_counter()
    assert drop(window, [photo_folder])
    wait_indexed(qtbot, window, CORPUS_SIZE)
    qtbot.waitUntil(lambda: not window.loader.busy, timeout=10_000)
    ticker.stop()
    worst = max(gaps[1:], default=0) / 1000
    print(
        f"\nGUI stall while indexing {CORPUS_SIZE} photos: longest gap {worst * 1000:.0f} ms "
        f"between 5 ms ticks ({len(gaps)} ticks in {time.perf_counter() - began:.1f} s)"
    )
    assert worst < 1.0


def test_closing_stops_the_workers_quickly(
    make_window, settings: Settings, photo_folder: Path, qtbot
) -> None:
    window = make_window(settings)
    qtbot.waitUntil(lambda: window.model_status.available, timeout=10_000)
    drop(window, [photo_folder])
    qtbot.waitUntil(lambda: window.index.busy, timeout=5000)
    with qtbot.waitSignal(window.closed, timeout=5000) as closed:
        window.close()
    assert closed.args[0] < 1.0
    assert not window.index.running
    assert not window.search._thread.thread.isRunning()
