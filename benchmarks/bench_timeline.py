"""The first page of a date-ordered grid with date headers, at 100k photos (issue 11's target:
under 200 ms).

    python -m benchmarks.bench_timeline [--photos 100000] [--runs 5] [--sorts date,name,folder]

Builds a library of N photo rows spread over ten years (no files: this measures the query, the
headers and the grid, not thumbnails), then, in an offscreen window's pieces, times from asking
for the timeline to the first page laid out and painted: the search worker's query (ids and
dates in one SQL read, day/month/year headers, the first page of rows), the model reset and the
grid's first layout batch and paint.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def build_library(path: Path, count: int) -> None:
    from desktop_album.core.library import Library

    with Library(path) as library:
        root = library.add_root(path.parent)
        base = time.mktime((2016, 1, 1, 12, 0, 0, 0, 0, -1))
        step = 10 * 365 * 86400 / count
        files = [
            (str(path.parent / f"photo_{i:07d}.jpg"), 1000 + i, int((base + i * step) * 1e9))
            for i in range(count)
        ]
        for start in range(0, count, 50_000):
            library.add_pending(root.id, files[start : start + 50_000])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.bench_timeline")
    parser.add_argument("--photos", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument(
        "--sorts",
        default="date",
        help="orders to time, comma-separated (date,name,modified,folder)",
    )
    args = parser.parse_args(argv)

    from PySide6.QtWidgets import QApplication

    from desktop_album.core.library import Library
    from desktop_album.core.thumbnails import ThumbnailCache
    from desktop_album.gui.delegate import PhotoDelegate
    from desktop_album.gui.grid import PhotoGrid
    from desktop_album.gui.photo_model import PhotoListModel
    from desktop_album.gui.records import QueryRequest
    from desktop_album.gui.search_controller import QUERY, SearchWorker, _Latest
    from desktop_album.gui.tasks import TaskManager
    from desktop_album.gui.thumbnail_loader import ThumbnailLoader

    app = QApplication.instance() or QApplication(sys.argv[:1])
    with tempfile.TemporaryDirectory(prefix="bench-timeline-") as temp:
        db = Path(temp) / "library.db"
        began = time.perf_counter()
        build_library(db, args.photos)
        print(f"library of {args.photos} photos built in {time.perf_counter() - began:.1f} s")
        Library.open_reader(db).close()
        worker = SearchWorker(db, 200, False, _Latest())
        worker.start()
        tasks = TaskManager(max_threads=1)
        loader = ThumbnailLoader(ThumbnailCache(Path(temp) / "thumbs"), tasks, size=256)
        grid = PhotoGrid(PhotoDelegate(loader))
        model = PhotoListModel()
        grid.setModel(model)
        grid.resize(1200, 800)
        grid.show()
        app.processEvents()
        results: list[object] = []
        worker.results.connect(results.append)
        generation = 0
        for sort in args.sorts.split(","):
            timings, query_ms = [], []
            for _run in range(args.runs):
                generation += 1
                results.clear()
                start = time.perf_counter()
                worker.query(generation, QUERY, QueryRequest("", sort=sort))
                asked = time.perf_counter()
                result = results[-1]
                grid.set_headers(bool(result.sections))  # type: ignore[attr-defined]
                model.set_rows(result.rows, result.kind, result.ids, result.sections)  # type: ignore[attr-defined]
                app.processEvents()  # first layout batch and paint
                grid.viewport().repaint()
                timings.append((time.perf_counter() - start) * 1000)
                query_ms.append((asked - start) * 1000)
            sections = len(results[-1].sections)  # type: ignore[attr-defined]
            print(
                f"{args.photos} photos by {sort}, {sections} headers: first page "
                f"{statistics.median(timings):.1f} ms median, {max(timings):.1f} ms max over "
                f"{args.runs} runs (worker query {statistics.median(query_ms):.1f} ms median)"
            )
        worker.stop()
        tasks.shutdown(1000)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
