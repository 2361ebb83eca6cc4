"""Things: zero-shot tags ("beach", "음식", "receipt") from the model on this machine.

The vocabulary (``data/things.json``) lists concepts people browse by, each with English and
Korean names, aliases a user may type, and prompt variants. A concept's text vector is the
normalised mean of its prompts' embeddings (prompt ensembling, as CLIP's zero-shot classifiers
do). Korean prompts join the English ones only when the model understands Korean, which is
measured, not assumed: the Korean prompts of each concept must find that concept's English
prompts among all concepts for at least half of the vocabulary.

Which tags a photo gets (one matrix product of every stored image vector with every concept,
then thresholds relative to the model's own score distribution, since raw cosines differ from
model to model and from concept to concept):

1. **The photo's view**: each photo's scores over all concepts are standardised (``z``: minus
   their mean, over their standard deviation). A concept is a candidate for a photo when it is
   among the photo's ``MAX_TAGS`` best and ``z >= PHOTO_Z``: it stands out from everything else
   the photo could be.
2. **The concept's view**: for each concept, the ``z`` of photos where it is *not* a candidate
   is its background (its median and spread, robustly by the median absolute deviation). A
   candidate is kept when its ``z`` stands ``TAG_Z`` spreads above that background. This drops
   concepts whose prompts score high on every photo ("a photo of something") and, because the
   background leaves the candidates out, still works in a library that is mostly beaches.
   A concept with too small a background uses the background pooled over all concepts.

Tags are stored per model (``photo_tags``) with what they were computed from (``tag_sets``: the
text model, the vocabulary's hash, a fingerprint of the stored vectors, the concept vectors as a
cache, and the backgrounds); :func:`compute_tags` recomputes them only when one of those changed,
and tags only the new photos while the backgrounds still describe the library.
"""

from __future__ import annotations

import functools
import hashlib
import json
import time
from collections.abc import Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any, Protocol

import numpy as np
from numpy.typing import NDArray

from desktop_album.core.control import RunControl
from desktop_album.core.library import Library

__all__ = [
    "Concept",
    "TagCount",
    "TagRun",
    "TextModel",
    "Vocabulary",
    "compute_tags",
    "load_vocabulary",
    "photos_with_tag",
    "resolve_tag",
    "tag_counts",
    "tags_of",
]

MAX_TAGS = 4
PHOTO_Z = 2.0
TAG_Z = 1.5
_MIN_BACKGROUND = 30  # photos, for a concept's own background
_BACKGROUND_SAMPLE = 20_000  # photos that estimate the backgrounds (bounded cost)
_CHUNK = 8192  # photos scored at once (bounded memory)
_TEXT_BATCH = 64
# Below this many photos, tags are always recomputed in full (a fraction of a second).
INCREMENTAL_FROM = 2000
# New photos are tagged against the stored backgrounds until the library has grown or shrunk by
# this factor since they were estimated; then every photo is tagged again.
GROWTH_LIMIT = 1.25


class TextModel(Protocol):
    """What tagging needs from a model (``embedding.ClipModel`` is one)."""

    @property
    def model_id(self) -> str: ...
    @property
    def dim(self) -> int: ...
    @property
    def pack(self) -> Any: ...
    def embed_texts(self, texts: Sequence[str]) -> NDArray[np.float32]: ...


@dataclass(frozen=True)
class Concept:
    id: str
    en: str
    ko: str
    aliases: tuple[str, ...]
    prompts_en: tuple[str, ...]
    prompts_ko: tuple[str, ...]

    def names(self) -> tuple[str, ...]:
        """Everything a user may type for it."""
        return (self.id, self.id.replace("_", " "), self.en, self.ko, *self.aliases)


@dataclass(frozen=True)
class Vocabulary:
    concepts: tuple[Concept, ...]
    digest: str  # sha256 of the file: part of what stored tags were computed from

    @functools.cached_property
    def by_id(self) -> dict[str, Concept]:
        return {c.id: c for c in self.concepts}

    @functools.cached_property
    def _names(self) -> dict[str, str]:
        found: dict[str, str] = {}
        for concept in self.concepts:  # the first concept to claim a name keeps it
            for name in concept.names():
                found.setdefault(_fold(name), concept.id)
        return found

    def resolve(self, word: str) -> str | None:
        """The concept id a user means by ``word``: "beach", "바다", "#바다", "tag:beach"."""
        text = word.strip()
        for prefix in ("tag:", "#"):
            if text.casefold().startswith(prefix):
                text = text[len(prefix) :]
        return self._names.get(_fold(text))


