"""Synthetic photos of coloured shapes, with English and Korean captions.

The test model pack is trained on these, and tests build their photo folders from them, so this
module stays PIL-only (importing it must not pull in torch). Every shape is drawn inside the
image's central square, so a CLIP-style "resize the shortest side, crop the centre" never cuts
away what the caption describes.
"""

from __future__ import annotations

import itertools
import math
import random
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageDraw

COLORS: tuple[str, ...] = (
    "red",
    "green",
    "blue",
    "yellow",
    "purple",
    "orange",
    "white",
    "black",
)
SHAPES: tuple[str, ...] = ("circle", "square", "triangle", "star", "cross")
# "medium" is the unremarkable size: captions leave it out, as people do.
SIZES: tuple[str, ...] = ("small", "medium", "large")
# "white" is the plain background and is left out of captions; every other one is named.
BACKGROUNDS: tuple[str, ...] = ("white", "gray", *[c for c in COLORS if c != "white"])

# Adjective forms, so "{color} {shape}" and "{color} 배경의" read naturally.
KOREAN_COLORS: dict[str, str] = {
    "red": "빨간",
    "green": "초록색",
    "blue": "파란",
    "yellow": "노란",
    "purple": "보라색",
    "orange": "주황색",
    "white": "흰",
    "black": "검은",
    "gray": "회색",
}
KOREAN_SHAPES: dict[str, str] = {
    "circle": "원",
    "square": "사각형",
    "triangle": "삼각형",
    "star": "별",
    "cross": "십자가",
}
KOREAN_SIZES: dict[str, str] = {"small": "작은", "medium": "", "large": "큰"}
KOREAN_BACKGROUND = "배경의"

RGB: dict[str, tuple[int, int, int]] = {
    "red": (220, 30, 35),
    "green": (35, 160, 60),
    "blue": (35, 75, 220),
    "yellow": (245, 215, 35),
    "purple": (135, 45, 175),
    "orange": (245, 135, 25),
    "white": (250, 250, 250),
    "black": (20, 20, 20),
    "gray": (150, 150, 150),
}

# Fraction of the central square's side that the shape's bounding circle spans.
_SIZE_FRACTION: dict[str, tuple[float, float]] = {
    "small": (0.34, 0.42),
    "medium": (0.5, 0.6),
    "large": (0.7, 0.82),
}
# How far from the centre a shape may wander, as a share of the room it has: enough to vary
# the pixels, not so much that a 64 px model must learn translation from scratch.
_POSITION_JITTER = 0.6
# Past this many pixels on the long side, drawing at 2x for anti-aliasing only costs time.
_SUPERSAMPLE_LIMIT = 768


@dataclass(frozen=True)
class ShapeSpec:
    """What one synthetic photo shows: a ``color`` ``shape`` of ``size`` on ``background``."""

    color: str
    shape: str
    size: str
    background: str

    def caption_en(self) -> str:
        """English caption, e.g. "a red circle" or "a small blue square on yellow"."""
        words = ["a"]
        if self.size != "medium":
            words.append(self.size)
        words += [self.color, self.shape]
        if self.background != "white":
            words += ["on", self.background]
        return " ".join(words)

    def caption_ko(self) -> str:
        """Korean caption, e.g. "빨간 원" or "노란 배경의 작은 파란 사각형"."""
        words = []
        if self.background != "white":
            words += [KOREAN_COLORS[self.background], KOREAN_BACKGROUND]
        if self.size != "medium":
            words.append(KOREAN_SIZES[self.size])
        words += [KOREAN_COLORS[self.color], KOREAN_SHAPES[self.shape]]
        return " ".join(words)


def _jitter(rgb: tuple[int, int, int], rng: random.Random, amount: int) -> tuple[int, int, int]:
    r, g, b = (min(255, max(0, c + rng.randint(-amount, amount))) for c in rgb)
    return (r, g, b)


