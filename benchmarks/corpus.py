"""Camera-like test photos: 12 MP JPEGs of 1.5-5.5 MB with EXIF, made from a seed.

Real photos compress to a few MB because they hold smooth light, edges and sensor noise; so do
these: a lit sky-to-ground gradient, soft-edged shapes, a fine texture and per-pixel noise, saved
at camera quality. A third carry an EXIF rotation (stored sideways, shown upright), all carry a
camera and a date. Generation is deterministic per index and skipped for files already there.
"""

from __future__ import annotations

import json
import os
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageFilter

VERSION = 2  # bump when the pictures change, so old corpora are regenerated
WIDTH, HEIGHT = 4000, 3000
_ORIENTATION, _MAKE, _MODEL, _DATETIME, _EXIF_IFD, _DATETIME_ORIGINAL = (
    0x0112,
    0x010F,
    0x0110,
    0x0132,
    0x8769,
    0x9003,
)
_CAMERAS = (("Canon", "Canon EOS R6"), ("NIKON CORPORATION", "NIKON Z 6"), ("Apple", "iPhone 13"))


def _scene(rng: np.random.Generator, width: int, height: int) -> Image.Image:
    """Low-resolution scene: gradient sky and ground, blurred shapes."""
    ys = np.linspace(0.0, 1.0, height, dtype=np.float32)[:, None]
    xs = np.linspace(0.0, 1.0, width, dtype=np.float32)[None, :]
    horizon = rng.uniform(0.3, 0.7)
    sky_top, sky_low = rng.uniform(60, 230, 3), rng.uniform(120, 255, 3)
    ground_hi, ground_lo = rng.uniform(20, 200, 3), rng.uniform(0, 120, 3)
    base = np.empty((height, width, 3), dtype=np.float32)
    for c in range(3):
        sky = sky_top[c] + (sky_low[c] - sky_top[c]) * (ys / horizon)
        ground = ground_hi[c] + (ground_lo[c] - ground_hi[c]) * ((ys - horizon) / (1 - horizon))
        light = 18 * np.sin(rng.uniform(1, 5) * xs + c) * np.cos(rng.uniform(1, 5) * ys)
        base[..., c] = np.where(ys < horizon, sky, ground) + light
    image = Image.fromarray(np.clip(base, 0, 255).astype(np.uint8), "RGB")
    draw = ImageDraw.Draw(image)
    for _ in range(int(rng.integers(8, 30))):
        x0, y0 = int(rng.integers(0, width)), int(rng.integers(0, height))
        w, h = (
            int(rng.integers(width // 40, width // 3)),
            int(rng.integers(height // 40, height // 3)),
        )
        colour = tuple(int(v) for v in rng.integers(0, 256, 3))
        kind = rng.random()
        if kind < 0.4:
            draw.ellipse((x0, y0, x0 + w, y0 + h), fill=colour)
        elif kind < 0.8:
            draw.rectangle((x0, y0, x0 + w, y0 + h), fill=colour)
        else:
            points = [
                (x0 + int(rng.integers(0, w)), y0 + int(rng.integers(0, h))) for _ in range(5)
            ]
            draw.polygon(points, fill=colour)
    return image.filter(ImageFilter.GaussianBlur(rng.uniform(0.5, 2.0)))


def camera_like(index: int) -> tuple[Image.Image, int]:
    """Photo ``index`` as the sensor saw it (landscape) and its EXIF orientation."""
    rng = np.random.default_rng(1000 + index)
    scene = _scene(rng, WIDTH // 4, HEIGHT // 4).resize((WIDTH, HEIGHT), Image.Resampling.BICUBIC)
    pixels = np.asarray(scene, dtype=np.int16)
    # Fine texture (foliage, fabric) at half resolution, then per-pixel sensor noise.
    texture = rng.normal(0.0, rng.uniform(2.0, 14.0), (HEIGHT // 2, WIDTH // 2)).astype(np.float32)
    texture_img = Image.fromarray(texture, "F").resize((WIDTH, HEIGHT), Image.Resampling.BILINEAR)
    grain = np.asarray(texture_img, dtype=np.float32).astype(np.int16)[..., None]
    noise = rng.normal(0.0, rng.uniform(2.0, 6.0), (HEIGHT, WIDTH, 1)).astype(np.int16)
    pixels = np.clip(pixels + grain + noise, 0, 255).astype(np.uint8)
    orientation = (6, 8, 3)[index // 3 % 3] if index % 3 == 0 else 1
    return Image.fromarray(pixels, "RGB"), orientation


def _write(args: tuple[int, str]) -> int:
    index, target = args
    path = Path(target)
    image, orientation = camera_like(index)
    make, model = _CAMERAS[index % len(_CAMERAS)]
    exif = Image.Exif()
    exif[_ORIENTATION] = orientation
    exif[_MAKE], exif[_MODEL] = make, model
    stamp = f"2024:{index % 12 + 1:02d}:{index % 28 + 1:02d} 12:{index % 60:02d}:00"
    exif[_DATETIME] = stamp
    exif.get_ifd(_EXIF_IFD)[_DATETIME_ORIGINAL] = stamp
    tmp = path.with_suffix(".tmp")
    image.save(tmp, "JPEG", quality=int(90 + index % 6), exif=exif.tobytes())
    os.replace(tmp, path)
    return path.stat().st_size


def make_corpus(folder: Path, count: int, workers: int = 2) -> list[Path]:
    """``count`` photos in ``folder`` (reused when already made by this VERSION)."""
    folder.mkdir(parents=True, exist_ok=True)
    stamp = folder / "corpus.json"
    try:
        made = json.loads(stamp.read_text())
    except (OSError, ValueError):
        made = {}
    if made.get("version") != VERSION:
        for old in folder.glob("*.jpg"):
            old.unlink()
    paths = [folder / f"IMG_{i:04d}.jpg" for i in range(count)]
    todo = [(i, str(p)) for i, p in enumerate(paths) if not p.exists()]
    if todo:
        with ProcessPoolExecutor(workers) as pool:
            list(pool.map(_write, todo, chunksize=1))
    stamp.write_text(json.dumps({"version": VERSION}))
    return paths


def describe(paths: list[Path]) -> dict[str, float]:
    sizes = [p.stat().st_size / 1e6 for p in paths]
    return {
        "count": len(paths),
        "mb_min": min(sizes),
        "mb_mean": sum(sizes) / len(sizes),
        "mb_max": max(sizes),
        "rotated": sum(1 for i in range(len(paths)) if i % 3 == 0),
    }
