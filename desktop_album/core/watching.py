"""Watching root folders for changes, and handing them on in few, coalesced batches.

Events are hints, never the truth (NOTES.md: a full inotify queue drops events without telling
the application): the consumer reconciles the folders a batch names, and a whole root when the
batch says ``overflow``. What this module adds over watchdog:

- Bursts are coalesced: 5,000 files copied in become a handful of batches, flushed after a quiet
  period, or after ``max_wait_s`` while a copy never stops.
- Only what matters is passed on: photo files (by extension) and folders; hidden names dropped.
- A folder that cannot be watched natively (inotify limit reached, or a network file system where
  the kernel sees no remote changes) is polled instead, with a notice the faces can show.
- A queue overflow, which watchdog only logs, is turned into ``overflow`` for the consumer.
"""

from __future__ import annotations

import contextlib
import errno
import logging
import os
import threading
import time
import warnings
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from watchdog.events import (
    DirCreatedEvent,
    DirDeletedEvent,
    DirMovedEvent,
    FileClosedEvent,
    FileCreatedEvent,
    FileDeletedEvent,
    FileMovedEvent,
    FileSystemEvent,
    FileSystemEventHandler,
)
from watchdog.observers import Observer
from watchdog.observers.api import BaseObserver, ObservedWatch
from watchdog.observers.polling import PollingObserver

from desktop_album.core.events import WatchNotice
from desktop_album.core.scanning import is_photo_name

log = logging.getLogger(__name__)

# watchdog 7 warns when a folder made with its parents (mkdir -p, a copied tree) gets the watch
# its parent's recursive walk already added; the watch is simply kept. Noise on a user's
# terminal, and an error in a thread under ``-W error``: silence this one message.
warnings.filterwarnings(
    "ignore", message=r"Callback with id .* already exists", category=RuntimeWarning
)

# Native watching needs only these: a copy ends with a close-after-write, a rename is a move.
# Leaving out IN_MODIFY and IN_OPEN keeps the kernel queue short while big files are copied
# (fewer overflows); a change of mtime alone is caught by the consumer's periodic reconcile.
_NATIVE_EVENTS: list[type[FileSystemEvent]] = [
    FileCreatedEvent,
    FileDeletedEvent,
    FileMovedEvent,
    FileClosedEvent,
    DirCreatedEvent,
    DirDeletedEvent,
    DirMovedEvent,
]
# File systems whose remote changes the kernel never reports (inotify sees only local writes).
# fuseblk is left out on purpose: it is how ntfs-3g mounts a local USB drive, and inotify works.
_NETWORK_FS = frozenset({"nfs", "nfs4", "cifs", "smb", "smb2", "smb3", "smbfs", "sshfs", "9p"})
_WATCHDOG_LOGGERS = ("watchdog.observers.inotify", "watchdog.observers.inotify_c")

NOTICE_LIMIT = (
    "Too many folders to watch (inotify limit reached); watching {path} by polling instead, "
    "changes may take a minute to appear."
)
NOTICE_NETWORK = (
    "{path} is on a network drive ({fs}); watching it by polling, changes may take a minute "
    "to appear."
)
NOTICE_UNWATCHABLE = "{path} cannot be watched ({error}); it is checked on each rescan only."


@dataclass(frozen=True)
class ChangeBatch:
    """What changed under the watched folders during one burst.

    Paths are absolute, as watchdog reported them. ``changed`` holds created or rewritten photo
    files and created folders; ``deleted`` vanished photos and folders; ``moved`` renames and
    moves, folder moves once (not once per file inside). A path may be both in ``moved`` and in
    ``changed`` when it was, say, created and then renamed in the same burst: every path listed
    is worth a look, and looking at a path that did not change costs a ``stat``.
    """

    roots: frozenset[str]
    changed: frozenset[str] = frozenset()
    deleted: frozenset[str] = frozenset()
    moved: tuple[tuple[str, str], ...] = ()
    # Roots whose events were (maybe) lost: the consumer must reconcile all of each.
    overflow_roots: frozenset[str] = frozenset()

    @property
    def overflow(self) -> bool:
        return bool(self.overflow_roots)

    def __bool__(self) -> bool:
        return bool(self.changed or self.deleted or self.moved or self.overflow_roots)

    def merged(self, later: ChangeBatch) -> ChangeBatch:
        """This batch followed by ``later`` (the consumer merges batches that queued up)."""
        acc = _Accumulator()
        acc.take_batch(self)
        acc.take_batch(later)
        return acc.batch()


