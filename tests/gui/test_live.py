"""The window follows the disk: copies, renames, moves, deletions, unplugged folders, closing."""

from __future__ import annotations

import errno
import shutil
import sqlite3
import threading
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import pytest
from PySide6.QtWidgets import QMessageBox, QPushButton

from desktop_album.core.paths import AppPaths
from desktop_album.core.settings import Settings
from desktop_album.core.watching import FolderWatcher
from desktop_album.gui.main_window import MainWindow
from desktop_album.gui.records import HeldBack, IndexResult
from tests.gui.helpers import CORPUS_SIZE, FAST, drop, wait_indexed

# Native events (inotify) as in real use, a quick availability check, and a quiet period just
# over watchdog's 0.5 s wait for the second half of a rename: a file moved into a folder made a
# moment before is reported as created at once and as deleted 0.5 s later, and both halves
# must land in one batch for the scan to see a move.
LIVE = replace(FAST, watch_debounce_ms=600, availability_interval_ms=150)
TIMEOUT_MS = 15_000


def embeddings(home: AppPaths) -> dict[int, int]:
    """photo id -> the rowid of its vector: a vector computed again gets a new row."""
    with sqlite3.connect(f"file:{home.library_file}?mode=ro", uri=True) as conn:
        return dict(conn.execute("SELECT photo_id, rowid FROM embeddings"))


def paths(window: MainWindow) -> dict[str, int]:
    """What the grid shows: path -> photo id."""
    return {r.path: r.id for r in window.photos.photos()}


def settle(qtbot, window: MainWindow, check: Callable[[], bool]) -> None:
    """Until no index job runs and ``check`` holds (the grid refreshes after each job)."""
    qtbot.waitUntil(lambda: not window.index.busy and check(), timeout=TIMEOUT_MS)


def results_of(window: MainWindow) -> list[IndexResult]:
    results: list[IndexResult] = []
    window.index.finished.connect(results.append)
    return results


@pytest.fixture
def live(make_window, settings: Settings, photo_folder: Path, qtbot) -> MainWindow:
    """A window whose library holds the photo folder, indexed and watched."""
    window = make_window(settings, LIVE)
    qtbot.waitUntil(lambda: window.model_status.available, timeout=10_000)
    assert drop(window, [photo_folder])
    wait_indexed(qtbot, window, CORPUS_SIZE)
    qtbot.waitUntil(
        lambda: str(photo_folder) in window.index.writer.watcher.watched(), timeout=5000
    )
    return window


def test_follows_copies_renames_moves_and_deletions(
    live: MainWindow, photo_folder: Path, home: AppPaths, tmp_path: Path, qtbot
) -> None:
    from models.shapes import make_corpus

    window = live
    made = make_corpus(tmp_path / "new", 3, seed=99)
    for number, (path, _spec) in enumerate(made):
        shutil.copy(path, photo_folder / f"new_{number}{path.suffix}")
    new = {str(photo_folder / f"new_{n}{p.suffix}") for n, (p, _) in enumerate(made)}
    settle(qtbot, window, lambda: new <= set(paths(window)))
    assert len(paths(window)) == CORPUS_SIZE + 3
    qtbot.waitUntil(lambda: len(embeddings(home)) == CORPUS_SIZE + 3, timeout=TIMEOUT_MS)

    before, shown = embeddings(home), paths(window)
    results = results_of(window)
    first, second = sorted(p for p in photo_folder.iterdir() if not p.name.startswith("new_"))[:2]
    renamed = photo_folder / "renamed.jpg"
    moved = photo_folder / "sub" / second.name
    first.rename(renamed)
    moved.parent.mkdir()
    second.rename(moved)
    settle(qtbot, window, lambda: {str(renamed), str(moved)} <= set(paths(window)))
    after = paths(window)
    assert len(after) == CORPUS_SIZE + 3, sorted(set(after) - set(shown))
    assert after[str(renamed)] == shown[str(first)]  # the same photo, under its new name
    assert after[str(moved)] == shown[str(second)]
    assert embeddings(home) == before  # same vectors, none computed again
    assert sum(r.indexed + r.reused for r in results) == 0
    assert sum(r.moved for r in results) == 2

    album = photo_folder / "album"
    (photo_folder / "sub").rename(album)  # a folder renamed: its photos move with it
    settle(qtbot, window, lambda: str(album / second.name) in paths(window))
    assert paths(window)[str(album / second.name)] == shown[str(second)]
    assert len(paths(window)) == CORPUS_SIZE + 3
    assert embeddings(home) == before

    gone = sorted(photo_folder.glob("*.png"))[0]
    gone.unlink()
    settle(qtbot, window, lambda: str(gone) not in paths(window))
    assert len(paths(window)) == CORPUS_SIZE + 2
    assert window.sidebar.roots[0].photos == CORPUS_SIZE + 2
    assert "missing" in window.statusBar().currentMessage()


