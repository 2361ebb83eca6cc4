"""The window follows the disk: folders watched, unplugged drives noticed, vanishings confirmed.

:class:`LiveWatch` is the GUI thread's side. It keeps the core :class:`FolderWatcher` (owned by
a small worker on its own ``QThread``, since scheduling a recursive watch walks the folder tree)
watching every online root, hands each batch of changes to the index controller, asks the index
worker every few seconds whether a root was unplugged or came back, and asks the user before
many photos that vanished at once are marked missing.

The plain functions at the top run on the index worker's thread: they narrow a job to the files
and folders a watcher batch named, and apply renames and moves so that photos keep their vectors.
"""

from __future__ import annotations

import os
import re
import string
from collections.abc import Sequence
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt, QTimer, Signal, Slot
from PySide6.QtWidgets import QAbstractButton, QMessageBox, QWidget

from desktop_album.core.library import Library, Root, deepest_root
from desktop_album.core.scanning import (
    ScanReport,
    root_is_available,
    stored_photos_under,
)
from desktop_album.core.watching import (
    NOTICE_LIMIT,
    NOTICE_NETWORK,
    NOTICE_UNWATCHABLE,
    ChangeBatch,
    FolderWatcher,
)
from desktop_album.gui.records import (
    Availability,
    HeldBack,
    IndexRequest,
    IndexResult,
    RootState,
)
from desktop_album.gui.services import Tuning
from desktop_album.gui.tasks import WorkerThread

if TYPE_CHECKING:
    from desktop_album.gui.index_controller import IndexController

Scopes = dict[int, list[str] | None]  # root id -> files and folders to reconcile (None: all)

# -- work for the index worker's thread (plain data, no Qt) ---------------------------------


def change_scopes(roots: Sequence[Root], batch: ChangeBatch) -> Scopes:
    """What of each online root a batch asks to reconcile; an overflow means the whole root.

    Offline roots are left out: the availability check reconciles them when they are back.
    """
    full: set[int] = set()
    parts: dict[int, set[str]] = {}
    for path in batch.overflow_roots:
        if (root := deepest_root(roots, path)) is not None:
            full.add(root.id)
    paths = set(batch.changed) | set(batch.deleted)
    for src, dest in batch.moved:
        paths.update((src, dest))  # a move applied is confirmed by the scan, one not is found
    for path in paths:
        if (root := deepest_root(roots, path)) is not None:
            parts.setdefault(root.id, set()).add(path)
    return {
        root.id: None if root.id in full else sorted(parts[root.id])
        for root in roots
        if root.online and (root.id in full or root.id in parts)
    }


def apply_moves(library: Library, roots: Sequence[Root], moved: Sequence[tuple[str, str]]) -> int:
    """Renamed or moved photos (or folders of photos) keep their id and vectors.

    A move is applied only where the disk agrees (the file at the new path has the stored size
    and mtime, which a rename keeps); the rest is left to the scan. All in one transaction.
    Returns how many photos moved.
    """
    planned: list[tuple[int, str, int]] = []
    leaving: set[str] = set()
    for src, dest in moved:
        src_root, dest_root = deepest_root(roots, src), deepest_root(roots, dest)
        if src_root is None or dest_root is None or not dest_root.online:
            continue
        prefix = src.rstrip(os.sep)
        for old_path, photo in stored_photos_under(library, src_root.id, src).items():
            new_path = dest.rstrip(os.sep) + old_path[len(prefix) :]
            try:
                st = os.stat(new_path)
            except OSError:
                continue
            if st.st_size == photo.size and st.st_mtime_ns == photo.mtime_ns:
                planned.append((photo.id, new_path, dest_root.id))
                leaving.add(old_path)
    # A swap (a -> b while b -> a) would overwrite a photo still to be moved: the scan decides.
    moves = [m for m in planned if m[1] not in leaving]
    if moves:
        library.move_photos(moves)
    return len(moves)


def plan(library: Library, request: IndexRequest) -> tuple[int, Scopes]:
    """Apply the request's moves; return how many photos moved and what to reconcile."""
    roots = library.roots()
    moved = 0
    scopes: Scopes = {}
    if request.changes is not None:
        moved = apply_moves(library, roots, request.changes.moved)
        scopes.update(change_scopes(roots, request.changes))
    for root in roots:
        if request.root_ids is None or root.id in request.root_ids:
            scopes[root.id] = None
    return moved, scopes


