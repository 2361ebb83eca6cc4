"""The headless face of Desktop Album: index, search, similar, status, models, watch.

With no command it opens the window. Exit codes: 0 done (also when some photos were unreadable:
they are recorded and listed), 1 an unexpected failure, 2 something the user can fix (a missing
folder or model, a broken pack), 130 interrupted.
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

from desktop_album import __version__
from desktop_album.core.embedding import ClipModel
from desktop_album.core.errors import DesktopAlbumError, ModelMissingError, RootNotFoundError
from desktop_album.core.indexing import Indexer, IndexProgress, IndexSummary
from desktop_album.core.library import Library
from desktop_album.core.pack_store import PackStore
from desktop_album.core.paths import AppPaths
from desktop_album.core.search import SearchEngine, SearchHit
from desktop_album.core.settings import Settings
from desktop_album.core.thumbnails import ThumbnailCache

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

    def pack_store(self) -> PackStore:
        return PackStore(self.paths.models_dir)

    def load_model(self) -> ClipModel:
        pack = self.pack_store().resolve(self.model_choice or self.settings.model)
        return ClipModel(
            pack,
            provider=self.settings.provider,
            threads=self.settings.threads,
            precision=self.settings.precision,
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

    def __call__(self, p: IndexProgress) -> None:
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


def _print_summary(summary: IndexSummary, stream: TextIO) -> None:
    parts = [f"Indexed {summary.indexed + summary.reused}"]
    if summary.reused:
        parts.append(f"({summary.reused} recognised from before)")
    parts.append(f"unchanged {summary.unchanged}")
    if summary.moved:
        parts.append(f"moved {summary.moved}")
    if summary.missing:
        parts.append(f"missing {summary.missing}")
    parts.append(f"failed {len(summary.failed)}")
    stream.write(", ".join(parts) + f" in {summary.seconds:.1f} s.\n")
    for path, reason in summary.failed:
        stream.write(f"  failed: {path}: {reason}\n")
    for root in summary.offline_roots:
        stream.write(f"  offline: {root} is not available (unplugged?); its photos are kept.\n")
    for report in summary.held_back:
        stream.write(
            f"  {len(report.held_back_missing)} photos of {report.root.path} vanished at once; "
            "they were NOT marked missing. Run again with --yes if they were really deleted.\n"
        )
    if summary.cancelled:
        stream.write("Stopped before the end; run again to finish.\n")


def existing_folders(paths: Sequence[str]) -> list[Path]:
    """The folders named on the command line, resolved; the first missing one is an error."""
    folders = []
    for raw in paths:
        folder = Path(raw).expanduser()
        if not folder.is_dir():
            raise RootNotFoundError(f"Folder not found: {folder}")
        folders.append(folder.resolve())
    return folders


def cmd_index(args: argparse.Namespace, ctx: CliContext) -> int:
    folders = existing_folders(args.paths)
    model = ctx.load_model()
    with ctx.open_library() as library:
        root_ids = [library.add_root(folder).id for folder in folders] or None
        indexer = Indexer(
            library,
            model,
            ctx.thumbnails(),
            batch_size=args.batch_size,
            decode_threads=args.decode_threads,
            excluded=ctx.settings.excluded_folders,
        )
        summary = indexer.run(root_ids, progress=ProgressBar(ctx.err), confirm_missing=args.yes)
    _print_summary(summary, ctx.err)
    return EXIT_OK


# -- search -----------------------------------------------------------------------------------


def _print_hits(hits: list[SearchHit], as_json: bool, out: TextIO) -> None:
    if as_json:
        rows: list[dict[str, Any]] = [{"path": h.path, "score": round(h.score, 6)} for h in hits]
        for row, hit in zip(rows, hits, strict=True):
            if hit.offline:
                row["offline"] = True
        json.dump(rows, out, ensure_ascii=False, indent=2)
        out.write("\n")
        return
    if not hits:
        out.write("No photos found.\n")
    for hit in hits:
        mark = "  (offline)" if hit.offline else ""
        out.write(f"{hit.score:6.3f}  {hit.path}{mark}\n")


def cmd_search(args: argparse.Namespace, ctx: CliContext) -> int:
    model = ctx.load_model()
    with ctx.open_library() as library:
        hits = SearchEngine(library, model).search_text(args.text, args.k)
    _print_hits(hits, args.json, ctx.out)
    return EXIT_OK


def cmd_similar(args: argparse.Namespace, ctx: CliContext) -> int:
    image = Path(args.image).expanduser()
    if not image.is_file():
        ctx.err.write(f"Image not found: {image}\n")
        return EXIT_USAGE
    model = ctx.load_model()
    with ctx.open_library() as library:
        hits = SearchEngine(library, model).similar_to_file(image, args.k)
    _print_hits(hits, args.json, ctx.out)
    return EXIT_OK


# -- status -----------------------------------------------------------------------------------


def cmd_status(args: argparse.Namespace, ctx: CliContext) -> int:
    model_info: dict[str, Any] | None = None
    with ctx.open_library() as library:
        try:
            pack = ctx.pack_store().resolve(ctx.model_choice or ctx.settings.model)
        except DesktopAlbumError:
            pack = None
        counts = library.counts()
        per_root = library.root_counts()
        vectors = library.embedding_counts()
        if pack is not None:
            model_info = {
                "id": pack.model_id,
                "path": str(pack.path),
                "embedding_dim": pack.embed_dim,
                "vectors": vectors.get(pack.model_id, 0),
                "needing_embedding": library.count_needing_embedding(pack.model_id),
            }
        report: dict[str, Any] = {
            "library": str(ctx.library_file),
            "roots": [
                {"path": r.path, "online": r.online, "photos": per_root.get(r.id, 0)}
                for r in library.roots()
            ],
            "counts": {k: counts[k] for k in ("ok", "error", "missing", "pending")},
            "model": model_info,
            "vectors_per_model": vectors,
            "failures": [{"path": p, "reason": r} for p, r in library.failures()],
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
    if model_info is None:
        out.write("Model: none installed (desktop-album models download ViT-B-32__openai)\n")
    else:
        out.write(
            f"Model: {model_info['id']} ({model_info['vectors']} photos embedded, "
            f"{model_info['needing_embedding']} to do)\n"
        )
    for failure in report["failures"]:
        out.write(f"  unreadable: {failure['path']}: {failure['reason']}\n")
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
    p.set_defaults(handler=cmd_index)

    p = sub.add_parser("search", help="find photos matching a description")
    p.add_argument("text")
    p.add_argument("-k", type=int, default=20, help="how many results (default 20)")
    p.add_argument("--json", action="store_true", help="print a JSON list of {path, score}")
    p.set_defaults(handler=cmd_search)

    p = sub.add_parser("similar", help="find photos like an image")
    p.add_argument("image")
    p.add_argument("-k", type=int, default=20, help="how many results (default 20)")
    p.add_argument("--json", action="store_true", help="print a JSON list of {path, score}")
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


def _wants_window(argv: Sequence[str], commands: set[str]) -> bool:
    """No command, paths from "Open with", or the window's own smoke test: open the window."""
    words = [a for a in argv if not a.startswith("-")]
    if any(a.startswith("--smoke-") for a in argv):
        return True
    if any(a in ("-h", "--help", "--version") for a in argv):
        return False
    if not words:
        return not any(a.startswith("-") for a in argv)
    return words[0] not in commands and all(Path(w).exists() for w in words)


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
    try:
        result: int = args.handler(args, ctx)
        return result
    except ModelMissingError as exc:
        ctx.err.write(f"{exc}\n")
        return EXIT_USAGE
    except DesktopAlbumError as exc:
        ctx.err.write(f"{exc}\n")
        return EXIT_USAGE
    except KeyboardInterrupt:
        ctx.err.write("\nInterrupted.\n")
        return EXIT_INTERRUPTED
