"""Small libraries of real files for the album and file-action tests (no model needed)."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from desktop_album.core.library import Library, PhotoResult
from desktop_album.core.scanning import hash_file, scan_root


def unit(seed: int, dim: int = 8) -> np.ndarray:
    v = np.random.default_rng(seed).standard_normal(dim).astype(np.float32)
    return v / np.linalg.norm(v)


def make_files(folder: Path, names: list[str]) -> list[Path]:
    """Files with distinct contents (the scanner looks only at names; hashes at bytes)."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for number, name in enumerate(names):
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(f"photo {name} {number}".encode() * 50)
        paths.append(path)
    return paths


def index_root(library: Library, root: Path, model: str = "m") -> dict[str, int]:
    """Scan ``root`` and record every photo as read (hash + a vector): name -> photo id."""
    stored = library.root_by_path(str(root.resolve())) or library.add_root(root)
    scan_root(library, stored)
    library.ensure_model(model, 8)
    todo = library.photos_to_embed(model, [stored.id])
    library.record_batch(
        model,
        [PhotoResult(i, unit(i), content_hash=hash_file(p)) for i, p in todo],
    )
    return {Path(p).name: s.id for p, s in library.stored_photos(stored.id).items()}
