"""The vector index at scale: compact float16 storage, vectorised puts, the id map, the engine.

Speed is measured by ``python -m benchmarks.run``, never asserted here; these tests pin what the
fast paths must not change: the same results as an exact float32 scan of the stored vectors.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pytest

from desktop_album.core import search as search_module
from desktop_album.core.library import Library, PhotoResult
from desktop_album.core.search import SearchEngine, VectorIndex

needs_numkong = pytest.mark.skipif(search_module._numkong is None, reason="numkong not installed")


def unit_rows(n: int, dim: int, seed: int = 0, clusters: int = 0) -> np.ndarray:
    rng = np.random.default_rng(seed)
    m = rng.standard_normal((n, dim)).astype(np.float32)
    if clusters:  # near neighbours with small score gaps: the hard case for float16
        centres = rng.standard_normal((clusters, dim)).astype(np.float32)
        m = centres[rng.integers(0, clusters, n)] + 0.3 * m
    return m / np.linalg.norm(m, axis=1, keepdims=True)


def stored(vectors: np.ndarray) -> np.ndarray:
    """The vectors as the library stores them: rounded to float16."""
    return vectors.astype(np.float16).astype(np.float32)


def exact_top(rounded: np.ndarray, query: np.ndarray, k: int, ids: np.ndarray) -> list[int]:
    """Ground truth: float32 scores of the stored vectors, ties by insertion order."""
    scores = rounded @ query.astype(np.float32)
    return [int(ids[i]) for i in np.lexsort((np.arange(len(ids)), -scores))[:k]]


@needs_numkong
def test_compact_index_is_the_default_and_half_the_size() -> None:
    compact, wide = VectorIndex(512, capacity=1000), VectorIndex(512, capacity=1000, compact=False)
    assert compact.compact and not wide.compact
    assert compact._matrix.nbytes * 2 == wide._matrix.nbytes


@needs_numkong
@pytest.mark.parametrize("clusters", [0, 50])
def test_compact_top_k_equals_an_exact_scan(clusters: int) -> None:
    vectors = unit_rows(20_000, 64, seed=1, clusters=clusters)
    ids = np.arange(5, 20_005, dtype=np.int64)
    index = VectorIndex(64)
    index.put(ids, vectors)
    rng = np.random.default_rng(2)
    rounded = stored(vectors)
    for q in [*vectors[rng.choice(len(vectors), 20)], *unit_rows(20, 64, seed=3)]:
        got = index.search(q, 10)
        assert [photo_id for photo_id, _ in got] == exact_top(rounded, q, 10, ids)
        expected = rounded[[photo_id - 5 for photo_id, _ in got]] @ q
        np.testing.assert_allclose([score for _, score in got], expected, rtol=0, atol=1e-6)


@pytest.mark.parametrize("compact", [False, pytest.param(True, marks=needs_numkong)])
def test_batch_put_matches_one_at_a_time(compact: bool) -> None:
    vectors = unit_rows(300, 16, seed=4)
    ids = np.random.default_rng(5).permutation(np.arange(1, 301)) * 3
    batch, single = VectorIndex(16, capacity=8, compact=compact), VectorIndex(16, compact=compact)
    batch.put(ids[:200], vectors[:200], valid=np.arange(200) % 7 != 0)
    # Replacements, new ids and a duplicate inside one call (the last one wins).
    batch.put(
        np.concatenate([ids[150:300], ids[:1]]), np.concatenate([vectors[:150], vectors[299:]])
    )
    for i in range(200):
        single.put([ids[i]], vectors[i : i + 1], valid=i % 7 != 0)
    for j, photo_id in enumerate(ids[150:300]):
        single.put([photo_id], vectors[j : j + 1])
    single.put([ids[0]], vectors[299:])
    assert len(batch) == len(single) == 300 - 21  # ids[1:150:7] stay hidden
    for photo_id in ids:
        np.testing.assert_array_equal(batch.vector(int(photo_id)), single.vector(int(photo_id)))
    query = vectors[10]
    assert batch.search(query, 25) == single.search(query, 25)


def test_ids_outside_the_dense_map_still_work(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(search_module._RowMap, "_DENSE_LIMIT", 1000)
    index = VectorIndex(4)
    odd = np.array([-7, 5, 999, 1000, 10**12], dtype=np.int64)
    index.put(odd, np.eye(4, dtype=np.float32)[[0, 1, 2, 3, 0]])
    index.put([10**12], np.array([[0, 0, 0, 1]], dtype=np.float32))  # replaced, not added
    assert len(index) == 5
    index.set_valid(-7, False)
    # Equal scores come back in insertion order.
    assert [p for p, _ in index.search(np.array([0, 0, 0, 1], np.float32), 2)] == [1000, 10**12]
    assert index.search(np.array([0, 1, 0, 0], np.float32), 1) == [(5, 1.0)]
    assert -7 not in [p for p, _ in index.search(np.array([1, 0, 0, 0], np.float32), 5)]
    assert index.vector(10**12) is not None and index.vector(12345) is None


def test_float32_fallback_without_numkong(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(search_module, "_numkong", None)
    index = VectorIndex(8)
    assert not index.compact
    with pytest.raises(RuntimeError):
        VectorIndex(8, compact=True)
    vectors = unit_rows(100, 8)
    index.put(list(range(100)), vectors)
    assert index.search(vectors[3], 1)[0][0] == 3


def test_hidden_rows_never_fill_the_top_k() -> None:
    vectors = unit_rows(1000, 16, seed=6)
    index = VectorIndex(16)
    index.put(np.arange(1000), vectors, valid=np.arange(1000) % 2 == 0)
    hits = index.search(vectors[1], 600, exclude=0)
    assert len(hits) == 499
    assert all(p % 2 == 0 and p != 0 for p, _ in hits)


@dataclass
class _Model:
    """What ``SearchEngine`` needs of a model for vector queries."""

    model_id: str = "synthetic"
    dim: int = 32


def _library_with_vectors(path: Path, vectors: np.ndarray) -> tuple[Library, list[int]]:
    library = Library(path)
    root = library.add_root(path.parent / "photos")
    library.add_pending(root.id, ((f"{root.path}/{i:05d}.jpg", 1, 1) for i in range(len(vectors))))
    library.ensure_model("synthetic", vectors.shape[1])
    ids = [int(r[0]) for r in library.conn.execute("SELECT id FROM photos ORDER BY id")]
    library.record_batch(
        "synthetic",
        [
            PhotoResult(photo_id, vector=v, content_hash=f"{i:064x}")
            for i, (photo_id, v) in enumerate(zip(ids, vectors, strict=True))
        ],
    )
    return library, ids


def test_engine_over_a_library_matches_an_exact_scan(tmp_path: Path) -> None:
    vectors = unit_rows(3000, 32, seed=7, clusters=30)
    library, ids = _library_with_vectors(tmp_path / "library.db", vectors)
    with library:
        engine = SearchEngine(library, _Model())  # type: ignore[arg-type]
        id_array, rounded = np.asarray(ids), stored(vectors)
        for row in (0, 17, 2999):
            hits = engine.similar_to_photo(ids[row], 10)
            want = [p for p in exact_top(rounded, vectors[row], 11, id_array) if p != ids[row]]
            assert [h.photo_id for h in hits] == want[:10]
        # A photo marked missing leaves the results at the next query, without a reload.
        top = engine.search_vector(vectors[5], 1)[0].photo_id
        library.mark_missing([top])
        assert top not in [h.photo_id for h in engine.search_vector(vectors[5], 10)]


@dataclass
class _TextModel(_Model):
    """Embeds any text as one fixed vector, remembering the thread it ran on."""

    vector: np.ndarray | None = None
    threads: list[str] | None = None

    def embed_query(self, text: str) -> np.ndarray:
        import threading

        assert self.threads is not None and self.vector is not None
        self.threads.append(threading.current_thread().name)
        return self.vector


def test_first_text_query_embeds_while_the_vectors_load(tmp_path: Path) -> None:
    vectors = unit_rows(500, 32, seed=8)
    library, ids = _library_with_vectors(tmp_path / "library.db", vectors)
    model = _TextModel(vector=vectors[9], threads=[])
    with library:
        engine = SearchEngine(library, model)  # type: ignore[arg-type]
        cold = engine.search_text("anything", 5)
        warm = engine.search_text("anything", 5)
    assert [h.photo_id for h in cold] == [h.photo_id for h in warm]
    assert cold[0].photo_id == ids[9]
    assert model.threads[0].startswith("embed-query")  # overlapped with the load
    assert model.threads[1] == "MainThread"


def test_vectors_load_in_chunks(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    vectors = unit_rows(100, 32, seed=9)
    library, ids = _library_with_vectors(tmp_path / "library.db", vectors)
    full = Library.load_vectors
    calls: list[int] = []

    def load_vectors(self: Library, model_id: str, dim: int, after_rowid: int = 0, **kw: object):
        """The real loader, recording where each chunk starts."""
        calls.append(after_rowid)
        return full(self, model_id, dim, after_rowid, **kw)  # type: ignore[arg-type]

    monkeypatch.setattr(search_module, "_LOAD_CHUNK", 30)
    monkeypatch.setattr(Library, "load_vectors", load_vectors)
    with library:
        engine = SearchEngine(library, _Model())  # type: ignore[arg-type]
        hits = engine.similar_to_photo(ids[42], 3)
        assert len(engine.index) == 100 and len(calls) == 4  # 30 + 30 + 30 + 10
        assert [h.photo_id for h in hits] == [
            p for p in exact_top(stored(vectors), vectors[42], 4, np.asarray(ids)) if p != ids[42]
        ][:3]
