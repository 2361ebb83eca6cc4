"""Exact top-k over the in-memory matrix."""

from __future__ import annotations

import numpy as np

from desktop_album.core.search import VectorIndex


def unit_rows(n: int, dim: int, seed: int = 0) -> np.ndarray:
    m = np.random.default_rng(seed).standard_normal((n, dim)).astype(np.float32)
    return m / np.linalg.norm(m, axis=1, keepdims=True)


def test_top_k_matches_a_full_sort() -> None:
    vectors = unit_rows(5000, 32)
    index = VectorIndex(32, capacity=16)  # grows many times on the way
    index.put(list(range(100, 5100)), vectors)
    query = vectors[42]
    expected = (np.argsort(-(vectors @ query))[:10] + 100).tolist()
    got = [photo_id for photo_id, _ in index.search(query, 10)]
    assert got == expected
    assert got[0] == 142


def test_hidden_and_excluded_rows_never_come_back() -> None:
    vectors = unit_rows(50, 8)
    index = VectorIndex(8)
    index.put(list(range(50)), vectors)
    index.set_valid(7, False)
    hits = index.search(vectors[7], 50, exclude=3)
    ids = [i for i, _ in hits]
    assert 7 not in ids and 3 not in ids
    assert len(ids) == 48
    assert len(index) == 49


def test_replacing_a_vector_keeps_one_row() -> None:
    index = VectorIndex(4)
    index.put([1], np.array([[1, 0, 0, 0]], dtype=np.float32))
    index.put([1], np.array([[0, 1, 0, 0]], dtype=np.float32))
    assert len(index) == 1
    assert index.search(np.array([0, 1, 0, 0], dtype=np.float32), 5) == [(1, 1.0)]


def test_empty_index_finds_nothing() -> None:
    assert VectorIndex(4).search(np.ones(4, dtype=np.float32), 5) == []
