"""``desktop-album models``: list, download, import, use and remove model packs.

``cli.py`` calls :func:`add_models_commands`; each handler takes the parsed arguments and the
CLI context and returns the exit code: 0 done, 1 a failure (network, disk, library), 2 something
the user can fix (an unknown name, a broken pack), 130 interrupted. Messages are one line each.
"""

from __future__ import annotations

import argparse
import functools
import json
import os
import shutil
import sys
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any, Protocol, TextIO

from desktop_album.core.catalog import (
    Catalog,
    CatalogEntry,
    language_code,
    load_catalog,
    one_decimal,
)
from desktop_album.core.download import DownloadProgress, download_pack
from desktop_album.core.errors import (
    DesktopAlbumError,
    DownloadCancelled,
    PackError,
    as_environment_error,
)
from desktop_album.core.pack_store import InstalledPack, PackStore
from desktop_album.core.packs import ModelPack, load_pack
from desktop_album.core.paths import AppPaths
from desktop_album.core.settings import Settings

EXIT_OK, EXIT_FAILURE, EXIT_USAGE, EXIT_INTERRUPTED = 0, 1, 2, 130


class ModelsLibrary(Protocol):
    """The part of the library these commands use."""

    def embedding_counts(self) -> dict[str, int]: ...
    def delete_embeddings(self, model_id: str) -> int: ...
    def count_needing_embedding(self, model_id: str) -> int: ...
    def adopt_model_vectors(self, old_id: str, new_id: str) -> int: ...
    def close(self) -> None: ...


class ModelsContext(Protocol):
    """The part of ``cli.CliContext`` these commands use."""

    paths: AppPaths
    settings: Settings
    out: TextIO
    err: TextIO

    def save_settings(self) -> None: ...
    def open_library(self) -> ModelsLibrary: ...


Handler = Callable[[argparse.Namespace, ModelsContext], int]


def add_models_commands(subparsers: Any) -> None:
    """Add ``models`` and its sub-commands to the CLI's sub-parsers."""
    models = subparsers.add_parser("models", help="list, download, import, use, remove models")
    sub = models.add_subparsers(dest="models_command", metavar="ACTION", required=True)

    p = sub.add_parser("list", help="installed models and those you can download")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.add_argument(
        "--language",
        metavar="CODE",
        help="recommend for this query language (default: the interface language)",
    )
    p.set_defaults(handler=cmd_list)

    p = sub.add_parser("download", help="download a model from the catalog")
    p.add_argument("name", metavar="NAME")
    p.add_argument(
        "--endpoint",
        metavar="URL",
        help="a Hugging Face Hub mirror (default: the hub_endpoint setting, else $HF_ENDPOINT, "
        "else https://huggingface.co)",
    )
    p.add_argument(
        "--url-base",
        metavar="URL",
        help="for a catalog entry with a file list: fetch URL/<file> instead",
    )
    p.add_argument("--force", action="store_true", help="download again even if installed")
    p.set_defaults(handler=cmd_download)

    p = sub.add_parser("import", help="install a model pack folder")
    p.add_argument("dir", metavar="DIR")
    p.add_argument("--name", help="install under this name (default: the folder's name)")
    p.set_defaults(handler=cmd_import)

    p = sub.add_parser("use", help="make a model the active one")
    p.add_argument("name", metavar="NAME", help="an installed model or a pack folder")
    p.set_defaults(handler=cmd_use)

    p = sub.add_parser("remove", help="delete an installed model")
    p.add_argument("name", metavar="NAME")
    p.add_argument("--yes", action="store_true", help="also delete its stored embeddings")
    p.set_defaults(handler=cmd_remove)


def _guarded(handler: Handler) -> Handler:
    """Turn the core's typed errors into a one-line message and an exit code."""

    @functools.wraps(handler)
    def run(args: argparse.Namespace, ctx: ModelsContext) -> int:
        try:
            return handler(args, ctx)
        except DownloadCancelled as exc:
            ctx.err.write(f"{exc}\n")
            return EXIT_INTERRUPTED
        except DesktopAlbumError as exc:  # a pack, a download, the library, a full disk
            ctx.err.write(f"{exc}\n")
            return EXIT_USAGE
        except BrokenPipeError:
            raise  # the reader went away (| head): cli.main ends quietly
        except OSError as exc:  # disk full, permissions: something to fix, not a bug
            error = as_environment_error(exc)
            ctx.err.write(f"{error or exc}\n")
            return EXIT_USAGE

    return run


