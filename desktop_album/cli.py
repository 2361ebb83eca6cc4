"""The headless face of Desktop Album: index, search, similar, status, models, watch.

With no command it opens the window. Exit codes: 0 done (also when some photos were unreadable:
they are recorded and listed), 1 a bug (the details go to a log file), 2 something the user can
fix (a missing folder or model, a broken pack, a full disk, a read-only or damaged library),
130 interrupted.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import queue
import sqlite3
import sys
import time
import traceback
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import timedelta
from pathlib import Path
from typing import Any, TextIO

from desktop_album import __version__
from desktop_album.cli_scope import add_scope_options, scope_problem, scope_query, vocabulary
from desktop_album.core.dates import DateRange, parse_date_argument
from desktop_album.core.embedding import ClipModel
from desktop_album.core.errors import (
    BUG,
    DesktopAlbumError,
    ModelMissingError,
    RootNotFoundError,
    as_environment_error,
)
from desktop_album.core.events import Event, JobFailed, JobFinished, JobSummary, Progress
from desktop_album.core.image_space import adopt_legacy_vectors
from desktop_album.core.library import Library, shown_path
from desktop_album.core.ordering import ORDERS
from desktop_album.core.pack_store import PackStore
from desktop_album.core.paths import AppPaths
from desktop_album.core.query import Filters, Query, parse_query
from desktop_album.core.query_text import ui_language
from desktop_album.core.relevance import STRICTNESS
from desktop_album.core.search import SearchEngine, SearchOptions, SearchResult
from desktop_album.core.settings import Settings
from desktop_album.core.thumbnails import ThumbnailCache
from desktop_album.core.writer import LibraryWriter

EXIT_OK, EXIT_FAILURE, EXIT_USAGE, EXIT_INTERRUPTED = 0, 1, 2, 130


@dataclass
class CliContext:
    """What every command needs, built once from the global options."""

    paths: AppPaths
    settings: Settings
    library_file: Path
    model_choice: str | None
    out: TextIO = field(default_factory=lambda: sys.stdout)
    err: TextIO = field(default_factory=lambda: sys.stderr)

    def save_settings(self) -> None:
        self.settings.save(self.paths.settings_file)

    def open_library(self) -> Library:
        return Library(self.library_file)

    def open_reader(self) -> Library:
        """A read-only connection: search, similar and status work on a read-only library."""
        return Library.open_reader(self.library_file)

    def pack_store(self) -> PackStore:
        return PackStore(self.paths.models_dir)

    def load_model(self) -> ClipModel:
        pack = self.pack_store().resolve(self.model_choice or self.settings.model)
        if self.library_file.is_file() and self._has_legacy_vectors(pack.name):
            with self.open_library() as library:  # stored under the pack's name: to its space
                adopt_legacy_vectors(library, pack)
        return ClipModel(
            pack,
            provider=self.settings.provider,
            threads=self.settings.threads,
            precision=self.settings.precision,
            language=ui_language(self.settings.language),
        )

    def _has_legacy_vectors(self, name: str) -> bool:
        """Looked up read-only: a read-only library is never opened for writing just to find
        that there is nothing to move."""
        with self.open_reader() as reader:
            return reader.has_model(name)

    def writer(
        self,
        on_event: Callable[[Event], None],
        model: ClipModel,
        args: argparse.Namespace,
        **options: Any,
    ) -> LibraryWriter:
        """The library's one writer, set up from the settings and the command's options."""
        return LibraryWriter(
            self.library_file,
            on_event,
            model=model,
            thumbnails=self.thumbnails(),
            excluded=self.settings.excluded_folders,
            follow_external_links=self.settings.follow_external_links,
            batch_size=args.batch_size,
            decode_threads=args.decode_threads,
            **options,
        )

    def thumbnails(self) -> ThumbnailCache:
        folder = Path(self.settings.thumbnail_dir) if self.settings.thumbnail_dir else None
        return ThumbnailCache(
            folder or self.paths.thumbnails_dir, self.settings.thumbnail_cache_mb << 20
        )


# -- index ------------------------------------------------------------------------------------


class ProgressBar:
    """A one-line bar on a terminal; plain lines every tenth of the way elsewhere."""

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream
        self.tty = stream.isatty()
        self._last_tenth = -1

    def __call__(self, p: Progress) -> None:
        if p.phase == "scanning":
            self.stream.write("Scanning folders...\n")
            return
        if p.total == 0:
            return
        fraction = p.done / p.total
        text = f"{p.done}/{p.total} photos  {p.rate:5.1f}/s"
        if p.failed:
            text += f"  {p.failed} unreadable"
        if self.tty:
            filled = int(fraction * 30)
            self.stream.write(f"\r[{'#' * filled}{'.' * (30 - filled)}] {text}")
            if p.phase == "done":
                self.stream.write("\n")
        elif int(fraction * 10) != self._last_tenth:
            self._last_tenth = int(fraction * 10)
            self.stream.write(f"{text}\n")
        self.stream.flush()


def print_summary(summary: JobSummary, stream: TextIO) -> None:
    """The end of an index job, in words."""
    parts = [f"Indexed {summary.indexed + summary.reused}"]
    if summary.reused:
        parts.append(f"({summary.reused} recognised from before)")
    parts.append(f"unchanged {summary.unchanged}")
    if summary.moved:
        parts.append(f"moved {summary.moved}")
    if summary.missing:
        parts.append(f"missing {summary.missing}")
    if summary.retried:
        parts.append(f"retried {summary.retried}")
    parts.append(f"failed {len(summary.failed)}")
    stream.write(", ".join(parts) + f" in {summary.seconds:.1f} s.\n")
    for path, reason in summary.failed:
        stream.write(f"  failed: {shown_path(path)}: {reason}\n")
    for folder, reason in summary.unreadable_folders:
        stream.write(f"  unreadable folder (skipped): {shown_path(folder)}: {reason}\n")
    for root in summary.offline_roots:
        stream.write(
            f"  offline: {shown_path(root)} is not available (unplugged?); its photos are kept.\n"
        )
    for held in summary.held_back:
        stream.write(
            f"  {len(held.photo_ids)} photos of {shown_path(held.path)} vanished at once; "
            "they were NOT marked missing. Run again with --yes if they were really deleted.\n"
        )
    if summary.cancelled:
        stream.write("Stopped before the end; run again to finish.\n")


def summary_json(summary: JobSummary) -> dict[str, Any]:
    """``index --json``: ``indexed`` counts only photos that went through the image tower."""
    return {
        "indexed": summary.indexed,
        "reused": summary.reused,
        "unchanged": summary.unchanged,
        "new": summary.new,
        "moved": summary.moved,
        "missing": summary.missing,
        "retried": summary.retried,
        "hashed": summary.hashed,
        "tagged": summary.tagged,
        "failed": [{"path": shown_path(p), "reason": r} for p, r in summary.failed],
        "offline": [shown_path(p) for p in summary.offline_roots],
        "held_back": [
            {"path": shown_path(h.path), "photos": len(h.photo_ids)} for h in summary.held_back
        ],
        "cancelled": summary.cancelled,
        "seconds": round(summary.seconds, 3),
    }


def existing_folders(paths: Sequence[str]) -> list[Path]:
    """The folders named on the command line, resolved; the first missing one is an error."""
    folders = []
    for raw in paths:
        folder = Path(raw).expanduser()
        if not folder.is_dir():
            raise RootNotFoundError(f"Folder not found: {folder}", path=str(folder))
        folders.append(folder.resolve())
    return folders


def failure_exit(failure: JobFailed, err: TextIO) -> int:
    """Word a failed job; the exit code the README promises (2 to fix, 1 a bug)."""
    if failure.error_kind == BUG:
        err.write(
            f"Desktop Album hit a bug and stopped ({failure.message}). What was saved is kept. "
            "Please report it with the output of --verbose.\n"
        )
        return EXIT_FAILURE
    err.write(f"{failure.message}\n")
    return EXIT_USAGE


def cmd_index(args: argparse.Namespace, ctx: CliContext) -> int:
    folders = existing_folders(args.paths)
    model = ctx.load_model()
    events: queue.Queue[Event] = queue.Queue()
    writer = ctx.writer(
        events.put,
        model,
        args,
        watch=False,
        reconcile_on_start=False,
        availability_interval_s=None,
        rescan_interval_s=None,
    )
    writer.start()
    options = {"confirm_missing": args.yes, "retry_failed": args.retry_failed}
    job = writer.add_roots(folders, **options) if folders else writer.index(None, **options)
    bar = ProgressBar(ctx.err)
    failure: JobFailed | None = None
    interrupted = False
    try:
        while True:
            try:
                event = events.get(timeout=0.2)
            except queue.Empty:
                continue
            except KeyboardInterrupt:
                interrupted = True
                writer.cancel()  # between two batches: nothing half-written
                continue
            if isinstance(event, Progress) and event.job_id == job:
                bar(event)
            elif isinstance(event, JobFailed) and event.job_id == job:
                failure = event
            elif isinstance(event, JobFinished) and event.job_id == job:
                summary = event.summary
                break
    finally:
        writer.stop(timeout=10.0)
    if interrupted:
        ctx.err.write("\nInterrupted; what was indexed is kept. Run again to finish.\n")
        return EXIT_INTERRUPTED
    if failure is not None:
        return failure_exit(failure, ctx.err)
    if args.json:
        json.dump(summary_json(summary), ctx.out, ensure_ascii=False, indent=2)
        ctx.out.write("\n")
    else:
        print_summary(summary, ctx.err)
    return EXIT_OK


# -- search -----------------------------------------------------------------------------------


def _print_hits(result: SearchResult, as_json: bool, out: TextIO, err: TextIO) -> None:
    hits = result.hits
    if result.verdict == "no_good_match":
        err.write("No good matches; the closest photos:\n" if hits else "No good matches.\n")
    if as_json:
        rows: list[dict[str, Any]] = [
            {
                "path": shown_path(h.path),
                "score": round(h.score, 6),
                "taken_at": h.taken_at,
                "date_source": h.date_source,
                "offline": h.offline,
                **({"vanished": True} if h.vanished else {}),
            }
            for h in hits
        ]
        json.dump(rows, out, ensure_ascii=False, indent=2)
        out.write("\n")
        return
    if not hits and result.verdict != "no_good_match":
        out.write("No photos found.\n")
    for hit in hits:
        mark = "  (offline)" if hit.offline else "  (missing?)" if hit.vanished else ""
        when = (hit.taken_at or "")[:10]
        out.write(f"{hit.score:6.3f}  {when:10s}  {shown_path(hit.path)}{mark}\n")


def _query_from_args(args: argparse.Namespace, text: str) -> tuple[Query, SearchOptions]:
    """The search/similar options as one Query; ValueError for a bad date."""
    dates: DateRange | None = None
    if args.after or args.before:
        start = parse_date_argument(args.after).start if args.after else None
        end = None
        if args.before:
            first = parse_date_argument(args.before).start
            assert first is not None
            end = first - timedelta(days=1)  # --before is exclusive
        dates = DateRange(start, end)
    filters = Filters(
        dates=dates,
        folders=tuple(str(Path(f).expanduser().resolve()) for f in args.folder),
        camera=args.camera,
        file_types=tuple(args.type),
        orientation=args.orientation,
        offline=args.offline,
    )
    query = parse_query(text, filters=filters)
    query = replace(
        query,
        not_texts=(*query.not_texts, *args.not_text),
        like_files=tuple(Path(p) for p in args.like),
        unlike_files=tuple(Path(p) for p in args.unlike),
    )
    options = SearchOptions(k=args.k, all=args.all, strictness=args.strictness, sort=args.sort)
    return query, options


def _run_query(args: argparse.Namespace, ctx: CliContext, text: str, examples: list[str]) -> int:
    for image in [*examples, *args.like, *args.unlike]:
        if not Path(image).expanduser().is_file():
            ctx.err.write(f"Image not found: {image}\n")
            return EXIT_USAGE
    try:
        query, options = _query_from_args(args, text)
    except ValueError as exc:
        ctx.err.write(f"{exc}\n")
        return EXIT_USAGE
    query = replace(query, like_files=(*(Path(e) for e in examples), *query.like_files))
    model = ctx.load_model()
    with ctx.open_reader() as library:
        scoped = scope_query(args, library, query)
        if isinstance(scoped, str):
            ctx.err.write(f"{scoped}\n")
            return EXIT_USAGE
        result = SearchEngine(library, model, vocabulary(args)).run(scoped, options)
    if (problem := scope_problem(result)) is not None:
        ctx.err.write(f"{problem}\n")
        return EXIT_USAGE
    _print_hits(result, args.json, ctx.out, ctx.err)
    return EXIT_OK


def cmd_search(args: argparse.Namespace, ctx: CliContext) -> int:
    return _run_query(args, ctx, args.text or "", [])


def cmd_similar(args: argparse.Namespace, ctx: CliContext) -> int:
    return _run_query(args, ctx, "", [args.image])


def _add_query_options(p: argparse.ArgumentParser) -> None:
    """The filter, order and count options search and similar share."""
    p.add_argument(
        "--like",
        action="append",
        default=[],
        metavar="IMAGE",
        help="also find photos like this image (repeatable)",
    )
    p.add_argument(
        "--unlike",
        action="append",
        default=[],
        metavar="IMAGE",
        help="push photos like this image down (repeatable)",
    )
    p.add_argument(
        "--not",
        dest="not_text",
        action="append",
        default=[],
        metavar="TEXT",
        help="push photos matching this text down (repeatable)",
    )
    p.add_argument("--after", metavar="DATE", help="taken on or after DATE (YYYY[-MM[-DD]])")
    p.add_argument("--before", metavar="DATE", help="taken before DATE (YYYY[-MM[-DD]])")
    p.add_argument(
        "--in",
        dest="folder",
        action="append",
        default=[],
        metavar="FOLDER",
        help="only photos in this folder or below (repeatable)",
    )
    p.add_argument("--camera", metavar="TEXT", help="camera make/model contains TEXT")
    add_scope_options(p)
    p.add_argument(
        "--type",
        action="append",
        default=[],
        metavar="EXT",
        help="file type, e.g. jpg or png (repeatable)",
    )
    p.add_argument("--orientation", choices=("landscape", "portrait", "square"))
    availability = p.add_mutually_exclusive_group()
    availability.add_argument(
        "--offline",
        dest="offline",
        action="store_const",
        const=True,
        help="only photos on drives that are unplugged now",
    )
    availability.add_argument(
        "--online",
        dest="offline",
        action="store_const",
        const=False,
        help="only photos whose files can be opened now",
    )
    p.add_argument(
        "--sort",
        choices=ORDERS,
        default="relevance",
        help="relevance (default), date (newest first), oldest, name, modified (newest first) "
        "or folder",
    )
    count = p.add_mutually_exclusive_group()
    count.add_argument("-k", type=int, help="exactly the K best (default: the relevant ones)")
    count.add_argument("--all", action="store_true", help="every photo, ranked")
    p.add_argument(
        "--strictness",
        choices=STRICTNESS,
        default="normal",
        help="how relevant a photo must be (default normal)",
    )
    p.add_argument(
        "--json",
        action="store_true",
        help="print JSON rows {path, score, taken_at, date_source, offline}",
    )


# -- status -----------------------------------------------------------------------------------


def cmd_status(args: argparse.Namespace, ctx: CliContext) -> int:
    model_info: dict[str, Any] | None = None
    with ctx.open_reader() as library:
        try:
            pack = ctx.pack_store().resolve(ctx.model_choice or ctx.settings.model)
        except DesktopAlbumError:
            pack = None
        counts = library.counts()
        per_root = library.root_counts()
        vectors = library.embedding_counts()
        if pack is not None:
            model_info = {
                "id": pack.name,
                "image_space": pack.model_id,  # the key its photo vectors are stored under
                "path": str(pack.path),
                "embedding_dim": pack.embed_dim,
                "vectors": vectors.get(pack.model_id, 0),
                "needing_embedding": library.count_needing_embedding(pack.model_id),
            }
        report: dict[str, Any] = {
            "library": shown_path(ctx.library_file),
            "roots": [
                {"path": shown_path(r.path), "online": r.online, "photos": per_root.get(r.id, 0)}
                for r in library.roots()
            ],
            "counts": {k: counts[k] for k in ("ok", "error", "missing", "pending")},
            "vanished": library.vanished_count(),
            "model": model_info,
            "vectors_per_model": vectors,
            "failures": [{"path": shown_path(p), "reason": r} for p, r in library.failures()],
            "unreadable_folders": [
                {"path": shown_path(p), "reason": r} for p, r in library.scan_problems()
            ],
        }
    if args.json:
        json.dump(report, ctx.out, ensure_ascii=False, indent=2)
        ctx.out.write("\n")
        return EXIT_OK
    out = ctx.out
    out.write(f"Library: {report['library']}\n")
    for root in report["roots"]:
        state = "" if root["online"] else "  (offline)"
        out.write(f"  {root['path']}: {root['photos']} photos{state}\n")
    c = report["counts"]
    out.write(
        f"Photos: {c['ok']} ok, {c['error']} unreadable, {c['missing']} missing, "
        f"{c['pending']} waiting\n"
    )
    if report["vanished"]:
        out.write(
            f"  {report['vanished']} photos vanished at once and await confirmation "
            "(desktop-album index --yes marks them missing)\n"
        )
    if model_info is None:
        out.write("Model: none installed (desktop-album models download ViT-B-32__openai)\n")
    else:
        out.write(
            f"Model: {model_info['id']} ({model_info['vectors']} photos embedded, "
            f"{model_info['needing_embedding']} to do)\n"
        )
    for failure in report["failures"]:
        out.write(f"  unreadable: {failure['path']}: {failure['reason']}\n")
    for folder in report["unreadable_folders"]:
        out.write(f"  unreadable folder: {folder['path']}: {folder['reason']}\n")
    return EXIT_OK


# -- wiring -----------------------------------------------------------------------------------


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="desktop-album",
        description="Find your photos by describing them. With no command, opens the window.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    parser.add_argument("--library", metavar="FILE", help="library file (default: user data)")
    parser.add_argument("--model", metavar="DIR", help="model pack folder or installed name")
    parser.add_argument("-v", "--verbose", action="store_true", help="log details to stderr")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    p = sub.add_parser("index", help="add folders to the library and index them")
    p.add_argument("paths", nargs="*", metavar="PATH", help="folders (default: all roots)")
    p.add_argument("--batch-size", type=int, default=32, help=argparse.SUPPRESS)
    p.add_argument("--decode-threads", type=int, default=2, help=argparse.SUPPRESS)
    p.add_argument(
        "--yes", action="store_true", help="mark photos missing even when many vanished at once"
    )
    p.add_argument(
        "--retry-failed", action="store_true", help="try the photos that could not be read again"
    )
    p.add_argument(
        "--json",
        action="store_true",
        help='print one JSON object: {"indexed", "reused", "unchanged", "missing", "failed", ...}',
    )
    p.set_defaults(handler=cmd_index)

    p = sub.add_parser("search", help="find photos matching a description")
    p.add_argument("text", nargs="?", default="", help="words, with dates and -negatives")
    _add_query_options(p)
    p.set_defaults(handler=cmd_search)

    p = sub.add_parser("similar", help="find photos like an image")
    p.add_argument("image")
    _add_query_options(p)
    p.set_defaults(handler=cmd_similar)

    p = sub.add_parser("status", help="roots, counts, model, unreadable files")
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=cmd_status)

    try:
        from desktop_album.cli_models import add_models_commands
    except ImportError:  # the models commands are optional while being built
        pass
    else:
        add_models_commands(sub)
    try:
        from desktop_album.cli_watch import add_watch_command
    except ImportError:
        pass
    else:
        add_watch_command(sub)
    from desktop_album.cli_duplicates import add_duplicates_command

    add_duplicates_command(sub)
    from desktop_album.cli_things import add_things_command

    add_things_command(sub)
    return parser


# Global options that take a value: the word after them is that value, never a command.
_VALUED_OPTIONS = ("--library", "--model")


def _wants_window(argv: Sequence[str], commands: set[str]) -> bool:
    """No command, paths from "Open with", or the window's own smoke test: open the window.

    A command word always means the command, even where a file of that name exists (``status``
    in the current folder); values of global options are not taken for paths or commands.
    """
    if any(a.startswith("--smoke-") for a in argv):
        return True
    if any(a in ("-h", "--help", "--version") for a in argv):
        return False
    words: list[str] = []
    skip = False
    for arg in argv:
        if skip:
            skip = False
        elif arg in _VALUED_OPTIONS:
            skip = True
        elif not arg.startswith("-"):
            words.append(arg)
    if not words:
        return not any(a.startswith("-") for a in argv)
    if any(w in commands for w in words):
        return False
    return all(Path(w).exists() for w in words)


def main(argv: Sequence[str] | None = None) -> int:
    arguments = list(sys.argv[1:] if argv is None else argv)
    parser = build_parser()
    commands = {
        name
        for action in parser._actions
        if isinstance(action, argparse._SubParsersAction)
        for name in action.choices
    }
    if _wants_window(arguments, commands):
        from desktop_album.app import main as gui_main

        return gui_main(arguments)
    args = parser.parse_args(arguments)
    logging.basicConfig(
        level=logging.INFO if args.verbose else logging.WARNING, format="%(message)s"
    )
    if args.command is None:  # only global options, e.g. --library: open the window
        from desktop_album.app import main as gui_main

        return gui_main([])
    paths = AppPaths.default()
    settings = Settings.load(paths.settings_file)
    ctx = CliContext(
        paths=paths,
        settings=settings,
        library_file=Path(args.library).expanduser() if args.library else paths.library_file,
        model_choice=args.model,
    )
    return run_guarded(args, ctx)


def run_guarded(args: argparse.Namespace, ctx: CliContext) -> int:
    """The CLI's error boundary: an environment problem is one message and exit 2; anything
    else is a bug: one line saying so and where the details were written, and exit 1."""
    try:
        result: int = args.handler(args, ctx)
        if ctx.out is sys.stdout:
            ctx.out.flush()  # a closed pipe shows here, not at exit
        return result
    except BrokenPipeError:
        # The reader went away (``| head``): stop quietly. The Python docs' recipe: point
        # stdout at devnull so the interpreter's last flush does not fail again.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
        return EXIT_OK
    except (ModelMissingError, DesktopAlbumError) as exc:
        ctx.err.write(f"{exc}\n")
        return EXIT_USAGE
    except KeyboardInterrupt:
        ctx.err.write("\nInterrupted.\n")
        return EXIT_INTERRUPTED
    except (sqlite3.Error, OSError) as exc:
        mapped = as_environment_error(
            exc, ctx.library_file if isinstance(exc, sqlite3.Error) else None
        )
        if mapped is not None:
            ctx.err.write(f"{mapped}\n")
            return EXIT_USAGE
        return _report_bug(exc, ctx)
    except Exception as exc:  # the boundary: whatever else escaped is a bug, said once
        return _report_bug(exc, ctx)


def _report_bug(exc: BaseException, ctx: CliContext) -> int:
    """One line for the user; the traceback goes to a file under the user-data log folder."""
    details = "".join(traceback.format_exception(exc))
    try:
        ctx.paths.log_dir.mkdir(parents=True, exist_ok=True)
        log_file = ctx.paths.log_dir / f"crash-{time.strftime('%Y%m%d-%H%M%S')}-{os.getpid()}.log"
        log_file.write_text(f"desktop-album {__version__}\n{details}", encoding="utf-8")
        where = f"the details were written to {log_file}"
    except OSError:
        ctx.err.write(details)
        where = "the details are above"
    ctx.err.write(
        f"This is a bug in Desktop Album ({type(exc).__name__}: {exc}); {where}. "
        "Please report it.\n"
    )
    return EXIT_FAILURE
