"""Plain data that crosses threads between the workers and the window.

Nothing here holds a Qt object, a connection or a model: workers build these, signals carry
them, the GUI only reads them. All are frozen (or treated as such once emitted).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from desktop_album.core.library import PhotoInfo
from desktop_album.core.timeline import Section


@dataclass(frozen=True, slots=True)
class PhotoRow:
    """What the grid needs to paint one photo, and the viewer to describe it."""

    id: int
    path: str
    size: int
    taken_at: str | None
    camera: str | None
    width: int | None
    height: int | None
    content_hash: str | None
    offline: bool
    score: float | None = None
    favourite: bool = False  # drawn as a heart on the cell
    vanished: bool = False  # held back by the vanish guard: gone from disk, not yet confirmed
    date: str | None = None  # the EXIF date, else the file's time: what date order follows

    @property
    def name(self) -> str:
        return Path(self.path).name

    @classmethod
    def from_info(
        cls, info: PhotoInfo, score: float | None = None, favourite: bool = False
    ) -> PhotoRow:
        return cls(
            id=info.id,
            path=info.path,
            size=info.size,
            taken_at=info.taken_at,
            camera=info.camera,
            width=info.width,
            height=info.height,
            content_hash=info.content_hash,
            offline=not info.online,
            score=score,
            favourite=favourite,
            vanished=info.vanished,
            date=info.date_at,
        )


@dataclass(frozen=True)
class ResultSet:
    """The answer to one query. ``kind``: browse, text, similar_photo, similar_file.

    ``ids`` is the whole answer, in order; ``rows`` holds the rows of its first ``len(rows)``
    ids only (a first page): the grid fetches the rest a page at a time as they scroll into
    view, so a library of 100,000 photos never becomes 100,000 rows at once.
    """

    generation: int
    kind: str
    query: str
    rows: list[PhotoRow]
    seconds: float = 0.0
    ids: list[int] = field(default_factory=list)
    # "matches", "no_good_match", "browse", "empty", "unknown_tag", "no_things" (SearchResult)
    verdict: str = "matches"
    chips: tuple[Chip, ...] = ()  # what the query understood, each removable
    sections: tuple[Section, ...] = ()  # date headers (date order only)
    limited: bool = False  # a cut-off or a count left photos out: "Show more" can ask again
    unknown: tuple[str, ...] = ()  # typed #tags that name no thing (verdict "unknown_tag")

    def __post_init__(self) -> None:
        if not self.ids and self.rows:
            object.__setattr__(self, "ids", [r.id for r in self.rows])


@dataclass(frozen=True)
class Chip:
    """One thing a query understood, shown as a removable chip under the search bar.

    ``kind``: "date" (``value`` is the phrase as typed), "not" (a negative term), "tag",
    "folder" (``value`` is the folder's path), or the sidebar's scope: "album" (its name),
    "favourites", "thing" (its name in the UI's language).
    """

    kind: str
    value: str


@dataclass(frozen=True)
class Scope:
    """Where the sidebar limits a search: an album, the favourites or a thing.

    ``kind``: "album" (``key`` its id), "favourites", "thing" (``key`` its concept id);
    ``label`` is what its chip says (the album's name, the thing's name in the UI language).
    """

    kind: str
    key: int | str | None = None
    label: str = ""


@dataclass(frozen=True)
class QueryRequest:
    """A search from the bar: the text plus the window's state."""

    text: str
    folder: str | None = None  # the sidebar's folder: the search is scoped to it
    scope: Scope | None = None  # the sidebar's album, favourites or thing
    sort: str = "relevance"  # one of core.ordering.ORDERS
    strictness: str = "normal"
    k: int | None = None  # "Show more": at least this many


@dataclass(frozen=True)
class RowsPage:
    """Rows fetched for part of a result: ``rows`` are the rows of ``ids`` (missing ids, e.g.
    photos removed meanwhile, are left out)."""

    generation: int
    ids: list[int]
    rows: list[PhotoRow]


@dataclass(frozen=True)
class RootState:
    """One library folder, as the sidebar shows it."""

    id: int
    path: str
    online: bool
    photos: int


@dataclass(frozen=True)
class ModelStatus:
    """Which model a worker runs with, or why there is none."""

    available: bool
    name: str | None = None
    path: str | None = None
    license: str | None = None
    provider: str | None = None
    problem: str | None = None  # set when not available: a sentence for the user


@dataclass(frozen=True)
class ModelChoice:
    """The settings a worker needs to load a model (copied out of Settings)."""

    model: str | None
    provider: str
    threads: int
    precision: str
    models_dir: Path
    language: str | None = None  # the UI language setting: NLLB packs' query language tie-break


@dataclass(frozen=True)
class HeldBack:
    """Photos of one root that vanished at once and were not marked missing: ask the user."""

    root_id: int
    path: str
    photo_ids: tuple[int, ...]


@dataclass(frozen=True)
class IndexResult:
    """The end of one index job."""

    indexed: int = 0
    reused: int = 0
    unchanged: int = 0
    missing: int = 0
    failed: list[tuple[str, str]] = field(default_factory=list)
    offline_roots: list[str] = field(default_factory=list)
    cancelled: bool = False
    seconds: float = 0.0
    scanned_only: bool = False  # no model: files were found but not embedded
    new: int = 0  # files found that the library did not know
    moved: int = 0  # renamed or moved photos, which kept their vectors
    held_back: list[HeldBack] = field(default_factory=list)
    live: bool = False  # started by the writer itself (catch-up, watcher, drive back)
    kind: str = "index"  # the writer's job kind (core/events.py)
    retried: int = 0  # unreadable photos tried again

    @property
    def has_changes(self) -> bool:
        """Whether the library changed (a live job that found nothing is not worth a word)."""
        found = self.new or self.moved or self.missing or self.indexed or self.reused
        return bool(found or self.retried or self.failed or self.held_back)
