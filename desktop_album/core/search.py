"""Search: text to photos and photo to photos, exact cosine top-k over an in-memory matrix.

The matrix holds every stored vector of the active model; a mask hides photos that are not
searchable (errors, missing, changed and waiting for a new vector). The engine catches up with the
library incrementally: new vectors by embedding rowid, status changes by the photos' sequence
numbers, and a full reload only after deletions (the library's generation).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
from numpy.typing import NDArray

from desktop_album.core.embedding import ClipModel
from desktop_album.core.imaging import decode_photo, register_formats, to_model_batch
from desktop_album.core.library import Library


@dataclass(frozen=True)
class SearchHit:
    photo_id: int
    path: str
    score: float
    offline: bool = False


class VectorIndex:
    """Unit vectors by photo id, searchable by dot product. Not thread-safe: one owner."""

    def __init__(self, dim: int, capacity: int = 1024) -> None:
        self.dim = dim
        self._matrix = np.zeros((capacity, dim), dtype=np.float32)
        self._ids = np.zeros(capacity, dtype=np.int64)
        self._valid = np.zeros(capacity, dtype=bool)
        self._row_of: dict[int, int] = {}
        self._size = 0

    def __len__(self) -> int:
        return int(self._valid[: self._size].sum())

    def _grow(self, needed: int) -> None:
        capacity = len(self._ids)
        if needed <= capacity:
            return
        while capacity < needed:
            capacity *= 2
        matrix = np.zeros((capacity, self.dim), dtype=np.float32)
        matrix[: self._size] = self._matrix[: self._size]
        ids = np.zeros(capacity, dtype=np.int64)
        ids[: self._size] = self._ids[: self._size]
        valid = np.zeros(capacity, dtype=bool)
        valid[: self._size] = self._valid[: self._size]
        self._matrix, self._ids, self._valid = matrix, ids, valid

    def put(self, ids: NDArray[np.int64] | list[int], vectors: NDArray[np.float32], valid: bool | NDArray[np.bool_] = True) -> None:
        """Insert or replace vectors; ``valid`` says whether they are searchable now."""
        ids_list = [int(i) for i in ids]
        flags = np.broadcast_to(np.asarray(valid, dtype=bool), (len(ids_list),))
        self._grow(self._size + len(ids_list))
        for photo_id, vector, flag in zip(ids_list, vectors, flags, strict=True):
            row = self._row_of.get(photo_id)
            if row is None:
                row = self._size
                self._size += 1
                self._row_of[photo_id] = row
                self._ids[row] = photo_id
            self._matrix[row] = vector
            self._valid[row] = flag

    def set_valid(self, photo_id: int, valid: bool) -> None:
        row = self._row_of.get(photo_id)
        if row is not None:
            self._valid[row] = valid

    def vector(self, photo_id: int) -> NDArray[np.float32] | None:
        row = self._row_of.get(photo_id)
        return None if row is None else self._matrix[row].copy()

    def search(self, query: NDArray[np.float32], k: int, exclude: int | None = None) -> list[tuple[int, float]]:
        """The k best (photo id, cosine) pairs, best first."""
        n = self._size
        if n == 0 or k <= 0:
            return []
        scores = self._matrix[:n] @ query.astype(np.float32, copy=False)
        scores[~self._valid[:n]] = -np.inf
        if exclude is not None and exclude in self._row_of:
            scores[self._row_of[exclude]] = -np.inf
        k = min(k, n)
        top = np.argpartition(-scores, k - 1)[:k] if k < n else np.arange(n)
        top = top[np.argsort(-scores[top], kind="stable")]
        return [(int(self._ids[r]), float(scores[r])) for r in top if np.isfinite(scores[r])]


class SearchEngine:
    """Searches one library with one model. Owns its reader connection's thread."""

    def __init__(self, library: Library, model: ClipModel) -> None:
        self.library = library
        self.model = model
        self.index = VectorIndex(model.dim)
        self._rowid = 0
        self._seq = 0
        self._generation = -1
        self._data_version = -1

    def refresh(self) -> None:
        """Catch up with what other connections committed. Cheap when nothing changed."""
        version = self.library.data_version()
        if version == self._data_version:
            return
        with self.library.snapshot():
            self._data_version = version
            generation = self.library.generation()
            if generation != self._generation:
                self.index = VectorIndex(self.model.dim)
                self._rowid = 0
                self._seq = self.library.max_seq()
                self._generation = generation
            else:
                changes, self._seq = self.library.status_changes(self._seq)
                for photo_id, status in changes:
                    self.index.set_valid(photo_id, status == "ok")
            rows = self.library.load_vectors(self.model.model_id, self.model.dim, self._rowid)
            if len(rows.rowids):
                self.index.put(rows.photo_ids, rows.vectors, valid=rows.searchable)
                self._rowid = int(rows.rowids[-1])

    def add_vectors(self, photo_ids: list[int] | NDArray[np.int64], vectors: NDArray[np.float32]) -> None:
        """Vectors the indexer in this process just committed: searchable at once."""
        self.index.put(list(photo_ids), vectors, valid=True)

    def _hits(self, pairs: list[tuple[int, float]]) -> list[SearchHit]:
        info = self.library.photo_info([p for p, _ in pairs])
        hits = []
        for photo_id, score in pairs:
            photo = info.get(photo_id)
            if photo is None or photo.status != "ok":
                continue
            hits.append(SearchHit(photo_id, photo.path, score, offline=not photo.online))
        return hits

    def search_vector(self, query: NDArray[np.float32], k: int, exclude: int | None = None) -> list[SearchHit]:
        self.refresh()
        # Over-fetch a little: rows whose status changed since the last refresh are dropped.
        return self._hits(self.index.search(query, k + 8, exclude))[:k]

    def search_text(self, text: str, k: int = 50) -> list[SearchHit]:
        return self.search_vector(self.model.embed_query(text), k)

    def similar_to_photo(self, photo_id: int, k: int = 50) -> list[SearchHit]:
        self.refresh()
        vector = self.index.vector(photo_id)
        if vector is None:
            vector = self.library.vector_of(photo_id, self.model.model_id, self.model.dim)
        if vector is None:
            return []
        return self.search_vector(vector, k, exclude=photo_id)

    def similar_to_file(self, path: Path, k: int = 50) -> list[SearchHit]:
        """Photos like an image file: its stored vector if it is in the library, else embed it."""
        resolved = path.expanduser().resolve()
        known = self.library.photo_by_path(resolved)
        if known is not None and known.status == "ok":
            stored = self.library.vector_of(known.id, self.model.model_id, self.model.dim)
            if stored is not None:
                return self.search_vector(stored, k, exclude=known.id)
        register_formats()
        photo = decode_photo(resolved, self.model.pack.preprocess, thumb_size=64)
        vector = self.model.embed_images(to_model_batch([photo.pixels]))[0]
        return self.search_vector(vector, k)
