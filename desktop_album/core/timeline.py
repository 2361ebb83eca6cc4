"""Date headers for a grid in date order: day, month or year, chosen by how dense the photos are.

A timeline of a few photos a day reads best by day; ten thousand photos over ten years by month
or year. :func:`sections` takes the photos' dates in display order and returns where each header
starts, at the finest granularity that still gives each header enough photos on average
(``MIN_PER_SECTION``) and no more than ``MAX_SECTIONS`` headers in all.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

DAY, MONTH, YEAR = "day", "month", "year"
FOLDER = "folder"  # not a date: a header per folder, for the folder order (core/ordering.py)
UNKNOWN = ""  # the key of photos without any date
MIN_PER_SECTION = 8
MAX_SECTIONS = 400
_WIDTH = {DAY: 10, MONTH: 7, YEAR: 4}  # characters of an ISO 8601 date kept per granularity


@dataclass(frozen=True)
class Section:
    """A header before the photo at ``start`` (an index into the ordered photos)."""

    start: int
    key: str  # "2023-07-14", "2023-07", "2023", or UNKNOWN
    granularity: str  # DAY, MONTH, YEAR, or FOLDER (key: the folder, "" for a root itself)


def _key(date: str | None, granularity: str) -> str:
    if not date or len(date) < 4:
        return UNKNOWN
    return date[: _WIDTH[granularity]]


def choose_granularity(dates: Sequence[str | None]) -> str:
    """DAY, MONTH or YEAR: the finest whose headers are not too many for these photos."""
    count = len(dates)
    limit = max(1, min(MAX_SECTIONS, count // MIN_PER_SECTION))
    for granularity in (DAY, MONTH):
        distinct = len({_key(d, granularity) for d in dates})
        if distinct <= limit:
            return granularity
    return YEAR


def sections(dates: Sequence[str | None], granularity: str | None = None) -> list[Section]:
    """Headers for photos in date order (newest or oldest first): one where the key changes.

    ``dates`` are ISO 8601 strings (``2023-07-14T10:00:00`` or a prefix) or None.
    """
    chosen = granularity or choose_granularity(dates)
    found: list[Section] = []
    previous: str | None = None
    for index, date in enumerate(dates):
        key = _key(date, chosen)
        if key != previous:
            found.append(Section(index, key, chosen))
            previous = key
    return found


def folder_sections(folders: Sequence[str]) -> list[Section]:
    """Headers for photos in folder order: one where the folder changes."""
    found: list[Section] = []
    previous: str | None = None
    for index, folder in enumerate(folders):
        if folder != previous:
            found.append(Section(index, folder, FOLDER))
            previous = folder
    return found
