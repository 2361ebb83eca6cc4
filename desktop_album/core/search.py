"""Search: text to photos and photo to photos, exact cosine top-k over an in-memory matrix.

The matrix holds every stored vector of the active model; a mask hides photos that are not
searchable (errors, missing, changed and waiting for a new vector). The engine catches up with the
library incrementally: new vectors by embedding rowid, status changes by the photos' sequence
numbers, and a full reload only after deletions (the library's generation).

The matrix is float16, as the library stores the vectors: half the memory of float32 (1 GB for a
million 512-d photos) and, with NumKong's SIMD kernels, twice as fast to scan as numpy's float32
matrix-vector product (benchmarks/RESULTS.md). The few best candidates are then rescored in
float32, so scores are those of the stored vectors and the query at full precision. Without
NumKong the matrix is float32 and numpy scans it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from typing import Any, TypeVar

import numpy as np
from numpy.typing import NDArray

from desktop_album.core import vector_cache
from desktop_album.core.embedding import ClipModel
from desktop_album.core.filters import browse, filter_parts, matching_ids, photo_dates
from desktop_album.core.imaging import decode_photo, register_formats, to_model_batch
from desktop_album.core.library import Library
from desktop_album.core.ordering import order_hits
from desktop_album.core.query import Filters, Query, combine, parse_query
from desktop_album.core.relevance import (
    MAX_RESULTS,
    MIN_HEADROOM,
    NULL_PROMPTS,
    cut_off,
    random_baseline,
)
from desktop_album.core.tag_query import (
    NO_THINGS,
    UNKNOWN_TAG,
    by_tag_score,
    resolve_tags,
    things_ready,
)
from desktop_album.core.things import Vocabulary, load_vocabulary

try:  # SIMD float16 dot products; optional (numpy float32 otherwise)
    import numkong

    _numkong: Any = numkong
except ImportError:  # pragma: no cover - depends on the platform's wheels
    _numkong = None

# Vectors read per query while loading; float16 straight from the BLOBs when the library can.
# A Library whose load_vectors has no ``limit`` reads everything in one float32 matrix: at 1M
# photos 2.5x slower, with a 4 GB peak and 0.9 GB more resident after (benchmarks/README.md).
_LOAD_CHUNK = 65_536

# Candidates rescored in float32 beyond k: a float16 query moves scores by ~1e-3 at most, far less
# than the gap a result must make up to climb from k + margin to k.
_RESCORE_MARGIN = 16

# A filter keeping fewer than 1/_SUBSET_RATIO of the rows: score only those rows (gathered)
# instead of the whole matrix. Same results, far less memory to stream.
_SUBSET_RATIO = 4


_T = TypeVar("_T")
_R = TypeVar("_R")


@dataclass(frozen=True)
class SearchHit:
    """One result. ``taken_at`` is the photo's date (EXIF, else file time; ``date_source``)."""

    photo_id: int
    path: str
    score: float
    offline: bool = False
    vanished: bool = False  # held back by the vanish guard: gone from disk, not yet confirmed
    taken_at: str | None = None
    date_source: str | None = None


class _RowMap:
    """Photo id to matrix row: a dense array for SQLite's small dense ids, a dict for the rest.

    A dict of a million ints costs ~100 MB and a Python loop to fill; the array costs 8 bytes per
    id and fills in one vectorised assignment.
    """

    _DENSE_LIMIT = 1 << 26  # ids beyond this (64M) go to the dict

    def __init__(self) -> None:
        self._dense = np.full(0, -1, dtype=np.int64)
        self._sparse: dict[int, int] = {}

    def get(self, photo_id: int) -> int | None:
        if 0 <= photo_id < len(self._dense):
            row = int(self._dense[photo_id])
            if row >= 0:
                return row
        return self._sparse.get(photo_id)

    def get_many(self, ids: NDArray[np.int64]) -> NDArray[np.int64]:
        """Rows of ``ids``; -1 where unknown."""
        rows = np.full(len(ids), -1, dtype=np.int64)
        inside = (ids >= 0) & (ids < len(self._dense))
        rows[inside] = self._dense[ids[inside]]
        if self._sparse:
            for i in np.flatnonzero(rows < 0):
                rows[i] = self._sparse.get(int(ids[i]), -1)
        return rows

    def set_many(self, ids: NDArray[np.int64], rows: NDArray[np.int64]) -> None:
        if not len(ids):
            return
        dense = (ids >= 0) & (ids < self._DENSE_LIMIT)
        if dense.any():
            top = int(ids[dense].max())
            if top >= len(self._dense):
                grown = np.full(max(top + 1, 2 * len(self._dense), 1024), -1, dtype=np.int64)
                grown[: len(self._dense)] = self._dense
                self._dense = grown
            self._dense[ids[dense]] = rows[dense]
        for photo_id, row in zip(ids[~dense].tolist(), rows[~dense].tolist(), strict=True):
            self._sparse[photo_id] = row


