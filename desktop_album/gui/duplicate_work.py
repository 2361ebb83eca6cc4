"""The Duplicates view's work off the GUI thread: finding the groups on a worker with a
read-only library of its own, and the writes (trash, perceptual hashes) on the one writer.

Both take plain data; results come back as Qt signals, queued to the GUI thread.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QObject, Signal

from desktop_album.core import errors
from desktop_album.core.duplicate_review import (
    DuplicateReview,
    resolve_model_id,
    review_duplicates,
    trash_others,
)
from desktop_album.core.library import Library
from desktop_album.core.pack_store import PackStore
from desktop_album.core.phash_backfill import backfill_phashes
from desktop_album.core.thumbnails import ThumbnailCache
from desktop_album.gui.error_words import failure_text
from desktop_album.gui.index_controller import IndexController
from desktop_album.gui.records import ModelChoice


@dataclass(frozen=True)
class ReviewRequest:
    """Plain data for one review: everything the worker function needs."""

    library_file: Path
    model_id: str | None
    model_known: bool  # False: the window has not loaded a model yet; resolve it from the choice
    choice: ModelChoice


def read_review(request: ReviewRequest) -> DuplicateReview:
    """Find the duplicate groups with a read-only library of our own. Runs on a worker."""
    model_id = request.model_id
    if not request.model_known:
        model_id = resolve_model_id(PackStore(request.choice.models_dir), request.choice.model)
    library = Library.open_reader(request.library_file)
    try:
        return review_duplicates(library, model_id)
    finally:
        library.close()


class DuplicateWrites(QObject):
    """Runs the view's writes as writer jobs (``IndexController.run_action``).

    Signals (emitted on the writer's thread, so queued to the GUI thread's receivers):
        trashed(ActionReport): a move to the trash ended; one outcome per file.
        prepared(): the missing perceptual hashes were computed.
        failed(str): a write raised; the words for the user.
    """

    trashed = Signal(object)
    prepared = Signal()
    failed = Signal(str)

    def __init__(self, index: IndexController, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._index = index

    def trash(self, plan: Sequence[tuple[int, Sequence[int]]]) -> None:
        """Per group (kept photo, others): ``file_actions.move_to_trash`` on the others, only
        while the kept photo is still there (``core.duplicate_review.trash_others``)."""
        self._run(lambda lib: trash_others(lib, plan), self.trashed.emit)

    def prepare(self, thumbnails: ThumbnailCache, size: int) -> None:
        self._run(
            lambda lib: backfill_phashes(lib, thumbnails, size), lambda _: self.prepared.emit()
        )

    def _run(self, action: Callable[[Library], object], done: Callable[[object], None]) -> None:
        def job(library: Library) -> object:
            try:
                result = action(library)
            except Exception as exc:  # shown in the view; the writer reports it too
                kind = getattr(exc, "kind", errors.BUG)
                self.failed.emit(failure_text(kind, str(exc), getattr(exc, "details", {})))
                raise
            done(result)
            return result

        self._index.run_action(job)
