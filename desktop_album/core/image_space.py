"""Image spaces: which packs make the same image vectors, so they can share them.

Two packs whose image towers are byte-identical (``visual/model.onnx``) and that prepare pixels
the same way (``visual/preprocess_cfg.json``'s size, mean, std, interpolation, resize mode) give
every photo the same vector; only their text towers differ. XLM-Roberta-Large-Vit-B-32 is OpenAI's
ViT-B/32 image tower with a multilingual text tower, for example. Stored image vectors are keyed by
this space id instead of the pack name, so switching between such packs embeds no photo again.

Hashing a 350 MB image tower takes about half a second, so the digest is remembered per
(path, size, mtime) of the file: in memory, and in ``image_spaces.json`` in the app's cache
folder (not in the pack: packs may sit on read-only media, and copies of a pack must not carry a
stale record). Without a writable cache the tower is hashed once per process.
"""

from __future__ import annotations

import hashlib
import json
import os
import threading
from pathlib import Path
from typing import TYPE_CHECKING, Any

from desktop_album.core.paths import AppPaths

if TYPE_CHECKING:
    from desktop_album.core.library import Library
    from desktop_album.core.packs import ModelPack, PreprocessConfig

SPACE_PREFIX = "space-"
CACHE_FILE = "image_spaces.json"
_CACHE_ENTRIES = 64  # packs remembered; the oldest records go first
_CHUNK = 1 << 20

_memo: dict[tuple[str, int, int], str] = {}
_memo_lock = threading.Lock()


def _file_digest(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def _cache_file() -> Path:
    return AppPaths.default().cache / CACHE_FILE


def _read_cache(cache: Path) -> dict[str, Any]:
    try:
        data = json.loads(cache.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def _remember(cache: Path, key: str, record: dict[str, Any]) -> None:
    saved = _read_cache(cache)
    saved.pop(key, None)
    saved[key] = record
    kept = dict(list(saved.items())[-_CACHE_ENTRIES:])
    try:
        cache.parent.mkdir(parents=True, exist_ok=True)
        partial = cache.with_name(f"{cache.name}.{os.getpid()}.tmp")
        partial.write_text(json.dumps(kept), encoding="utf-8")
        partial.replace(cache)
    except OSError:
        pass  # no writable cache folder: hash again in the next process


def visual_digest(pack_path: Path) -> str:
    """sha256 of ``visual/model.onnx``, remembered per (path, size, mtime_ns)."""
    model = (pack_path / "visual" / "model.onnx").resolve()
    stat = model.stat()
    key = (str(model), stat.st_size, stat.st_mtime_ns)
    with _memo_lock:
        known = _memo.get(key)
    if known is not None:
        return known
    cache = _cache_file()
    saved = _read_cache(cache).get(str(model))
    if (
        isinstance(saved, dict)
        and saved.get("size") == stat.st_size
        and saved.get("mtime_ns") == stat.st_mtime_ns
        and isinstance(saved.get("sha256"), str)
    ):
        digest = str(saved["sha256"])
    else:
        digest = _file_digest(model)
        record = {"size": stat.st_size, "mtime_ns": stat.st_mtime_ns, "sha256": digest}
        _remember(cache, str(model), record)
    with _memo_lock:
        _memo[key] = digest
    return digest


def space_id(pack_path: Path, preprocess: PreprocessConfig, embed_dim: int) -> str:
    """``space-`` and 16 hex digits naming the image tower's bytes and its preprocessing."""
    identity = {
        "visual_sha256": visual_digest(pack_path),
        "size": preprocess.size,
        "mean": list(preprocess.mean),
        "std": list(preprocess.std),
        "interpolation": preprocess.interpolation,
        "resize_mode": preprocess.resize_mode,
        "embed_dim": embed_dim,
    }
    text = json.dumps(identity, sort_keys=True)
    return SPACE_PREFIX + hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def adopt_legacy_vectors(library: Library, pack: ModelPack) -> int:
    """Move vectors a library stored under ``pack``'s name (before image spaces) to its space.

    Cheap when there is nothing to move (one SELECT). Returns how many vectors moved.
    """
    return library.adopt_model_vectors(pack.name, pack.model_id)
