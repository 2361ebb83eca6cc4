"""The synthetic shapes corpus: deterministic, balanced, captioned, and torch-free."""

from __future__ import annotations

import collections
import hashlib
import itertools
import random
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from models.shapes import (
    COLORS,
    KOREAN_COLORS,
    KOREAN_SHAPES,
    RGB,
    SHAPES,
    ShapeSpec,
    make_corpus,
    render,
)


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_corpus_is_deterministic_for_a_seed(tmp_path: Path) -> None:
    first = make_corpus(tmp_path / "a", 30, seed=7)
    again = make_corpus(tmp_path / "b", 30, seed=7)
    other = make_corpus(tmp_path / "c", 30, seed=8)

    assert [(p.name, s) for p, s in first] == [(p.name, s) for p, s in again]
    assert [_digest(p) for p, _ in first] == [_digest(p) for p, _ in again]
    assert [s for _, s in first] != [s for _, s in other]


def test_corpus_covers_every_colour_and_shape_evenly(tmp_path: Path) -> None:
    corpus = make_corpus(tmp_path, 100, seed=123, size_range=(96, 160))

    counts = collections.Counter((s.color, s.shape) for _, s in corpus)
    assert set(counts) == set(itertools.product(COLORS, SHAPES))
    assert max(counts.values()) - min(counts.values()) <= 1
    assert len(COLORS) >= 6 and len(SHAPES) >= 4
    assert all(s.background != s.color for _, s in corpus)


def test_corpus_files_are_named_and_readable(tmp_path: Path) -> None:
    corpus = make_corpus(tmp_path, 20, seed=1, size_range=(100, 200))

    suffixes = {p.suffix for p, _ in corpus}
    assert suffixes == {".jpg", ".png"}
    for path, spec in corpus:
        assert path.parent == tmp_path
        assert path.name.isascii()
        assert path.name.startswith(f"{spec.color}_{spec.shape}_")
        with Image.open(path) as image:
            assert image.mode == "RGB"
            assert all(100 <= side <= 200 for side in image.size)


@pytest.mark.parametrize(
    ("spec", "english", "korean"),
    [
        (ShapeSpec("red", "circle", "medium", "white"), "a red circle", "빨간 원"),
        (
            ShapeSpec("blue", "square", "small", "yellow"),
            "a small blue square on yellow",
            "노란 배경의 작은 파란 사각형",
        ),
        (ShapeSpec("black", "star", "large", "gray"), "a large black star on gray", None),
    ],
)
def test_captions(spec: ShapeSpec, english: str, korean: str | None) -> None:
    assert spec.caption_en() == english
    if korean is not None:
        assert spec.caption_ko() == korean


def test_korean_names_cover_the_vocabulary() -> None:
    assert set(COLORS) <= set(KOREAN_COLORS)
    assert set(SHAPES) == set(KOREAN_SHAPES)


@pytest.mark.parametrize(("width", "height"), [(64, 64), (300, 120), (700, 1100)])
def test_render_keeps_the_shape_inside_the_centre_square(width: int, height: int) -> None:
    rng = random.Random(3)
    for shape in SHAPES:
        spec = ShapeSpec("red", shape, "large", "white")
        image = render(spec, width, height, rng)
        assert image.mode == "RGB" and image.size == (width, height)

        pixels = np.asarray(image, dtype=np.int32)
        distance = np.abs(pixels - np.array(RGB["red"])).sum(axis=2)
        ys, xs = np.nonzero(distance < 90)
        side = min(width, height)
        left, top = (width - side) / 2, (height - side) / 2
        assert len(xs) > 0.05 * side * side  # a large shape fills a good part of the crop
        assert xs.min() >= left - 1 and xs.max() <= left + side
        assert ys.min() >= top - 1 and ys.max() <= top + side


def test_shapes_module_does_not_import_torch() -> None:
    code = "import sys, models.shapes; assert 'torch' not in sys.modules, 'torch imported'"
    root = Path(__file__).resolve().parents[2]
    subprocess.run([sys.executable, "-c", code], cwd=root, check=True)
