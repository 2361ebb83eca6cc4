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
