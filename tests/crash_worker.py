"""Helpers for the live-library tests, and the indexing child process the crash test kills.

As a script: ``python -m tests.crash_worker LIBRARY FOLDER PACK BATCH_SIZE`` indexes FOLDER into
LIBRARY and reports on stdout, one line each, flushed at once so a parent reading the pipe knows
how far it got when it kills us:

    ready                      the library is open; indexing starts now
    embedded <n>               n photos just went through the model (not committed yet)
    committed <id> <id> ...    the photos of a batch whose transaction has committed
    done <indexed>             finished: photos embedded by this run
"""

from __future__ import annotations

import os
import sys
import threading
from collections.abc import Sequence
from pathlib import Path

import numpy as np
from numpy.typing import NDArray
from PIL import Image

from desktop_album.core.embedding import ClipModel
from desktop_album.core.indexing import Indexer
from desktop_album.core.library import Library
from desktop_album.core.packs import load_pack

TINY_PACK = Path(__file__).parent / "fixtures" / "tiny-pack"


def find_pack(scratch: Path) -> Path:
    """The pack named by $DESKTOP_ALBUM_TEST_PACK, else the committed tiny pack when it is
    there, else a minimal one built into ``scratch``."""
    chosen = os.environ.get("DESKTOP_ALBUM_TEST_PACK")
    if chosen:
        return Path(chosen)
    if (TINY_PACK / "config.json").is_file():
        return TINY_PACK
    from tests.packs import make_minimal_pack

    folder = scratch / "minimal-pack"
    if not (folder / "config.json").is_file():
        make_minimal_pack(folder, dim=16, size=16)
    return folder


def make_photos(
    folder: Path, count: int, seed: int = 0, prefix: str = "img", size: int = 48
) -> list[Path]:
    """``count`` small photos, each with distinct content (copies would share a vector and
    skew the counts of embedded photos). Mostly JPEG, every fifth a PNG."""
    folder.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(seed)
    paths = []
    for index in range(count):
        pixels = rng.integers(0, 256, (size, size, 3), dtype=np.uint8)
        png = index % 5 == 4
        path = folder / f"{prefix}_{seed}_{index:04d}.{'png' if png else 'jpg'}"
        Image.fromarray(pixels).save(path, format="PNG" if png else "JPEG", quality=85)
        paths.append(path)
    return paths


class CountingModel(ClipModel):
    """The real model, counting what goes through the image tower (thread-safe)."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self._count_lock = threading.Lock()
        self.embed_calls = 0
        self.embedded = 0

    def embed_images(self, batch: NDArray[np.float32]) -> NDArray[np.float32]:
        vectors = super().embed_images(batch)
        with self._count_lock:
            self.embed_calls += 1
            self.embedded += len(batch)
        return vectors


def counting_model(pack: Path, threads: int = 1) -> CountingModel:
    return CountingModel(load_pack(pack), provider="cpu", threads=threads)


def _say(text: str) -> None:
    sys.stdout.write(text + "\n")
    sys.stdout.flush()


def main(argv: Sequence[str]) -> int:
    library_path, folder, pack, batch_size = argv[0], argv[1], argv[2], int(argv[3])
    model = counting_model(Path(pack))
    with Library(library_path) as library:
        root = library.add_root(folder)
        original = model.embed_images

        def embed_and_say(batch: NDArray[np.float32]) -> NDArray[np.float32]:
            vectors = original(batch)
            _say(f"embedded {len(batch)}")
            return vectors

        model.embed_images = embed_and_say  # type: ignore[method-assign]

        def committed(ids: Sequence[int], vectors: np.ndarray) -> None:
            _say("committed " + " ".join(str(i) for i in ids))

        indexer = Indexer(
            library, model, None, batch_size=batch_size, decode_threads=1, on_batch=committed
        )
        _say("ready")
        summary = indexer.run([root.id])
        _say(f"done {summary.indexed}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
