"""One query model for the window and the CLI: what to look for, what to avoid, where and when.

A ``Query`` holds free text (several phrases), example photos (indexed ids or image files),
negative text and examples, tags (parsed here, resolved by ``tag_query.py``) and ``Filters``
(date range, folders, camera, file type, orientation, offline, album, favourites, things).
``parse_query`` turns the search bar's text into one.

Combining (as rclip does): every positive part (each phrase, each example) is embedded to a unit
vector; every negative part too. The query vector is

    q = normalise( sum(positives) - NEGATIVE_WEIGHT * sum(negatives) )

with ``NEGATIVE_WEIGHT = 0.5``: a negative pushes its look down without turning the query into
"the opposite of X" (at 1.0 a single negative dominates a single positive on CLIP-like models and
the top results become "whatever is least like X"). A query of negatives only is
``normalise(-sum(negatives))``: the photos least like them.

Negatives in the bar: ``-word``, ``-"two words"``, ``not X`` / ``without X`` (X runs to the next
comma), ``X 말고`` / ``X 제외`` / ``X 빼고`` (X is the word before, or the phrase since the last
comma). Phrases are combined with ``;`` or `` + `` (a comma is part of a phrase).
``tag:x`` and ``#x`` become tags.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path

import numpy as np
from numpy.typing import NDArray

from desktop_album.core.dates import DateRange, parse_dates

NEGATIVE_WEIGHT = 0.5

# File types that are the same thing under two names.
_TYPE_ALIASES = {"jpeg": "jpg", "tif": "tiff", "heif": "heic"}


def normalise_type(ext: str) -> tuple[str, ...]:
    """All stored spellings of a file type: "jpeg" -> ("jpg", "jpeg")."""
    ext = ext.lower().lstrip(".")
    canonical = _TYPE_ALIASES.get(ext, ext)
    return tuple(sorted({canonical, *(k for k, v in _TYPE_ALIASES.items() if v == canonical)}))


@dataclass(frozen=True)
class Filters:
    """Which photos a query may return. Every field left empty keeps all photos.

    Attributes:
        dates: the photo's date (EXIF, else file time) within this range.
        folders: absolute folder paths (a root or any subfolder); a photo in any of them.
        camera: a case-insensitive part of the camera make/model ("iphone", "Canon EOS").
        file_types: extensions without the dot ("jpg", "png"); aliases included.
        orientation: "landscape", "portrait" or "square".
        offline: True only photos on offline drives, False only online ones, None both.
        album: only photos in this album (an album id, core/albums.py).
        favourites: only favourites.
        things: concept ids (core/things.py); a photo needs every one of them.
        things_model: whose tags ``things`` reads (tags are stored per model); the search
            engine fills it with its model's id.
    """

    dates: DateRange | None = None
    folders: tuple[str, ...] = ()
    camera: str | None = None
    file_types: tuple[str, ...] = ()
    orientation: str | None = None
    offline: bool | None = None
    album: int | None = None
    favourites: bool = False
    things: tuple[str, ...] = ()
    things_model: str | None = None

    def is_empty(self) -> bool:
        return self == Filters()


@dataclass(frozen=True)
class Query:
    """What to search for. Photo ids are library ids; files are embedded when not indexed."""

    texts: tuple[str, ...] = ()
    like_ids: tuple[int, ...] = ()
    like_files: tuple[Path, ...] = ()
    not_texts: tuple[str, ...] = ()
    unlike_ids: tuple[int, ...] = ()
    unlike_files: tuple[Path, ...] = ()
    tags: tuple[str, ...] = ()
    filters: Filters = field(default_factory=Filters)
    date_phrase: str | None = None  # the words the date filter came from (the chip's label)
    negative_weight: float = NEGATIVE_WEIGHT

    def has_positive(self) -> bool:
        return bool(self.texts or self.like_ids or self.like_files)

    def has_vector(self) -> bool:
        """Whether there is anything to rank by (else the query only browses, by date)."""
        return self.has_positive() or bool(self.not_texts or self.unlike_ids or self.unlike_files)

    def has_text(self) -> bool:
        return bool(self.texts or self.not_texts)

    def without_date(self) -> Query:
        """The query with its date chip removed."""
        return replace(self, filters=replace(self.filters, dates=None), date_phrase=None)


def combine(
    positives: list[NDArray[np.float32]],
    negatives: list[NDArray[np.float32]],
    negative_weight: float = NEGATIVE_WEIGHT,
) -> NDArray[np.float32] | None:
    """``normalise(sum(unit positives) - weight * sum(unit negatives))``; None if nothing."""

    def unit(v: NDArray[np.float32]) -> NDArray[np.float32]:
        v = np.asarray(v, dtype=np.float32).reshape(-1)
        norm = float(np.linalg.norm(v))
        return v / norm if norm > 0 else v

    if not positives and not negatives:
        return None
    total = np.zeros_like(unit((positives or negatives)[0]))
    for v in positives:
        total += unit(v)
    weight = negative_weight if positives else 1.0
    for v in negatives:
        total -= weight * unit(v)
    norm = float(np.linalg.norm(total))
    if norm < 1e-6:
        return None
    result: NDArray[np.float32] = (total / norm).astype(np.float32)
    return result


# -- parsing the search bar -------------------------------------------------------------------

_TAG = re.compile(r"(?<!\S)(?:tag:|#)(?P<tag>[^\s,]+)")
_MINUS = re.compile(r'(?<!\S)-(?:"(?P<quoted>[^"]+)"|(?P<word>[^\s,\-\d][^\s,]*))')
_NOT_EN = re.compile(r"(?<!\S)(?:not|without|except|but not)\s+(?P<what>[^,]+)", re.IGNORECASE)
_NOT_KO = re.compile(r"(?P<what>[^\s,]+)\s*(?:말고|제외|빼고|없이)(?:하고|한)?(?=\s|,|$)")


def parse_query(
    text: str,
    today: date | None = None,
    filters: Filters | None = None,
) -> Query:
    """The search bar's text as a Query: date chip, negatives, tags and positive phrases.

    Args:
        text: as typed.
        today: for relative dates ("last week"); default the computer's today.
        filters: the rest of the UI state (sidebar folder, filter menu); a date typed in the
            text is intersected with ``filters.dates`` when both are set.

    Never raises: text that no rule reads stays search text.
    """
    filters = filters or Filters()
    try:
        return _parse(text or "", today, filters)
    except Exception:  # a rule bug must not break searching: the whole text is the query
        return Query(texts=(text.strip(),) if text and text.strip() else (), filters=filters)


def _parse(text: str, today: date | None, filters: Filters) -> Query:
    tags: list[str] = []
    negatives: list[str] = []

    def take_tag(m: re.Match[str]) -> str:
        tags.append(m.group("tag"))
        return " "

    def take_minus(m: re.Match[str]) -> str:
        negatives.append((m.group("quoted") or m.group("word")).strip())
        return " "

    def take_not(m: re.Match[str]) -> str:
        negatives.append(m.group("what").strip())
        return " "

    text = _TAG.sub(take_tag, text)
    text = _MINUS.sub(take_minus, text)
    # Dates before "not X", so "not at home 2022" keeps 2022 as the date.
    parsed = parse_dates(text, today)
    text = parsed.text
    text = _NOT_KO.sub(take_not, text)
    text = _NOT_EN.sub(take_not, text)
    # Commas are natural language ("a red car, in the rain"): one phrase. Phrases are joined
    # explicitly, with ";" or " + "; what taking dates and negatives out left is tidied.
    phrases = [re.sub(r"(\s*,\s*)+", ", ", p).strip(" ,") for p in re.split(r";|\s\+\s", text)]
    dates = filters.dates
    if parsed.range is not None:
        dates = parsed.range if dates is None else (dates.intersect(parsed.range) or parsed.range)
    return Query(
        texts=tuple(p for p in phrases if p),
        not_texts=tuple(n for n in negatives if n),
        tags=tuple(tags),
        filters=replace(filters, dates=dates),
        date_phrase=parsed.phrase,
    )