def _fold(text: str) -> str:
    return " ".join(text.replace("_", " ").split()).casefold()


def _strings(value: object, where: str) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise ValueError(f"{where}: expected a list of non-empty strings")
    return tuple(value)


def _parse(data: bytes) -> Vocabulary:
    document = json.loads(data.decode("utf-8"))
    concepts = []
    for entry in document["concepts"]:
        where = f"concept {entry.get('id')!r}"
        prompts = entry.get("prompts", {})
        concept = Concept(
            id=str(entry["id"]),
            en=str(entry["en"]),
            ko=str(entry["ko"]),
            aliases=_strings(entry.get("aliases", []), where),
            prompts_en=_strings(prompts.get("en", []), where),
            prompts_ko=_strings(prompts.get("ko", []), where),
        )
        if not (concept.id and concept.en and concept.ko and concept.prompts_en):
            raise ValueError(f"{where}: needs an id, English and Korean names, English prompts")
        concepts.append(concept)
    return Vocabulary(tuple(concepts), hashlib.sha256(data).hexdigest())


@functools.cache
def _default_vocabulary() -> Vocabulary:
    data = resources.files("desktop_album").joinpath("data/things.json").read_bytes()
    return _parse(data)


def load_vocabulary(path: Path | None = None) -> Vocabulary:
    """The vocabulary in ``path``, or the app's own (``data/things.json``)."""
    return _default_vocabulary() if path is None else _parse(Path(path).read_bytes())


def resolve_tag(word: str, vocabulary: Vocabulary | None = None) -> str | None:
    """The concept id for what a user typed, or None: "beach", "바다", "#바다", "tag:beach"."""
    return (vocabulary or load_vocabulary()).resolve(word)


# -- concept vectors --------------------------------------------------------------------------


class Stopped(Exception):
    """The work was cancelled between two batches of prompts."""


def _embed(
    model: TextModel, texts: Sequence[str], control: RunControl | None = None
) -> NDArray[np.float32]:
    prefix = getattr(getattr(model.pack, "query", None), "text_prefix", "")
    chunks = []
    for i in range(0, len(texts), _TEXT_BATCH):
        # ~1,250 prompts take a minute through a large text tower: closing the app or
        # cancelling must not wait for all of them.
        if control is not None and control.checkpoint():
            raise Stopped
        chunks.append(model.embed_texts([prefix + t for t in texts[i : i + _TEXT_BATCH]]))
    return np.concatenate(chunks).astype(np.float32, copy=False)


def _unit(vectors: NDArray[np.float32]) -> NDArray[np.float32]:
    norms = np.linalg.norm(vectors, axis=-1, keepdims=True)
    result: NDArray[np.float32] = vectors / np.maximum(norms, 1e-12)
    return result


def _means(vectors: NDArray[np.float32], counts: Sequence[int]) -> NDArray[np.float32]:
    """Normalised mean of consecutive runs of rows, ``counts`` rows each."""
    ends = np.cumsum(counts)
    return _unit(
        np.stack([vectors[e - c : e].mean(axis=0) for c, e in zip(counts, ends, strict=True)])
    )


def concept_vectors(
    model: TextModel, vocabulary: Vocabulary, control: RunControl | None = None
) -> tuple[NDArray[np.float32], bool]:
    """(concepts x dim) unit vectors, and whether Korean prompts were used.

    Raises Stopped when ``control`` is cancelled meanwhile.
    """
    concepts = vocabulary.concepts
    english = _embed(model, [p for c in concepts for p in c.prompts_en], control)
    en_counts = [len(c.prompts_en) for c in concepts]
    with_ko = [k for k, c in enumerate(concepts) if c.prompts_ko]
    korean = _embed(model, [p for k in with_ko for p in concepts[k].prompts_ko], control)
    ko_counts = [len(concepts[k].prompts_ko) for k in with_ko]
    en_mean = _means(english, en_counts)
    if not with_ko:
        return en_mean, False
    found = np.argmax(_means(korean, ko_counts) @ en_mean.T, axis=1)
    if float(np.mean(found == np.array(with_ko))) < 0.5:
        return en_mean, False  # a model that does not read Korean: its Korean is noise
    # Korean understood: every prompt of both languages counts once in the mean.
    sums = np.add.reduceat(english, _starts(en_counts), axis=0)
    sums[with_ko] += np.add.reduceat(korean, _starts(ko_counts), axis=0)
    return _unit(sums), True


