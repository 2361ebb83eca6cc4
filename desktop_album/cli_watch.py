"""``desktop-album watch``: keep the library in step with its folders, headless.

For always-on machines (a NAS, a home server): adds the given folders as roots, catches up with
what changed while nothing watched, then follows changes and indexes them, one line per batch.
Ctrl+C or SIGTERM stops it between two batches, with nothing half-written; exit status 0.
"""

from __future__ import annotations

import argparse
import queue
import signal
import sys
import threading
from types import FrameType
from typing import Any

from desktop_album.core.errors import BUG
from desktop_album.core.events import (
    STARTUP,
    Event,
    JobFailed,
    NeedsConfirmation,
    PhotosChanged,
    Resumed,
    RootOffline,
    RootOnline,
    RootsListed,
    WatchNotice,
)
from desktop_album.core.library import shown_path
from desktop_album.core.writer import LibraryWriter

EXIT_OK = 0
# How often the main thread looks at the stop flag: a signal handler only sets a flag (taking a
# lock inside one can deadlock), so this bounds the reaction time to a signal.
_TICK_S = 0.1


def add_watch_command(subparsers: Any) -> None:
    """Register the command (``cli.build_parser`` calls this when the module exists)."""
    p = subparsers.add_parser(
        "watch", help="watch folders and index changes as they happen (Ctrl+C stops)"
    )
    p.add_argument("paths", nargs="*", metavar="PATH", help="folders to add (default: all roots)")
    p.add_argument(
        "--yes",
        action="store_true",
        help="mark photos missing even when many vanished at once (no question asked)",
    )
    p.add_argument("--poll", action="store_true", help="poll folders instead of native events")
    p.add_argument("--debounce", type=float, default=1.0, help=argparse.SUPPRESS)
    p.add_argument("--poll-interval", type=float, default=30.0, help=argparse.SUPPRESS)
    p.add_argument("--check-interval", type=float, default=5.0, help=argparse.SUPPRESS)
    p.add_argument("--batch-size", type=int, default=32, help=argparse.SUPPRESS)
    p.add_argument("--decode-threads", type=int, default=2, help=argparse.SUPPRESS)
    p.set_defaults(handler=cmd_watch)


class _StopFlag:
    """Set by SIGINT/SIGTERM; checked by the main loop."""

    def __init__(self) -> None:
        self.requested = False

    def __call__(self, signum: int, frame: FrameType | None) -> None:
        self.requested = True


def describe(change: PhotosChanged) -> str:
    """One line for a terminal, e.g. "+12 new, 3 moved, 1 missing in /photos"."""
    parts = []
    for count, word in (
        (change.new, "new"),
        (change.changed, "changed"),
        (change.moved, "moved"),
        (change.missing, "missing"),
        (change.back, "back"),
        (change.failed, "unreadable"),
    ):
        if count:
            parts.append(f"{'+' if word == 'new' else ''}{count} {word}")
    if not parts and change.indexed:
        parts.append(f"{change.indexed} embedded")
    return f"{', '.join(parts) or 'no changes'} in {shown_path(change.path)}"


_NOTICES = {
    "limit": "Too many folders to watch (the system's limit was reached): {path} is polled, "
    "so changes may take a minute to appear.",
    "network": "{path} is on a network drive ({detail}): it is polled, so changes may take a "
    "minute to appear.",
    "unwatchable": "{path} cannot be watched ({detail}): it is checked on each rescan only.",
}


def _line(event: Event) -> str | None:
    """What ``watch`` prints for an event (None: nothing)."""
    if isinstance(event, RootOffline):
        return f"{shown_path(event.path)} is offline (unplugged?); its photos are kept."
    if isinstance(event, RootOnline):
        return f"{shown_path(event.path)} is back online."
    if isinstance(event, PhotosChanged):
        if event.reason == STARTUP and not event.any:
            return f"Up to date: {shown_path(event.path)}"
        return describe(event) if event.any else None
    if isinstance(event, WatchNotice):
        template = _NOTICES.get(event.kind, "{path}: {detail}")
        return "Note: " + template.format(path=shown_path(event.path), detail=event.detail)
    if isinstance(event, JobFailed):
        what = "a bug" if event.error_kind == BUG else "a problem"
        return f"Error ({what}): {event.message} Watching goes on."
    if isinstance(event, Resumed):
        return "Space is available again: indexing resumed."
    return None


def cmd_watch(args: argparse.Namespace, ctx: Any) -> int:
    """Run until interrupted. ``ctx`` is the CLI's ``CliContext``."""
    from desktop_album.cli import existing_folders

    folders = existing_folders(args.paths)
    model = ctx.load_model()  # fails here, before any thread starts, when no model is installed
    events: queue.Queue[Event] = queue.Queue()
    writer: LibraryWriter = ctx.writer(
        events.put,
        model,
        args,
        debounce_s=args.debounce,
        force_polling=args.poll,
        polling_interval_s=args.poll_interval,
        availability_interval_s=args.check_interval,
    )
    stop = _StopFlag()
    previous = {
        sig: signal.signal(sig, stop) for sig in (signal.SIGINT, signal.SIGTERM)
    }  # main thread only, which is where the CLI runs
    out = ctx.out
    try:
        writer.start()
        if folders:
            writer.add_roots(folders)
        roots_known = bool(folders)  # else the first list of roots tells whether any exist
        out.write(f"Watching ({writer.watch_mode}). Press Ctrl+C to stop.\n")
        out.flush()
        while not stop.requested:
            try:
                event = events.get(timeout=_TICK_S)
            except queue.Empty:
                continue
            if isinstance(event, RootsListed):
                if not event.roots and not roots_known:
                    ctx.err.write("No folders to watch. Give one: desktop-album watch PATH\n")
                    return 2
                roots_known = True
                continue
            text = _line(event)
            if text:
                stream = ctx.err if isinstance(event, JobFailed) else out
                stream.write(text + "\n")
                stream.flush()
            if isinstance(event, NeedsConfirmation):
                _ask_confirmation(writer, event, args.yes, ctx, stop)
    finally:
        stopped = writer.stop(timeout=5.0)
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    out.write("Stopped.\n" if stopped else "Stopped (some work was still finishing).\n")
    out.flush()
    return EXIT_OK


def _ask_confirmation(
    writer: LibraryWriter, update: NeedsConfirmation, yes: bool, ctx: Any, stop: _StopFlag
) -> None:
    count = len(update.photo_ids)
    if yes:
        writer.confirm_missing(update.root_id)
        return
    if not sys.stdin.isatty():
        ctx.err.write(
            f"{count} photos of {shown_path(update.path)} vanished at once; they were NOT "
            "marked missing. Run with --yes (or desktop-album index --yes) if they were really "
            "deleted.\n"
        )
        return
    answer: list[str] = []
    # input() in a helper thread, so a Ctrl+C while the question waits still stops at once.
    reader = threading.Thread(target=lambda: answer.append(input()), daemon=True)
    ctx.err.write(
        f"{count} photos of {shown_path(update.path)} vanished at once. Were they deleted? [y/N] "
    )
    ctx.err.flush()
    reader.start()
    while reader.is_alive() and not stop.requested:
        reader.join(_TICK_S)
    if answer and answer[0].strip().lower() in ("y", "yes"):
        writer.confirm_missing(update.root_id)
