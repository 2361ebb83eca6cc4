"""A generated photo set with planted near-duplicates, for the duplicate finder's tests.

Distinct photos are scenes of several coloured shapes on a gradient (drawn with
``models.shapes``' outlines) plus scikit-image's bundled sample photos. Some of them get copies
that a messenger or an editor would make: re-encoded as JPEG at quality 60-95, resized to
50-100 %, or with 5 % of the width and height cropped away (split randomly between the sides).
"""

from __future__ import annotations

import itertools
import math
import random
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw

from models.shapes import RGB, SHAPES, _outline

# Bundled with scikit-image (no download). "cat" is "chelsea" again, so it is left out.
SAMPLES = (
    "astronaut",
    "camera",
    "coffee",
    "chelsea",
    "rocket",
    "coins",
    "moon",
    "page",
    "text",
    "horse",
    "clock",
    "hubble_deep_field",
    "immunohistochemistry",
    "colorwheel",
    "retina",
    "cell",
    "brick",
    "grass",
)
TRANSFORMS = ("reencode", "resize", "crop")


@dataclass(frozen=True)
class DupCorpus:
    """The files written, and which of them are copies of one another."""

    originals: list[Path]
    families: list[list[Path]]  # an original and its copies, for every original that has some

    def true_pairs(self) -> set[frozenset[Path]]:
        return {
            frozenset(pair)
            for family in self.families
            for pair in itertools.combinations(family, 2)
        }


def scene(rng: random.Random, width: int, height: int) -> Image.Image:
    """A gradient with 3 to 7 shapes of random colours, sizes and places."""
    top = np.array(rng.choice(list(RGB.values())), dtype=np.float32)
    bottom = np.array(rng.choice(list(RGB.values())), dtype=np.float32)
    ramp = np.linspace(0.0, 1.0, height, dtype=np.float32).reshape(-1, 1, 1)
    pixels = top * (1 - ramp) + bottom * ramp
    noise = np.random.default_rng(rng.randrange(1 << 30)).normal(0, 6, (height, width, 3))
    image = Image.fromarray(np.clip(pixels + noise, 0, 255).astype(np.uint8), "RGB")
    draw = ImageDraw.Draw(image)
    for _ in range(rng.randint(3, 7)):
        radius = rng.uniform(0.08, 0.3) * min(width, height)
        cx, cy = rng.uniform(0, width), rng.uniform(0, height)
        fill = rng.choice(list(RGB.values()))
        shape = rng.choice(SHAPES)
        if shape == "circle":
            draw.ellipse((cx - radius, cy - radius, cx + radius, cy + radius), fill=fill)
            continue
        angle = rng.uniform(0, 2 * math.pi)
        cos, sin = math.cos(angle), math.sin(angle)
        points = [
            (cx + x * cos - y * sin, cy + x * sin + y * cos) for x, y in _outline(shape, radius)
        ]
        draw.polygon(points, fill=fill)
    return image


def sample_photos() -> list[Image.Image]:
    import skimage.data

    photos = []
    for name in SAMPLES:
        array = getattr(skimage.data, name)()
        image = Image.fromarray(array)
        photos.append(image.convert("RGB"))
    return photos


def copy_of(image: Image.Image, transform: str, rng: random.Random) -> tuple[Image.Image, int]:
    """A transformed copy and the JPEG quality to save it at."""
    width, height = image.size
    if transform == "reencode":
        return image, rng.randint(60, 95)
    if transform == "resize":
        factor = rng.uniform(0.5, 1.0)
        size = (max(1, round(width * factor)), max(1, round(height * factor)))
        return image.resize(size, Image.Resampling.LANCZOS), rng.randint(80, 95)
    cut_x, cut_y = round(width * 0.05), round(height * 0.05)
    left, top = rng.randint(0, cut_x), rng.randint(0, cut_y)
    box = (left, top, width - (cut_x - left), height - (cut_y - top))
    return image.crop(box), rng.randint(80, 95)


def make_dup_corpus(
    folder: Path, scenes: int = 60, with_copies: int = 40, seed: int = 7
) -> DupCorpus:
    """Write distinct photos (``scenes`` generated ones plus the samples) and copies of
    ``with_copies`` of them: each gets one copy per transform."""
    folder.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    images = [scene(rng, rng.randint(480, 800), rng.randint(400, 640)) for _ in range(scenes)]
    images += sample_photos()
    originals = []
    for index, image in enumerate(images):
        path = folder / f"photo_{index:03d}.jpg"
        image.save(path, format="JPEG", quality=92)
        originals.append(path)
    families = []
    for index in rng.sample(range(len(images)), with_copies):
        family = [originals[index]]
        for transform in TRANSFORMS:
            copy, quality = copy_of(images[index], transform, rng)
            path = folder / f"photo_{index:03d}_{transform}.jpg"
            copy.save(path, format="JPEG", quality=quality)
            family.append(path)
        families.append(family)
    return DupCorpus(originals, families)


