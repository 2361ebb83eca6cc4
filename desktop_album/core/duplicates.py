"""Duplicate photos in three tiers, each a separate question for the user.

* **exact**: the same file content (sha256, computed at indexing): deleting all but one loses
  nothing.
* **near**: the same picture saved again: re-encoded, resized, recompressed or slightly cropped.
  Candidates are pairs whose perceptual hashes (core/phash.py) are at most ``near_bits`` apart,
  found with multi-index hashing (core/hash_pairs.py), never by comparing every pair; each is
  confirmed by the model's embeddings, so two different photos that happen to share a layout
  (two sunsets over the same sea) are not called copies.
* **similar**: different shots of the same scene, taken within minutes of each other (bursts,
  retakes): embeddings close, times close. Keeping the best of them is a matter of taste.

The tiers nest: the near tier compares one photo per content (the suggested keep of its exact
group), and the similar tier one photo per near group, so a photo is offered for removal in at
most one group.

Embedding thresholds are relative to the model: cosine similarities are rescaled so that 0 is
the library's typical pair of unrelated photos and 1 is identity
(``(cos - typical) / (1 - typical)``). Models differ widely in their raw cosines (CLIP puts
unrelated photos near 0.5, the tiny test model near 0.45, SigLIP elsewhere); rescaled, one
threshold serves them all.

Each group suggests the photo to keep: the largest resolution, then one with EXIF (a date or
camera), then the earliest taken, then the largest file, then the older file (a copy is written
after its original), then the shortest path (of identical files with one time, the one not in a
backup subfolder, ``IMG_1.jpg`` rather than ``IMG_1 (1).jpg``).
"""

from __future__ import annotations

import enum
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any

import numpy as np
from numpy.typing import NDArray

from desktop_album.core.hash_pairs import close_pairs
from desktop_album.core.library import Library, path_from_db

__all__ = [
    "EXPLANATIONS",
    "DupPhoto",
    "DuplicateGroup",
    "DuplicateSettings",
    "KeepReason",
    "Tier",
    "find_duplicates",
    "keep_reason",
    "load_photos",
    "suggest_keep",
]

ALL_TIERS: tuple[str, ...] = ("exact", "near", "similar")
_MAX_OPEN_GROUPS = 64  # scenes compared at once in the similar tier (bounds a busy minute)


class Tier(str, enum.Enum):
    EXACT = "exact"
    NEAR = "near"
    SIMILAR = "similar"


# One sentence per tier, for the user (the window has its own translated copies).
EXPLANATIONS: dict[Tier, str] = {
    Tier.EXACT: "These files are identical, byte for byte: the same photo saved more than once.",
    Tier.NEAR: (
        "The same picture saved again: re-sent, resized, recompressed or slightly cropped."
    ),
    Tier.SIMILAR: "Different shots of the same scene, taken within minutes of each other.",
}


@dataclass(frozen=True)
class DuplicateSettings:
    """Thresholds; the defaults were measured on tests/dup_corpus.py (see the tests)."""

    near_bits: int = 16  # pHash bits apart, at most: 5 % crops reach 12-20, re-saves 0-2
    near_band_radius: int = 2  # multi-index look-up radius (exact up to 11 bits)
    near_strict_bits: int = 6  # this close, a lower embedding similarity confirms
    near_similarity: float = 0.80  # rescaled cosine that confirms a far hash pair
    near_strict_similarity: float = 0.60  # ... and a close one
    near_without_vectors_bits: int = 4  # photos with no embedding: hash alone, this close
    similar_similarity: float = 0.75  # rescaled cosine to the first shot of the group
    similar_seconds: float = 600.0  # gap to the group's previous shot, at most
    typical_pairs: int = 4000  # random pairs that estimate the "unrelated" cosine
    # Camera times this far apart are two shots, never one picture saved twice (a re-save keeps
    # the original's EXIF time or loses it): such a pair is left to the similar-shots tier.
    near_seconds_apart: float = 1.0


@dataclass(frozen=True)
class DupPhoto:
    """What the user compares in a group."""

    id: int
    path: str
    width: int | None
    height: int | None
    bytes: int
    taken_at: str | None
    has_exif: bool
    content_hash: str | None
    phash: int | None
    mtime_ns: int | None = None  # the file's modification time (a copy is usually younger)


@dataclass(frozen=True)
class DuplicateGroup:
    tier: Tier
    photos: tuple[DupPhoto, ...]  # the suggested keep first, then by path
    keep: DupPhoto

    @property
    def explanation(self) -> str:
        return EXPLANATIONS[self.tier]

    @property
    def keep_reason(self) -> KeepReason:
        """Why :attr:`keep` is suggested (the suggestion's rule that set it apart)."""
        return keep_reason(self.keep, self.photos)


