"""The window under load, offscreen: event-loop stalls while indexing, first grid page, scrolling.

    python -m benchmarks.bench_gui {indexing,scrolling} --photos DIR --pack DIR --library FILE \
        --json OUT

A 5 ms ``QTimer`` runs on the GUI thread the whole time; the longest gap between two of its
ticks is the longest time the window could not answer the user. Each part opens a window in a
fresh user home, as ``app.py`` builds it, in its own process:

1. Empty library: the photo folder is added (as a drop does) and indexed; the longest stall while
   indexing, then the time from a text query to the grid page with its thumbnails drawn.
2. A copy of a synthetic library of N photos (their files do not exist, so cells draw the
   "unreadable" placeholder after a failed thumbnail load): the time from ``start()`` to the
   browse grid, then a programmatic scroll: 100 pages down from the top, then 100 jumps spread
   evenly to the end of the N results (two minutes at most).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from benchmarks.common import latency_summary, memory, write_json

PAGE_STEPS = 100  # consecutive pages from the top
JUMPS = 100  # then positions spread evenly to the end
SCROLL_BUDGET_S = 120.0


class StallMonitor:
    """Ticks every 5 ms on the GUI thread and keeps the longest gap between ticks."""

    def __init__(self) -> None:
        from PySide6.QtCore import Qt, QTimer

        self._timer = QTimer()
        self._timer.setTimerType(Qt.TimerType.PreciseTimer)
        self._timer.setInterval(5)
        self._timer.timeout.connect(self._tick)
        self.reset()
        self._timer.start()

    def reset(self) -> None:
        self._last = time.perf_counter()
        self.gaps: list[float] = []

    def _tick(self) -> None:
        now = time.perf_counter()
        self.gaps.append(now - self._last)
        self._last = now

    def summary(self) -> dict[str, float]:
        self._tick()
        gaps = sorted(self.gaps)
        return {
            "max_ms": gaps[-1] * 1000 if gaps else 0.0,
            "p99_ms": gaps[int(len(gaps) * 0.99)] * 1000 if gaps else 0.0,
            "over_50ms": sum(1 for g in gaps if g > 0.05),
            "over_100ms": sum(1 for g in gaps if g > 0.1),
        }


def wait_until(condition: Callable[[], bool], timeout: float, what: str) -> float:
    """Run the event loop until ``condition()``; returns the seconds it took."""
    from PySide6.QtCore import QEventLoop, QTimer

    begin = time.perf_counter()
    loop = QEventLoop()
    check = QTimer()
    check.setInterval(10)

    def poll() -> None:
        if condition() or time.perf_counter() - begin > timeout:
            loop.quit()

    check.timeout.connect(poll)
    check.start()
    if not condition():
        loop.exec()
    check.stop()
    if not condition():
        raise SystemExit(f"timed out after {timeout:.0f} s waiting for {what}")
    return time.perf_counter() - begin


def _home(pack: Path) -> tuple[Any, Any]:
    from desktop_album.core.paths import AppPaths
    from desktop_album.core.settings import Settings

    root = Path(tempfile.mkdtemp(prefix="da-gui-"))
    paths = AppPaths(data=root / "data", config=root / "config", cache=root / "cache")
    settings = Settings(model=str(pack), threads=2)
    paths.config.mkdir(parents=True)
    settings.save(paths.settings_file)
    return paths, settings


def _open(paths: Any, settings: Any) -> Any:
    from desktop_album.app import create_window

    window = create_window(paths, settings)
    window.resize(1280, 800)
    window.show()
    return window


def _visible_rows_ready(window: Any) -> bool:
    """Every cell in the viewport has its thumbnail (or has given up on it)."""
    from desktop_album.gui.photo_model import thumbnail_key

    grid, loader = window.grid, window.loader
    rect = grid.viewport().rect()
    rows = window.photos.photos()
    for number, row in enumerate(rows):
        index = window.photos.index(number, 0)
        if not grid.visualRect(index).intersects(rect):
            if number > 0 and grid.visualRect(index).top() > rect.bottom():
                break
            continue
        key = thumbnail_key(row)
        if loader.pixmap(key, row.path, row.content_hash) is None and not loader.is_failed(key):
            return False
    return True


def indexing_window(photos: Path, pack: Path, monitor: StallMonitor) -> dict[str, Any]:
    count = len(list(photos.glob("*.jpg")))
    paths, settings = _home(pack)
    window = _open(paths, settings)
    result: dict[str, Any] = {}
    monitor.reset()
    window.start()
    result["model_ready_s"] = wait_until(
        lambda: window.model_status.available, 120, "the model to load"
    )
    result["stall_while_starting"] = monitor.summary()

    def indexed() -> bool:
        rows = window.photos.photos()
        return not window.index.busy and len(rows) == count and all(r.content_hash for r in rows)

    monitor.reset()
    window.add_folders([str(photos)])
    result["index_seconds"] = wait_until(indexed, 1800, "indexing")
    result["photos"] = count
    result["stall_while_indexing"] = monitor.summary()

    shown: list[Any] = []
    window.resultsShown.connect(shown.append)
    monitor.reset()
    begin = time.perf_counter()
    window.run_query("a red car parked in the street")
    result["text_results_s"] = wait_until(
        lambda: any(r.kind == "text" for r in shown), 60, "text results"
    )
    wait_until(lambda: _visible_rows_ready(window), 60, "the first page of thumbnails")
    result["first_grid_page_s"] = time.perf_counter() - begin
    result["stall_while_searching"] = monitor.summary()
    window.close()
    return result


def scrolling_window(library: Path, pack: Path, monitor: StallMonitor) -> dict[str, Any]:
    from PySide6.QtWidgets import QApplication

    paths, settings = _home(pack)
    paths.data.mkdir(parents=True)
    shutil.copyfile(library, paths.library_file)
    expected = int(library.stem.split("-")[-2])
    shown: list[Any] = []
    monitor.reset()
    begin = time.perf_counter()
    window = _open(paths, settings)
    window.resultsShown.connect(shown.append)
    window.start()
    wait_until(lambda: len(window.photos.photos()) == expected, 300, "the browse grid")
    result: dict[str, Any] = {"rows": expected, "first_grid_s": time.perf_counter() - begin}
    wait_until(lambda: _visible_rows_ready(window), 60, "the first page of thumbnails")
    result["first_grid_page_s"] = time.perf_counter() - begin
    result["stall_while_opening"] = monitor.summary()

    app = QApplication.instance()
    assert app is not None
    bar = window.grid.verticalScrollBar()
    # Page by page through the first screens, then jumps spread over the whole list, so every
    # part of it is drawn at least once; capped in time in case each step is slow.
    page, end = bar.pageStep(), bar.maximum()
    targets = [min(end, page * i) for i in range(1, PAGE_STEPS + 1)]
    targets += [end * i // JUMPS for i in range(1, JUMPS + 1)]
    steps: list[float] = []
    monitor.reset()
    started = time.perf_counter()
    for value in targets:
        t0 = time.perf_counter()
        bar.setValue(value)
        window.grid.viewport().repaint()
        app.processEvents()
        steps.append(time.perf_counter() - t0)
        if time.perf_counter() - started > SCROLL_BUDGET_S:
            break
    result["scroll_reached_end"] = bar.value() == end
    result["scroll_pages"] = len(steps)
    result["scroll_seconds"] = sum(steps)
    result["scroll_page"] = latency_summary(steps)
    result["stall_while_scrolling"] = monitor.summary()
    window.close()
    return result


def none_leak_per_call() -> int:
    """References to None lost per ``QModelIndex.data()`` call answered by a Python ``None``.

    Non-zero on PySide6 6.12.0 with Python < 3.12 (where None is not immortal): every cell the
    grid paints then costs a reference, and the process aborts with "none_dealloc" after a few
    thousand paints.
    """
    from PySide6.QtCore import QAbstractListModel, QModelIndex, Qt

    class Probe(QAbstractListModel):
        def rowCount(self, parent: Any = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
            return 1

        def data(self, index: Any, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
            return None

    probe = Probe()
    index = probe.index(0, 0)
    before = sys.getrefcount(None)
    for _ in range(100):
        index.data(Qt.ItemDataRole.UserRole)
    return round((before - sys.getrefcount(None)) / 100)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("part", choices=("indexing", "scrolling"))
    parser.add_argument("--photos", type=Path, required=True)
    parser.add_argument("--pack", type=Path, required=True)
    parser.add_argument("--library", type=Path, required=True, help="synthetic library to scroll")
    parser.add_argument("--json", type=Path, required=True)
    args = parser.parse_args()
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    import PySide6

    from desktop_album.app import make_application

    app = make_application([], "en")
    result: dict[str, Any] = {
        "pyside6": PySide6.__version__,
        "none_refs_lost_per_data_call": none_leak_per_call(),
    }
    monitor = StallMonitor()
    if args.part == "indexing":
        result.update(indexing_window(args.photos, args.pack, monitor))
    else:
        result.update(scrolling_window(args.library, args.pack, monitor))
    result.update(memory())
    app.processEvents()
    write_json(args.json, json.loads(json.dumps(result, default=float)))


if __name__ == "__main__":
    main()
