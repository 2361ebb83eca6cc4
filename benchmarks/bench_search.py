"""Search latency and memory over a library of N photos, through ``SearchEngine`` as in the app.

    python -m benchmarks.bench_search --library FILE --pack DIR --json OUT [--compare]

Loads the library the way the product does (``SearchEngine.refresh``), then times text queries
end to end (tokenise, text tower, top-k, photo rows) and similar-photo queries, with the parts
timed separately too. Resident memory is read after loading and after the queries. With
``--compare``, the same vectors also go into the float32 numpy index (``compact=False``): its
latency, and the recall@10 of the compact index against it, are measured last so they do not
disturb the memory figures.
"""

from __future__ import annotations

import argparse
import random
import time
from pathlib import Path
from typing import Any

import numpy as np

from benchmarks.common import latency_summary, memory, write_json

WORDS = (
    "red",
    "green",
    "blue",
    "yellow",
    "old",
    "young",
    "small",
    "large",
    "happy",
    "dark",
    "bright",
    "snowy",
    "sunny",
    "cat",
    "dog",
    "car",
    "tree",
    "house",
    "beach",
    "mountain",
    "child",
    "bird",
    "boat",
    "flower",
    "city",
    "street",
    "sitting",
    "running",
    "parked",
    "playing",
    "park",
    "garden",
    "kitchen",
    "forest",
    "river",
    "road",
    "field",
    "lake",
    "market",
    "station",
    "sky",
    "birthday",
    "wedding",
    "sunset",
)


def queries(count: int, seed: int = 1) -> list[str]:
    """Varied queries, 1 to 12 words, like what people type."""
    rng = random.Random(seed)
    return [" ".join(rng.choices(WORDS, k=rng.choice((1, 2, 3, 4, 6, 12)))) for _ in range(count)]


def timed(fn: Any, *args: Any) -> tuple[Any, float]:
    begin = time.perf_counter()
    result = fn(*args)
    return result, time.perf_counter() - begin


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--library", type=Path, required=True)
    parser.add_argument("--pack", type=Path, required=True)
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("-k", type=int, default=20)
    parser.add_argument("--compare", action="store_true", help="also the float32 numpy index")
    parser.add_argument("--json", type=Path, required=True)
    args = parser.parse_args()
    start_memory = memory()

    from desktop_album.core.embedding import ClipModel
    from desktop_album.core.library import Library
    from desktop_album.core.packs import load_pack
    from desktop_album.core.search import SearchEngine, VectorIndex
    from desktop_album.core.settings import Settings

    settings = Settings()  # a new user's defaults: provider auto, fp32, one thread per core
    model = ClipModel(
        load_pack(args.pack),
        provider=settings.provider,
        threads=settings.threads,
        precision=settings.precision,
    )
    result: dict[str, Any] = {"precision": model.precision, "k": args.k}
    with Library(args.library) as library:
        engine = SearchEngine(library, model)
        _, result["load_seconds"] = timed(engine.refresh)
        result["photos"] = len(engine.index)
        result["index_bytes"] = engine.index.nbytes
        result["compact"] = engine.index.compact
        result["chunked_load"] = True  # vectors load a chunk at a time (SearchEngine)
        result["after_load"] = memory()
        texts = queries(args.queries)
        _, result["first_query_seconds"] = timed(engine.search_text, texts[0], args.k)

        total, tokenise, encode, topk = [], [], [], []
        for text in texts:
            hits, seconds = timed(engine.search_text, text, args.k)
            assert len(hits) == args.k
            total.append(seconds)
        for text in texts:
            _, seconds = timed(model.tokenize, [text])
            tokenise.append(seconds)
            vector, seconds = timed(model.embed_query, text)
            encode.append(seconds)
            _, seconds = timed(engine.index.search, vector, args.k + 8)
            topk.append(seconds)
        result["text"] = latency_summary(total)
        result["text_tokenise"] = latency_summary(tokenise)
        result["text_encode"] = latency_summary(encode)
        result["text_topk"] = latency_summary(topk)

        rng = np.random.default_rng(3)
        ids = [int(i) for i in rng.choice(engine.index._ids[: engine.index._size], args.queries)]
        similar = []
        for photo_id in ids:
            hits, seconds = timed(engine.similar_to_photo, photo_id, args.k)
            assert len(hits) == args.k and all(h.photo_id != photo_id for h in hits)
            similar.append(seconds)
        result["similar"] = latency_summary(similar)
        result["after_queries"] = memory()

        if args.compare:
            result["float32"] = compare(engine.index, VectorIndex, rng, args.k)
    result["start"] = start_memory
    write_json(args.json, result)


def compare(index: Any, index_class: Any, rng: np.random.Generator, k: int) -> dict[str, Any]:
    """The float32 numpy index on the same vectors: latency, and recall of ``index`` against it."""
    n = index._size
    exact = index_class(index.dim, capacity=n, compact=False)
    for start in range(0, n, 100_000):
        rows = slice(start, min(n, start + 100_000))
        exact.put(index._ids[rows], index._matrix[rows].astype(np.float32), index._valid[rows])
    picks = rng.choice(n, 50, replace=False)
    probes = [index._matrix[i].astype(np.float32) for i in picks[:25]]
    probes += [q / np.linalg.norm(q) for q in rng.standard_normal((25, index.dim))]
    recalls, seconds = [], []
    for query in probes:
        want, took = timed(exact.search, query, k)
        got = index.search(query, k)
        seconds.append(took)
        recalls.append(len({p for p, _ in got} & {p for p, _ in want}) / k)
    return {
        "latency": latency_summary(seconds),
        "recall_at_k": float(np.mean(recalls)),
        "recall_min": float(np.min(recalls)),
        "index_bytes": exact.nbytes,
    }


if __name__ == "__main__":
    main()