# -- list -----------------------------------------------------------------------------------


@_guarded
def cmd_list(args: argparse.Namespace, ctx: ModelsContext) -> int:
    store = PackStore(ctx.paths.models_dir)
    catalog = load_catalog()
    installed = store.installed()
    active = ctx.settings.model
    available = [e for e in catalog if e.name not in {p.name for p in installed}]
    language = language_code(args.language or interface_language(ctx.settings.language)) or "en"
    recommended = catalog.recommend(language)
    if args.json:
        data = _as_json(store, catalog, installed, available, active)
        data.update(recommended=recommended.name, recommended_for=language)
        ctx.out.write(json.dumps(data, indent=2))
        ctx.out.write("\n")
        return EXIT_OK

    if installed:
        ctx.out.write(f"Installed in {store.folder}:\n")
        for pack in installed:
            ctx.out.write(_installed_line(pack, catalog.find(pack.name), _is_active(pack, active)))
    else:
        ctx.out.write(
            f"No model installed; get the recommended one with: desktop-album models download "
            f"{recommended.name}\n"
        )
    if active and not any(_is_active(p, active) for p in installed):
        ctx.out.write(f"Active: {active}\n")
    if available:
        ctx.out.write(
            "Available to download (recall: immich's published Crossmodal-3600 figures; CPU "
            f"time: per photo, against {catalog.default().name}'s):\n"
        )
        for entry in available:
            ctx.out.write(_available_line(catalog, entry, entry is recommended))
    ctx.out.write(_why_line(catalog, recommended, language))
    return EXIT_OK


def interface_language(setting: str) -> str:
    """The interface language: the setting, or the system's (LC_ALL, LC_MESSAGES, LANG)."""
    if setting and setting != "system":
        return setting
    for key in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(key, "")
        if value and value not in ("C", "POSIX") and not value.startswith("C."):
            return value
    return "en"


def _is_active(pack: InstalledPack, active: str | None) -> bool:
    if not active:
        return False
    return active == pack.name or Path(active).expanduser() == pack.path


def _installed_line(pack: InstalledPack, entry: CatalogEntry | None, active: bool) -> str:
    mark = "*" if active else " "
    if pack.problem:
        return f"{mark} {pack.name}  broken: {pack.problem}\n"
    languages = _languages(entry.languages) if entry else "languages: see its model card"
    parts = [
        f"{pack.embed_dim}-d",
        format_bytes(pack.size_bytes),
        languages,
        pack.license or "license: see its model card",
    ]
    return f"{mark} {pack.name}  {'  '.join(parts)}{'  (active)' if active else ''}\n"


def _available_line(catalog: Catalog, entry: CatalogEntry, recommended: bool) -> str:
    size = format_bytes(entry.size) if entry.size is not None else "size: listed at download"
    parts = [
        _languages(entry.languages),
        _recall(entry),
        _memory(entry),
        _speed(catalog, entry),
        size,
    ]
    marks = "".join(
        [
            "  (default for English)" if entry.default else "",
            "  (recommended)" if recommended else "",
        ]
    )
    return f"  {entry.name}  {'  '.join(parts)}{marks}\n"


def _why_line(catalog: Catalog, entry: CatalogEntry, language: str) -> str:
    if language == "en" or entry.default:
        return (
            f"Recommended for English: {entry.name}, the fastest and smallest ({_recall(entry)}).\n"
        )
    return (
        f"Recommended for '{language}': {entry.name}, the best Korean-capable pack that runs "
        f"well on a CPU ({_recall(entry)}; {_speed(catalog, entry)}; {_memory(entry)}).\n"
    )