def test_unplugged_folder_goes_offline_and_comes_back(
    live: MainWindow, photo_folder: Path, home: AppPaths, qtbot
) -> None:
    window = live
    before = embeddings(home)
    results = results_of(window)
    messages: list[str] = []
    window.messageShown.connect(messages.append)
    root_id = window.sidebar.roots[0].id
    away = photo_folder.with_name("Shapes-unplugged")
    photo_folder.rename(away)
    qtbot.waitUntil(lambda: not window.sidebar.roots[0].online, timeout=TIMEOUT_MS)
    assert "offline" in (window.sidebar.item_text(root_id) or "")
    assert window.sidebar.roots[0].photos == CORPUS_SIZE  # kept, not missing
    qtbot.waitUntil(lambda: all(r.offline for r in window.photos.photos()), timeout=5000)
    assert len(window.photos.photos()) == CORPUS_SIZE
    assert str(photo_folder) not in window.index.writer.watcher.watched()
    with qtbot.waitSignal(
        window.resultsShown, timeout=10_000, check_params_cb=lambda r: r.kind == "text"
    ) as found:
        window.search.search_text("a red circle")
    assert found.args[0].rows and all(r.offline for r in found.args[0].rows)
    with qtbot.waitSignal(window.resultsShown, timeout=10_000):
        window.run_query("")  # back to browsing, which follows the library

    away.rename(photo_folder)
    settle(
        qtbot,
        window,
        lambda: (
            window.sidebar.roots[0].online and not any(r.offline for r in window.photos.photos())
        ),
    )
    assert "offline" not in (window.sidebar.item_text(root_id) or "")
    assert window.sidebar.roots[0].photos == CORPUS_SIZE
    qtbot.waitUntil(
        lambda: str(photo_folder) in window.index.writer.watcher.watched(), timeout=5000
    )
    assert embeddings(home) == before
    assert sum(r.indexed + r.reused + r.new for r in results) == 0
    assert [m for m in messages if str(photo_folder) in m] == [
        f"{photo_folder} is offline (unplugged drive?). Its photos are kept.",
        f"{photo_folder} is back online.",
    ]


def test_many_photos_vanishing_at_once_are_asked_about(
    live: MainWindow, photo_folder: Path, qtbot
) -> None:
    window = live
    doomed = sorted(photo_folder.iterdir())[:25]  # over a fifth of the folder, at once
    with qtbot.waitSignal(window.live.missingAsked, timeout=TIMEOUT_MS) as asked:
        for path in doomed:
            path.unlink()
    box: QMessageBox = asked.args[0]
    assert "25" in box.text() and str(photo_folder) in box.text()
    assert window.sidebar.roots[0].photos == CORPUS_SIZE  # nothing marked missing yet
    mark = box.findChild(QPushButton, "markMissing")
    assert mark is not None
    mark.click()
    settle(qtbot, window, lambda: len(window.photos.photos()) == CORPUS_SIZE - 25)
    assert window.sidebar.roots[0].photos == CORPUS_SIZE - 25
    assert not window.live.prompts

    # "Keep them": nothing is marked, and the same photos are not asked about again.
    held = HeldBack(window.sidebar.roots[0].id, str(photo_folder), (1, 2, 3))
    box = window.live.ask_missing(held)
    assert box is not None and window.live.prompts
    keep = box.findChild(QPushButton, "keepPhotos")
    assert keep is not None
    keep.click()
    assert not window.live.prompts
    assert window.live.ask_missing(held) is None
    settle(qtbot, window, lambda: True)
    assert window.sidebar.roots[0].photos == CORPUS_SIZE - 25  # nothing more marked missing


