"""The on-disk thumbnail cache: keys, atomic writes, least-recently-used pruning."""

from __future__ import annotations

import hashlib
import os
import threading
import time
from pathlib import Path

import pytest

from desktop_album.core.thumbnails import ThumbnailCache

HASH = hashlib.sha256(b"a photo").hexdigest()


def all_files(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.rglob("*") if p.is_file())


def test_key_names_content_and_size() -> None:
    assert ThumbnailCache.key(HASH, 256) == f"{HASH}-256"
    assert ThumbnailCache.key(HASH, 256) != ThumbnailCache.key(HASH, 128)
    assert ThumbnailCache.key(HASH.upper(), 256) == ThumbnailCache.key(HASH, 256)
    for bad in ("../../etc", "", "a/b"):
        with pytest.raises(ValueError):
            ThumbnailCache.key(bad, 256)
    with pytest.raises(ValueError):
        ThumbnailCache.key(HASH, 0)


def test_path_fans_out_on_the_first_two_characters(tmp_path: Path) -> None:
    cache = ThumbnailCache(tmp_path)
    key = ThumbnailCache.key(HASH, 256)
    assert cache.path_for(key) == tmp_path / HASH[:2] / f"{key}.jpg"
    with pytest.raises(ValueError):
        cache.path_for("../escape")


def test_put_then_get(tmp_path: Path) -> None:
    cache = ThumbnailCache(tmp_path / "new" / "folder")
    key = ThumbnailCache.key(HASH, 256)
    assert cache.get(key) is None
    assert not cache.contains(key)

    cache.put(key, b"\xff\xd8jpeg bytes")

    assert cache.contains(key)
    assert cache.get(key) == b"\xff\xd8jpeg bytes"
    cache.put(key, b"\xff\xd8newer")
    assert cache.get(key) == b"\xff\xd8newer"
    assert cache.size_bytes() == len(b"\xff\xd8newer")


def test_put_leaves_no_temporary_files(tmp_path: Path) -> None:
    cache = ThumbnailCache(tmp_path)
    keys = [ThumbnailCache.key(f"{i:02x}" + HASH[2:], 128) for i in range(20)]
    for key in keys:
        cache.put(key, b"x" * 100)
    assert all_files(tmp_path) == sorted(f"{k}.jpg" for k in keys)


def test_failed_put_keeps_the_old_file_and_no_debris(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cache = ThumbnailCache(tmp_path)
    key = ThumbnailCache.key(HASH, 256)
    cache.put(key, b"old")

    def full_disk(src: str, dst: str) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", full_disk)
    with pytest.raises(OSError):
        cache.put(key, b"new")

    assert cache.get(key) == b"old"
    assert all_files(tmp_path) == [f"{key}.jpg"]


def test_empty_file_is_a_miss(tmp_path: Path) -> None:
    cache = ThumbnailCache(tmp_path)
    key = ThumbnailCache.key(HASH, 256)
    cache.path_for(key).parent.mkdir(parents=True)
    cache.path_for(key).write_bytes(b"")
    assert cache.get(key) is None


def test_prune_evicts_least_recently_used_first(tmp_path: Path) -> None:
    cache = ThumbnailCache(tmp_path, max_bytes=3000)
    keys = [ThumbnailCache.key(f"{i:02x}" + HASH[2:], 256) for i in range(5)]
    past = time.time() - 10_000
    for age, key in enumerate(keys):
        cache.put(key, bytes(1000))
        os.utime(cache.path_for(key), (past + age, past + age))
    assert cache.get(keys[0]) is not None  # the oldest is used again, so it is kept

    freed = cache.prune()

    assert freed == 2000
    assert [cache.contains(k) for k in keys] == [True, False, False, True, True]
    assert cache.size_bytes() == 3000 <= cache.max_bytes
    assert cache.prune() == 0


def test_prune_removes_stale_temporary_files(tmp_path: Path) -> None:
    cache = ThumbnailCache(tmp_path, max_bytes=1 << 20)
    shard = tmp_path / "ab"
    shard.mkdir()
    stale, fresh = shard / ".tmp-crashed.part", shard / ".tmp-writing.part"
    stale.write_bytes(bytes(50))
    fresh.write_bytes(bytes(50))
    old = time.time() - 7200
    os.utime(stale, (old, old))

    assert cache.prune() == 50
    assert not stale.exists()
    assert fresh.exists()


def test_prune_of_a_missing_folder(tmp_path: Path) -> None:
    cache = ThumbnailCache(tmp_path / "never-made", max_bytes=0)
    assert cache.prune() == 0
    assert cache.size_bytes() == 0


def test_concurrent_puts_of_one_key(tmp_path: Path) -> None:
    cache = ThumbnailCache(tmp_path)
    key = ThumbnailCache.key(HASH, 256)
    payload = bytes(range(256)) * 64
    barrier = threading.Barrier(2)

    def writer() -> None:
        barrier.wait()
        for _ in range(50):
            cache.put(key, payload)
            assert cache.get(key) == payload

    threads = [threading.Thread(target=writer) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert cache.get(key) == payload
    assert all_files(tmp_path) == [f"{key}.jpg"]
