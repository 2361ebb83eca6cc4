"""What a review of duplicates needs beyond the groups: what was checked, what is not ready yet,
and why each suggested photo is the one to keep.

The window's Duplicates view and ``desktop-album duplicates`` both ask this module; each words
the facts in its own language (the reasons are codes, never sentences).
"""

from __future__ import annotations

import os
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass

from desktop_album.core import file_actions
from desktop_album.core.duplicates import ALL_TIERS, DuplicateGroup, Tier, find_duplicates
from desktop_album.core.errors import CANCELLED, DesktopAlbumError
from desktop_album.core.library import Library
from desktop_album.core.pack_store import PackStore
from desktop_album.core.phash_backfill import count_missing_phashes

__all__ = [
    "KEPT_PHOTO_GONE",
    "DuplicateReview",
    "resolve_model_id",
    "review_duplicates",
    "spare_bytes",
    "trash_others",
]


def spare_bytes(groups: Iterable[DuplicateGroup]) -> int:
    """Bytes in the photos not suggested to keep."""
    return sum(p.bytes for g in groups for p in g.photos if p.id != g.keep.id)


@dataclass(frozen=True)
class DuplicateReview:
    """Every group of every tier asked for, and what the answer rests on.

    Attributes:
        checked: photos looked at (readable, indexed).
        unprepared: photos not ready to compare yet: indexed without a perceptual hash, or not
            indexed yet. Near-duplicates (and exact copies, for unindexed ones) may be missing
            while this is not 0; say so rather than "no duplicates".
        missing_hashes: the part of ``unprepared`` that only lacks a perceptual hash (it can
            be computed from the thumbnail cache: ``core.phash_backfill``).
        with_model: whether embeddings confirmed near-duplicates and found similar shots;
            without them near-duplicates are found by hash alone and there are no similar shots.
    """

    groups: tuple[DuplicateGroup, ...]
    checked: int
    unprepared: int
    missing_hashes: int
    with_model: bool

    def of_tier(self, tier: Tier | str) -> list[DuplicateGroup]:
        wanted = Tier(tier)
        return [g for g in self.groups if g.tier is wanted]

    def counts(self) -> dict[Tier, int]:
        return {tier: len(self.of_tier(tier)) for tier in Tier}


def resolve_model_id(store: PackStore, choice: str | None) -> str | None:
    """The model id of the pack the settings choose, or None when none is installed."""
    try:
        model_id: str = store.resolve(choice).model_id
    except DesktopAlbumError:
        return None
    return model_id


def review_duplicates(
    library: Library, model_id: str | None, tiers: Collection[str] = ALL_TIERS
) -> DuplicateReview:
    """Find the groups and count what was (and was not yet) checked. Only reads."""
    with_model = model_id is not None and library.has_model(model_id)
    groups = find_duplicates(library, model_id if with_model else None, tiers)
    checked, pending = library.conn.execute(
        "SELECT count(*) FILTER (WHERE status = 'ok'), count(*) FILTER (WHERE status = 'pending') "
        "FROM photos"
    ).fetchone()
    missing = count_missing_phashes(library)
    return DuplicateReview(
        tuple(groups), int(checked), int(missing) + int(pending), int(missing), with_model
    )


def group_keys(groups: Sequence[DuplicateGroup]) -> list[frozenset[int]]:
    """A key per group that survives a new review as long as its photos are the same."""
    return [frozenset(p.id for p in g.photos) for g in groups]


# The message of a photo left alone because its group's kept photo could not be found.
KEPT_PHOTO_GONE = "The photo kept in its group is not there now; this one was left in place."


def trash_others(
    library: Library, plan: Sequence[tuple[int, Sequence[int]]]
) -> file_actions.ActionReport:
    """Move the photos not kept to the trash, group by group (a writer job).

    ``plan`` holds, per group, the photo kept and the others. A group's others go only while
    its kept photo is still in the library and on disk, checked now: if the kept file went
    away since the review was read (deleted elsewhere, drive unplugged), its others stay, with
    a ``CANCELLED`` outcome, so that no picture loses its last copy here.
    """
    everyone = [i for keep, others in plan for i in (keep, *others)]
    infos = library.photo_info(everyone)
    report = file_actions.ActionReport(file_actions.TRASH)
    going: list[int] = []
    for keep, others in plan:
        kept = infos.get(keep)
        if kept is not None and kept.status == "ok" and kept.online and os.path.exists(kept.path):
            going += others
            continue
        for other in others:
            info = infos.get(other)
            report.outcomes.append(
                file_actions.FileOutcome(
                    info.path if info else "", other, kind=CANCELLED, message=KEPT_PHOTO_GONE
                )
            )
    report.outcomes += file_actions.move_to_trash(library, going).outcomes
    return report
