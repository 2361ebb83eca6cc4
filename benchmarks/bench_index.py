"""Indexing throughput of the real ``desktop-album index`` path, and of a hand-rolled pipeline.

    python -m benchmarks.bench_index product --photos DIR --pack DIR --precision fp32 --json OUT
    python -m benchmarks.bench_index handrolled --photos DIR --pack DIR --precision int8 --json OUT

``product`` calls ``desktop_album.cli.main(["index", ...])`` in a fresh user home (settings pick
the precision), exactly what a user runs; it only wraps ``Indexer.run`` to keep the summary
(decode and inference seconds) and ``ClipModel._session`` to time the session load. The vectors
it stored are saved next to the JSON for the fidelity comparisons.

``handrolled`` is the smallest pipeline that does the same model work: draft decode on two
threads overlapping batched onnxruntime on two threads, no hashing, thumbnails, EXIF or SQLite.
It is the yardstick for the product's own overhead.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sqlite3
import time
from collections import deque
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import Any

import numpy as np

from benchmarks.common import THREADS, cpu_seconds, memory, write_json


def _photos(folder: Path) -> list[Path]:
    return sorted(folder.glob("*.jpg"))


def _stored_vectors(library: Path) -> tuple[list[str], np.ndarray]:
    conn = sqlite3.connect(library)
    rows = conn.execute(
        "SELECT p.path, e.vector FROM photos p JOIN embeddings e ON e.photo_id = p.id "
        "ORDER BY p.path"
    ).fetchall()
    conn.close()
    names = [Path(r[0]).name for r in rows]
    vectors = np.stack([np.frombuffer(r[1], dtype="<f2").astype(np.float32) for r in rows])
    return names, vectors


def product(args: argparse.Namespace) -> dict[str, Any]:
    work = args.json.parent
    home = work / f"home-{args.precision}"
    library = work / f"index-{args.precision}.db"
    shutil.rmtree(home, ignore_errors=True)
    for suffix in ("", "-wal", "-shm"):
        Path(f"{library}{suffix}").unlink(missing_ok=True)
    (home / "config").mkdir(parents=True)
    settings = {"precision": args.precision, "threads": THREADS}
    (home / "config" / "settings.json").write_text(json.dumps(settings))
    os.environ["DESKTOP_ALBUM_HOME"] = str(home)

    import desktop_album.cli as cli
    from desktop_album.core import embedding
    from desktop_album.core.indexing import Indexer

    captured: dict[str, Any] = {"session_seconds": 0.0}
    original_run = Indexer.run
    original_session = embedding.ClipModel._session

    def run(self: Any, *a: Any, **kw: Any) -> Any:
        summary = original_run(self, *a, **kw)
        captured["summary"] = summary
        captured["batch_size"] = self.batch_size
        captured["decode_threads"] = self.decode_threads
        return summary

    def session(self: Any, path: Path) -> Any:
        begin = time.perf_counter()
        result = original_session(self, path)
        captured["session_seconds"] += time.perf_counter() - begin
        captured["model_file"] = str(path.relative_to(self.pack.path))
        return result

    Indexer.run = run  # type: ignore[method-assign]
    embedding.ClipModel._session = session  # type: ignore[method-assign]
    cpu0, wall0 = cpu_seconds(), time.perf_counter()
    code = cli.main(
        ["--library", str(library), "--model", str(args.pack), "index", str(args.photos)]
    )
    wall = time.perf_counter() - wall0
    cpu = cpu_seconds() - cpu0
    if code != 0:
        raise SystemExit(f"desktop-album index exited with {code}")
    summary = captured["summary"]
    photos = summary.indexed + len(summary.failed)
    steady = summary.seconds - captured["session_seconds"]
    names, vectors = _stored_vectors(library)
    np.savez(work / f"vectors-product-{args.precision}.npz", names=names, vectors=vectors)
    return {
        "kind": "product",
        "precision": args.precision,
        "model_file": captured.get("model_file"),
        "photos": photos,
        "failed": len(summary.failed),
        "batch_size": captured["batch_size"],
        "decode_threads": captured["decode_threads"],
        "main_seconds": wall,
        "run_seconds": summary.seconds,
        "session_seconds": captured["session_seconds"],
        "steady_seconds": steady,
        "photos_per_s": photos / steady,
        "photos_per_s_with_load": photos / summary.seconds,
        "decode_ms_per_photo": summary.decode_seconds / photos * 1000,
        "inference_ms_per_photo": summary.inference_seconds / photos * 1000,
        "wall_ms_per_photo": steady / photos * 1000,
        "overlap": (summary.decode_seconds + summary.inference_seconds) / steady,
        "cpu_utilisation": cpu / wall,
        **memory(),
    }


# -- the hand-rolled yardstick -------------------------------------------------------------------


def _hand_decode(path: Path, size: int, scale: np.ndarray, offset: np.ndarray) -> tuple[Any, float]:
    from PIL import Image, ImageOps

    begin = time.perf_counter()
    with Image.open(path) as image:
        image.draft("RGB", (size, size))
        rgb = ImageOps.exif_transpose(image).convert("RGB")
    w, h = rgb.size
    new = (size, int(size * h / w)) if w <= h else (int(size * w / h), size)
    rgb = rgb.resize(new, Image.Resampling.BICUBIC)
    left, top = (new[0] - size) // 2, (new[1] - size) // 2
    rgb = rgb.crop((left, top, left + size, top + size))
    pixels = np.asarray(rgb, dtype=np.uint8).transpose(2, 0, 1) * scale + offset
    return pixels.astype(np.float32), time.perf_counter() - begin


def handrolled(args: argparse.Namespace) -> dict[str, Any]:
    import onnxruntime as ort

    from desktop_album.core.packs import load_pack

    pack = load_pack(args.pack)
    cfg = pack.preprocess
    mean, std = np.asarray(cfg.mean).reshape(3, 1, 1), np.asarray(cfg.std).reshape(3, 1, 1)
    scale, offset = (1 / (255 * std)).astype(np.float32), (-mean / std).astype(np.float32)
    options = ort.SessionOptions()
    options.intra_op_num_threads = THREADS
    options.inter_op_num_threads = 1
    options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
    options.add_session_config_entry("session.intra_op.allow_spinning", "0")
    model_path = pack.visual_model(args.precision)
    begin = time.perf_counter()
    session = ort.InferenceSession(str(model_path), options, providers=["CPUExecutionProvider"])
    load_seconds = time.perf_counter() - begin
    photos = _photos(args.photos)
    batch_size = 32
    decode_s = infer_s = 0.0
    vectors = []
    started = time.perf_counter()
    with ThreadPoolExecutor(THREADS) as pool:
        queue: deque[Future[tuple[Any, float]]] = deque()
        todo = iter(photos)
        while True:
            while len(queue) < 2 * batch_size and (p := next(todo, None)) is not None:
                queue.append(pool.submit(_hand_decode, p, cfg.size, scale, offset))
            if not queue:
                break
            batch: list[np.ndarray] = []
            while queue and len(batch) < batch_size:
                pixels, seconds = queue.popleft().result()
                decode_s += seconds
                batch.append(pixels)
            t0 = time.perf_counter()
            out = session.run(None, {"image": np.stack(batch)})[0]
            infer_s += time.perf_counter() - t0
            vectors.append(out / np.linalg.norm(out, axis=1, keepdims=True))
    wall = time.perf_counter() - started
    n = len(photos)
    return {
        "kind": "handrolled",
        "precision": args.precision,
        "photos": n,
        "session_seconds": load_seconds,
        "steady_seconds": wall,
        "photos_per_s": n / wall,
        "decode_ms_per_photo": decode_s / n * 1000,
        "inference_ms_per_photo": infer_s / n * 1000,
        "wall_ms_per_photo": wall / n * 1000,
        "overlap": (decode_s + infer_s) / wall,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("mode", choices=("product", "handrolled"))
    parser.add_argument("--photos", type=Path, required=True)
    parser.add_argument("--pack", type=Path, required=True)
    parser.add_argument("--precision", choices=("fp32", "int8"), default="fp32")
    parser.add_argument("--json", type=Path, required=True)
    args = parser.parse_args()
    result = product(args) if args.mode == "product" else handrolled(args)
    write_json(args.json, result)


if __name__ == "__main__":
    main()
