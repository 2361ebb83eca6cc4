"""Duplicates in three tiers, measured on a generated set with planted copies."""

from __future__ import annotations

import itertools
import random
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from desktop_album.core.duplicates import DupPhoto, Tier, find_duplicates, suggest_keep
from desktop_album.core.embedding import ClipModel
from desktop_album.core.hash_pairs import close_pairs
from desktop_album.core.indexing import Indexer
from desktop_album.core.library import Library
from desktop_album.core.packs import load_pack
from desktop_album.core.phash import hamming, perceptual_hash
from desktop_album.core.phash_backfill import backfill_phashes, count_missing_phashes
from desktop_album.core.thumbnails import ThumbnailCache
from tests.dup_corpus import DupCorpus, burst, make_dup_corpus, save_with_date, scene


@pytest.fixture(scope="module")
def dup_library(
    tmp_path_factory: pytest.TempPathFactory, tiny_pack: Path
) -> tuple[Library, DupCorpus, ThumbnailCache]:
    folder = tmp_path_factory.mktemp("dups")
    corpus = make_dup_corpus(folder / "photos")
    library = Library(folder / "library.db")
    library.add_root(folder / "photos")
    thumbnails = ThumbnailCache(folder / "thumbs")
    Indexer(library, ClipModel(load_pack(tiny_pack)), thumbnails).run()
    return library, corpus, thumbnails


def clusters_to_pairs(groups: list[list[str]]) -> set[frozenset[str]]:
    """Pairs of paths the groups say are the same picture (exact and near groups chained)."""
    parent: dict[str, str] = {}

    def find(x: str) -> str:
        while parent.setdefault(x, x) != x:
            x = parent[x]
        return x

    for group in groups:
        for other in group[1:]:
            parent[find(other)] = find(group[0])
    members: dict[str, list[str]] = {}
    for path in parent:
        members.setdefault(find(path), []).append(path)
    return {frozenset(p) for m in members.values() for p in itertools.combinations(m, 2)}


def test_no_false_exact_pairs(dup_library: tuple[Library, DupCorpus, ThumbnailCache]) -> None:
    library, _, _ = dup_library
    groups = find_duplicates(library, None, [Tier.EXACT.value])
    for group in groups:
        assert group.tier is Tier.EXACT
        contents = {Path(p.path).read_bytes() for p in group.photos}
        assert len(contents) == 1, [p.path for p in group.photos]


def test_near_duplicates_precision_and_recall(
    dup_library: tuple[Library, DupCorpus, ThumbnailCache],
) -> None:
    library, corpus, _ = dup_library
    model_id = load_pack(Path(__file__).parents[1] / "fixtures" / "tiny-pack").model_id
    groups = find_duplicates(library, model_id, ["exact", "near"])
    found = clusters_to_pairs([[p.path for p in g.photos] for g in groups])
    truth = {frozenset(str(p.resolve()) for p in pair) for pair in corpus.true_pairs()}
    hits = len(found & truth)
    precision = hits / len(found) if found else 0.0
    recall = hits / len(truth)
    print(
        f"\nnear-duplicates: precision {precision:.3f}, recall {recall:.3f} ({hits}/{len(truth)})"
    )
    assert precision >= 0.95
    assert recall >= 0.9


def test_every_group_suggests_the_largest_then_exif_then_earliest() -> None:
    def photo(name: str, w: int, h: int, taken: str | None, exif: bool) -> DupPhoto:
        return DupPhoto(0, name, w, h, 1000, taken, exif, None, None)

    small = photo("small", 100, 100, "2020-01-01T00:00:00", True)
    big_plain = photo("big_plain", 200, 200, None, False)
    big_exif_late = photo("big_exif_late", 200, 200, "2021-01-01T00:00:00", True)
    big_exif_early = photo("big_exif_early", 200, 200, "2020-06-01T00:00:00", True)
    assert suggest_keep([small, big_plain]) is big_plain
    assert suggest_keep([small, big_plain, big_exif_late]) is big_exif_late
    assert suggest_keep([big_exif_late, big_plain, big_exif_early]) is big_exif_early


def test_similar_shots_are_a_burst_of_one_scene_within_minutes(
    tmp_path: Path, tiny_pack: Path
) -> None:
    folder = tmp_path / "photos"
    folder.mkdir()
    shots = burst(1, 4)
    for k, image in enumerate(shots):
        save_with_date(image, folder / f"burst_{k}.jpg", f"2024:05:01 12:00:{10 * k:02d}")
    # The same scene again hours later is another moment; other scenes the same minute too.
    save_with_date(shots[0], folder / "later.jpg", "2024:05:01 18:00:00")
    for k in range(6):
        other = scene(random.Random(500 + k), 640, 480)
        save_with_date(other, folder / f"other_{k}.jpg", f"2024:05:01 12:00:{5 + 10 * k:02d}")
    with Library(tmp_path / "library.db") as library:
        library.add_root(folder)
        pack = load_pack(tiny_pack)
        Indexer(library, ClipModel(pack)).run()
        groups = find_duplicates(library, pack.model_id, ["similar"])
    assert [sorted(Path(p.path).name for p in g.photos) for g in groups] == [
        [f"burst_{k}.jpg" for k in range(4)]
    ]
    assert groups[0].tier is Tier.SIMILAR
    assert "scene" in groups[0].explanation


