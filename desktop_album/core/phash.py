"""A 64-bit perceptual hash (pHash) of a photo, and Hamming distances between such hashes.

The algorithm is imagehash's ``phash`` (greyscale, 32x32, 2-D DCT-II, the 8x8 lowest frequencies
compared with their median), written in numpy: imagehash itself would add scipy and PyWavelets
(over 60 MB) to the app for one 32x32 transform. ``tests/core/test_phash.py`` checks the DCT
against scipy's.

Hashes are stored in SQLite as signed 64-bit integers (SQLite has no unsigned type); the bit
pattern is what counts, and :func:`hamming` works on either form.
"""

from __future__ import annotations

import functools
from typing import Any

import numpy as np
from numpy.typing import NDArray
from PIL import Image

__all__ = ["HASH_BITS", "hamming", "hamming_many", "perceptual_hash"]

HASH_BITS = 64
_SIDE = 32  # the image is reduced to 32x32 before the transform
_KEEP = 8  # the 8x8 lowest frequencies make the 64 bits


@functools.cache
def _dct_matrix(n: int) -> NDArray[np.float64]:
    """The unnormalised DCT-II basis, as scipy.fftpack.dct(type=2, norm=None) computes it."""
    k = np.arange(n).reshape(-1, 1)
    i = np.arange(n).reshape(1, -1)
    matrix: NDArray[np.float64] = 2.0 * np.cos(np.pi * k * (2 * i + 1) / (2 * n))
    matrix.setflags(write=False)
    return matrix


def perceptual_hash(image: Image.Image) -> int:
    """The pHash of ``image`` as a signed 64-bit integer.

    Re-saving, recompressing and resizing move a handful of bits; a different photo differs in
    about half of them.
    """
    grey = image.convert("L").resize((_SIDE, _SIDE), Image.Resampling.LANCZOS)
    pixels = np.asarray(grey, dtype=np.float64)
    basis = _dct_matrix(_SIDE)[:_KEEP]
    low = basis @ pixels @ basis.T  # rows then columns: the 8x8 corner of the 2-D DCT
    bits = (low > np.median(low)).reshape(-1)
    value = int(np.packbits(bits).view(">u8")[0])
    return value - (1 << 64) if value >= 1 << 63 else value


def hamming(a: int, b: int) -> int:
    """How many of the 64 bits differ."""
    return ((a ^ b) & 0xFFFF_FFFF_FFFF_FFFF).bit_count()


def hamming_many(a: NDArray[Any], b: NDArray[Any]) -> NDArray[np.uint8]:
    """Element-wise Hamming distances of two int64 (or uint64) arrays."""
    x = np.bitwise_xor(np.asarray(a).view(np.uint64), np.asarray(b).view(np.uint64))
    if hasattr(np, "bitwise_count"):  # numpy >= 2.0: one popcount instruction per element
        counts: NDArray[np.uint8] = np.bitwise_count(x)
        return counts
    per_byte = _POPCOUNT[x.view(np.uint8)].reshape(*x.shape, 8)
    summed: NDArray[np.uint8] = per_byte.sum(axis=-1, dtype=np.uint8)
    return summed


_POPCOUNT = np.array([bin(i).count("1") for i in range(256)], dtype=np.uint8)
