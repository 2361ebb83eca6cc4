"""Search inside an album, the favourites or a thing: latency at N photos.

    python -m benchmarks.bench_scope --count 100000 [--queries 200] [--json OUT]

The library is ``bench_query``'s (synthetic 512-d vectors spread over folders and years) with an
album of 1% of the photos, favourites (0.5%), and things: "beach" on 5% of the photos and
"receipt" on 1%, stored as ``compute_tags`` stores them. Queries go through ``SearchEngine.run``
as the window and the CLI do: the scope's SQL -> a row mask inside the index (cached per filter
set) -> top-k -> cut-off. The text tower is the stub of ``bench_query`` (its cost is the same
with or without a scope).
"""

from __future__ import annotations

import argparse
import shutil
import time
from pathlib import Path
from typing import Any

from benchmarks.bench_query import MODEL_ID, StubModel, spread_library, timed
from benchmarks.common import latency_summary, memory, write_json

ALBUMS = 20  # albums of 1% each; "a new album every query" cycles through them


def scoped_library(count: int) -> Path:
    """A copy of the spread library with albums, favourites and things."""
    base = spread_library(count)
    target = base.with_name(base.stem + "-scoped.db")
    done = target.with_suffix(".done")
    if target.exists() and done.exists():
        return target
    shutil.copyfile(base, target)
    from desktop_album.core.library import Library

    with Library(target) as library, library.write() as conn:
        now = time.time()
        for album in range(ALBUMS):
            conn.execute("INSERT INTO albums (name, created_at) VALUES (?, ?)", (f"a{album}", now))
            conn.execute(
                "INSERT INTO album_items (album_id, photo_id, content_hash, added_at) "
                "SELECT ?, id, content_hash, ? FROM photos WHERE id % 100 = ?",
                (album + 1, now, album),
            )
        conn.execute(
            "INSERT INTO favourites (photo_id, content_hash, added_at) "
            "SELECT id, content_hash, ? FROM photos WHERE id % 200 = 7",
            (now,),
        )
        conn.execute(
            "INSERT INTO tag_sets (model_id, text_model, vocabulary, concepts, source, "
            "computed_at) VALUES (?, 'stub', 'bench', x'', 'bench', ?)",
            (MODEL_ID, now),
        )
        for tag, every in (("beach", 20), ("receipt", 100)):
            conn.execute(
                "INSERT INTO photo_tags (model_id, tag, photo_id, score) "
                "SELECT ?, ?, id, (id * 7919 % 1000) / 100.0 FROM photos WHERE id % ? = 3",
                (MODEL_ID, tag, every),
            )
    done.write_text("scoped\n")
    return target


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=100_000)
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()

    from benchmarks.bench_search import queries
    from desktop_album.core.library import Library
    from desktop_album.core.query import Filters, Query, parse_query
    from desktop_album.core.search import SearchEngine

    began = time.perf_counter()
    path = scoped_library(args.count)
    result: dict[str, Any] = {"photos": args.count, "build_seconds": time.perf_counter() - began}
    texts = queries(args.queries)
    with Library(path) as library:
        engine = SearchEngine(library, StubModel())  # type: ignore[arg-type]
        _, result["load_seconds"] = timed(engine.refresh)
        album = Filters(album=1)
        first, result["first_album_query_seconds"] = timed(
            engine.run, Query(texts=(texts[0],), filters=album)
        )
        result["album_available"] = first.available
        runs: dict[str, list[float]] = {
            "unfiltered": [],
            "album": [],
            "favourites": [],
            "tag_beach_5pct": [],
            "album_and_tag": [],
        }
        for text in texts:
            runs["unfiltered"].append(timed(engine.run, Query(texts=(text,)))[1])
            found, seconds = timed(engine.run, Query(texts=(text,), filters=album))
            runs["album"].append(seconds)
            assert found.available == first.available
            favourites = Query(texts=(text,), filters=Filters(favourites=True))
            runs["favourites"].append(timed(engine.run, favourites)[1])
            runs["tag_beach_5pct"].append(timed(engine.run, parse_query(f"#beach {text}"))[1])
            both = parse_query(f"#receipt {text}", filters=album)
            runs["album_and_tag"].append(timed(engine.run, both)[1])
        # A new scope each time: its mask is built from SQL on every query (no cache).
        fresh = []
        for i, text in enumerate(texts[:ALBUMS]):
            query = Query(texts=(text,), filters=Filters(album=i % ALBUMS + 1))
            engine._masks.clear()
            fresh.append(timed(engine.run, query)[1])
        browse = [timed(engine.run, parse_query("#receipt"))[1] for _ in range(10)]
        result.update({name: latency_summary(values) for name, values in runs.items()})
        result["album_new_mask"] = latency_summary(fresh)
        result["tag_alone_browse_1pct"] = latency_summary(browse)
        result["memory"] = memory()
    if args.json:
        write_json(args.json, result)
    print(result)


if __name__ == "__main__":
    main()