def _recall(entry: CatalogEntry) -> str:
    figures = [
        f"{lang} {one_decimal(value):.1f}%" if value is not None else f"{lang} unpublished"
        for lang in ("en", "ko")
        if (value := entry.recall_for(lang)) is not None or entry.supports_language(lang)
    ]
    return "recall " + ", ".join(figures) if figures else "recall unpublished"


def _memory(entry: CatalogEntry) -> str:
    if entry.memory_mib is None:
        return "memory unpublished"
    return f"~{entry.memory_mib / 1024:.1f} GiB memory"


def _speed(catalog: Catalog, entry: CatalogEntry) -> str:
    slowdown = entry.slowdown(catalog.default())
    return "CPU time unpublished" if slowdown is None else f"CPU time {slowdown:.1f}x"


def _languages(codes: tuple[str, ...]) -> str:
    ordered = sorted(codes, key=lambda c: (c not in ("en", "ko"), codes.index(c)))
    shown = ", ".join(ordered[:4])
    return shown + (f" +{len(codes) - 4} more" if len(codes) > 4 else "")


def _as_json(
    store: PackStore,
    catalog: Catalog,
    installed: list[InstalledPack],
    available: list[CatalogEntry],
    active: str | None,
) -> dict[str, Any]:
    def languages(name: str) -> list[str] | None:
        entry = catalog.find(name)
        return list(entry.languages) if entry else None

    return {
        "models_dir": str(store.folder),
        "active": active,
        "installed": [
            {
                "name": p.name,
                "path": str(p.path),
                "embed_dim": p.embed_dim,
                "license": p.license,
                "size_bytes": p.size_bytes,
                "languages": languages(p.name),
                "active": _is_active(p, active),
                "problem": p.problem,
            }
            for p in installed
        ],
        "available": [
            {
                "name": e.name,
                "repo": e.repo,
                "title": e.title,
                "description": e.description,
                "languages": list(e.languages),
                "embed_dim": e.embed_dim,
                "license": e.license,
                "homepage": e.homepage,
                "size_bytes": e.size,
                "recall": {"en": e.recall_for("en"), "ko": e.recall_for("ko")},
                "memory_mib": e.memory_mib,
                "cpu_ms": e.cpu_ms,
                "slowdown": e.slowdown(catalog.default()),
                "runs_well_on_cpu": catalog.runs_well_on_cpu(e),
                "default": e.default,
            }
            for e in available
        ],
    }


# -- download -------------------------------------------------------------------------------


@_guarded
def cmd_download(args: argparse.Namespace, ctx: ModelsContext) -> int:
    catalog = load_catalog()
    entry = catalog.find(args.name)
    if entry is None:
        ctx.err.write(
            f"There is no model called '{args.name}' in the catalog (available: "
            f"{', '.join(catalog.names())}); for a pack folder use 'desktop-album models import "
            "DIR'.\n"
        )
        return EXIT_USAGE
    store = PackStore(ctx.paths.models_dir)
    if entry.name in store.names() and not args.force:
        try:
            load_pack(store.folder / entry.name)
        except PackError:
            pass  # broken: download it again
        else:
            ctx.out.write(
                f"{entry.name} is already installed in {store.folder / entry.name} "
                "(--force downloads it again).\n"
            )
            return EXIT_OK
    store.folder.mkdir(parents=True, exist_ok=True)
    printer = DownloadPrinter(ctx.err)

    def run(cancel: threading.Event) -> Path:
        return download_pack(
            entry,
            store.folder,
            progress=printer,
            cancel=cancel,
            base_url_override=args.url_base,
            endpoint=args.endpoint or ctx.settings.hub_endpoint,
        )

    try:
        path = run_interruptibly(run)
    finally:
        printer.close()
    ctx.out.write(f"Installed {entry.name} in {path}.\n")
    _activate_if_none(ctx, entry.name)
    return EXIT_OK