def test_a_watcher_notice_is_shown_once(
    make_window, settings: Settings, photo_folder: Path, qtbot, monkeypatch: pytest.MonkeyPatch
) -> None:
    original = FolderWatcher._schedule_on

    def limited(self: FolderWatcher, path: str, *, polling: bool) -> None:
        if not polling:
            raise OSError(errno.ENOSPC, "inotify watch limit reached")
        original(self, path, polling=polling)

    monkeypatch.setattr(FolderWatcher, "_schedule_on", limited)
    window = make_window(settings, LIVE)
    messages: list[str] = []
    window.messageShown.connect(messages.append)
    qtbot.waitUntil(lambda: window.model_status.available, timeout=10_000)
    assert drop(window, [photo_folder])
    wait_indexed(qtbot, window, CORPUS_SIZE)
    qtbot.waitUntil(lambda: any("polling" in m for m in messages), timeout=5000)
    assert window.index.writer.watcher.mode == "polling"
    # Unplugged and back: the folder is watched afresh, the notice is not repeated.
    away = photo_folder.with_name("Shapes-unplugged")
    photo_folder.rename(away)
    qtbot.waitUntil(lambda: not window.sidebar.roots[0].online, timeout=TIMEOUT_MS)
    away.rename(photo_folder)
    qtbot.waitUntil(
        lambda: str(photo_folder) in window.index.writer.watcher.watched(), timeout=TIMEOUT_MS
    )
    assert len([m for m in messages if "polling" in m]) == 1


def test_closing_stops_the_watcher_quickly(live: MainWindow, qtbot) -> None:
    window = live
    assert window.index.running and window.index.writer.watcher.watched()
    threads = [t for t in threading.enumerate() if t.name == "folder-watcher"]
    assert threads
    with qtbot.waitSignal(window.closed, timeout=5000) as closed:
        window.close()
    assert closed.args[0] < 1.0
    assert not window.index.running
    assert window.index.writer.watcher.watched() == {}
    assert not any(t.is_alive() for t in threads)
    assert not window.index.running


def test_startup_catches_up_with_changes_made_while_closed(
    live: MainWindow, photo_folder: Path, home: AppPaths, settings: Settings, qtbot
) -> None:
    from desktop_album.app import create_window

    with qtbot.waitSignal(live.closed, timeout=5000):
        live.close()
    before = embeddings(home)
    first = sorted(photo_folder.iterdir())[0]
    renamed = photo_folder / "renamed_while_closed.jpg"
    first.rename(renamed)
    last = sorted(photo_folder.iterdir())[-1]
    last.unlink()

    window = create_window(home, replace(settings), LIVE, rescan_on_start=True)
    qtbot.addWidget(window)
    results = results_of(window)
    window.show()
    window.start()
    try:
        # The view refreshes once per change of the library: wait for the one after the job.
        settle(
            qtbot,
            window,
            lambda: (
                bool(results)
                and str(renamed) in paths(window)
                and str(last) not in paths(window)
                and len(paths(window)) == CORPUS_SIZE - 1
            ),
        )
        after = embeddings(home)
        assert after == {k: v for k, v in before.items() if k in after}  # none recomputed
        assert sum(r.indexed + r.reused for r in results) == 0
    finally:
        window.close()
