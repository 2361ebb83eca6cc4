"""The search index's vectors kept in files beside the library, mapped instead of rebuilt.

Reading a million vectors back from SQLite rows takes seconds and, with Python objects per row,
gigabytes at its peak. After a search index is built once, its float16 matrix, photo ids and
searchable flags are written beside the library (``<library>.vectors/``); the next start maps
the matrix (``numpy.memmap``, copy-on-write: pages are read as the first scan touches them) and
catches up with what changed since, exactly as a running index does: vectors stored after the
saved row id, statuses changed after the saved sequence number. A cache from another generation
of the library (roots or models removed), another dimension or a damaged file is ignored and
rebuilt. The SQLite library stays the only source of truth: the cache can always be deleted.

Files are written under a fresh name and announced last by ``<model>.json`` (replaced
atomically), so a reader never maps a half-written matrix; a read-only folder just means no
cache.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import secrets
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

# Worth a file only when rebuilding from SQLite costs something.
MIN_ROWS = 20_000


@dataclass(frozen=True)
class CachedVectors:
    ids: NDArray[np.int64]
    matrix: NDArray[Any]  # float16, a copy-on-write map of the file
    valid: NDArray[np.bool_]
    rowid: int  # embeddings stored after this row id are not in the cache
    seq: int  # photo statuses changed after this sequence number are not either


def cache_dir(library: Path) -> Path:
    return library.with_name(f"{library.name}.vectors")


def _stem(model_id: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]", "_", model_id)


def load(library: Path, model_id: str, dim: int, generation: int) -> CachedVectors | None:
    """The cached vectors of this model for this generation of the library, or None."""
    folder = cache_dir(library)
    try:
        meta = json.loads((folder / f"{_stem(model_id)}.json").read_text("utf-8"))
        if (
            meta.get("model_id") != model_id
            or int(meta["dim"]) != dim
            or int(meta["generation"]) != generation
        ):
            return None
        rows, token = int(meta["rows"]), str(meta["token"])
        base = folder / f"{_stem(model_id)}.{token}"
        ids = np.fromfile(f"{base}.ids", dtype=np.int64)
        valid = np.fromfile(f"{base}.valid", dtype=bool)
        matrix = np.memmap(f"{base}.f16", dtype=np.float16, mode="c", shape=(rows, dim))
        if len(ids) != rows or len(valid) != rows:
            return None
        return CachedVectors(ids, matrix, valid, int(meta["rowid"]), int(meta["seq"]))
    except (OSError, ValueError, KeyError, TypeError):
        return None  # missing, damaged or from another version: rebuilt from the library


def save(
    library: Path,
    model_id: str,
    ids: NDArray[np.int64],
    matrix: NDArray[Any],
    valid: NDArray[np.bool_],
    rowid: int,
    seq: int,
    generation: int,
) -> bool:
    """Write the vectors; False when the folder does not allow it (nothing is harmed)."""
    folder = cache_dir(library)
    stem, token = _stem(model_id), secrets.token_hex(6)
    base = folder / f"{stem}.{token}"
    written: list[str] = []
    try:
        folder.mkdir(exist_ok=True)
        for suffix, array, dtype in (
            (".f16", matrix, np.float16),
            (".ids", ids, np.int64),
            (".valid", valid, np.bool_),
        ):
            name = f"{base}{suffix}"
            np.ascontiguousarray(array, dtype=dtype).tofile(name)
            written.append(name)
        meta = {
            "model_id": model_id,
            "dim": int(matrix.shape[1]),
            "rows": len(ids),
            "generation": generation,
            "rowid": rowid,
            "seq": seq,
            "token": token,
        }
        announce = folder / f"{stem}.json.{token}"
        announce.write_text(json.dumps(meta), "utf-8")
        os.replace(announce, folder / f"{stem}.json")
    except OSError:
        for name in written:
            with contextlib.suppress(OSError):
                os.unlink(name)
        return False
    for old in folder.glob(f"{stem}.*"):  # earlier generations of the files (mapped ones stay
        if old.suffix != ".json" and f".{token}" not in old.name:  # readable until unmapped)
            with contextlib.suppress(OSError):
                old.unlink()
    return True
