"""What the library writer tells its faces: typed facts, never sentences.

:class:`~desktop_album.core.writer.LibraryWriter` emits these on its own thread, in order. Each
face (the CLI, the window) words them in its own language; nothing here is meant to be shown as
it is, and no face parses text back. Every job ends with exactly one :class:`JobFinished`, also
when it failed (then a :class:`JobFailed` comes first), so no face is ever left waiting.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
from numpy.typing import NDArray

# Job kinds.
STARTUP = "startup"  # the catch-up reconcile when the writer starts
ADD = "add"  # folders added as roots, then indexed
INDEX = "index"  # roots reconciled and indexed on request
CHANGES = "changes"  # a watcher batch
BACK = "back"  # a root plugged back in
CONFIRM = "confirm"  # the user confirmed that vanished photos were deleted
REMOVE = "remove"  # a root forgotten
PERIODIC = "periodic"  # the hourly full reconcile (a watcher can miss events)
RESUME = "resume"  # work that failed for a full disk, tried again
MODEL = "model"  # another model loaded
ACTION = "action"  # a file action or library edit a face asked for


@dataclass(frozen=True)
class RootState:
    """One root as the faces list it."""

    id: int
    path: str
    online: bool
    photos: int


@dataclass(frozen=True)
class RootsListed:
    """The roots after something about them changed (added, removed, online, counts)."""

    roots: tuple[RootState, ...]


@dataclass(frozen=True)
class PhotosChanged:
    """What one job did to the photos of one root."""

    job_id: int
    root_id: int
    path: str
    reason: str  # the job kind
    new: int = 0
    changed: int = 0
    moved: int = 0
    missing: int = 0
    back: int = 0
    indexed: int = 0  # embedded by the model
    reused: int = 0  # copies and moves that got an existing vector, no inference
    failed: int = 0

    @property
    def any(self) -> bool:
        counts = (self.new, self.changed, self.moved, self.missing, self.back, self.failed)
        return any(counts) or bool(self.indexed)


@dataclass(frozen=True)
class RootOffline:
    """A root's folder is gone (unplugged drive, unmounted share). Its photos are kept."""

    root_id: int
    path: str


@dataclass(frozen=True)
class RootOnline:
    """A root that was offline is back; a reconcile follows."""

    root_id: int
    path: str


@dataclass(frozen=True)
class NeedsConfirmation:
    """Many photos of a root vanished at once and were NOT marked missing: ask the user, then
    call ``LibraryWriter.confirm_missing(root_id)``."""

    root_id: int
    path: str
    photo_ids: tuple[int, ...]


@dataclass(frozen=True)
class Progress:
    """Indexing progress of the running job. ``total`` is known once scanning is done."""

    job_id: int
    phase: str  # "scanning", "indexing", "done"
    done: int = 0
    total: int = 0
    failed: int = 0
    current: str | None = None
    rate: float = 0.0


@dataclass(frozen=True)
class VectorsAdded:
    """Vectors just committed, for an in-process search index."""

    model_id: str
    photo_ids: tuple[int, ...]
    vectors: NDArray[np.float32]


@dataclass(frozen=True)
class WatchNotice:
    """Something about watching worth telling once. ``kind``: "limit" (the system's watch
    limit was reached: polled), "network" (a network drive: polled), "unwatchable"."""

    kind: str
    path: str
    detail: str | None = None


@dataclass(frozen=True)
class ModelChanged:
    """The writer's model: loaded (``model`` set), or why there is none."""

    model: Any  # the ClipModel, shared with the search side (one model in the process)
    error_kind: str | None = None
    message: str | None = None


@dataclass(frozen=True)
class ThingsUpdated:
    """The model's things (tags) were computed again: ``photos`` tagged (only the new ones when
    ``incremental``), ``tags`` given."""

    model_id: str
    photos: int
    tags: int
    incremental: bool = False


@dataclass(frozen=True)
class JobStarted:
    job_id: int
    kind: str


@dataclass
class JobSummary:
    """The totals of one job, over every root it touched."""

    kind: str
    indexed: int = 0
    reused: int = 0
    unchanged: int = 0
    new: int = 0
    changed: int = 0
    moved: int = 0
    missing: int = 0
    back: int = 0
    retried: int = 0  # failed photos set to be tried again
    failed: list[tuple[str, str]] = field(default_factory=list)
    offline_roots: list[str] = field(default_factory=list)
    held_back: list[NeedsConfirmation] = field(default_factory=list)
    unreadable_folders: list[tuple[str, str]] = field(default_factory=list)  # (folder, reason)
    scanned_only: bool = False  # no model: files found, not embedded
    hashed: int = 0  # perceptual hashes filled in after indexing (duplicates)
    tagged: int = 0  # photos given things (tags) after indexing
    cancelled: bool = False
    seconds: float = 0.0

    @property
    def has_changes(self) -> bool:
        # A retried photo whose content another photo had is reused, not indexed: still a change.
        counts = (self.new, self.changed, self.moved, self.missing, self.back, self.indexed)
        return (
            any(counts)
            or bool(self.reused or self.retried)
            or bool(self.failed)
            or bool(self.held_back)
        )


@dataclass(frozen=True)
class JobFailed:
    """A job stopped on an error. ``error_kind`` is one of core.errors' kinds; BUG for a bug.
    What was committed before stays; the writer carries on with the next job."""

    job_id: int
    kind: str
    error_kind: str
    message: str
    details: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class JobFinished:
    """Always the last event of a job."""

    job_id: int
    kind: str
    summary: JobSummary
    failed: bool = False


@dataclass(frozen=True)
class Resumed:
    """Work held up by ``error_kind`` (a full disk) went through again."""

    error_kind: str


@dataclass(frozen=True)
class BusyChanged:
    """Work started with nothing queued, or the last queued work ended."""

    busy: bool


@dataclass(frozen=True)
class WriterStopped:
    """The writer could not open the library, or was stopped. ``error_kind`` set on failure."""

    error_kind: str | None = None
    message: str | None = None


Event = (
    RootsListed
    | PhotosChanged
    | RootOffline
    | RootOnline
    | NeedsConfirmation
    | Progress
    | VectorsAdded
    | WatchNotice
    | ModelChanged
    | ThingsUpdated
    | JobStarted
    | JobFailed
    | JobFinished
    | Resumed
    | BusyChanged
    | WriterStopped
)