def _starts(counts: Sequence[int]) -> NDArray[np.int64]:
    return np.concatenate(([0], np.cumsum(counts)[:-1])).astype(np.int64)


# -- thresholds -------------------------------------------------------------------------------


def _standardised(scores: NDArray[np.float32]) -> NDArray[np.float32]:
    mean = scores.mean(axis=1, keepdims=True)
    std = scores.std(axis=1, keepdims=True)
    result: NDArray[np.float32] = (scores - mean) / np.maximum(std, 1e-6)
    return result


def _candidates(z: NDArray[np.float32]) -> NDArray[np.bool_]:
    """Each photo's top ``MAX_TAGS`` concepts that stand ``PHOTO_Z`` above its other scores."""
    top = min(MAX_TAGS, z.shape[1])
    best = np.argpartition(-z, top - 1, axis=1)[:, :top]
    mask = np.zeros(z.shape, dtype=bool)
    np.put_along_axis(mask, best, True, axis=1)
    result: NDArray[np.bool_] = mask & (z >= PHOTO_Z)
    return result


def _backgrounds(
    z: NDArray[np.float32], candidate: NDArray[np.bool_]
) -> tuple[NDArray[np.float32], NDArray[np.float32]]:
    """Per concept: the median and robust spread of ``z`` over photos it is no candidate for."""
    background = np.where(candidate, np.nan, z)
    pooled = background[~np.isnan(background)]
    pooled_centre = float(np.median(pooled)) if pooled.size else 0.0
    pooled_spread = (
        float(1.4826 * np.median(np.abs(pooled - pooled_centre))) if pooled.size else 1.0
    )
    counts = (~candidate).sum(axis=0)
    with np.errstate(all="ignore"):
        centre = np.nanmedian(background, axis=0)
        spread = 1.4826 * np.nanmedian(np.abs(background - centre), axis=0)
    thin = counts < _MIN_BACKGROUND
    centre = np.where(thin, pooled_centre, centre).astype(np.float32)
    # Never trust a spread far below the pooled one: a concept nobody resembles is not rare.
    floor = max(0.5 * pooled_spread, 1e-3)
    spread = np.maximum(np.where(thin, pooled_spread, spread), floor)
    return centre, spread.astype(np.float32)


def thresholds(
    vectors: NDArray[np.float32], concepts: NDArray[np.float32], seed: int = 0
) -> tuple[NDArray[np.float32], NDArray[np.float32]]:
    """Each concept's background (centre, spread of ``z``), estimated on a sample of photos."""
    n = len(vectors)
    rng = np.random.default_rng(seed)
    sample = (
        np.sort(rng.choice(n, _BACKGROUND_SAMPLE, replace=False))
        if n > _BACKGROUND_SAMPLE
        else np.arange(n)
    )
    z_sample = _standardised(vectors[sample] @ concepts.T)
    return _backgrounds(z_sample, _candidates(z_sample))


def tags_with(
    vectors: NDArray[np.float32],
    concepts: NDArray[np.float32],
    centre: NDArray[np.float32],
    spread: NDArray[np.float32],
) -> tuple[NDArray[np.int64], NDArray[np.int64], NDArray[np.float32]]:
    """(photo rows, concept columns, scores) of the tags that apply against known backgrounds.

    Each photo is judged alone against the backgrounds, so photos added later are tagged as if
    they had been there when the backgrounds were estimated.
    """
    rows, cols, scores = [np.zeros(0, dtype=np.int64)], [np.zeros(0, dtype=np.int64)], []
    scores.append(np.zeros(0, dtype=np.float32))
    for start in range(0, len(vectors), _CHUNK):
        z = _standardised(vectors[start : start + _CHUNK] @ concepts.T)
        lift = (z - centre) / spread
        keep = _candidates(z) & (lift >= TAG_Z)
        r, c = np.nonzero(keep)
        rows.append(r + start)
        cols.append(c)
        scores.append(lift[r, c])
    return (
        np.concatenate(rows).astype(np.int64),
        np.concatenate(cols).astype(np.int64),
        np.concatenate(scores).astype(np.float32),
    )


