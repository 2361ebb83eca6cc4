"""Libraries of N photos with synthetic unit vectors, written through ``Library`` like the indexer.

Photos are rows under one root (the files need not exist: search reads only the library), each
recorded with ``Library.record_batch``, so the vectors are float16 BLOBs in the product's format
and every trigger and index is the real one. Vectors are random but clustered (a few thousand
"scenes" plus noise), like photo collections, so top-k results have real near neighbours.
Built once per size and model and kept under ``benchmarks/work/libraries``.
"""

from __future__ import annotations

import shutil
import time
from pathlib import Path

import numpy as np

from desktop_album.core.library import Library, PhotoResult

VERSION = 1
CHUNK = 20_000


def unit_vectors(count: int, dim: int, rng: np.random.Generator, centres: np.ndarray) -> np.ndarray:
    """Clustered unit vectors: a random centre each, plus isotropic noise."""
    picks = rng.integers(0, len(centres), count)
    noise = rng.standard_normal((count, dim), dtype=np.float32) * (0.9 / np.sqrt(dim))
    vectors: np.ndarray = centres[picks] + noise
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    return vectors.astype(np.float32)


def centres_for(dim: int, seed: int = 7, count: int = 4096) -> np.ndarray:
    rng = np.random.default_rng(seed)
    centres: np.ndarray = rng.standard_normal((count, dim), dtype=np.float32)
    centres /= np.linalg.norm(centres, axis=1, keepdims=True)
    return centres


def library_path(folder: Path, count: int, model_id: str) -> Path:
    return folder / f"library-{model_id}-{count}-v{VERSION}.db"


def build_library(folder: Path, count: int, model_id: str, dim: int, seed: int = 0) -> Path:
    """The library file with ``count`` photos embedded by ``model_id`` (reused if complete)."""
    path = library_path(folder, count, model_id)
    done = path.with_suffix(".done")
    if path.exists() and done.exists():
        return path
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    folder.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(seed)
    centres = centres_for(dim)
    started = time.perf_counter()
    with Library(path) as library:
        root = library.add_root(folder / f"photos-{count}")
        library.ensure_model(model_id, dim)
        base = f"{root.path}/{count}"
        for start in range(0, count, CHUNK):
            n = min(CHUNK, count - start)
            library.add_pending(
                root.id,
                ((f"{base}/{start + i:07d}.jpg", 3_000_000, 1) for i in range(n)),
            )
            rows = library.conn.execute(
                "SELECT id, path FROM photos WHERE status = 'pending' ORDER BY id"
            ).fetchall()
            vectors = unit_vectors(len(rows), dim, rng, centres)
            library.record_batch(
                model_id,
                [
                    PhotoResult(
                        photo_id,
                        vector=vectors[i],
                        content_hash=f"{start + i:064x}",
                        width=4000,
                        height=3000,
                        taken_at=f"2024-01-01T00:00:{i % 60:02d}",
                        camera="Synthetic",
                    )
                    for i, (photo_id, _) in enumerate(rows)
                ],
            )
        library.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    done.write_text(f"{count} photos in {time.perf_counter() - started:.1f} s\n")
    return path


def copy_library(path: Path, target: Path) -> Path:
    """A private copy (a benchmark that writes must not change the cached library)."""
    shutil.copyfile(path, target)
    return target
