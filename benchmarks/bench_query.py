"""Filtered search latency: a text query with a date + folder filter at N photos.

    python -m benchmarks.bench_query --count 100000 [--queries 200] [--json OUT]

The library is the synthetic one of ``benchmarks/synthetic.py`` (clustered 512-d unit vectors,
float16 BLOBs written through ``Library.record_batch``), copied and spread over 10 folders and
10 years (``date_at``), so a "one folder, one year" filter keeps about 1% of the photos. It goes
through ``SearchEngine.run`` as the app does: filters -> SQL -> row mask inside the index ->
top-k with float32 rescoring -> adaptive cut-off -> photo rows with dates.

The text tower is a stub (a deterministic unit vector near one of the library's clusters): no
exported ViT-B/32 pack is needed, and the tower's cost (7 ms fp32 for a query cut after the
end-of-text token, benchmarks/RESULTS.md) is the same with or without filters; it is added to
the figures in the report and stated.
"""

from __future__ import annotations

import argparse
import hashlib
import shutil
import sqlite3
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from benchmarks.common import WORK, latency_summary, memory, write_json
from benchmarks.synthetic import build_library, centres_for

MODEL_ID = "bench-query-512"
DIM = 512
FOLDERS = 10
YEARS = 10
FIRST_YEAR = 2015


@dataclass
class _Pack:
    preprocess: Any = None


class StubModel:
    """Just what SearchEngine asks of a model, with a text tower that costs nothing."""

    def __init__(self) -> None:
        self.model_id = MODEL_ID
        self.dim = DIM
        self.pack = _Pack()
        self._centres = centres_for(DIM)

    def embed_query(self, text: str) -> np.ndarray:
        seed = int.from_bytes(hashlib.sha256(text.encode()).digest()[:8], "little")
        rng = np.random.default_rng(seed)
        vector = self._centres[rng.integers(len(self._centres))] + rng.standard_normal(DIM).astype(
            np.float32
        ) * (0.6 / np.sqrt(DIM))
        result: np.ndarray = (vector / np.linalg.norm(vector)).astype(np.float32)
        return result


def spread_library(count: int) -> Path:
    """A copy of the synthetic library with photos spread over folders and years."""
    base = build_library(WORK / "libraries", count, MODEL_ID, DIM)
    target = base.with_name(base.stem + "-spread.db")
    done = target.with_suffix(".done")
    if target.exists() and done.exists():
        return target
    shutil.copyfile(base, target)
    conn = sqlite3.connect(target)
    root = conn.execute("SELECT path FROM roots").fetchone()[0]
    seconds = YEARS * 365 * 86400
    start = int(time.mktime((FIRST_YEAR, 1, 1, 0, 0, 0, 0, 0, -1)))
    conn.execute(
        "UPDATE photos SET path = ? || '/f' || (id % ?) || '/' || id || '.jpg', "
        "date_at = strftime('%Y-%m-%dT%H:%M:%S', ? + (id * 7919) % ?, 'unixepoch'), "
        "date_source = 'exif'",
        (root, FOLDERS, start, seconds),
    )
    conn.commit()
    conn.close()
    done.write_text("spread\n")
    return target


def timed(fn: Any, *args: Any) -> tuple[Any, float]:
    begin = time.perf_counter()
    result = fn(*args)
    return result, time.perf_counter() - begin


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=100_000)
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()

    from benchmarks.bench_search import queries
    from desktop_album.core.dates import DateRange
    from desktop_album.core.library import Library
    from desktop_album.core.query import Filters, Query
    from desktop_album.core.search import SearchEngine, SearchOptions

    began = time.perf_counter()
    path = spread_library(args.count)
    result: dict[str, Any] = {"photos": args.count, "build_seconds": time.perf_counter() - began}
    texts = queries(args.queries)
    with Library(path) as library:
        engine = SearchEngine(library, StubModel())  # type: ignore[arg-type]
        _, result["load_seconds"] = timed(engine.refresh)
        root = library.roots()[0].path
        year = FIRST_YEAR + 7
        filters = Filters(
            dates=DateRange(*_year(year)),
            folders=(f"{root}/f3",),
        )
        first, result["first_filtered_query_seconds"] = timed(
            engine.run, Query(texts=(texts[0],), filters=filters)
        )
        result["filtered_available"] = first.available
        runs: dict[str, list[float]] = {
            "before_k20": [],
            "unfiltered": [],
            "filtered": [],
            "filtered_k20": [],
        }
        verdicts: dict[str, int] = {}
        for text in texts:
            # What the app did before queries: a fixed top 20 of the whole library.
            _, seconds = timed(engine.search_text, text, 20)
            runs["before_k20"].append(seconds)
            _, seconds = timed(engine.run, Query(texts=(text,)))
            runs["unfiltered"].append(seconds)
            found, seconds = timed(engine.run, Query(texts=(text,), filters=filters))
            runs["filtered"].append(seconds)
            verdicts[found.verdict] = verdicts.get(found.verdict, 0) + 1
            assert all(h.path.startswith(f"{root}/f3/") for h in found.hits)
            assert all((h.taken_at or "").startswith(str(year)) for h in found.hits)
            _, seconds = timed(
                engine.run, Query(texts=(text,), filters=filters), SearchOptions(k=20)
            )
            runs["filtered_k20"].append(seconds)
        # A new filter each time: the mask is built from SQL on every query (no cache).
        fresh = []
        for i, text in enumerate(texts[:50]):
            changing = Filters(
                dates=DateRange(*_year(FIRST_YEAR + i % YEARS)), folders=(f"{root}/f{i % 10}",)
            )
            _, seconds = timed(engine.run, Query(texts=(text,), filters=changing))
            fresh.append(seconds)
        result.update({name: latency_summary(values) for name, values in runs.items()})
        result["filtered_new_mask"] = latency_summary(fresh)
        result["verdicts"] = verdicts
        result["memory"] = memory()
    if args.json:
        write_json(args.json, result)
    print(result)


def _year(year: int) -> tuple[Any, Any]:
    from datetime import date

    return date(year, 1, 1), date(year, 12, 31)


if __name__ == "__main__":
    main()
