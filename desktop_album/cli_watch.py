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

from desktop_album.core.live import BACK, OFFLINE, STARTUP, LiveLibrary, RootUpdate

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


def _line(update: RootUpdate) -> str | None:
    if update.reason == OFFLINE or not update.online:
        return f"{update.path} is offline (unplugged?); its photos are kept and searchable."
    if update.reason == STARTUP and not update.has_changes:
        return f"Up to date: {update.path}"
    if not update.has_changes and update.reason != BACK:
        return None
    return update.describe()


def cmd_watch(args: argparse.Namespace, ctx: Any) -> int:
    """Run until interrupted. ``ctx`` is the CLI's ``CliContext``."""
    from desktop_album.cli import existing_folders  # cli imports this module lazily

    folders = existing_folders(args.paths)
    model = ctx.load_model()  # fails here, before any thread starts, when no model is installed
    with ctx.open_library() as library:
        for folder in folders:
            library.add_root(folder)
        if not library.roots():
            ctx.err.write("No folders to watch. Give one: desktop-album watch PATH\n")
            return 2

    updates: queue.Queue[RootUpdate | Exception] = queue.Queue()
    live = LiveLibrary(
        ctx.library_file,
        lambda: model,
        ctx.thumbnails(),
        on_update=updates.put,
        on_error=updates.put,
        excluded=ctx.settings.excluded_folders,
        batch_size=args.batch_size,
        decode_threads=args.decode_threads,
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
        live.start()
        for notice in live.notices:
            out.write(f"Note: {notice}\n")
        out.write(f"Watching ({live.watch_mode}). Press Ctrl+C to stop.\n")
        out.flush()
        while not stop.requested:
            try:
                item = updates.get(timeout=_TICK_S)
            except queue.Empty:
                continue
            if isinstance(item, Exception):
                ctx.err.write(f"Error: {item}\n")
                ctx.err.flush()
                continue
            text = _line(item)
            if text:
                out.write(text + "\n")
                out.flush()
            if item.needs_confirmation:
                _ask_confirmation(live, item, args.yes, ctx, stop)
    finally:
        stopped = live.stop(timeout=5.0)
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    out.write("Stopped.\n" if stopped else "Stopped (some work was still finishing).\n")
    out.flush()
    return EXIT_OK


def _ask_confirmation(
    live: LiveLibrary, update: RootUpdate, yes: bool, ctx: Any, stop: _StopFlag
) -> None:
    count = len(update.held_back)
    if yes:
        live.confirm_missing(update.root_id)
        return
    if not sys.stdin.isatty():
        ctx.err.write(
            f"{count} photos of {update.path} vanished at once; they were NOT marked missing. "
            "Run with --yes (or desktop-album index --yes) if they were really deleted.\n"
        )
        return
    answer: list[str] = []
    # input() in a helper thread, so a Ctrl+C while the question waits still stops at once.
    reader = threading.Thread(target=lambda: answer.append(input()), daemon=True)
    ctx.err.write(f"{count} photos of {update.path} vanished at once. Were they deleted? [y/N] ")
    ctx.err.flush()
    reader.start()
    while reader.is_alive() and not stop.requested:
        reader.join(_TICK_S)
    if answer and answer[0].strip().lower() in ("y", "yes"):
        live.confirm_missing(update.root_id)
