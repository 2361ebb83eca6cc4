"""The tutorial pipeline: transformers ``CLIPModel`` + ``CLIPImageProcessor``, one photo at a time.

    python -m benchmarks.bench_baseline --photos DIR --pack DIR --json OUT [--limit N]

The model is ``models.export.random_model("vit-b-32")``: the exporter builds the pack from that
same call (torch seeded with 0), so both hold the same weights. That is checked, not assumed: one
preprocessed photo goes through torch and through the pack's fp32 ONNX graph, and their cosine is
reported (``weights_cosine``). Torch runs on the CPU with two threads, as the product does.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path
from typing import Any

import numpy as np

from benchmarks.common import THREADS, cpu_seconds, memory, write_json


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--photos", type=Path, required=True)
    parser.add_argument("--pack", type=Path, required=True)
    parser.add_argument("--limit", type=int, default=0, help="time only the first N photos")
    parser.add_argument("--json", type=Path, required=True)
    args = parser.parse_args()

    import torch
    from PIL import Image
    from transformers import CLIPImageProcessor

    from models.export import random_model

    torch.set_num_threads(THREADS)
    begin = time.perf_counter()
    model, _ = random_model("vit-b-32")  # already in eval mode
    processor = CLIPImageProcessor()
    load_seconds = time.perf_counter() - begin
    photos = sorted(args.photos.glob("*.jpg"))
    if args.limit:
        photos = photos[: args.limit]

    def embed(path: Path) -> tuple[Any, np.ndarray, float, float]:
        t0 = time.perf_counter()
        image = Image.open(path)
        inputs = processor(images=image, return_tensors="pt")
        t1 = time.perf_counter()
        with torch.no_grad():
            out = model.get_image_features(**inputs)
        features = getattr(out, "pooler_output", out)
        t2 = time.perf_counter()
        return inputs["pixel_values"], features[0].numpy(), t1 - t0, t2 - t1

    embed(photos[0])  # warm-up: first allocations, lazy imports
    pre_s = model_s = 0.0
    vectors = []
    cpu0, started = cpu_seconds(), time.perf_counter()
    for path in photos:
        pixels, vector, pre, infer = embed(path)
        pre_s += pre
        model_s += infer
        vectors.append(vector / np.linalg.norm(vector))
    wall = time.perf_counter() - started
    cpu = cpu_seconds() - cpu0
    np.savez(
        args.json.parent / "vectors-baseline.npz",
        names=[p.name for p in photos],
        vectors=np.stack(vectors),
    )

    # Contention check: on a shared machine, OpenMP threads that wait for a busy core make two
    # threads far slower than one. The report flags a run where that happened.
    thread_ms = {}
    for threads in (1, THREADS):
        torch.set_num_threads(threads)
        with torch.no_grad():
            model.get_image_features(pixel_values=pixels)
            t0 = time.perf_counter()
            for _ in range(3):
                model.get_image_features(pixel_values=pixels)
        thread_ms[threads] = (time.perf_counter() - t0) / 3 * 1000
    torch.set_num_threads(THREADS)

    # Same weights as the pack? Run the last photo's pixels through the exported fp32 graph.
    import onnxruntime as ort

    session = ort.InferenceSession(
        str(args.pack / "visual" / "model.onnx"), providers=["CPUExecutionProvider"]
    )
    onnx_vector = session.run(None, {"image": pixels.numpy()})[0][0]
    onnx_vector = onnx_vector / np.linalg.norm(onnx_vector)
    n = len(photos)
    write_json(
        args.json,
        {
            "kind": "baseline",
            "photos": n,
            "load_seconds": load_seconds,
            "steady_seconds": wall,
            "photos_per_s": n / wall,
            "preprocess_ms_per_photo": pre_s / n * 1000,
            "inference_ms_per_photo": model_s / n * 1000,
            "wall_ms_per_photo": wall / n * 1000,
            "cpu_utilisation": cpu / wall,
            "weights_cosine": float(np.dot(onnx_vector, vectors[-1])),
            "torch_threads": torch.get_num_threads(),
            "model_ms_1_thread": thread_ms[1],
            "model_ms_2_threads": thread_ms[THREADS],
            **memory(),
        },
    )


if __name__ == "__main__":
    main()