def assign_tags(
    vectors: NDArray[np.float32], concepts: NDArray[np.float32], seed: int = 0
) -> tuple[NDArray[np.int64], NDArray[np.int64], NDArray[np.float32]]:
    """(photo rows, concept columns, scores) of the tags that apply. ``vectors`` are unit rows.

    The score is how far the photo stands above the concept's background, in spreads.
    """
    if len(vectors) == 0 or len(concepts) == 0:
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty.copy(), np.zeros(0, dtype=np.float32)
    centre, spread = thresholds(vectors, concepts, seed)
    return tags_with(vectors, concepts, centre, spread)


# -- the library ------------------------------------------------------------------------------


@dataclass(frozen=True)
class TagRun:
    """What :func:`compute_tags` did."""

    computed: bool  # False: the stored tags were current
    photos: int = 0  # photos tagged (all of them, or only the new ones when ``incremental``)
    tags: int = 0
    seconds: float = 0.0
    incremental: bool = False


@dataclass(frozen=True)
class TagCount:
    tag: str
    count: int


@dataclass(frozen=True)
class _Stored:
    text_model: str
    vocabulary: str
    concepts: bytes
    source: str
    background: bytes | None
    full_count: int
    upto_rowid: int


def _vector_state(library: Library, model_id: str) -> tuple[int, int, str]:
    """(count, newest rowid, fingerprint): the fingerprint changes whenever a vector of the
    model is added, replaced or removed."""
    row = library.conn.execute(
        "SELECT count(*), coalesce(max(rowid), 0), coalesce(sum(rowid), 0) FROM embeddings "
        "WHERE model_id = ?",
        (model_id,),
    ).fetchone()
    return int(row[0]), int(row[1]), f"{row[0]}:{row[1]}:{row[2]}"


def _text_model(model: TextModel) -> str:
    return str(getattr(model.pack, "name", model.model_id))


def _stored(library: Library, model_id: str) -> _Stored | None:
    row = library.conn.execute(
        "SELECT text_model, vocabulary, concepts, source, background, full_count, upto_rowid "
        "FROM tag_sets WHERE model_id = ?",
        (model_id,),
    ).fetchone()
    return _Stored(*row) if row is not None else None


def _can_add_to(stored: _Stored, count: int, incremental_from: int) -> bool:
    """Whether the stored backgrounds still describe the library (else all is recomputed)."""
    return (
        stored.background is not None
        and stored.full_count >= incremental_from
        and stored.full_count / GROWTH_LIMIT <= count <= stored.full_count * GROWTH_LIMIT
    )


