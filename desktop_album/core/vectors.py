"""Embedding vectors on disk: little-endian float16 BLOBs (half the size of float32).

float16 keeps about three significant digits per component: cosine scores move by ~1e-4, far
below the gaps that decide a ranking, and the library file and its load time halve.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
from numpy.typing import DTypeLike, NDArray

STORAGE_DTYPE = np.dtype("<f2")


def to_blob(vector: NDArray[np.float32]) -> bytes:
    return np.asarray(vector, dtype=STORAGE_DTYPE).tobytes()


def from_blobs(blobs: Sequence[bytes], dim: int, dtype: DTypeLike = np.float32) -> NDArray[Any]:
    """Stack BLOBs into an (N, dim) matrix of ``dtype`` (float32 by default) in one copy.

    Asked for the stored float16, the result is a read-only view of the joined bytes.
    """
    if not blobs:
        return np.zeros((0, dim), dtype=dtype)
    raw = np.frombuffer(b"".join(blobs), dtype=STORAGE_DTYPE)
    if raw.size != len(blobs) * dim:
        raise ValueError(f"stored vectors do not have {dim} dimensions")
    return raw.reshape(len(blobs), dim).astype(dtype, copy=False)


def from_blob(blob: bytes, dim: int) -> NDArray[np.float32]:
    vector: NDArray[np.float32] = from_blobs([blob], dim)[0]
    return vector