def check_roots(library: Library) -> Availability:
    """Stat every root and flip the online flag of those unplugged or plugged back in.

    Only the flag changes (photos stay, shown offline); a root that is back needs a reconcile.
    """
    gone: list[RootState] = []
    back: list[RootState] = []
    counts = library.root_counts()
    for root in library.roots():
        photos = counts.get(root.id, 0)
        available = root_is_available(Path(root.path), has_photos=photos > 0)
        if available != root.online:
            library.set_root_online(root.id, available)
            state = RootState(root.id, root.path, available, photos)
            (back if available else gone).append(state)
    return Availability(gone, back)


def held_back(reports: Sequence[ScanReport]) -> list[HeldBack]:
    return [
        HeldBack(r.root.id, r.root.path, tuple(r.held_back_missing))
        for r in reports
        if r.needs_confirmation
    ]


# -- watching, on the folder-watch thread ---------------------------------------------------


class _WatchWorker(QObject):
    """Owns the folder watcher; its slots run on the ``folder-watch`` thread.

    Signals:
        changes(ChangeBatch): a batch of changes, emitted on the watcher's own thread.
        notices(list[str]): notices the watcher added (polling fallback, inotify limit).
    """

    changes = Signal(object)
    notices = Signal(object)

    def __init__(self, tuning: Tuning) -> None:
        super().__init__()
        self.watcher = FolderWatcher(
            [],
            self.changes.emit,  # a queued connection carries it to the GUI thread
            debounce_s=tuning.watch_debounce_ms / 1000,
            force_polling=tuning.watch_polling,
            polling_interval_s=tuning.watch_polling_interval_ms / 1000,
        )
        self._seen = 0

    @Slot(object)
    def watch(self, paths: list[str]) -> None:
        """Watch exactly these folders (the online roots), starting the watcher if need be."""
        current = self.watcher.paths
        for path in current:
            if path not in paths:
                self.watcher.remove_path(path)
        for path in paths:
            if path not in current:
                self.watcher.add_path(path)
        self.watcher.start()  # once; it schedules the paths it was given so far
        fresh = self.watcher.notices[self._seen :]
        self._seen += len(fresh)
        if fresh:
            self.notices.emit(list(fresh))

    @Slot()
    def stop(self) -> None:
        """Runs on this thread as it ends (WorkerThread), so no watch call can race it."""
        self.watcher.stop(0.8)


def _pattern(template: str) -> re.Pattern[str]:
    """A regular expression matching what ``template.format(...)`` produced."""
    parts = []
    for literal, name, _spec, _conversion in string.Formatter().parse(template):
        parts.append(re.escape(literal))
        if name:
            parts.append(f"(?P<{name}>.+?)")
    return re.compile("".join(parts) + r"\Z", re.DOTALL)


_NOTICES = {
    "limit": _pattern(NOTICE_LIMIT),
    "network": _pattern(NOTICE_NETWORK),
    "unwatchable": _pattern(NOTICE_UNWATCHABLE),
}