def _keep_order(photo: DupPhoto) -> tuple[Any, ...]:
    pixels = (photo.width or 0) * (photo.height or 0)
    depth = photo.path.count("/") + photo.path.count("\\")  # folders deep
    return (
        -pixels,
        not photo.has_exif,
        photo.taken_at or "~",
        -photo.bytes,
        photo.mtime_ns if photo.mtime_ns is not None else float("inf"),
        depth,
        len(photo.path),
        photo.path,
    )


def suggest_keep(photos: Sequence[DupPhoto]) -> DupPhoto:
    """The photo to keep: the largest resolution, then EXIF present, then the earliest taken,
    then the largest file, then the file written first (a copy is younger than its original),
    then the shortest path (fewest folders deep, then fewest letters: the original rather than
    a copy in a backup folder or named "… (1)", where a copy kept the original's time)."""
    return min(photos, key=_keep_order)


class KeepReason(str, enum.Enum):
    """Why a photo is suggested to keep: the first rule that sets it apart from the others."""

    RESOLUTION = "resolution"  # the largest resolution
    EXIF = "exif"  # as large, and it has EXIF (a date or camera)
    EARLIEST = "earliest"  # as large, and taken first
    LARGER_FILE = "larger_file"  # all of that equal: the larger file
    OLDER_FILE = "older_file"  # the same bytes: the file written first (the original)
    IDENTICAL = "identical"  # the files are alike in all that: the shortest path is kept


_REASONS = (
    KeepReason.RESOLUTION,
    KeepReason.EXIF,
    KeepReason.EARLIEST,
    KeepReason.LARGER_FILE,
    KeepReason.OLDER_FILE,
)


def keep_reason(keep: DupPhoto, others: Iterable[DupPhoto]) -> KeepReason:
    """The rule of :func:`suggest_keep` that chose ``keep`` over the closest
    of ``others`` (the one it would have chosen next)."""
    rest = [p for p in others if p.id != keep.id]
    if not rest:
        return KeepReason.IDENTICAL
    mine = _keep_order(keep)
    runner_up = _keep_order(min(rest, key=_keep_order))
    for reason, a, b in zip(_REASONS, mine, runner_up, strict=False):
        if a != b:
            return reason
    return KeepReason.IDENTICAL  # only the paths differ


def _group(tier: Tier, members: Sequence[DupPhoto]) -> DuplicateGroup:
    keep = suggest_keep(members)
    rest = sorted((p for p in members if p is not keep), key=lambda p: p.path)
    return DuplicateGroup(tier, (keep, *rest), keep)


def load_photos(library: Library) -> list[DupPhoto]:
    """Every readable photo (status ok), in id order."""
    rows = library.conn.execute(
        "SELECT id, path, width, height, size, taken_at, camera, content_hash, phash, mtime_ns "
        "FROM photos WHERE status = 'ok' ORDER BY id"
    ).fetchall()
    return [
        DupPhoto(
            id=r[0],
            path=path_from_db(r[1]),  # a non-UTF-8 name is stored as bytes
            width=r[2],
            height=r[3],
            bytes=r[4],
            taken_at=r[5],
            has_exif=r[5] is not None or r[6] is not None,
            content_hash=r[7],
            phash=r[8],
            mtime_ns=r[9],
        )
        for r in rows
    ]


class _Components:
    """Union-find over 0..n-1 (path halving)."""

    def __init__(self, n: int) -> None:
        self.parent = np.arange(n)

    def find(self, x: int) -> int:
        parent = self.parent
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = int(parent[x])
        return x

    def union(self, a: int, b: int) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)

    def groups(self) -> list[list[int]]:
        found: dict[int, list[int]] = {}
        for x in range(len(self.parent)):
            found.setdefault(self.find(x), []).append(x)
        return [members for members in found.values() if len(members) > 1]


def typical_similarity(
    vectors: NDArray[np.float32], rows: NDArray[np.int64], pairs: int, seed: int = 0
) -> float:
    """The median cosine of random pairs of distinct ``rows``: what "unrelated" scores.

    The median, not the mean: in a small library one burst of shots makes many of the pairs, and
    must not raise the bar for itself.
    """
    n = len(rows)
    if n < 2:
        return 0.0
    rng = np.random.default_rng(seed)
    a = rng.integers(0, n, pairs)
    b = (a + rng.integers(1, n, pairs)) % n  # never the same row
    scores = pair_similarity(vectors, rows[a], rows[b])
    return float(min(0.95, max(0.0, float(np.median(scores)))))