@dataclass
class _Accumulator:
    """Events of one burst, folded so that repeats cost nothing. Not thread-safe by itself."""

    roots: set[str] = field(default_factory=set)
    changed: set[str] = field(default_factory=set)
    deleted: set[str] = field(default_factory=set)
    moves: dict[str, str] = field(default_factory=dict)  # dest -> original src, in order
    overflow_roots: set[str] = field(default_factory=set)
    first_at: float = 0.0
    last_at: float = 0.0

    def __bool__(self) -> bool:
        return bool(self.changed or self.deleted or self.moves or self.overflow_roots)

    def touch(self, now: float) -> None:
        """Note an event at ``now`` (called after folding it in)."""
        if not self.first_at:
            self.first_at = now
        self.last_at = now

    def change(self, path: str) -> None:
        self.changed.add(path)
        self.deleted.discard(path)

    def delete(self, path: str) -> None:
        self.deleted.add(path)
        self.changed.discard(path)

    def move(self, src: str, dest: str) -> None:
        # A chain a -> b -> c is one move a -> c; a -> b -> a is none at all.
        origin = self.moves.pop(src, src)
        if origin != dest:
            self.moves[dest] = origin
        if src in self.changed:
            # Created (or rewritten) then renamed in the same burst: the new name needs a look.
            self.changed.discard(src)
            self.changed.add(dest)
        self.deleted.discard(dest)

    def take_batch(self, batch: ChangeBatch) -> None:
        self.roots |= batch.roots
        for path in batch.deleted:
            self.delete(path)
        for path in batch.changed:
            self.change(path)
        for src, dest in batch.moved:
            self.move(src, dest)
        self.overflow_roots |= batch.overflow_roots

    def batch(self) -> ChangeBatch:
        return ChangeBatch(
            roots=frozenset(self.roots),
            changed=frozenset(self.changed),
            deleted=frozenset(self.deleted),
            moved=_drop_implied_moves([(src, dest) for dest, src in self.moves.items()]),
            overflow_roots=frozenset(self.overflow_roots),
        )


def _drop_implied_moves(moves: list[tuple[str, str]]) -> tuple[tuple[str, str], ...]:
    """Leave out the per-file moves that a folder move in the same list already implies
    (watchdog reports a renamed folder, then every file inside it once more)."""
    kept: list[tuple[str, str]] = []
    folders: list[tuple[str, str]] = []
    for src, dest in moves:
        implied = any(
            src.startswith(f_src + os.sep) and dest == f_dest + src[len(f_src) :]
            for f_src, f_dest in folders
        )
        if implied:
            continue
        kept.append((src, dest))
        folders.append((src, dest))
    return tuple(kept)


def _is_relevant(path: str, root: str, is_directory: bool) -> bool:
    """Photo files and folders, not hidden ones nor anything inside a hidden folder."""
    relative = os.path.relpath(path, root) if path != root else ""
    if relative.startswith(".."):
        return False
    parts = [p for p in relative.split(os.sep) if p and p != "."]
    if any(p.startswith(".") for p in parts):
        return False
    return is_directory or is_photo_name(os.path.basename(path))


def filesystem_type(path: str, mounts_file: str = "/proc/mounts") -> str | None:
    """The type of the file system ``path`` lies on, from /proc/mounts (None elsewhere)."""
    try:
        with open(mounts_file, encoding="utf-8", errors="replace") as handle:
            lines = handle.read().splitlines()
    except OSError:
        return None
    real = os.path.realpath(path)
    best: tuple[int, str] | None = None
    for line in lines:
        fields = line.split()
        if len(fields) < 3:
            continue
        # /proc/mounts escapes spaces and a few other characters as octal (\040).
        mount = fields[1].encode().decode("unicode_escape")
        inside = real == mount or real.startswith(mount.rstrip("/") + "/")
        if inside and (best is None or len(mount) >= best[0]):
            best = (len(mount), fields[2])
    return best[1] if best else None


def is_network_fs(fs_type: str | None) -> bool:
    if fs_type is None:
        return False
    return fs_type in _NETWORK_FS or (fs_type.startswith("fuse.") and fs_type != "fuseblk")