class VectorIndex:
    """Unit vectors by photo id, searchable by dot product. Not thread-safe: one owner.

    Args:
        dim: vector size.
        capacity: rows to reserve (grows by doubling).
        compact: float16 storage scanned with NumKong; default: whenever NumKong is installed.
    """

    def __init__(self, dim: int, capacity: int = 1024, *, compact: bool | None = None) -> None:
        self.dim = dim
        self.compact = (_numkong is not None) if compact is None else compact
        if self.compact and _numkong is None:
            raise RuntimeError("compact storage needs the numkong package")
        self._dtype = np.dtype(np.float16 if self.compact else np.float32)
        capacity = max(1, capacity)
        self._matrix = np.zeros((capacity, dim), dtype=self._dtype)
        self._ids = np.zeros(capacity, dtype=np.int64)
        self._valid = np.zeros(capacity, dtype=bool)
        self._rows = _RowMap()
        self._size = 0

    def __len__(self) -> int:
        return int(self._valid[: self._size].sum())

    @classmethod
    def adopt(
        cls, ids: NDArray[np.int64], matrix: NDArray[Any], valid: NDArray[np.bool_]
    ) -> VectorIndex:
        """An index over existing arrays (a mapped cache file: no copy until it grows)."""
        index = cls(matrix.shape[1], 1, compact=matrix.dtype == np.float16)
        index._matrix, index._ids, index._valid = matrix, ids, valid
        index._size = len(ids)
        index._rows.set_many(ids, np.arange(len(ids), dtype=np.int64))
        return index

    def arrays(self) -> tuple[NDArray[np.int64], NDArray[Any], NDArray[np.bool_]]:
        """Ids, matrix and flags of the rows in use (views, for saving)."""
        size = self._size
        return self._ids[:size], self._matrix[:size], self._valid[:size]

    @property
    def nbytes(self) -> int:
        """Memory held by the matrix and its bookkeeping, in bytes."""
        return int(self._matrix.nbytes + self._ids.nbytes + self._valid.nbytes)

    def _grow(self, needed: int) -> None:
        capacity = len(self._ids)
        if needed <= capacity:
            return
        while capacity < needed:
            capacity *= 2
        # np.zeros maps fresh pages lazily: the unused tail costs address space, not memory.
        matrix = np.zeros((capacity, self.dim), dtype=self._dtype)
        matrix[: self._size] = self._matrix[: self._size]
        ids = np.zeros(capacity, dtype=np.int64)
        ids[: self._size] = self._ids[: self._size]
        valid = np.zeros(capacity, dtype=bool)
        valid[: self._size] = self._valid[: self._size]
        self._matrix, self._ids, self._valid = matrix, ids, valid

    def put(
        self,
        ids: NDArray[np.int64] | list[int],
        vectors: NDArray[np.float32],
        valid: bool | NDArray[np.bool_] = True,
    ) -> None:
        """Insert or replace vectors; ``valid`` says whether they are searchable now."""
        id_array = np.asarray(ids, dtype=np.int64).reshape(-1)
        count = len(id_array)
        if count == 0:
            return
        matrix = np.asarray(vectors).reshape(count, self.dim)
        flags = np.broadcast_to(np.asarray(valid, dtype=bool), (count,))
        # The same id twice in one call: the last one wins, as if put one at a time.
        _, last_reversed = np.unique(id_array[::-1], return_index=True)
        if len(last_reversed) != count:
            keep = np.sort(count - 1 - last_reversed)
            id_array, matrix, flags = id_array[keep], matrix[keep], flags[keep]
        rows = self._rows.get_many(id_array)
        new = rows < 0
        added = int(new.sum())
        start = self._size
        if added:
            self._grow(start + added)
            rows[new] = np.arange(start, start + added)
            self._rows.set_many(id_array[new], rows[new])
            self._ids[rows[new]] = id_array[new]
            self._size += added
        if added == count:  # all new (loading, indexing): one block copy, no gather
            self._matrix[start : start + count] = matrix
            self._valid[start : start + count] = flags
        else:
            self._matrix[rows] = matrix
            self._valid[rows] = flags

    def set_valid(self, photo_id: int, valid: bool) -> None:
        row = self._rows.get(photo_id)
        if row is not None:
            self._valid[row] = valid

    def vector(self, photo_id: int) -> NDArray[np.float32] | None:
        row = self._rows.get(photo_id)
        return None if row is None else self._matrix[row].astype(np.float32)

    def _scores(self, query: NDArray[np.float32], n: int) -> NDArray[np.float32]:
        """Dot products of the first ``n`` rows with ``query``: a fresh float32 array."""
        if not self.compact:
            return self._matrix[:n] @ query
        assert _numkong is not None
        half = query.astype(np.float16)[None, :]
        scores: Any = _numkong.cdist(half, self._matrix[:n], metric="dot")  # (1, n) float64
        return np.asarray(scores, dtype=np.float32).reshape(n)

    def rows_mask(self, photo_ids: NDArray[np.int64]) -> NDArray[np.bool_]:
        """A mask over the index's rows that keeps these photos (for ``search(mask=...)``)."""
        mask = np.zeros(self._size, dtype=bool)
        rows = self._rows.get_many(np.asarray(photo_ids, dtype=np.int64))
        mask[rows[rows >= 0]] = True
        return mask

    def search(
        self,
        query: NDArray[np.float32],
        k: int,
        exclude: int | None = None,
        mask: NDArray[np.bool_] | None = None,
        stats: list[float] | None = None,
    ) -> list[tuple[int, float]]:
        """The k best (photo id, cosine) pairs, best first.

        Args:
            mask: rows allowed (``rows_mask``), applied to the scores before the top-k; rows
                added after the mask was made are left out.
            stats: when given, receives [count, mean, standard deviation] of the allowed
                scores (for the relevance cut-off).
        """
        n = self._size
        if n == 0 or k <= 0:
            return []
        q = np.ascontiguousarray(query, dtype=np.float32).reshape(self.dim)
        hidden = ~self._valid[:n]
        if mask is not None:
            allowed = np.zeros(n, dtype=bool)
            allowed[: min(n, len(mask))] = mask[:n]
            allowed &= self._valid[:n]
            if exclude is not None and (row := self._rows.get(exclude)) is not None:
                allowed[row] = False
            if np.count_nonzero(allowed) * _SUBSET_RATIO < n:
                return self._search_rows(q, np.flatnonzero(allowed), k, stats)
            hidden = ~allowed
        scores = self._scores(q, n)
        if hidden.any():
            scores[hidden] = -np.inf
        if exclude is not None and (row := self._rows.get(exclude)) is not None:
            scores[row] = -np.inf
        if stats is not None:
            finite = scores[np.isfinite(scores)]
            stats[:] = (
                [len(finite), float(finite.mean()), float(finite.std())]
                if len(finite)
                else [0, 0, 0]
            )
        wanted = min(n, k + _RESCORE_MARGIN if self.compact else k)
        top = np.argpartition(scores, n - wanted)[n - wanted :] if wanted < n else np.arange(n)
        top = top[np.isfinite(scores[top])]
        if self.compact and len(top):
            # Exact scores of the stored vectors against the float32 query.
            scores = np.full(n, -np.inf, dtype=np.float32)
            scores[top] = self._matrix[top].astype(np.float32) @ q
        top = top[np.lexsort((top, -scores[top]))][: min(k, n)]
        return [(int(self._ids[r]), float(scores[r])) for r in top]

    def _search_rows(
        self,
        q: NDArray[np.float32],
        rows: NDArray[np.int64],
        k: int,
        stats: list[float] | None,
    ) -> list[tuple[int, float]]:
        """``search`` over a few rows only (a narrow filter): gather them, then scan."""
        m = len(rows)
        if stats is not None:
            stats[:] = [0, 0, 0]
        if m == 0:
            return []
        sub = self._matrix[rows]
        if self.compact:
            assert _numkong is not None
            raw: Any = _numkong.cdist(q.astype(np.float16)[None, :], sub, metric="dot")
            scores = np.asarray(raw, dtype=np.float32).reshape(m)
        else:
            scores = sub @ q
        if stats is not None:
            stats[:] = [m, float(scores.mean()), float(scores.std())]
        wanted = min(m, k + _RESCORE_MARGIN if self.compact else k)
        top = np.argpartition(scores, m - wanted)[m - wanted :] if wanted < m else np.arange(m)
        exact = sub[top].astype(np.float32) @ q if self.compact else scores[top]
        order = np.lexsort((rows[top], -exact))[:k]
        return [(int(self._ids[rows[top[i]]]), float(exact[i])) for i in order]