class LiveWatch(QObject):
    """Keeps the window's library in step with the disk while the window runs.

    Args:
        tuning: delays and intervals (``watch_*``, ``availability_interval_ms``).
        index: the index controller; changes, availability checks and confirmations go there.
        window: the parent, and the parent of the vanish-guard question.

    Signals:
        message(str): a line for the status bar (a watcher notice, a root offline or back).
        missingAsked(QMessageBox): the vanish-guard question was put up (tests answer it).
    """

    message = Signal(str)
    missingAsked = Signal(object)
    _watch = Signal(object)

    def __init__(self, tuning: Tuning, index: IndexController, window: QWidget) -> None:
        super().__init__(window)
        self._window = window
        self._index = index
        self._enabled = tuning.watch_folders
        self._worker = _WatchWorker(tuning)
        self._thread = WorkerThread(self._worker, "folder-watch")
        WorkerThread.connect_request(self._watch, self._worker.watch)
        WorkerThread.connect_result(self._worker.changes, self._on_changes)
        WorkerThread.connect_result(self._worker.notices, self._on_notices)
        self._timer = QTimer(self)
        self._timer.setInterval(tuning.availability_interval_ms)
        self._timer.timeout.connect(index.check_availability)
        index.libraryReady.connect(self._library_ready)
        index.rootsChanged.connect(self._roots_changed)
        index.finished.connect(self._index_finished)
        self._paths: list[str] | None = None
        self._online: dict[int, bool] | None = None  # root id -> online, as last shown
        self._shown: set[str] = set()
        self._kept: dict[int, set[int]] = {}  # root id -> photo ids the user chose to keep
        self.prompts: dict[int, QMessageBox] = {}  # root id -> the question on screen
        self._closed = False

    @property
    def watcher(self) -> FolderWatcher:
        """The core watcher (thread-safe; tests read its state)."""
        return self._worker.watcher

    @property
    def running(self) -> bool:
        return self._thread.thread.isRunning()

    def start(self) -> None:
        if self._enabled:
            self._thread.start()

    def shutdown(self, timeout_ms: int = 1000) -> bool:
        """Stop checking and watching; True when the watch thread ended within the timeout."""
        self._closed = True
        self._timer.stop()
        for box in list(self.prompts.values()):
            box.blockSignals(True)
            box.close()
        self.prompts.clear()
        if self._thread.stop(timeout_ms):
            return True
        self._thread.thread.wait()  # it is inside a tree walk; never destroy a running QThread
        return False

    # -- following the index worker -----------------------------------------------------------

    def _library_ready(self) -> None:
        if not self._closed and self._timer.interval() > 0:
            self._timer.start()

    def _roots_changed(self, roots: list[RootState]) -> None:
        if self._closed:
            return
        known, self._online = self._online, {r.id: r.online for r in roots}
        if known is not None:
            self._tell_transitions(known, roots)
        paths = sorted(r.path for r in roots if r.online)
        if self._enabled and paths != self._paths:
            self._paths = paths
            self._watch.emit(paths)  # an unplugged root is dropped, one back is watched afresh

    def _tell_transitions(self, known: dict[int, bool], roots: list[RootState]) -> None:
        """A root went offline or came back: say so once, whoever noticed (check or scan)."""
        for root in roots:
            was = known.get(root.id)
            if was is True and not root.online:
                text = self.tr("{folder} is offline (unplugged drive?). Its photos are kept.")
                self.message.emit(text.format(folder=root.path))
            elif was is False and root.online:
                self.message.emit(self.tr("{folder} is back online.").format(folder=root.path))

    @Slot(object)
    def _on_changes(self, batch: ChangeBatch) -> None:
        if not self._closed:
            self._index.request_changes(batch)

    @Slot(object)
    def _on_notices(self, notices: list[str]) -> None:
        fresh = [n for n in notices if n not in self._shown]
        self._shown.update(fresh)
        if fresh and not self._closed:
            self.message.emit(" ".join(self._translate(n) for n in fresh))

    def _translate(self, notice: str) -> str:
        found = {kind: p.match(notice) for kind, p in _NOTICES.items()}
        if (m := found["limit"]) is not None:
            return self.tr(
                "Too many folders to watch (the system's limit was reached): {path} is checked "
                "by polling, so changes may take a minute to appear."
            ).format(path=m["path"])
        if (m := found["network"]) is not None:
            return self.tr(
                "{path} is on a network drive: it is checked by polling, so changes may take a "
                "minute to appear."
            ).format(path=m["path"])
        if (m := found["unwatchable"]) is not None:
            return self.tr(
                "{path} cannot be watched ({error}): changes show up when it is scanned again."
            ).format(path=m["path"], error=m["error"])
        return notice

    # -- the vanish guard ----------------------------------------------------------------------

    def _index_finished(self, result: IndexResult) -> None:
        if not self._closed:
            for held in result.held_back:
                self.ask_missing(held)

    def ask_missing(self, held: HeldBack) -> QMessageBox | None:
        """Ask whether photos that vanished at once were deleted; returns the open question.

        The box is window-modal but does not block (``open()``): the answer arrives as a click.
        Photos the user chose to keep are not asked about again while the window runs.
        """
        kept = self._kept.get(held.root_id, set())
        if held.root_id in self.prompts or set(held.photo_ids) <= kept:
            return None
        box = QMessageBox(self._window)
        box.setObjectName("missingPrompt")
        box.setIcon(QMessageBox.Icon.Question)
        box.setWindowTitle(self.tr("Photos disappeared"))
        question = self.tr(
            "{count} photos in {folder} disappeared at once. Was the drive unplugged?"
        )
        box.setText(question.format(count=len(held.photo_ids), folder=held.path))
        keep = box.addButton(self.tr("Keep them"), QMessageBox.ButtonRole.RejectRole)
        keep.setObjectName("keepPhotos")
        mark = box.addButton(self.tr("Mark them missing"), QMessageBox.ButtonRole.DestructiveRole)
        mark.setObjectName("markMissing")
        box.setDefaultButton(keep)
        box.setEscapeButton(keep)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.buttonClicked.connect(partial(self._answered, held))
        box.finished.connect(lambda _code: self.prompts.pop(held.root_id, None))
        self.prompts[held.root_id] = box
        box.open()
        self.missingAsked.emit(box)
        return box

    def _answered(self, held: HeldBack, button: QAbstractButton) -> None:
        if button.objectName() == "markMissing":
            self._index.index([held.root_id], confirm_missing=True)
        else:
            self._kept.setdefault(held.root_id, set()).update(held.photo_ids)
