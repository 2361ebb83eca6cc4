"""Find similar with several examples: their mean is searched, the examples left out."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

from desktop_album.core.library import Library, PhotoResult
from desktop_album.core.search import SearchEngine
from desktop_album.core.similar import similar_to_photos


@dataclass
class _Model:
    model_id: str = "synthetic"
    dim: int = 16


def _cluster(centre: np.ndarray, count: int, rng: np.random.Generator) -> np.ndarray:
    rows = centre + 0.05 * rng.standard_normal((count, centre.size))
    return (rows / np.linalg.norm(rows, axis=1, keepdims=True)).astype(np.float32)


def test_examples_together_find_their_kind(tmp_path: Path) -> None:
    rng = np.random.default_rng(3)
    a, b = np.eye(16)[0], np.eye(16)[1]
    vectors = np.vstack([_cluster(a, 6, rng), _cluster(b, 6, rng)])
    with Library(tmp_path / "lib.db") as library:
        root = library.add_root(tmp_path / "photos")
        library.add_pending(root.id, ((f"{root.path}/{i:02d}.jpg", 1, 1) for i in range(12)))
        library.ensure_model("synthetic", 16)
        ids = [int(r[0]) for r in library.conn.execute("SELECT id FROM photos ORDER BY id")]
        library.record_batch(
            "synthetic",
            [
                PhotoResult(i, vector=v, content_hash=f"{i:064x}")
                for i, v in zip(ids, vectors, strict=True)
            ],
        )
        engine = SearchEngine(library, _Model())  # type: ignore[arg-type]
        both_a = similar_to_photos(engine, [ids[0], ids[1]], k=4)
        assert [h.photo_id for h in both_a] and {h.photo_id for h in both_a} <= set(ids[2:6])
        mixed = similar_to_photos(engine, [ids[0], ids[6]], k=10)
        found = {h.photo_id for h in mixed}
        assert ids[0] not in found and ids[6] not in found
        assert found & set(ids[1:6]) and found & set(ids[7:12])
        assert similar_to_photos(engine, [999_999], k=3) == []
        single = similar_to_photos(engine, [ids[0]], k=3)
        assert [h.photo_id for h in single] == [
            h.photo_id for h in engine.similar_to_photo(ids[0], 3)
        ]