def _outline(shape: str, radius: float) -> list[tuple[float, float]]:
    """Polygon points around the origin; the shape fits a circle of ``radius``."""
    if shape == "square":
        h = radius / math.sqrt(2)
        return [(-h, -h), (h, -h), (h, h), (-h, h)]
    if shape == "triangle":
        return [
            (radius * math.cos(a), radius * math.sin(a))
            for a in (-math.pi / 2, math.pi / 6, 5 * math.pi / 6)
        ]
    if shape == "star":
        inner = radius * 0.42
        return [
            (
                (radius if i % 2 == 0 else inner) * math.cos(-math.pi / 2 + i * math.pi / 5),
                (radius if i % 2 == 0 else inner) * math.sin(-math.pi / 2 + i * math.pi / 5),
            )
            for i in range(10)
        ]
    if shape == "cross":
        # Arms a third of the span wide: thick enough to stay a cross at 64 px.
        a, w = radius * 0.92, radius * 0.32
        return [
            (-w, -a), (w, -a), (w, -w), (a, -w), (a, w), (w, w),
            (w, a), (-w, a), (-w, w), (-a, w), (-a, -w), (-w, -w),
        ]  # fmt: skip
    raise ValueError(f"Unknown shape {shape!r}; expected one of {', '.join(SHAPES)}.")


def render(spec: ShapeSpec, width: int, height: int, rng: random.Random) -> Image.Image:
    """Draw ``spec`` as an RGB image of ``width`` x ``height``.

    Position, rotation, size within the size class and colours are jittered from ``rng``; the
    shape always lies inside the central square so a centre crop keeps all of it.
    """
    if spec.color not in RGB or spec.background not in RGB:
        raise ValueError(f"Unknown colour in {spec!r}.")
    scale = 2 if max(width, height) <= _SUPERSAMPLE_LIMIT else 1
    w, h = width * scale, height * scale
    image = Image.new("RGB", (w, h), _jitter(RGB[spec.background], rng, 8))
    draw = ImageDraw.Draw(image)

    side = min(w, h)
    low, high = _SIZE_FRACTION[spec.size]
    radius = rng.uniform(low, high) * side / 2
    slack = max(0.0, side / 2 - radius * 1.04) * _POSITION_JITTER
    cx = w / 2 + rng.uniform(-slack, slack)
    cy = h / 2 + rng.uniform(-slack, slack)
    fill = _jitter(RGB[spec.color], rng, 18)

    if spec.shape == "circle":
        draw.ellipse((cx - radius, cy - radius, cx + radius, cy + radius), fill=fill)
    else:
        angle = math.radians(rng.uniform(-20.0, 20.0))
        cos, sin = math.cos(angle), math.sin(angle)
        points = [
            (cx + x * cos - y * sin, cy + x * sin + y * cos)
            for x, y in _outline(spec.shape, radius)
        ]
        draw.polygon(points, fill=fill)
    if scale != 1:
        image = image.resize((width, height), Image.Resampling.LANCZOS)
    return image


def random_spec(color: str, shape: str, rng: random.Random) -> ShapeSpec:
    """A spec of ``color`` ``shape`` with a random size and a background that differs from it."""
    size = rng.choice(SIZES)
    roll = rng.random()
    if roll < 0.4:
        background = "white"
    elif roll < 0.6:
        background = "gray"
    else:
        background = rng.choice([b for b in BACKGROUNDS if b not in ("white", "gray")])
    if background == color:
        background = "gray"
    return ShapeSpec(color=color, shape=shape, size=size, background=background)


def balanced_specs(count: int, rng: random.Random) -> list[ShapeSpec]:
    """``count`` specs cycling through every colour x shape pair, each cycle shuffled."""
    pairs = list(itertools.product(COLORS, SHAPES))
    specs: list[ShapeSpec] = []
    while len(specs) < count:
        rng.shuffle(pairs)
        specs += [random_spec(c, s, rng) for c, s in pairs[: count - len(specs)]]
    return specs


def make_corpus(
    folder: Path,
    count: int = 100,
    seed: int = 0,
    size_range: tuple[int, int] = (320, 640),
) -> list[tuple[Path, ShapeSpec]]:
    """Write ``count`` shape photos into ``folder`` and return (path, spec) pairs.

    Deterministic for a seed. Every colour x shape pair appears ``count // 40`` or one more
    times. Mostly JPEG (quality 90), every tenth a PNG, with names like ``red_circle_017.jpg``.
    """
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    written: list[tuple[Path, ShapeSpec]] = []
    for index, spec in enumerate(balanced_specs(count, rng)):
        width, height = rng.randint(*size_range), rng.randint(*size_range)
        image = render(spec, width, height, rng)
        png = index % 10 == 9
        path = folder / f"{spec.color}_{spec.shape}_{index:03d}.{'png' if png else 'jpg'}"
        if png:
            image.save(path, format="PNG")
        else:
            image.save(path, format="JPEG", quality=90)
        written.append((path, spec))
    return written