class SearchEngine:
    """Searches one library with one model. Owns its reader connection's thread.

    Args:
        vocabulary: what ``#tags`` are resolved against (default: the app's things).
    """

    def __init__(
        self, library: Library, model: ClipModel, vocabulary: Vocabulary | None = None
    ) -> None:
        self.library = library
        self.model = model
        self._vocabulary = vocabulary  # read when a query first has a #tag (cold start)
        self.index = VectorIndex(model.dim)
        self._rowid = 0
        self._seq = 0
        self._generation = -1
        self._data_version = -1
        # Per filter set, while the library and index stay as they are: the row mask and the
        # baseline (a user alternates a few filter sets; each costs a SQL query or a scan).
        self._cache_state: tuple[int, int] = (-1, -1)
        self._masks: dict[Filters, NDArray[np.bool_]] = {}
        self._nulls: dict[Filters, float] = {}
        self._null_vector: NDArray[np.float32] | None = None

    @property
    def vocabulary(self) -> Vocabulary:
        """What ``#tags`` are resolved against."""
        if self._vocabulary is None:
            self._vocabulary = load_vocabulary()
        return self._vocabulary

    def refresh(self) -> None:
        """Catch up with what other connections committed. Cheap when nothing changed."""
        version = self.library.data_version()
        if version == self._data_version:
            return
        with self.library.snapshot():
            self._data_version = version
            generation = self.library.generation()
            rebuilt = False
            if generation != self._generation:
                self._generation = generation
                if self._from_cache(generation) is None:
                    self.index = VectorIndex(self.model.dim)
                    self._rowid = 0
                    self._seq = self.library.max_seq()
                    rebuilt = True
            if not rebuilt:  # statuses changed since the index (or its cache) was made
                changes, self._seq = self.library.status_changes(self._seq)
                for photo_id, status in changes:
                    self.index.set_valid(photo_id, status == "ok")
            before = len(self.index.arrays()[0])
            self._load_new_vectors()
            added = len(self.index.arrays()[0]) - before
            if added >= max(vector_cache.MIN_ROWS, before // 10) and self.index.compact:
                self._save_cache()

    def _from_cache(self, generation: int) -> vector_cache.CachedVectors | None:
        """Start from the vectors saved beside the library (mapped, not read back from rows)."""
        cached = vector_cache.load(
            self.library.path, self.model.model_id, self.model.dim, generation
        )
        if cached is None or (_numkong is None):  # the cache is float16: the compact index's
            return None
        self.index = VectorIndex.adopt(cached.ids, cached.matrix, cached.valid)
        self._rowid, self._seq = cached.rowid, cached.seq
        return cached

    def _save_cache(self) -> None:
        ids, matrix, valid = self.index.arrays()
        vector_cache.save(
            self.library.path,
            self.model.model_id,
            ids,
            matrix,
            valid,
            self._rowid,
            self._seq,
            self._generation,
        )

    def _load_new_vectors(self) -> None:
        """Vectors stored since the last look, a chunk at a time: memory stays bounded."""
        model_id, dim = self.model.model_id, self.model.dim
        while True:
            rows = self.library.load_vectors(
                model_id, dim, self._rowid, limit=_LOAD_CHUNK, dtype=np.float16
            )
            if len(rows.rowids):
                self.index.put(rows.photo_ids, rows.vectors, valid=rows.searchable)
                self._rowid = int(rows.rowids[-1])
            if len(rows.rowids) < _LOAD_CHUNK:
                return

    def add_vectors(
        self, photo_ids: list[int] | NDArray[np.int64], vectors: NDArray[np.float32]
    ) -> None:
        """Vectors the indexer in this process just committed: searchable at once."""
        self.index.put(list(photo_ids), vectors, valid=True)

    def _hits(self, pairs: list[tuple[int, float]]) -> list[SearchHit]:
        info = self.library.photo_info([p for p, _ in pairs])
        hits = []
        for photo_id, score in pairs:
            photo = info.get(photo_id)
            if photo is None or photo.status != "ok":
                continue
            hits.append(
                SearchHit(
                    photo_id, photo.path, score, offline=not photo.online, vanished=photo.vanished
                )
            )
        return hits

    def search_vector(
        self, query: NDArray[np.float32], k: int, exclude: int | None = None
    ) -> list[SearchHit]:
        self.refresh()
        # Over-fetch a little: rows whose status changed since the last refresh are dropped.
        return self._hits(self.index.search(query, k + 8, exclude))[:k]

    def search_text(self, text: str, k: int = 50) -> list[SearchHit]:
        return self.search_vector(self._while_loading(self.model.embed_query, text), k)

    def _while_loading(self, embed: Callable[[_T], _R], arg: _T) -> _R:
        """``embed(arg)``; on the first query, on a helper thread while the vectors load.

        A cold start otherwise pays for creating the tower's session and reading the library
        one after the other; both release the GIL, so they overlap (0.85 s -> 0.45 s at 100k
        photos, benchmarks/RESULTS.md). The library is read on this thread, which owns it.
        """
        if self._data_version != -1:
            return embed(arg)
        with ThreadPoolExecutor(1, thread_name_prefix="embed-query") as pool:
            vector = pool.submit(embed, arg)
            self.refresh()
            return vector.result()

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
        return self.search_vector(self._while_loading(self._embed_file, resolved), k)

    def _embed_file(self, path: Path) -> NDArray[np.float32]:
        register_formats()
        photo = decode_photo(path, self.model.pack.preprocess, thumb_size=64)
        vector: NDArray[np.float32] = self.model.embed_images(to_model_batch([photo.pixels]))[0]
        return vector

    # -- queries: text, examples, negatives, filters, cut-off -------------------------------

    def run(self, query: Query, options: SearchOptions | None = None) -> SearchResult:
        """Answer a ``Query``: filters as a mask inside the index, then ranking and cut-off.

        With no text and no examples the query browses: the photos passing its filters, in date
        order (a timeline). Otherwise the adaptive cut-off (relevance.py) decides how many
        photos are relevant, unless ``options.k`` or ``options.all`` says how many to return.
        """
        options = options or SearchOptions()
        if query.tags or query.filters.things:
            tagged = resolve_tags(query, self.model.model_id, self.vocabulary)
            query = tagged.query
            if tagged.unknown:
                return SearchResult(query, [], UNKNOWN_TAG, 0, None, unknown_tags=tagged.unknown)
        if query.filters.things and not things_ready(self.library.conn, self.model.model_id):
            return SearchResult(query, [], NO_THINGS, 0, None)
        texts = [*query.texts, *query.not_texts]
        # Example files already in the library count as their photo (stored vector, and left
        # out of the results); others are embedded.
        like_ids, unlike_ids = list(query.like_ids), list(query.unlike_ids)
        files: list[tuple[Path, bool]] = []
        for path, is_like in [(f, True) for f in query.like_files] + [
            (f, False) for f in query.unlike_files
        ]:
            resolved = path.expanduser().resolve()
            known = self.library.photo_by_path(resolved)
            if known is not None and known.status == "ok":
                (like_ids if is_like else unlike_ids).append(known.id)
            else:
                files.append((resolved, is_like))
        embedded = self._while_loading(self._embed_parts, (texts, [f for f, _ in files]))
        self.refresh()
        if not query.has_vector():
            return self._browse(query, options)
        text_vectors, file_vectors = embedded
        positives = list(text_vectors[: len(query.texts)])
        negatives = list(text_vectors[len(query.texts) :])
        for vector, (_, is_like) in zip(file_vectors, files, strict=True):
            (positives if is_like else negatives).append(vector)
        excluded: list[int] = []
        for ids, bucket in ((like_ids, positives), (unlike_ids, negatives)):
            for photo_id in ids:
                stored = self.index.vector(photo_id)
                if stored is None:
                    stored = self.library.vector_of(photo_id, self.model.model_id, self.model.dim)
                if stored is not None:
                    bucket.append(stored)
                    excluded.append(photo_id)
        combined = combine(positives, negatives, query.negative_weight)
        if combined is None:
            return SearchResult(query, [], "no_good_match", 0, None)
        mask = self._mask(query.filters, excluded)
        stats: list[float] = []
        if options.all:
            wanted = len(self.index._ids)
        elif options.k is not None:
            wanted = max(0, options.k)
        else:
            wanted = MAX_RESULTS + 1
        adaptive = options.k is None and not options.all
        # The score distribution is only needed for baselines of examples and negatives.
        needs_stats = adaptive and (not query.has_text() or bool(negatives))
        pairs = self.index.search(
            combined, wanted + 8, mask=mask, stats=stats if needs_stats else None
        )
        available = len(self.index) if mask is None else int(np.count_nonzero(mask))
        verdict, cutoff = "matches", None
        if adaptive:
            scores = np.array([score for _, score in pairs], dtype=np.float32)
            baseline = self._baseline(query, positives, negatives, mask, stats, scores)
            cut = cut_off(scores, baseline, options.strictness)
            if not cut.good and not query.has_text() and stats:
                # An example always has neighbours: cut against the allowed photos' mean.
                cut = cut_off(scores, stats[1], options.strictness)
            pairs = pairs[: cut.count]
            verdict = "matches" if cut.good else "no_good_match"
            cutoff = cut.floor
        hits = self._dated(self._hits(pairs))
        if options.k is not None:
            hits = hits[: options.k]
        if not hits:
            verdict = "no_good_match" if available else "empty"
        hits = order_hits(self.library.conn, hits, options.sort)
        return SearchResult(query, hits, verdict, available, cutoff)

    def ask(
        self,
        text: str,
        filters: Filters | None = None,
        options: SearchOptions | None = None,
        today: date | None = None,
        like_ids: Sequence[int] = (),
    ) -> SearchResult:
        """The search bar's entry point: the typed text plus the UI's state, answered.

        Args:
            text: as typed (date words, ``-word``/``말고`` negatives, ``#tags`` included).
            filters: the sidebar folder and filter menu (a typed date intersects theirs).
            options: count, strictness and order.
            today: for relative dates.
            like_ids: example photos (e.g. "more like this" on a selection).

        Returns:
            ``SearchResult``; its ``query`` carries the chips (``date_phrase``, ``not_texts``,
            ``tags``, ``filters``).
        """
        query = parse_query(text, today, filters)
        if like_ids:
            query = replace(query, like_ids=(*query.like_ids, *like_ids))
        return self.run(query, options)

    def _embed_parts(
        self, parts: tuple[list[str], list[Path]]
    ) -> tuple[list[NDArray[np.float32]], list[NDArray[np.float32]]]:
        """Vectors of texts and image files; may run on a helper thread (no library reads)."""
        texts, files = parts
        return [self.model.embed_query(t) for t in texts], [self._embed_file(f) for f in files]

    def _mask(self, filters: Filters, excluded: list[int]) -> NDArray[np.bool_] | None:
        """The rows the filters allow, cached per filter set and library state."""
        mask: NDArray[np.bool_] | None = None
        if not filters.is_empty():
            self._check_caches()
            for part in filter_parts(filters):
                if part not in self._masks:
                    ids = matching_ids(self.library.conn, part, searchable_only=False)
                    _remember(self._masks, part, self.index.rows_mask(ids))
                mask = self._masks[part] if mask is None else mask & self._masks[part]
        if excluded:
            mask = np.ones(self.index._size, dtype=bool) if mask is None else mask.copy()
            mask[:] &= ~self.index.rows_mask(np.asarray(excluded, dtype=np.int64))
        return mask

    def _baseline(
        self,
        query: Query,
        positives: list[NDArray[np.float32]],
        negatives: list[NDArray[np.float32]],
        mask: NDArray[np.bool_] | None,
        stats: list[float],
        scores: NDArray[np.float32],
    ) -> float:
        """The score a match must beat (relevance.py).

        Text queries: the best score of a meaningless query among the allowed photos. With
        negatives, the combined scores are compressed, so the baseline keeps the height it has
        for the positive part alone, relative to the mean and the top: b' = mean' + f (top' -
        mean') with f = (b - mean) / (top - mean) of the positive-only query.
        """
        if not len(scores):
            return 0.0
        if not query.has_text() or not positives:
            return random_baseline(int(stats[0]), stats[1], stats[2]) if stats else 0.0
        null_top = self._null_top(query.filters, mask)
        if not negatives:
            return null_top
        alone: list[float] = []
        positive = combine(positives, [])
        best = (
            self.index.search(positive, 1, mask=mask, stats=alone) if positive is not None else []
        )
        if not best or best[0][1] - null_top < MIN_HEADROOM:
            return float(scores[0]) + 1.0  # the positive part alone matches nothing
        top, mean = best[0][1], alone[1]
        fraction = (null_top - mean) / max(top - mean, 1e-6)
        return stats[1] + fraction * (float(scores[0]) - stats[1])

    def _null_top(self, filters: Filters, mask: NDArray[np.bool_] | None) -> float:
        """The best score a meaningless query gets among the allowed photos."""
        self._check_caches()
        if filters in self._nulls:
            return self._nulls[filters]
        if self._null_vector is None:
            self._null_vector = combine([self.model.embed_query(p) for p in NULL_PROMPTS], [])
        assert self._null_vector is not None
        best = self.index.search(self._null_vector, 1, mask=mask)
        top = best[0][1] if best else 0.0
        _remember(self._nulls, filters, top)
        return top

    def _check_caches(self) -> None:
        state = (self._data_version, self.index._size)
        if state != self._cache_state:
            self._masks.clear()
            self._nulls.clear()
            self._cache_state = state

    def _dated(self, hits: list[SearchHit]) -> list[SearchHit]:
        dates = photo_dates(self.library.conn, [h.photo_id for h in hits])
        return [
            replace(
                h,
                taken_at=dates.get(h.photo_id, (None, None))[0],
                date_source=dates.get(h.photo_id, (None, None))[1],
            )
            for h in hits
        ]

    def _browse(self, query: Query, options: SearchOptions) -> SearchResult:
        limit = None if options.all else options.k
        filters = query.filters
        if filters.things and options.sort == "relevance" and filters.things_model:
            # A thing alone: its clearest photos first (the tag's score is its relevance).
            ids = browse(self.library.conn, filters)
            ids = by_tag_score(self.library.conn, ids, filters.things_model, filters.things[0])
            ids = ids if limit is None else ids[:limit]
        else:
            ids = browse(self.library.conn, filters, limit=limit, order=options.sort)
        info = self.library.photo_info(ids)
        hits = [
            SearchHit(i, info[i].path, 0.0, offline=not info[i].online) for i in ids if i in info
        ]
        hits = self._dated(hits)
        verdict = "browse" if hits else "empty"
        return SearchResult(query, hits, verdict, len(hits), None)


@dataclass(frozen=True)
class SearchOptions:
    """How to answer a query.

    Attributes:
        k: return exactly the k best (no cut-off); None: the adaptive cut-off decides.
        all: return every allowed photo, ranked (no cut-off).
        strictness: "looser", "normal" or "stricter" (relevance.py).
        sort: "relevance", "date" (newest first), "oldest", "name", "modified" (newest
            first) or "folder" (core/ordering.py; hits keep the cut-off, only their order).
    """

    k: int | None = None
    all: bool = False
    strictness: str = "normal"
    sort: str = "relevance"


@dataclass(frozen=True)
class SearchResult:
    """What a query found.

    Attributes:
        query: the parsed query (its date_phrase, filters and negatives are the window's chips).
        hits: the results, in the order asked for.
        verdict: "matches"; "no_good_match" (hits are the closest few, to show under that
            label); "browse" (no text or example: the filtered photos by date, or a thing's
            clearest first); "empty" (no photo passes the filters); "unknown_tag" (a typed
            ``#tag`` names no thing: ``unknown_tags``); "no_things" (the model's photos are not
            sorted into things yet).
        available: photos that passed the filters.
        cutoff: the floor the adaptive cut-off used (None with ``k``/``all``, or browsing).
        unknown_tags: the typed tags that name no thing, as typed.
    """

    query: Query
    hits: list[SearchHit]
    verdict: str
    available: int
    cutoff: float | None
    unknown_tags: tuple[str, ...] = ()


def _remember(cache: dict[Filters, _R], key: Filters, value: _R, size: int = 16) -> None:
    if len(cache) >= size:
        cache.pop(next(iter(cache)))
    cache[key] = value
