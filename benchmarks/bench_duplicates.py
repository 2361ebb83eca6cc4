"""Duplicate groups and things (tags) over a library of synthetic photos (issue 14).

    python -m benchmarks.bench_duplicates [--photos 100000] [--json OUT]

The library is written through ``Library.record_batch`` like the indexer's (float16 vectors,
512-d, clustered as in ``synthetic.py``), with planted duplicates: 1 % exact copies (same
content hash), 2 % near copies (pHash 0-12 bits away, vector a little noisier, a smaller
resolution) and 5 % in bursts of 4 shots 3 s apart (vectors close to the burst's first).
Every other pHash is uniformly random, the worst case for the multi-index look-up (real photos
collide less often... or more, in their dark corners: random is the honest middle).

Measured: ``find_duplicates`` over all three tiers end to end (reading the photos and vectors
included), and how many of the planted duplicates it grouped; ``compute_tags`` with the app's
251-concept vocabulary, forced (one matrix product, thresholds, rewriting every tag row), with
a stub text model (the vocabulary's text embeddings are made once per model and kept, so they
are not part of a recompute); and the reads the window makes (counts, one tag's photos).
"""

from __future__ import annotations

import argparse
import json
import os
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import numpy as np

from benchmarks.common import write_json
from benchmarks.synthetic import centres_for, unit_vectors
from desktop_album.core.duplicates import find_duplicates, load_photos
from desktop_album.core.hash_pairs import close_pairs
from desktop_album.core.library import Library, PhotoResult
from desktop_album.core.things import compute_tags, load_vocabulary, photos_with_tag, tag_counts

MODEL_ID = "bench-512"
DIM = 512
CHUNK = 20_000