def save_with_date(image: Image.Image, path: Path, when: str, quality: int = 90) -> None:
    """Save as JPEG with an EXIF date taken ("YYYY:MM:DD HH:MM:SS")."""
    exif = Image.Exif()
    exif[0x0132] = when  # DateTime
    image.save(path, format="JPEG", quality=quality, exif=exif)


def burst(seed: int, frames: int) -> list[Image.Image]:
    """One scene shot several times: a subject moves, the camera shifts a little."""
    base = scene(random.Random(seed), 640, 480)
    rng = random.Random(seed + 1)
    shots = []
    for _ in range(frames):
        image = base.copy()
        x, y, r = rng.uniform(100, 540), rng.uniform(100, 380), rng.uniform(40, 90)
        ImageDraw.Draw(image).ellipse((x - r, y - r, x + r, y + r), fill=(250, 250, 250))
        dx, dy = rng.randint(-25, 25), rng.randint(-25, 25)
        shots.append(image.transform(image.size, Image.Transform.AFFINE, (1, 0, dx, 0, 1, dy)))
    return shots


@dataclass(frozen=True)
class ReviewSet:
    """A folder with one of each tier and photos that are no one's duplicate."""

    folder: Path
    exact: tuple[Path, Path]  # the same bytes twice (the copy in a subfolder)
    near: tuple[Path, Path]  # the original, then a smaller re-encoded copy
    similar: tuple[Path, ...]  # a burst of one scene, seconds apart
    distinct: tuple[Path, ...]


def make_review_set(folder: Path, distinct: int = 4, burst_frames: int = 3) -> ReviewSet:
    """Write a small library's worth of photos for reviewing duplicates tier by tier."""
    import shutil

    (folder / "Backup").mkdir(parents=True, exist_ok=True)
    rng = random.Random(41)
    beach = folder / "beach.jpg"
    scene(rng, 720, 540).save(beach, format="JPEG", quality=90)
    copy = folder / "Backup" / "beach.jpg"
    shutil.copy(beach, copy)
    sunset = folder / "sunset.jpg"
    original = scene(rng, 800, 600)
    original.save(sunset, format="JPEG", quality=92)
    small = folder / "sunset (messenger).jpg"
    original.resize((560, 420), Image.Resampling.LANCZOS).save(small, format="JPEG", quality=70)
    shots = []
    for k, image in enumerate(burst(1, burst_frames)):
        path = folder / f"burst_{k}.jpg"
        save_with_date(image, path, f"2024:05:01 12:00:{10 * k:02d}")
        shots.append(path)
    others = []
    for k in range(distinct):
        path = folder / f"other_{k}.jpg"
        scene(random.Random(500 + k), 640, 480).save(path, format="JPEG", quality=90)
        others.append(path)
    return ReviewSet(folder, (beach, copy), (sunset, small), tuple(shots), tuple(others))


def make_review_demo(folder: Path) -> list[Path]:
    """A demo library for the Duplicates view's screenshots: bundled sample photos with a copy
    in a backup folder, copies re-sent by a messenger (smaller, recompressed) or cropped, a
    burst of shots, and photos that are no one's duplicate. Returns every file written."""
    import shutil

    samples = dict(zip(SAMPLES, sample_photos(), strict=True))
    backup, chats = folder / "Backup 2023", folder / "KakaoTalk"
    for place in (folder, backup, chats):
        place.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []

    def save(image: Image.Image, path: Path, quality: int = 92) -> Path:
        image.save(path, format="JPEG", quality=quality)
        written.append(path)
        return path

    for name in ("chelsea", "rocket"):  # exact copies
        original = save(samples[name], folder / f"{name}.jpg")
        shutil.copy(original, backup / original.name)
        written.append(backup / original.name)
    coffee = samples["coffee"]
    save(coffee, folder / "coffee.jpg")
    save(coffee.resize((300, 200), Image.Resampling.LANCZOS), chats / "coffee.jpg", 70)
    astronaut = samples["astronaut"]
    save(astronaut, folder / "astronaut.jpg")
    width, height = astronaut.size
    save(astronaut.crop((13, 13, width - 13, height - 13)), chats / "astronaut.jpg", 85)
    for k, image in enumerate(burst(1, 4)):
        path = folder / f"IMG_20240501_1200{10 * k:02d}.jpg"
        save_with_date(image, path, f"2024:05:01 12:00:{10 * k:02d}")
        written.append(path)
    for name in ("horse", "coins", "clock", "colorwheel"):
        save(samples[name], folder / f"{name}.jpg")
    return written
