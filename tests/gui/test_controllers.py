"""The workers behind the window: alone on the test's thread, then on their own threads."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest

from desktop_album.core.library import Library
from desktop_album.core.paths import AppPaths
from desktop_album.core.settings import Settings
from desktop_album.core.thumbnails import ThumbnailCache
from desktop_album.gui.index_controller import IndexController
from desktop_album.gui.records import IndexResult, ResultSet
from desktop_album.gui.search_controller import SearchController, SearchWorker, _Latest
from desktop_album.gui.services import Services, open_model
from tests.gui.helpers import CORPUS_SIZE, FAST


def services(home: AppPaths, settings: Settings) -> Services:
    return Services.create(home, settings, FAST)


def added(result: IndexResult) -> bool:
    """The end of the job that added folders (not the start-up catch-up before it)."""
    return result.kind == "add"


def test_index_then_search_alone(
    home: AppPaths, settings: Settings, photo_folder: Path, qtbot, controllers: list
) -> None:
    svc = services(home, settings)
    index = IndexController(svc)
    controllers.append(index)
    with qtbot.waitSignal(index.modelChanged, timeout=10_000) as model:
        index.start()
    assert model.args[0].available
    with qtbot.waitSignal(index.finished, timeout=30_000, check_params_cb=added) as finished:
        index.add_roots([str(photo_folder)])
    result: IndexResult = finished.args[0]
    assert result.indexed + result.reused == CORPUS_SIZE and not result.failed
    assert result.new == CORPUS_SIZE
    thumbs = ThumbnailCache(home.thumbnails_dir)
    assert thumbs.size_bytes() > 0  # the indexer wrote grid thumbnails
    assert index.shutdown()

    # The search worker alone, on this thread, with a model of its own making.
    searcher = SearchWorker(svc.library_file, 10, False, _Latest())
    searcher.start()
    searcher.use_model(open_model(svc.model_choice()))
    with qtbot.waitSignal(searcher.results, timeout=10_000) as answer:
        searcher.query(1, "text", "a red circle")
    found: ResultSet = answer.args[0]
    assert found.generation == 1 and len(found.rows) == 10
    assert all(r.score is not None for r in found.rows)
    with qtbot.waitSignal(searcher.results, timeout=10_000) as answer:
        searcher.query(2, "browse", None)
    assert len(answer.args[0].rows) == CORPUS_SIZE
    searcher.stop()


def test_missing_model_is_reported_not_raised(home: AppPaths, qtbot, controllers: list) -> None:
    svc = services(home, Settings(model=str(home.data / "no-such-pack"), provider="cpu"))
    index, search = IndexController(svc), SearchController(svc)
    controllers += [index, search]
    index.libraryReady.connect(search.start)
    index.modelReady.connect(search.use_model)
    with qtbot.waitSignal(index.modelChanged, timeout=10_000) as model:
        index.start()
    assert not model.args[0].available and model.args[0].problem
    qtbot.waitUntil(lambda: search._started, timeout=5000)
    with qtbot.waitSignal(search.failed, timeout=5000) as failed:
        search.search_text("a red circle")
    assert "model" in failed.args[0].lower()
    assert index.shutdown() and search.shutdown()


def test_an_error_in_the_middle_of_a_job_leaves_the_window_usable(
    home: AppPaths,
    settings: Settings,
    photo_folder: Path,
    qtbot,
    controllers: list,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Fault injection: the library's batch write fails once (an sqlite3 error the core does
    not expect). The job ends with an error shown, busy ends, and the next job finishes it."""
    real = Library.record_batch
    calls = {"n": 0}

    def flaky(self: Library, *args: object, **kwargs: object) -> None:
        calls["n"] += 1
        if calls["n"] == 2:  # after one batch is committed
            raise sqlite3.OperationalError("simulated: disk I/O hiccup in the middle of a job")
        real(self, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(Library, "record_batch", flaky)
    svc = services(home, settings)
    index = IndexController(svc)
    controllers.append(index)
    index.start()
    errors: list[str] = []
    index.error.connect(errors.append)
    with qtbot.waitSignal(index.finished, timeout=30_000, check_params_cb=added) as finished:
        index.add_roots([photo_folder])
    assert errors and "disk i/o" in errors[0].lower()
    qtbot.waitUntil(lambda: not index.busy, timeout=5000)
    with qtbot.waitSignal(index.finished, timeout=30_000) as finished:
        index.index(None)
    # The batch committed before the error is kept: only the rest is embedded now.
    assert finished.args[0].indexed + finished.args[0].reused == CORPUS_SIZE - 8
    qtbot.waitUntil(lambda: not index.busy, timeout=5000)  # busy ends right after finished
    assert index.shutdown()


def test_only_the_latest_search_is_delivered(
    home: AppPaths, settings: Settings, photo_folder: Path, qtbot, controllers: list
) -> None:
    svc = services(home, settings)
    index, search = IndexController(svc), SearchController(svc)
    controllers += [index, search]
    index.libraryReady.connect(search.start)
    index.modelReady.connect(search.use_model)
    index.start()
    with qtbot.waitSignal(index.finished, timeout=30_000, check_params_cb=added):
        index.add_roots([photo_folder])
    qtbot.waitUntil(lambda: search._started, timeout=5000)
    delivered: list[ResultSet] = []
    search.results.connect(lambda value: delivered.append(value))
    search.search_text("a star")
    search.search_text("a cross")
    last = search.search_text("a green circle")
    qtbot.waitUntil(lambda: bool(delivered), timeout=10_000)
    qtbot.wait(100)  # room for a stale answer to arrive, were it not dropped
    assert [r.generation for r in delivered] == [last]
    assert delivered[0].query == "a green circle"
    assert index.shutdown() and search.shutdown()


def test_pause_resume_cancel_and_rescan(
    home: AppPaths, settings: Settings, photo_folder: Path, qtbot, controllers: list
) -> None:
    svc = services(home, settings)
    index = IndexController(svc)
    controllers.append(index)
    index.start()
    progress: list[object] = []
    index.progress.connect(lambda value: progress.append(value))
    index.pause()  # the next job starts paused: it blocks at its first checkpoint
    index.add_roots([photo_folder])
    qtbot.waitUntil(lambda: index.busy and bool(progress), timeout=5000)
    qtbot.wait(200)
    assert [p.phase for p in progress] == ["scanning"]  # nothing indexed while paused
    with qtbot.waitSignal(index.finished, timeout=30_000) as finished:
        index.resume()
    assert finished.args[0].indexed + finished.args[0].reused == CORPUS_SIZE

    extra = photo_folder / "copy_of_first.jpg"
    shutil.copy(next(photo_folder.glob("*.jpg")), extra)
    roots: list[object] = []
    index.rootsChanged.connect(lambda value: roots.append(value))
    with qtbot.waitSignal(index.finished, timeout=30_000) as finished:
        index.index([1])
    assert finished.args[0].reused == 1  # same content: its vector is reused
    assert roots[-1][0].photos == CORPUS_SIZE + 1

    index.pause()
    index.index(None)
    with qtbot.waitSignal(index.finished, timeout=5000) as finished:
        index.cancel()
    assert finished.args[0].cancelled and not index.paused
    assert index.shutdown(1000)