def rescaled(cosines: NDArray[np.float32], typical: float) -> NDArray[np.float32]:
    """0 for a typical unrelated pair, 1 for identical embeddings."""
    result: NDArray[np.float32] = ((cosines - typical) / (1.0 - typical)).astype(np.float32)
    return result


def exact_groups(photos: Sequence[DupPhoto]) -> list[DuplicateGroup]:
    by_hash: dict[str, list[DupPhoto]] = {}
    for photo in photos:
        if photo.content_hash:
            by_hash.setdefault(photo.content_hash, []).append(photo)
    return [_group(Tier.EXACT, members) for members in by_hash.values() if len(members) > 1]


def pair_similarity(
    vectors: NDArray[np.float32], a: NDArray[np.int64], b: NDArray[np.int64], chunk: int = 16384
) -> NDArray[np.float32]:
    """Cosines of rows ``a[k]`` and ``b[k]`` of unit ``vectors``, a chunk at a time."""
    out = np.empty(len(a), dtype=np.float32)
    for start in range(0, len(a), chunk):
        end = start + chunk
        out[start:end] = np.einsum("ij,ij->i", vectors[a[start:end]], vectors[b[start:end]])
    return out


def near_pairs(
    phashes: NDArray[np.int64],
    rows: NDArray[np.int64],
    vectors: NDArray[np.float32] | None,
    has_vector: NDArray[np.bool_],
    typical: float,
    settings: DuplicateSettings,
) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
    """Confirmed near-duplicate pairs, as indexes into ``phashes``.

    Args:
        rows: the row of ``vectors`` and ``has_vector`` for each hash.
    """
    i, j, bits = close_pairs(phashes, settings.near_bits, settings.near_band_radius)
    both = has_vector[rows[i]] & has_vector[rows[j]]
    confirmed = ~both & (bits <= settings.near_without_vectors_bits)
    if vectors is not None and both.any():
        bi, bj = rows[i[both]], rows[j[both]]
        score = rescaled(pair_similarity(vectors, bi, bj), typical)
        needed = np.where(
            bits[both] <= settings.near_strict_bits,
            settings.near_strict_similarity,
            settings.near_similarity,
        )
        confirmed[both] = score >= needed
    return i[confirmed], j[confirmed]


def similar_groups_of(
    seconds: NDArray[np.float64],
    vectors: NDArray[np.float32],
    typical: float,
    settings: DuplicateSettings,
) -> list[list[int]]:
    """Rows (sorted by time) grouped into runs of shots of one scene.

    A shot joins the open group whose first shot it resembles most (rescaled cosine at least
    ``similar_similarity``) if that group's last shot is at most ``similar_seconds`` earlier;
    comparing with the first shot, not the last, keeps a long session from drifting into one
    group.
    """
    found: list[list[int]] = []
    # A gap longer than the window closes every group: only runs of shots closer than that
    # (sessions) need looking at, and most photos are alone in theirs.
    breaks = np.flatnonzero(np.diff(seconds) > settings.similar_seconds) + 1
    for session in np.split(np.arange(len(seconds)), breaks):
        if len(session) > 1:
            found += _session_groups(session, seconds, vectors, typical, settings)
    return found


def _session_groups(
    session: NDArray[np.int64],
    seconds: NDArray[np.float64],
    vectors: NDArray[np.float32],
    typical: float,
    settings: DuplicateSettings,
) -> list[list[int]]:
    groups: list[list[int]] = []
    open_groups: list[int] = []  # indexes into groups
    anchors: list[NDArray[np.float32]] = []
    for row in session.tolist():
        now = seconds[row]
        still = [
            k
            for k, g in enumerate(open_groups)
            if now - seconds[groups[g][-1]] <= settings.similar_seconds
        ][-_MAX_OPEN_GROUPS:]
        open_groups = [open_groups[k] for k in still]
        anchors = [anchors[k] for k in still]
        best = -1
        if anchors:
            scores = rescaled(np.stack(anchors) @ vectors[row], typical)
            top = int(np.argmax(scores))
            if scores[top] >= settings.similar_similarity:
                best = open_groups[top]
        if best >= 0:
            groups[best].append(row)
        else:
            groups.append([row])
            open_groups.append(len(groups) - 1)
            anchors.append(vectors[row])
    return [g for g in groups if len(g) > 1]