def _plant(count: int, rng: np.random.Generator) -> dict[str, Any]:
    """Per-photo vectors, hashes, sizes and times, with planted duplicates."""
    vectors = unit_vectors(count, DIM, rng, centres_for(DIM))
    phash = rng.integers(-(2**63), 2**63 - 1, size=count, dtype=np.int64)
    content = np.array([f"{i:064x}" for i in range(count)], dtype=object)
    width = rng.integers(1200, 4000, count)
    height = (width * 3) // 4
    start = datetime(2021, 1, 1)
    seconds = np.sort(rng.uniform(0, 3 * 365 * 86400, count))
    order = rng.permutation(count)
    n_exact, n_near, n_burst = count // 100, count // 50, count // 20
    exact = order[:n_exact]
    near = order[n_exact : n_exact + n_near]
    burst = order[n_exact + n_near : n_exact + n_near + n_burst]
    sources = rng.choice(order[n_exact + n_near + n_burst :], n_exact + n_near, replace=False)
    for copy, source in zip(exact, sources[:n_exact], strict=True):
        content[copy], phash[copy], vectors[copy] = content[source], phash[source], vectors[source]
        width[copy], height[copy] = width[source], height[source]
        seconds[copy] = seconds[source]  # the same bytes: the same EXIF time
    unsigned = phash.view(np.uint64)
    for copy, source in zip(near, sources[n_exact:], strict=True):
        mask = 0
        for bit in rng.choice(64, int(rng.integers(0, 7)) * 2, replace=False):
            mask |= 1 << int(bit)
        unsigned[copy] = unsigned[source] ^ np.uint64(mask)
        noisy = vectors[source] + rng.standard_normal(DIM).astype(np.float32) * 0.005
        vectors[copy] = noisy / np.linalg.norm(noisy)
        width[copy], height[copy] = width[source] // 2, height[source] // 2
        seconds[copy] = seconds[source]  # a re-save keeps the camera's time
    bursts = np.array_split(burst, max(1, n_burst // 4))
    for shots in bursts:
        anchor = shots[0]
        for k, shot in enumerate(shots[1:], start=1):
            seconds[shot] = seconds[anchor] + 3 * k
            noisy = vectors[anchor] + rng.standard_normal(DIM).astype(np.float32) * 0.012
            vectors[shot] = noisy / np.linalg.norm(noisy)
    taken = [(start + timedelta(seconds=float(s))).isoformat(timespec="seconds") for s in seconds]
    return {
        "vectors": vectors,
        "phash": phash,
        "content": content,
        "width": width,
        "height": height,
        "taken": taken,
        "planted": {"exact": n_exact, "near": n_near, "bursts": len(bursts)},
        "near_ids": set((near + 1).tolist()),  # photo ids are rows + 1 in this library
    }


def build(path: Path, count: int, seed: int = 0) -> dict[str, Any]:
    rng = np.random.default_rng(seed)
    data = _plant(count, rng)
    with Library(path) as library:
        root = library.add_root(path.parent / "photos")
        library.ensure_model(MODEL_ID, DIM)
        for start in range(0, count, CHUNK):
            n = min(CHUNK, count - start)
            library.add_pending(
                root.id, ((f"{root.path}/{start + i:07d}.jpg", 2_000_000, 1) for i in range(n))
            )
            rows = library.conn.execute(
                "SELECT id FROM photos WHERE status = 'pending' ORDER BY id"
            ).fetchall()
            library.record_batch(
                MODEL_ID,
                [
                    PhotoResult(
                        photo_id,
                        vector=data["vectors"][k],
                        content_hash=data["content"][k],
                        width=int(data["width"][k]),
                        height=int(data["height"][k]),
                        taken_at=data["taken"][k],
                        phash=int(data["phash"][k]),
                    )
                    for (photo_id,), k in zip(rows, range(start, start + n), strict=True)
                ],
            )
    return data


def _stub_text_model() -> SimpleNamespace:
    """Deterministic text vectors: a recompute never embeds text (it is cached per model)."""

    def embed_texts(texts: list[str]) -> np.ndarray:
        out = np.stack(
            [np.random.default_rng(abs(hash(t)) % 2**32).standard_normal(DIM) for t in texts]
        ).astype(np.float32)
        return out / np.linalg.norm(out, axis=1, keepdims=True)

    pack = SimpleNamespace(name="bench-text", query=SimpleNamespace(text_prefix=""))
    return SimpleNamespace(model_id=MODEL_ID, dim=DIM, pack=pack, embed_texts=embed_texts)


def measure(count: int) -> dict[str, Any]:
    result: dict[str, Any] = {
        "photos": count,
        "date": datetime.now().astimezone().isoformat(timespec="seconds"),
        "load_average": list(os.getloadavg()),
    }
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "library.db"
        began = time.perf_counter()
        data = build(path, count)
        result["build_seconds"] = time.perf_counter() - began
        result["planted"] = data["planted"]
        with Library(path) as library:
            began = time.perf_counter()
            groups = find_duplicates(library, MODEL_ID)
            result["duplicates_seconds"] = time.perf_counter() - began
            tiers: dict[str, int] = {}
            for group in groups:
                tiers[group.tier.value] = tiers.get(group.tier.value, 0) + 1
            result["groups"] = tiers
            in_near = {p.id for g in groups if g.tier.value == "near" for p in g.photos}
            result["near_copies_grouped"] = len(data["near_ids"] & in_near) / len(data["near_ids"])
            # Where the time goes (each part timed again on its own).
            began = time.perf_counter()
            photos = load_photos(library)
            result["read_photos_seconds"] = time.perf_counter() - began
            began = time.perf_counter()
            library.load_vectors(MODEL_ID, DIM)
            result["read_vectors_seconds"] = time.perf_counter() - began
            hashes = np.array([p.phash for p in photos], dtype=np.int64)
            began = time.perf_counter()
            pairs = close_pairs(hashes, 16, band_radius=2)
            result["hash_pairs_seconds"] = time.perf_counter() - began
            result["hash_pairs"] = len(pairs[0])

            model = _stub_text_model()
            vocabulary = load_vocabulary()
            compute_tags(library, model, vocabulary)  # first run: embeds the vocabulary once
            began = time.perf_counter()
            run = compute_tags(library, model, vocabulary, force=True)
            result["tags_seconds"] = time.perf_counter() - began
            result["tags"] = run.tags
            result["concepts"] = len(vocabulary.concepts)
            # A watcher batch: 50 new photos tagged against the stored backgrounds.
            rng = np.random.default_rng(1)
            root_id = library.roots()[0].id
            library.add_pending(root_id, ((f"/new/{k:03d}.jpg", 1, 1) for k in range(50)))
            pending = library.conn.execute(
                "SELECT id FROM photos WHERE status = 'pending' ORDER BY id"
            ).fetchall()
            fresh = unit_vectors(50, DIM, rng, centres_for(DIM))
            library.record_batch(
                MODEL_ID,
                [PhotoResult(pid, vector=fresh[k]) for k, (pid,) in enumerate(pending)],
            )
            began = time.perf_counter()
            added = compute_tags(library, model, vocabulary)
            result["tags_incremental_seconds"] = time.perf_counter() - began
            result["tags_incremental_photos"] = added.photos if added.incremental else -1
            began = time.perf_counter()
            counts = tag_counts(library, MODEL_ID)
            result["tag_counts_seconds"] = time.perf_counter() - began
            began = time.perf_counter()
            photos_with_tag(library, MODEL_ID, counts[0].tag)
            result["photos_with_tag_seconds"] = time.perf_counter() - began
    result["load_average_end"] = list(os.getloadavg())
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--photos", type=int, default=100_000)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    result = measure(args.photos)
    if args.json:
        write_json(args.json, result)
    print(json.dumps(result, indent=2, default=float))


if __name__ == "__main__":
    main()
