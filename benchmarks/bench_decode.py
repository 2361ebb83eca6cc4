"""Micro-benchmark of the indexing decode path: ``decode_photo`` on camera-like 12 MP JPEGs.

Generates photos (noise, gradients and shapes, so they compress to a few MB like real ones; some
carry an EXIF orientation) into a temporary folder, then reports milliseconds per photo and
photos per second for one decoder thread and for two, plus the cost of a full (non-draft) decode
for comparison. Run::

    python benchmarks/bench_decode.py [--count 20] [--size 224] [--thumb 256] [--folder DIR]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run from a checkout, uninstalled

from desktop_album.core.imaging import (
    decode_photo,
    load_image,
    register_formats,
    to_model_input,
)
from desktop_album.core.packs import PreprocessConfig

CLIP_MEAN = (0.48145466, 0.4578275, 0.40821073)
CLIP_STD = (0.26862954, 0.26130258, 0.27577711)


def camera_like(seed: int, width: int = 4000, height: int = 3000) -> Image.Image:
    """A synthetic photo: lit gradients, a few shapes, and sensor-like noise."""
    rng = np.random.default_rng(seed)
    ys = np.linspace(0.0, 1.0, height, dtype=np.float32)[:, None]
    xs = np.linspace(0.0, 1.0, width, dtype=np.float32)[None, :]
    base = np.empty((height, width, 3), dtype=np.float32)
    for c in range(3):
        a, b, f = rng.uniform(40, 200), rng.uniform(-80, 80), rng.uniform(1, 6)
        base[..., c] = a + b * xs * ys + 30 * np.sin(f * xs + c) * np.cos(f * ys)
    image = Image.fromarray(np.clip(base, 0, 255).astype(np.uint8), "RGB")
    draw = ImageDraw.Draw(image)
    for _ in range(40):
        x0, y0 = int(rng.integers(0, width)), int(rng.integers(0, height))
        x1, y1 = x0 + int(rng.integers(50, 1200)), y0 + int(rng.integers(50, 900))
        colour = tuple(int(v) for v in rng.integers(0, 256, 3))
        if rng.random() < 0.5:
            draw.ellipse((x0, y0, x1, y1), fill=colour)
        else:
            draw.rectangle((x0, y0, x1, y1), fill=colour)
    pixels = np.asarray(image, dtype=np.int16)
    sigma = 2.5 + 2.5 * (seed % 5)  # sensor noise sets the file size: about 2 to 6 MB
    noise = rng.normal(0.0, sigma, size=(height, width, 1)).astype(np.int16)
    pixels = np.clip(pixels + noise, 0, 255).astype(np.uint8)
    return Image.fromarray(pixels, "RGB")


def make_photos(folder: Path, count: int) -> list[Path]:
    paths = []
    for i in range(count):
        path = folder / f"IMG_{i:04d}.jpg"
        if not path.exists():
            image = camera_like(i)
            exif = Image.Exif()
            exif[0x0112] = (1, 6, 8, 3)[i % 4] if i % 3 == 0 else 1
            exif[0x010F], exif[0x0110] = "Canon", "Canon EOS 5D"
            image.save(path, quality=92, exif=exif.tobytes())
        paths.append(path)
    return paths


def timed(paths: list[Path], threads: int, work: Callable[[Path], None]) -> tuple[float, float]:
    """(wall seconds, CPU seconds of this process) to run ``work`` over ``paths``."""
    wall, cpu = time.perf_counter(), time.process_time()
    if threads == 1:
        for p in paths:
            work(p)
    else:
        with ThreadPoolExecutor(threads) as pool:
            list(pool.map(work, paths))
    return time.perf_counter() - wall, time.process_time() - cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=20)
    parser.add_argument("--size", type=int, default=224)
    parser.add_argument("--thumb", type=int, default=256)
    parser.add_argument("--folder", type=Path, help="keep/reuse the generated photos here")
    parser.add_argument("--repeat", type=int, default=3, help="runs per row; the best is shown")
    args = parser.parse_args()
    register_formats()
    cfg = PreprocessConfig(args.size, CLIP_MEAN, CLIP_STD)

    with tempfile.TemporaryDirectory() as scratch:
        folder = args.folder or Path(scratch)
        folder.mkdir(parents=True, exist_ok=True)
        t0 = time.perf_counter()
        paths = make_photos(folder, args.count)
        sizes = [p.stat().st_size / 1e6 for p in paths]
        print(
            f"{len(paths)} photos 4000x3000, {min(sizes):.1f}-{max(sizes):.1f} MB "
            f"(mean {np.mean(sizes):.1f} MB), ready in {time.perf_counter() - t0:.1f} s"
        )

        def decode(p: Path) -> None:
            decode_photo(p, cfg, args.thumb)

        def full(p: Path) -> None:
            to_model_input(load_image(p), cfg)

        decode(paths[0])  # warm-up: plugin registration, first allocations
        rows = [
            ("decode_photo (draft), 1 thread", 1, decode),
            ("decode_photo (draft), 2 threads", 2, decode),
            ("full decode + model input, 1 thread", 1, full),
            ("full decode + model input, 2 threads", 2, full),
        ]
        print("best of", args.repeat, "runs; CPU ms is summed over threads (contention-proof)")
        for label, threads, work in rows:
            runs = [timed(paths, threads, work) for _ in range(args.repeat)]
            wall = min(r[0] for r in runs) / len(paths)
            cpu = min(r[1] for r in runs) / len(paths)
            print(
                f"{label:38s} {wall * 1000:6.1f} ms/photo wall {1 / wall:6.1f} photos/s"
                f"   {cpu * 1000:6.1f} ms CPU/photo"
            )


if __name__ == "__main__":
    main()