def test_shots_seconds_apart_are_never_near_duplicates(tmp_path: Path, tiny_pack: Path) -> None:
    """Burst frames whose hashes and vectors are as close as a re-save's: their camera times
    tell two shots apart, so they are similar shots, while a re-save (same time) stays near."""
    folder = tmp_path / "photos"
    folder.mkdir()
    shots = burst(3, 4)  # hashes 2-16 bits apart: the look-up alone calls them near
    for k, image in enumerate(shots):
        save_with_date(image, folder / f"burst_{k}.jpg", f"2024:05:01 12:00:{3 * k:02d}")
    resaved = shots[0].resize((480, 360), Image.Resampling.LANCZOS)
    save_with_date(resaved, folder / "burst_0 (sent).jpg", "2024:05:01 12:00:00")
    for k in range(6):  # other scenes: what "unrelated" looks like to the model
        other = scene(random.Random(700 + k), 640, 480)
        save_with_date(other, folder / f"other_{k}.jpg", f"2024:05:0{k + 2} 09:00:00")
    with Library(tmp_path / "library.db") as library:
        library.add_root(folder)
        pack = load_pack(tiny_pack)
        Indexer(library, ClipModel(pack)).run()
        groups = find_duplicates(library, pack.model_id)
    named = [(g.tier, sorted(Path(p.path).name for p in g.photos)) for g in groups]
    assert named == [
        (Tier.NEAR, ["burst_0 (sent).jpg", "burst_0.jpg"]),
        (Tier.SIMILAR, [f"burst_{k}.jpg" for k in range(4)]),
    ]


def test_photos_indexed_before_get_hashes_from_the_thumbnail_cache_or_the_file(
    dup_library: tuple[Library, DupCorpus, ThumbnailCache], tmp_path: Path
) -> None:
    library, _, thumbnails = dup_library
    before = dict(library.conn.execute("SELECT id, phash FROM photos ORDER BY id LIMIT 20"))
    ids = list(before)
    try:
        with library.write() as conn:
            conn.execute(f"UPDATE photos SET phash = NULL WHERE id IN ({','.join('?' * 20)})", ids)
        assert count_missing_phashes(library) == 20
        report = backfill_phashes(library, thumbnails)
        assert (report.from_thumbnails, report.from_files) == (20, 0)
        cached = dict(library.conn.execute("SELECT id, phash FROM photos ORDER BY id LIMIT 20"))
        with library.write() as conn:
            conn.execute(f"UPDATE photos SET phash = NULL WHERE id IN ({','.join('?' * 20)})", ids)
        report = backfill_phashes(library, ThumbnailCache(tmp_path / "empty"))
        assert (report.from_thumbnails, report.from_files) == (0, 20)
        decoded = dict(library.conn.execute("SELECT id, phash FROM photos ORDER BY id LIMIT 20"))
    finally:
        with library.write() as conn:
            conn.executemany(
                "UPDATE photos SET phash = ? WHERE id = ?", [(v, k) for k, v in before.items()]
            )
    # JPEG noise of the cached thumbnail moves a few bits at most; far below the near threshold.
    assert max(hamming(before[i], cached[i]) for i in ids) <= 6
    assert max(hamming(before[i], decoded[i]) for i in ids) <= 6
    assert count_missing_phashes(library) == 0


def test_close_pairs_finds_what_comparing_every_pair_finds() -> None:
    rng = np.random.default_rng(3)
    hashes = rng.integers(-(2**63), 2**63 - 1, size=1500, dtype=np.int64)
    flips = rng.integers(0, 64, size=(500, 5))
    unsigned = hashes.view(np.uint64)
    for row, bits in enumerate(flips):  # plant copies 1 to 5 bits away
        mask = sum(1 << int(bit) for bit in set(bits[: 1 + row % 5].tolist()))
        unsigned[1000 + row] = unsigned[row] ^ np.uint64(mask)
    for limit in (0, 3, 7, 11):
        i, j, d = close_pairs(hashes, limit)
        expected = {
            (a, b)
            for a, b in itertools.combinations(range(len(hashes)), 2)
            if hamming(int(hashes[a]), int(hashes[b])) <= limit
        }
        assert set(zip(i.tolist(), j.tolist(), strict=True)) == expected
        assert all(
            hamming(int(hashes[a]), int(hashes[b])) == int(c)
            for a, b, c in zip(i, j, d, strict=True)
        )


def test_phash_transform_is_the_dct_imagehash_uses() -> None:
    from scipy.fft import dct

    from desktop_album.core.phash import _dct_matrix

    pixels = np.random.default_rng(0).uniform(0, 255, (32, 32))
    ours = _dct_matrix(32) @ pixels @ _dct_matrix(32).T
    assert np.allclose(ours, dct(dct(pixels, axis=0), axis=1))


def test_phash_ignores_resaving_and_tells_photos_apart() -> None:
    first = scene(random.Random(1), 640, 480)
    second = scene(random.Random(2), 640, 480)
    half = first.resize((320, 240), Image.Resampling.LANCZOS)
    assert hamming(perceptual_hash(first), perceptual_hash(half)) <= 4
    assert hamming(perceptual_hash(first), perceptual_hash(second)) >= 16


def test_a_library_whose_photos_all_went_missing_has_no_groups(tmp_path: Path) -> None:
    from desktop_album.core.library import PhotoResult

    with Library(tmp_path / "library.db") as library:
        root = library.add_root(tmp_path)
        library.add_pending(
            root.id, [(str(tmp_path / "a.jpg"), 1, 1), (str(tmp_path / "b.jpg"), 1, 1)]
        )
        ids = [i for i, _ in library.photos_to_embed("m")]
        library.ensure_model("m", 4)
        vector = np.ones(4, dtype=np.float32) / 2
        library.record_batch(
            "m", [PhotoResult(i, vector=vector, content_hash="ab" * 32, phash=5) for i in ids]
        )
        assert [g.tier for g in find_duplicates(library, "m")] == [Tier.EXACT]
        library.mark_missing(ids)
        assert find_duplicates(library, "m") == []