def run_interruptibly(work: Callable[[threading.Event], Path]) -> Path:
    """Run ``work`` on a thread; Ctrl+C sets its cancel event and waits for it to stop.

    The download stops between two chunks with its partial files closed and kept, instead of
    a KeyboardInterrupt landing anywhere inside it.
    """
    cancel = threading.Event()
    done = threading.Event()
    result: list[Path] = []
    errors: list[BaseException] = []

    def target() -> None:
        try:
            result.append(work(cancel))
        except BaseException as exc:  # handed to the main thread below
            errors.append(exc)
        finally:
            done.set()

    # The worker's end is an Event, not Thread.join: on Python 3.11 a KeyboardInterrupt that
    # lands in a timed join marks the still-running thread as stopped (the bpo-45274 change),
    # and a join after it returned at once, before the worker had seen the cancel.
    thread = threading.Thread(target=target, name="download", daemon=True)
    try:
        thread.start()
        while not done.wait(0.2):  # a timed wait lets Ctrl+C through on every platform
            pass
    except KeyboardInterrupt:
        cancel.set()
        done.wait()
    if result:  # done, even if Ctrl+C came just as it finished
        return result[0]
    raise errors[0] if errors else DownloadCancelled("Download cancelled.")


class DownloadPrinter:
    """Progress on stderr: one line redrawn on a terminal, a line per file elsewhere."""

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream
        self.tty = stream.isatty()
        self._drawn = False
        self._files_done = -1

    def __call__(self, p: DownloadProgress) -> None:
        done = format_bytes(p.bytes_done)
        of = f" of {format_bytes(p.bytes_total)}" if p.bytes_total else ""
        left = f", {format_seconds(p.seconds_left)} left" if p.seconds_left is not None else ""
        text = f"{p.name}: {done}{of} at {format_bytes(int(p.rate))}/s{left} ({p.file})"
        if self.tty:
            width = shutil.get_terminal_size().columns - 1  # a wrapped line cannot be redrawn
            self.stream.write(f"\r{text[:width]:<{width}}")
            self._drawn = True
        elif p.files_done != self._files_done:  # logs and pipes: a line per finished file
            self._files_done = p.files_done
            self.stream.write(f"{text}\n")
        self.stream.flush()

    def close(self) -> None:
        if self._drawn:
            self.stream.write("\n")
            self._drawn = False


def format_bytes(count: int | None) -> str:
    if count is None:
        return "?"
    size = float(count)
    for unit in ("B", "KB", "MB", "GB"):
        if size < 1000 or unit == "GB":
            return f"{size:.0f} {unit}" if unit == "B" else f"{size:.1f} {unit}"
        size /= 1000
    return f"{size:.1f} GB"  # pragma: no cover - the loop always returns