def _native_watch_count(observer: BaseObserver, watch: ObservedWatch) -> int | None:
    """How many folders watchdog's inotify emitter really watches (private state; None when
    this watchdog version keeps it elsewhere)."""
    emitter = getattr(observer, "_emitter_for_watch", {}).get(watch)
    watches = getattr(getattr(emitter, "_inotify", None), "_active_callbacks_by_path", None)
    return len(watches) if isinstance(watches, dict) else None


def _count_folders(path: str, stop_after: int) -> int:
    """Folders at and under ``path`` as watchdog walks them (symlinks not followed), counting
    no further than ``stop_after``."""
    count = 0
    stack = [path]
    while stack and count < stop_after:
        folder = stack.pop()
        count += 1
        try:
            with os.scandir(folder) as entries:
                stack.extend(e.path for e in entries if e.is_dir(follow_symlinks=False))
        except OSError:
            continue
    return count


class _Handler(FileSystemEventHandler):
    """Receives watchdog events for one root (on the observer's thread)."""

    def __init__(self, watcher: FolderWatcher, root: str) -> None:
        self.watcher = watcher
        self.root = root

    def dispatch(self, event: FileSystemEvent) -> None:  # Override FileSystemEventHandler
        self.watcher._on_event(self.root, event)


class _OverflowHook(logging.Handler):
    """watchdog rebuilds its watches after an inotify overflow and only logs it; this turns the
    log record into an ``overflow`` batch so the consumer reconciles the whole root."""

    def __init__(self, watcher: FolderWatcher) -> None:
        super().__init__(logging.WARNING)
        self.watcher = watcher

    def emit(self, record: logging.LogRecord) -> None:  # Override logging.Handler
        if "overflow" not in record.getMessage().lower():
            return
        path: str | None = None
        if record.args and isinstance(record.args, tuple):
            first = record.args[0]
            if isinstance(first, bytes):
                path = os.fsdecode(first)
            elif isinstance(first, str):
                path = first
        self.watcher.report_overflow(path)


ChangeCallback = Callable[[ChangeBatch], None]