def _same_moment(
    i: NDArray[np.int64], j: NDArray[np.int64], photos: Sequence[DupPhoto], apart: float
) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
    """The pairs not known to be two shots: both camera times known and ``apart`` or more
    seconds apart means a burst or a retake, however alike the hashes (immich's flagged
    "duplicates" are mostly those)."""
    if len(i) == 0:
        return i, j
    when = np.array(
        [s if (s := _seconds(p.taken_at)) is not None else np.nan for p in photos],
        dtype=np.float64,
    )
    with np.errstate(invalid="ignore"):
        two_shots = np.abs(when[i] - when[j]) >= apart  # NaN (a time unknown): False
    return i[~two_shots], j[~two_shots]


def _seconds(taken_at: str | None) -> float | None:
    """Seconds since the epoch; a date without a zone is read as UTC (only gaps matter)."""
    if not taken_at:
        return None
    try:
        moment = datetime.fromisoformat(taken_at)
    except ValueError:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return moment.timestamp()


def _vectors(
    library: Library, model_id: str | None, photos: Sequence[DupPhoto]
) -> tuple[NDArray[np.float32] | None, NDArray[np.bool_]]:
    """Unit vectors aligned with ``photos`` (zeros where a photo has none), and which have one."""
    has = np.zeros(len(photos), dtype=bool)
    if model_id is None or not photos:
        return None, has
    row = library.conn.execute("SELECT dim FROM models WHERE id = ?", (model_id,)).fetchone()
    if row is None:
        return None, has
    dim = int(row[0])
    stored = library.load_vectors(model_id, dim, dtype=np.float16)  # a view: converted once below
    ids = np.fromiter((p.id for p in photos), dtype=np.int64, count=len(photos))  # ascending
    at = np.minimum(np.searchsorted(ids, stored.photo_ids), len(ids) - 1)
    present = ids[at] == stored.photo_ids
    matrix = np.zeros((len(photos), dim), dtype=np.float32)
    matrix[at[present]] = stored.vectors[present]
    norms = np.sqrt(np.einsum("ij,ij->i", matrix, matrix))
    matrix /= np.maximum(norms, 1e-12)[:, None]
    has[at[present]] = True
    return matrix, has


def find_duplicates(
    library: Library,
    model_id: str | None,
    tiers: Collection[str] = ALL_TIERS,
    settings: DuplicateSettings | None = None,
) -> list[DuplicateGroup]:
    """Duplicate groups of the asked tiers, exact first, then near, then similar.

    Args:
        model_id: whose embeddings confirm near-duplicates and find similar shots; ``None`` (or
            a model with no vectors): near-duplicates by hash alone, at a stricter distance, and
            no similar shots.
    """
    settings = settings or DuplicateSettings()
    wanted = {Tier(t) for t in tiers}
    photos = load_photos(library)
    result: list[DuplicateGroup] = []
    exact = exact_groups(photos)
    if Tier.EXACT in wanted:
        result += sorted(exact, key=lambda g: g.keep.path)
    if not wanted - {Tier.EXACT}:
        return result
    vectors, has_vector = _vectors(library, model_id, photos)
    typical = 0.0
    if vectors is not None and has_vector.any():
        typical = typical_similarity(vectors, np.flatnonzero(has_vector), settings.typical_pairs)
    # Each tier looks only at what the stricter tiers would keep.
    dropped = {p.id for group in exact for p in group.photos[1:]}
    rows = np.array(
        [k for k, p in enumerate(photos) if p.id not in dropped and p.phash is not None],
        dtype=np.int64,
    )
    hashes = np.array([photos[k].phash for k in rows], dtype=np.int64)
    i, j = near_pairs(hashes, rows, vectors, has_vector, typical, settings)
    i, j = _same_moment(i, j, [photos[k] for k in rows.tolist()], settings.near_seconds_apart)
    components = _Components(len(rows))
    for a, b in zip(i.tolist(), j.tolist(), strict=True):
        components.union(a, b)
    near = [
        _group(Tier.NEAR, [photos[int(rows[m])] for m in members])
        for members in components.groups()
    ]
    if Tier.NEAR in wanted:
        result += sorted(near, key=lambda g: g.keep.path)
    if Tier.SIMILAR not in wanted or vectors is None:
        return result
    dropped |= {p.id for group in near for p in group.photos[1:]}
    timed = [
        (when, k)
        for k, p in enumerate(photos)
        if p.id not in dropped and has_vector[k] and (when := _seconds(p.taken_at)) is not None
    ]
    timed.sort()
    order = np.array([k for _, k in timed], dtype=np.int64)
    seconds = np.array([when for when, _ in timed], dtype=np.float64)
    similar = [
        _group(Tier.SIMILAR, [photos[int(order[m])] for m in members])
        for members in similar_groups_of(seconds, vectors[order], typical, settings)
    ]
    result += sorted(similar, key=lambda g: g.keep.path)
    return result