def format_seconds(seconds: float | None) -> str:
    if seconds is None:
        return "?"
    whole = round(seconds)
    hours, rest = divmod(whole, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


def _activate_if_none(ctx: ModelsContext, name: str) -> None:
    if ctx.settings.model:
        return
    ctx.settings.model = name
    ctx.save_settings()
    ctx.out.write(f"{name} is now the active model; run 'desktop-album index' to index for it.\n")


# -- import ---------------------------------------------------------------------------------


@_guarded
def cmd_import(args: argparse.Namespace, ctx: ModelsContext) -> int:
    source = Path(args.dir).expanduser()
    if not source.is_dir():
        ctx.err.write(f"No such folder: {source}.\n")
        return EXIT_USAGE
    store = PackStore(ctx.paths.models_dir)
    name = args.name or source.resolve().name
    if (store.folder / name).exists() and (store.folder / name).resolve() != source.resolve():
        # Its stored embeddings are keyed by name: a different model under it would mix them.
        ctx.err.write(
            f"A model called '{name}' is already installed; remove it first "
            f"(desktop-album models remove {name}) or import under another name with --name.\n"
        )
        return EXIT_USAGE
    pack = store.import_pack(source, name=name)
    ctx.out.write(f"Imported {pack.name} ({pack.embed_dim}-d) into {pack.path}.\n")
    _activate_if_none(ctx, pack.name)
    return EXIT_OK


# -- use ------------------------------------------------------------------------------------


@_guarded
def cmd_use(args: argparse.Namespace, ctx: ModelsContext) -> int:
    store = PackStore(ctx.paths.models_dir)
    name: str = args.name
    pack: ModelPack
    if name in store.names():
        pack, setting = store.get(name), name
    elif Path(name).expanduser().is_dir():
        pack = load_pack(Path(name).expanduser())
        setting = str(pack.path)  # absolute: the setting must not depend on the working folder
    else:
        installed = ", ".join(store.names()) or "none"
        if load_catalog().find(name) is not None:
            ctx.err.write(
                f"{name} is not installed; get it with: desktop-album models download {name}\n"
            )
        else:
            ctx.err.write(
                f"No installed model or pack folder called '{name}' (installed: {installed}).\n"
            )
        return EXIT_USAGE
    ctx.settings.model = setting
    ctx.save_settings()
    ctx.out.write(f"Now using {pack.name}.\n")
    library = ctx.open_library()
    try:
        library.adopt_model_vectors(pack.name, pack.model_id)  # from before image spaces
        needing = library.count_needing_embedding(pack.model_id)
        shared = library.embedding_counts().get(pack.model_id, 0)
    finally:
        library.close()
    if shared and not needing:
        # Its image tower is one the library already has vectors of (or it is the same pack).
        ctx.out.write("Ready, no re-indexing needed: its photo vectors are already stored.\n")
    elif needing:
        photos = "1 photo needs" if needing == 1 else f"{needing} photos need"
        ctx.out.write(
            f"{photos} indexing for this model; run desktop-album index or open the window.\n"
        )
    else:
        ctx.out.write("0 photos need indexing for this model.\n")
    return EXIT_OK


# -- remove ---------------------------------------------------------------------------------


@_guarded
def cmd_remove(args: argparse.Namespace, ctx: ModelsContext) -> int:
    store = PackStore(ctx.paths.models_dir)
    name: str = args.name
    if name not in store.names():
        installed = ", ".join(store.names()) or "none"
        ctx.err.write(f"Model '{name}' is not installed (installed: {installed}).\n")
        return EXIT_USAGE
    path = (store.folder / name).resolve()
    space, sharing = _image_space(store, name)
    library = ctx.open_library()
    try:
        if space != name:
            library.adopt_model_vectors(name, space)  # stored by name before image spaces
        stored = library.embedding_counts().get(space, 0)
        delete, kept = False, ""
        if stored and sharing:
            stored = 0
            kept = (
                f"Kept the stored embeddings of {name}: {', '.join(sharing)} uses the same "
                "image tower."
            )
        if stored and args.yes:
            delete = True
        elif stored and sys.stdin is not None and sys.stdin.isatty():
            delete = _confirm(ctx, f"Delete {stored} stored embeddings of {name} too? [y/N] ")
            kept = f"Kept the {stored} stored embeddings of {name}; a reinstall uses them again."
        elif stored:
            kept = (
                f"Kept the {stored} stored embeddings of {name} (no terminal to ask; pass --yes "
                "to delete them)."
            )
        store.remove(name)
        ctx.out.write(f"Removed {name}.\n")
        if delete:
            deleted = library.delete_embeddings(space)
            ctx.out.write(f"Deleted {deleted} stored embeddings of {name}.\n")
        elif kept:
            ctx.out.write(kept + "\n")
    finally:
        library.close()
    active = ctx.settings.model
    if active and (active == name or Path(active).expanduser().resolve() == path):
        ctx.settings.model = None  # never leave the setting pointing at nothing
        ctx.save_settings()
        ctx.out.write(
            f"{name} was the active model; choose another with 'desktop-album models use NAME'.\n"
        )
    return EXIT_OK


def _image_space(store: PackStore, name: str) -> tuple[str, list[str]]:
    """The image space of installed pack ``name`` (its name if unreadable), and the other
    installed packs that share it (their vectors are the same rows)."""
    try:
        space = store.get(name).model_id
    except DesktopAlbumError:
        return name, []
    sharing = []
    for other in store.names():
        if other == name:
            continue
        try:
            if store.get(other).model_id == space:
                sharing.append(other)
        except DesktopAlbumError:
            continue
    return space, sharing


def _confirm(ctx: ModelsContext, question: str) -> bool:
    ctx.err.write(question)
    ctx.err.flush()
    try:
        answer = sys.stdin.readline()
    except (EOFError, OSError):
        return False
    return answer.strip().lower() in ("y", "yes")