class FolderWatcher:
    """Watches folders recursively and calls ``on_changes`` with coalesced batches.

    Thread-safe. ``on_changes`` runs on the watcher's own thread, one batch at a time; a slow
    consumer only makes the next batch bigger.

    Args:
        paths: folders to watch (roots); more can be added later.
        on_changes: called with each batch.
        debounce_s: a batch is handed on after this long without a new event...
        max_wait_s: ...or this long after its first event, so a copy that never pauses is still
            processed (default: 10 x debounce_s, at least 5 s).
        force_polling: poll every folder (tests, or where native events are unreliable).
        polling_interval_s: how often a polled folder is listed again.
    """

    def __init__(
        self,
        paths: Iterable[str | os.PathLike[str]],
        on_changes: ChangeCallback,
        *,
        debounce_s: float = 1.0,
        max_wait_s: float | None = None,
        force_polling: bool = False,
        polling_interval_s: float = 30.0,
    ) -> None:
        self.on_changes = on_changes
        self.debounce_s = max(0.0, debounce_s)
        self.max_wait_s = max_wait_s if max_wait_s is not None else max(10 * debounce_s, 5.0)
        self.force_polling = force_polling
        self.polling_interval_s = polling_interval_s
        self.notices: list[str] = []  # English, for logs and the CLI
        self.notice_events: list[WatchNotice] = []  # the same, typed, for faces that translate
        self._paths: list[str] = []
        for path in paths:
            self._remember(os.path.abspath(os.fspath(path)))
        self._lock = threading.Lock()
        self._wake = threading.Condition(self._lock)
        self._pending = _Accumulator()
        self._watches: dict[str, tuple[BaseObserver, ObservedWatch]] = {}
        self._native: BaseObserver | None = None
        self._polling: BaseObserver | None = None
        self._thread: threading.Thread | None = None
        self._stopping = False
        self._hook = _OverflowHook(self)
        self.batches_delivered = 0

    def _remember(self, path: str) -> None:
        if path not in self._paths:
            self._paths.append(path)

    # -- life -------------------------------------------------------------------------------

    @property
    def mode(self) -> str:
        """Either "native" (every folder has native events) or "polling"."""
        with self._lock:
            polled = any(obs is self._polling for obs, _ in self._watches.values())
        return "polling" if (self.force_polling or polled) else "native"

    @property
    def paths(self) -> list[str]:
        with self._lock:
            return list(self._paths)

    def watched(self) -> dict[str, str]:
        """Each folder watched now, and how ("native" or "polling")."""
        with self._lock:
            return {
                path: "polling" if obs is self._polling else "native"
                for path, (obs, _) in self._watches.items()
            }

    def start(self) -> None:
        """Start watching every path given so far. A path that does not exist is skipped (the
        consumer polls for an unplugged drive and calls :meth:`add_path` when it is back)."""
        with self._lock:
            if self._thread is not None:
                return
            self._stopping = False
            self._thread = threading.Thread(target=self._run, name="folder-watcher", daemon=True)
            self._thread.start()
        for name in _WATCHDOG_LOGGERS:
            logging.getLogger(name).addHandler(self._hook)
        for path in self.paths:
            self._schedule(path)

    def stop(self, timeout: float = 1.0) -> bool:
        """Stop watching and delivering; True when every thread ended within ``timeout``.

        A batch still waiting for its quiet period is dropped: the consumer reconciles at its
        next start anyway.
        """
        deadline = time.monotonic() + timeout
        for name in _WATCHDOG_LOGGERS:
            logging.getLogger(name).removeHandler(self._hook)
        with self._lock:
            self._stopping = True
            self._wake.notify_all()
            thread, self._thread = self._thread, None
            observers = [o for o in (self._native, self._polling) if o is not None]
            self._native = self._polling = None
            self._watches.clear()
        for observer in observers:
            observer.stop()  # tells emitters and the dispatcher; joins happen below
        ok = True
        for observer in observers:
            observer.join(max(0.0, deadline - time.monotonic()))
            ok = ok and not observer.is_alive()
        if thread is not None and thread is not threading.current_thread():
            thread.join(max(0.0, deadline - time.monotonic()))
            ok = ok and not thread.is_alive()
        return ok

    def add_path(self, path: str | os.PathLike[str]) -> None:
        """Watch one more folder (or one back from being unplugged)."""
        full = os.path.abspath(os.fspath(path))
        with self._lock:
            self._remember(full)
            running = self._thread is not None
        if running:
            self._schedule(full)

    def remove_path(self, path: str | os.PathLike[str], *, forget: bool = True) -> None:
        """Stop watching a folder; with ``forget=False`` it is watched again on :meth:`start`."""
        full = os.path.abspath(os.fspath(path))
        with self._lock:
            if forget and full in self._paths:
                self._paths.remove(full)
            entry = self._watches.pop(full, None)
        if entry is not None:
            observer, watch = entry
            # KeyError/OSError: its emitter already stopped (the folder was deleted).
            with contextlib.suppress(KeyError, OSError):
                observer.unschedule(watch)

    def report_overflow(self, path: str | None = None) -> None:
        """Events under ``path`` (None: any natively watched folder) may have been lost."""
        with self._lock:
            if self._stopping:
                return
            if path is None:
                roots = [p for p, (obs, _) in self._watches.items() if obs is self._native]
            else:
                roots = [self._root_of(path) or path]
            self._pending.touch(time.monotonic())
            self._pending.overflow_roots.update(roots)
            self._pending.roots.update(roots)
            self._wake.notify_all()

    # -- scheduling -------------------------------------------------------------------------

    def _observer(self, polling: bool) -> BaseObserver | None:
        """The observer of that kind, started on first use; None once stopping."""
        with self._lock:
            if self._stopping:
                return None
            if polling:
                if self._polling is None:
                    self._polling = PollingObserver(timeout=self.polling_interval_s)
                    self._polling.daemon = True
                    self._polling.start()
                return self._polling
            if self._native is None:
                self._native = Observer()
                self._native.daemon = True
                self._native.start()
            return self._native

    def _notice(self, kind: str, template: str, path: str, detail: str | None = None) -> None:
        message = template.format(path=path, fs=detail, error=detail)
        with self._lock:
            if message not in self.notices:
                self.notices.append(message)
                self.notice_events.append(WatchNotice(kind, path, detail))
        log.warning(message)

    def _schedule(self, path: str) -> None:
        with self._lock:
            if path in self._watches or self._stopping:
                return
        if not os.path.isdir(path):
            return
        polling = self.force_polling
        if not polling:
            fs_type = filesystem_type(path)
            if is_network_fs(fs_type):
                self._notice("network", NOTICE_NETWORK, path, fs_type)
                polling = True
        if not polling:
            try:
                self._schedule_on(path, polling=False)
                if self._covers_tree(path):
                    return
                # watchdog skips, silently, sub-folders it cannot watch once the limit is hit.
                self.remove_path(path, forget=False)
                raise OSError(errno.ENOSPC, "inotify watch limit reached")
            except OSError as exc:
                if exc.errno not in (errno.ENOSPC, errno.EMFILE):
                    self._notice("unwatchable", NOTICE_UNWATCHABLE, path, str(exc.strerror or exc))
                    return
                # The per-user inotify limit (fs.inotify.max_user_watches / instances).
                self._notice("limit", NOTICE_LIMIT, path)
        try:
            self._schedule_on(path, polling=True)
        except OSError as exc:
            self._notice("unwatchable", NOTICE_UNWATCHABLE, path, str(exc.strerror or exc))

    def _schedule_on(self, path: str, *, polling: bool) -> None:
        """Schedule one recursive watch (a seam tests use to simulate the inotify limit)."""
        observer = self._observer(polling)
        if observer is None:
            return
        watch = observer.schedule(
            _Handler(self, path),
            path,
            recursive=True,
            event_filter=None if polling else _NATIVE_EVENTS,
        )
        with self._lock:
            self._watches[path] = (observer, watch)

    def _covers_tree(self, path: str) -> bool:
        """Whether the native watch of ``path`` covers (nearly) every folder under it.

        watchdog raises when the root itself cannot be watched, but skips sub-folders without a
        word when the inotify limit is reached half-way. Its count of watches is private, so
        this looks for it defensively: where it cannot be read, the watch is trusted.
        """
        with self._lock:
            entry = self._watches.get(path)
        if entry is None:
            return True
        watched = _native_watch_count(*entry)
        if watched is None:
            return True
        folders = _count_folders(path, stop_after=watched + 64)
        # A few folders may come or go between the two walks; a limit leaves many unwatched.
        return folders - watched <= max(2, folders // 100)

    # -- events -----------------------------------------------------------------------------

    def _root_of(self, path: str) -> str | None:
        best: str | None = None
        for root in self._paths:
            inside = path == root or path.startswith(root.rstrip(os.sep) + os.sep)
            if inside and (best is None or len(root) > len(best)):
                best = root
        return best

    def _on_event(self, root: str, event: FileSystemEvent) -> None:
        """Fold one watchdog event into the pending batch (observer thread)."""
        src = os.fsdecode(event.src_path)
        dest = os.fsdecode(event.dest_path) if event.dest_path else ""
        kind = event.event_type
        if kind in ("opened", "closed_no_write") or (kind == "modified" and event.is_directory):
            return  # reads, and the parent-folder noise every file change brings
        with self._lock:
            if self._stopping:
                return
            acc = self._pending
            if kind == "moved":
                src_ok = _is_relevant(src, root, event.is_directory)
                dest_ok = bool(dest) and _is_relevant(dest, root, event.is_directory)
                if src_ok and dest_ok:
                    acc.move(src, dest)
                elif src_ok:  # renamed to a hidden or non-photo name: gone for us
                    acc.delete(src)
                elif dest_ok:  # a temporary file renamed into place: new for us
                    acc.change(dest)
                else:
                    return
            elif not _is_relevant(src, root, event.is_directory):
                return
            elif kind == "deleted":
                acc.delete(src)
            else:  # created, modified, closed (after a write), attrib
                acc.change(src)
            acc.touch(time.monotonic())
            acc.roots.add(root)
            self._wake.notify_all()

    def _run(self) -> None:
        """Deliver batches: after ``debounce_s`` of quiet, or ``max_wait_s`` after the first."""
        while True:
            with self._lock:
                while True:
                    if self._stopping:
                        return
                    if self._pending:
                        now = time.monotonic()
                        due = min(
                            self._pending.last_at + self.debounce_s,
                            self._pending.first_at + self.max_wait_s,
                        )
                        if now >= due:
                            break
                        self._wake.wait(due - now)
                    else:
                        self._wake.wait()
                batch = self._pending.batch()
                self._pending = _Accumulator()
            try:
                self.on_changes(batch)
            except Exception:  # a consumer bug must not end watching
                log.exception("Handling a batch of folder changes failed")
            self.batches_delivered += 1
