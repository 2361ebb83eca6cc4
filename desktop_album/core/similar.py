"""Photos like several examples at once ("Find similar" on a selection).

The examples' vectors are averaged (each unit length first, so every example weighs the same)
and the mean, normalised, is searched like one photo's; the examples themselves are left out.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from desktop_album.core.search import SearchEngine, SearchHit


def similar_to_photos(
    engine: SearchEngine, photo_ids: Sequence[int], k: int = 50
) -> list[SearchHit]:
    """Photos most like all of ``photo_ids`` together; [] when none of them has a vector."""
    ids = list(dict.fromkeys(photo_ids))
    if len(ids) == 1:
        return engine.similar_to_photo(ids[0], k)
    engine.refresh()
    vectors = []
    for photo_id in ids:
        vector = engine.index.vector(photo_id)
        if vector is None:
            vector = engine.library.vector_of(photo_id, engine.model.model_id, engine.model.dim)
        if vector is not None:
            vector = np.asarray(vector, dtype=np.float32)
            vectors.append(vector / (np.linalg.norm(vector) or 1.0))
    if not vectors:
        return []
    mean = np.mean(vectors, axis=0).astype(np.float32)
    mean /= np.linalg.norm(mean) or 1.0
    examples = set(ids)
    hits = engine.search_vector(mean, k + len(examples))
    return [h for h in hits if h.photo_id not in examples][:k]
