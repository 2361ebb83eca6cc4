"""What a review of duplicates rests on: groups of every tier, keep reasons, what was checked."""

from __future__ import annotations

from pathlib import Path

import pytest

from desktop_album.core.duplicate_review import review_duplicates, spare_bytes
from desktop_album.core.duplicates import DupPhoto, KeepReason, Tier, keep_reason, suggest_keep
from desktop_album.core.embedding import ClipModel
from desktop_album.core.indexing import Indexer
from desktop_album.core.library import Library
from desktop_album.core.packs import load_pack
from tests.dup_corpus import ReviewSet, make_review_set


@pytest.fixture
def indexed(tmp_path: Path, tiny_pack: Path) -> tuple[Library, ReviewSet, str]:
    photos = make_review_set(tmp_path / "photos")
    library = Library(tmp_path / "library.db")
    library.add_root(photos.folder)
    pack = load_pack(tiny_pack)
    Indexer(library, ClipModel(pack)).run()
    return library, photos, pack.model_id


def _names(paths: object) -> list[str]:
    return sorted(str(Path(str(p)).resolve()) for p in paths)  # type: ignore[attr-defined]


def test_one_group_per_tier_and_why_each_keep(indexed: tuple[Library, ReviewSet, str]) -> None:
    library, photos, model_id = indexed
    review = review_duplicates(library, model_id)
    library.close()
    assert review.counts() == {Tier.EXACT: 1, Tier.NEAR: 1, Tier.SIMILAR: 1}
    assert (review.checked, review.unprepared, review.with_model) == (11, 0, True)
    (exact,) = review.of_tier("exact")
    assert _names(p.path for p in exact.photos) == _names(photos.exact)
    assert Path(exact.keep.path) == photos.exact[0]  # the original, not the backup copy
    assert exact.keep_reason is KeepReason.OLDER_FILE  # the copy was written after it
    (near,) = review.of_tier(Tier.NEAR)
    assert _names(p.path for p in near.photos) == _names(photos.near)
    assert Path(near.keep.path).name == "sunset.jpg"
    assert near.keep_reason is KeepReason.RESOLUTION
    (similar,) = review.of_tier(Tier.SIMILAR)
    assert _names(p.path for p in similar.photos) == _names(photos.similar)
    assert spare_bytes([near]) == photos.near[1].stat().st_size


def test_without_a_model_near_by_hash_alone_and_no_similar_shots(
    indexed: tuple[Library, ReviewSet, str],
) -> None:
    library, _, _ = indexed
    with library.write() as conn:
        conn.execute("UPDATE photos SET phash = NULL WHERE path LIKE '%other_0.jpg'")
    review = review_duplicates(library, None)
    library.close()
    assert not review.with_model
    assert review.counts()[Tier.SIMILAR] == 0
    assert review.counts()[Tier.EXACT] == 1
    assert (review.unprepared, review.missing_hashes) == (1, 1)


def test_keep_reasons_follow_the_suggestion_rules() -> None:
    def photo(n: int, w: int, taken: str | None, exif: bool, size: int = 1000) -> DupPhoto:
        return DupPhoto(n, f"/p/{n}.jpg", w, w, size, taken, exif, None, None)

    big = photo(1, 200, None, False)
    assert keep_reason(big, [big, photo(2, 100, "2020-01-01", True)]) is KeepReason.RESOLUTION
    with_exif = photo(3, 200, "2021-01-01", True)
    assert keep_reason(with_exif, [with_exif, big]) is KeepReason.EXIF
    early = photo(4, 200, "2020-01-01", True)
    assert keep_reason(early, [with_exif, early]) is KeepReason.EARLIEST
    larger = photo(5, 200, None, False, 2000)
    assert keep_reason(larger, [larger, big]) is KeepReason.LARGER_FILE
    same = photo(6, 200, None, False)
    assert keep_reason(big, [big, same]) is KeepReason.IDENTICAL


def test_of_identical_files_the_shortest_path_is_kept() -> None:
    def photo(n: int, path: str) -> DupPhoto:
        return DupPhoto(n, path, 100, 100, 1000, None, False, "h", None)

    original = photo(1, "/p/Pictures/IMG_1.jpg")
    backup = photo(2, "/p/Pictures/Backup/IMG_1.jpg")
    numbered = photo(3, "/p/Pictures/IMG_1 (1).jpg")
    assert suggest_keep([backup, numbered, original]) is original
    assert suggest_keep([backup, numbered]) is numbered


def test_of_identical_files_the_older_one_is_kept_whatever_its_name() -> None:
    """``cp`` gives the copy a new time: the older file is the original, even named "copy"."""
    original = DupPhoto(1, "/p/Pictures/black_circle_007.jpg", 10, 10, 9, None, False, "h", None, 1)
    copy = DupPhoto(2, "/p/Pictures/copy.jpg", 10, 10, 9, None, False, "h", None, 2)
    assert suggest_keep([copy, original]) is original
    assert keep_reason(original, [copy, original]) is KeepReason.OLDER_FILE


def test_trash_others_leaves_a_group_alone_whose_kept_photo_went_away(
    indexed: tuple[Library, ReviewSet, str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from desktop_album.core.duplicate_review import KEPT_PHOTO_GONE, trash_others
    from desktop_album.core.errors import CANCELLED
    from tests.trash import use_temporary_trash

    trash = use_temporary_trash(monkeypatch, tmp_path / "user")
    library, _, model_id = indexed
    review = review_duplicates(library, model_id)
    (exact,) = review.of_tier(Tier.EXACT)
    (near,) = review.of_tier(Tier.NEAR)
    Path(exact.keep.path).unlink()  # deleted elsewhere after the review was read
    plan = [(g.keep.id, [p.id for p in g.photos if p.id != g.keep.id]) for g in (exact, near)]
    report = trash_others(library, plan)
    library.close()
    assert [(Path(o.path).name, o.kind) for o in report.outcomes] == [
        ("beach.jpg", CANCELLED),
        ("sunset (messenger).jpg", None),
    ]
    assert report.outcomes[0].message == KEPT_PHOTO_GONE
    assert Path(exact.photos[1].path).exists()  # the last copy of the beach stays
    assert [p.name for p in (trash / "files").iterdir()] == ["sunset (messenger).jpg"]
    assert Path(near.keep.path).exists()
