"""Every resize mode, interpolation, mean and std of preprocess_cfg.json, as open_clip applies
them, through the indexer's own decode path (draft decode + resize + crop)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from desktop_album.core.imaging import decode_photo, to_model_input
from desktop_album.core.packs import PreprocessConfig

RED, GREEN, BLUE = (230, 20, 20), (20, 200, 20), (20, 20, 230)
UNIT = PreprocessConfig(size=32, mean=(0.0, 0.0, 0.0), std=(1.0, 1.0, 1.0))


@pytest.fixture
def wide_photo(tmp_path: Path) -> Path:
    """900 x 300: red, green and blue thirds. A centre crop sees only green."""
    image = Image.new("RGB", (900, 300), GREEN)
    image.paste(RED, (0, 0, 300, 300))
    image.paste(BLUE, (600, 0, 900, 300))
    path = tmp_path / "wide.png"
    image.save(path)
    return path


def colours(pixels: np.ndarray) -> tuple[tuple[int, ...], ...]:
    """The nearest of red, green and blue at the left edge, centre and right edge (middle row)."""
    row = pixels[:, pixels.shape[1] // 2] * 255
    named = (RED, GREEN, BLUE)
    picks = []
    for column in (1, pixels.shape[2] // 2, -2):
        distances = [np.abs(row[:, column] - np.asarray(c)).sum() for c in named]
        picks.append(named[int(np.argmin(distances))])
    return tuple(picks)


def test_squash_is_not_a_centre_crop(wide_photo: Path) -> None:
    squash = PreprocessConfig(32, UNIT.mean, UNIT.std, "bicubic", "squash")
    shortest = PreprocessConfig(32, UNIT.mean, UNIT.std, "bicubic", "shortest")
    squashed = decode_photo(wide_photo, squash).pixels
    cropped = decode_photo(wide_photo, shortest).pixels
    assert squashed.shape == cropped.shape == (3, 32, 32)
    assert colours(squashed) == (RED, GREEN, BLUE)  # the whole photo, squeezed
    assert colours(cropped) == (GREEN, GREEN, GREEN)  # only its middle
    assert not np.allclose(squashed, cropped)


def test_longest_fits_the_whole_photo_and_pads_with_black(wide_photo: Path) -> None:
    longest = PreprocessConfig(33, UNIT.mean, UNIT.std, "bicubic", "longest")
    pixels = decode_photo(wide_photo, longest).pixels
    assert colours(pixels) == (RED, GREEN, BLUE)
    # 900 x 300 -> 33 x 11, centred: 11 black rows above, 11 below.
    assert np.all(pixels[:, :11] == 0) and np.all(pixels[:, 22:] == 0)
    assert np.all(pixels[:, 11:22].max(axis=0) > 0)


def test_mean_and_std_are_the_packs(wide_photo: Path) -> None:
    siglip = PreprocessConfig(32, (0.5, 0.5, 0.5), (0.5, 0.5, 0.5), "bicubic", "squash")
    pixels = decode_photo(wide_photo, siglip).pixels
    left = pixels[:, 16, 1]
    assert left == pytest.approx([(c / 255 - 0.5) / 0.5 for c in RED], abs=1e-5)


def test_interpolation_is_the_packs() -> None:
    checker = Image.fromarray(((np.indices((64, 64)).sum(0) % 2) * 255).astype(np.uint8)).convert(
        "RGB"
    )
    near = to_model_input(checker, PreprocessConfig(24, UNIT.mean, UNIT.std, "nearest"))
    cubic = to_model_input(checker, PreprocessConfig(24, UNIT.mean, UNIT.std, "bicubic"))
    assert set(np.unique(near)) <= {0.0, 1.0}  # nearest picks pixels, never blends
    assert 0.3 < float(cubic.mean()) < 0.7 and len(np.unique(cubic)) > 2