def compute_tags(
    library: Library,
    model: TextModel,
    vocabulary: Vocabulary | None = None,
    force: bool = False,
    incremental_from: int = INCREMENTAL_FROM,
    control: RunControl | None = None,
) -> TagRun:
    """Tag the photos with a vector of ``model``, unless the stored tags are current.

    Meant to run after indexing, on the writer. The first run (and any run once the library
    grew or shrank past ``GROWTH_LIMIT``, or with a new text model or vocabulary) tags every
    photo: one matrix product over the stored vectors, with backgrounds estimated anew. Later
    runs tag only the vectors added since, against the stored backgrounds: a watcher batch of a
    few photos in a library of 100k costs milliseconds, not a full pass. Libraries smaller than
    ``incremental_from`` photos are always recomputed in full (cheap, and their backgrounds are
    still settling). Cancelled through ``control`` (while the vocabulary is embedded), it
    stores nothing and returns ``computed=False``: the next run starts again.
    """
    began = time.perf_counter()
    vocabulary = vocabulary or load_vocabulary()
    model_id, text_model = model.model_id, _text_model(model)
    with library.snapshot():
        count, newest, source = _vector_state(library, model_id)
        stored = _stored(library, model_id)
        same_text = stored is not None and (stored.text_model, stored.vocabulary) == (
            text_model,
            vocabulary.digest,
        )
        if stored is not None and same_text and stored.source == source and not force:
            return TagRun(computed=False)
        incremental = (
            stored is not None
            and same_text
            and not force
            and _can_add_to(stored, count, incremental_from)
        )
        after = stored.upto_rowid if incremental and stored is not None else 0
        rows = library.load_vectors(model_id, model.dim, after_rowid=after)
    if count == 0:
        return TagRun(computed=False)
    if stored is not None and same_text:
        concepts = np.frombuffer(stored.concepts, dtype="<f4").reshape(len(vocabulary.concepts), -1)
    else:
        try:
            concepts, _ = concept_vectors(model, vocabulary, control)
        except Stopped:
            return TagRun(computed=False)
    vectors = _unit(rows.vectors)
    if incremental and stored is not None and stored.background is not None:
        both = np.frombuffer(stored.background, dtype="<f4").reshape(2, -1)
        centre, spread = both[0], both[1]
    elif len(vectors):
        centre, spread = thresholds(vectors, concepts)
    else:
        return TagRun(computed=False)
    photo_rows, columns, scores = tags_with(vectors, concepts, centre, spread)
    ids = [c.id for c in vocabulary.concepts]
    tagged = rows.photo_ids.tolist()
    with library.write() as conn:
        if incremental:
            # A replaced vector (the photo changed) is tagged again: its old tags go first.
            for start in range(0, len(tagged), 500):
                chunk = tagged[start : start + 500]
                conn.execute(
                    f"DELETE FROM photo_tags WHERE model_id = ? AND photo_id IN "
                    f"({','.join('?' * len(chunk))})",
                    [model_id, *chunk],
                )
            conn.execute(
                "UPDATE tag_sets SET source = ?, upto_rowid = ?, computed_at = ? "
                "WHERE model_id = ?",
                (source, newest, time.time(), model_id),
            )
        else:
            conn.execute("DELETE FROM photo_tags WHERE model_id = ?", (model_id,))
            conn.execute(
                "INSERT INTO tag_sets (model_id, text_model, vocabulary, concepts, source, "
                "computed_at, background, full_count, upto_rowid) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (model_id) DO UPDATE SET "
                "text_model = excluded.text_model, vocabulary = excluded.vocabulary, "
                "concepts = excluded.concepts, source = excluded.source, "
                "computed_at = excluded.computed_at, background = excluded.background, "
                "full_count = excluded.full_count, upto_rowid = excluded.upto_rowid",
                (
                    model_id,
                    text_model,
                    vocabulary.digest,
                    np.ascontiguousarray(concepts, dtype="<f4").tobytes(),
                    source,
                    time.time(),
                    np.ascontiguousarray(np.stack([centre, spread]), dtype="<f4").tobytes(),
                    count,
                    newest,
                ),
            )
        conn.executemany(
            "INSERT INTO photo_tags (model_id, tag, photo_id, score) VALUES (?, ?, ?, ?)",
            zip(
                [model_id] * len(columns),
                [ids[c] for c in columns.tolist()],
                rows.photo_ids[photo_rows].tolist(),
                scores.tolist(),
                strict=True,
            ),
        )
    seconds = time.perf_counter() - began
    return TagRun(True, len(tagged), len(columns), seconds, incremental)


def tag_counts(library: Library, model_id: str) -> list[TagCount]:
    """Readable photos per tag, most first (what the sidebar's "Things" lists)."""
    rows = library.conn.execute(
        "SELECT t.tag, count(*) AS n FROM photo_tags t JOIN photos p ON p.id = t.photo_id "
        "WHERE t.model_id = ? AND p.status = 'ok' GROUP BY t.tag ORDER BY n DESC, t.tag",
        (model_id,),
    )
    return [TagCount(r[0], int(r[1])) for r in rows]


def photos_with_tag(library: Library, model_id: str, tag: str) -> list[int]:
    """Ids of readable photos with ``tag``, the clearest first."""
    rows = library.conn.execute(
        "SELECT t.photo_id FROM photo_tags t JOIN photos p ON p.id = t.photo_id "
        "WHERE t.model_id = ? AND t.tag = ? AND p.status = 'ok' ORDER BY t.score DESC, t.photo_id",
        (model_id, tag),
    )
    return [int(r[0]) for r in rows]


def tags_of(library: Library, model_id: str, photo_id: int) -> list[str]:
    """The tags of one photo, the clearest first (for the info panel)."""
    rows = library.conn.execute(
        "SELECT tag FROM photo_tags WHERE model_id = ? AND photo_id = ? ORDER BY score DESC",
        (model_id, photo_id),
    )
    return [r[0] for r in rows]
