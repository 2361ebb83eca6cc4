"""A filter is a mask inside the index: the top-k of the allowed rows, whatever their share."""

from __future__ import annotations

import numpy as np
import pytest

from desktop_album.core.search import VectorIndex, _numkong


@pytest.mark.parametrize("compact", [False, True] if _numkong is not None else [False])
@pytest.mark.parametrize("share", [0.01, 0.1, 0.5, 1.0])
def test_masked_search_returns_the_best_allowed_rows(compact: bool, share: float) -> None:
    rng = np.random.default_rng(4)
    vectors = rng.standard_normal((5000, 32)).astype(np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    ids = np.arange(10, 5010, dtype=np.int64)
    index = VectorIndex(32, compact=compact)
    index.put(ids, vectors)
    index.set_valid(int(ids[0]), False)
    allowed_ids = ids[rng.random(len(ids)) < share]
    mask = index.rows_mask(allowed_ids)
    query = vectors[7] + 0.1 * rng.standard_normal(32).astype(np.float32)
    query /= np.linalg.norm(query)
    stats: list[float] = []
    got = index.search(query, 10, mask=mask, stats=stats)
    keep = np.isin(ids, allowed_ids) & (ids != ids[0])
    exact = vectors[keep] @ query
    want = ids[keep][np.argsort(-exact)[:10]]
    assert [p for p, _ in got] == want.tolist()
    assert stats[0] == keep.sum()
    assert all(abs(s - float(vectors[p - 10] @ query)) < 3e-3 for p, s in got)  # float16 storage
