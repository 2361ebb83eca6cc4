"""The workers behind the window: alone on the test's thread, then on their own threads."""

from __future__ import annotations

import shutil
from pathlib import Path

from desktop_album.core.control import RunControl
from desktop_album.core.paths import AppPaths
from desktop_album.core.settings import Settings
from desktop_album.core.thumbnails import ThumbnailCache
from desktop_album.gui.index_controller import IndexController, IndexWorker
from desktop_album.gui.records import IndexResult, ResultSet
from desktop_album.gui.search_controller import SearchController, SearchWorker, _Latest
from desktop_album.gui.services import Services
from tests.gui.helpers import CORPUS_SIZE, FAST


def services(home: AppPaths, settings: Settings) -> Services:
    return Services.create(home, settings, FAST)


def test_index_and_search_workers_alone(
    home: AppPaths, settings: Settings, photo_folder: Path, qtbot
) -> None:
    svc = services(home, settings)
    worker = IndexWorker(
        svc.library_file, svc.thumbnails, svc.model_choice(), [], batch_size=8, decode_threads=1
    )
    with qtbot.waitSignal(worker.modelChanged, timeout=10_000) as model:
        worker.start()  # runs right here: the test thread owns its library connection
    assert model.args[0].available
    with qtbot.waitSignal(worker.finished, timeout=30_000) as finished:
        worker.add_roots([str(photo_folder)], RunControl())
    result: IndexResult = finished.args[0]
    assert result.indexed + result.reused == CORPUS_SIZE and not result.failed
    thumbs = ThumbnailCache(home.thumbnails_dir)
    assert thumbs.size_bytes() > 0  # the indexer wrote grid thumbnails
    worker.stop()

    searcher = SearchWorker(svc.library_file, svc.model_choice(), 10, False, _Latest())
    searcher.start()
    with qtbot.waitSignal(searcher.results, timeout=10_000) as answer:
        searcher.query(1, "text", "a red circle")
    found: ResultSet = answer.args[0]
    assert found.generation == 1 and len(found.rows) == 10
    assert all(r.score is not None for r in found.rows)
    with qtbot.waitSignal(searcher.results, timeout=10_000) as answer:
        searcher.query(2, "browse", None)
    assert len(answer.args[0].rows) == CORPUS_SIZE
    searcher.stop()


def test_missing_model_is_reported_not_raised(home: AppPaths, qtbot) -> None:
    svc = services(home, Settings(model=str(home.data / "no-such-pack"), provider="cpu"))
    searcher = SearchWorker(svc.library_file, svc.model_choice(), 10, False, _Latest())
    with qtbot.waitSignal(searcher.modelChanged, timeout=5000) as model:
        searcher.start()
    assert not model.args[0].available and "no-such-pack" in model.args[0].problem
    with qtbot.waitSignal(searcher.failed, timeout=5000) as failed:
        searcher.query(1, "text", "a red circle")
    assert "model" in failed.args[1].lower()
    searcher.stop()


def test_only_the_latest_search_is_delivered(
    home: AppPaths, settings: Settings, photo_folder: Path, qtbot, controllers: list
) -> None:
    svc = services(home, settings)
    index, search = IndexController(svc), SearchController(svc)
    controllers += [index, search]
    index.libraryReady.connect(search.start)
    index.start()
    with qtbot.waitSignal(index.finished, timeout=30_000):
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
        index.request_rescan([1])
        index.request_rescan([1])  # a burst of watcher batches is one job
    assert finished.args[0].reused == 1  # same content: its vector is reused
    assert roots[-1][0].photos == CORPUS_SIZE + 1

    index.pause()
    index.index(None)
    with qtbot.waitSignal(index.finished, timeout=5000) as finished:
        index.cancel()
    assert finished.args[0].cancelled and not index.paused
    assert index.shutdown(1000)
