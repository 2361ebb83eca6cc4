"""``desktop-album duplicates``: exact copies, re-saved copies and similar shots, in groups.

It only reads and reports; nothing happens to a file. Photos indexed before perceptual hashes
existed are hashed first (from the thumbnail cache where possible). ``cli.py`` calls
:func:`add_duplicates_command`.
"""

from __future__ import annotations

import argparse
import json
import sqlite3
from typing import Any, Protocol, TextIO

from desktop_album.core.duplicate_review import resolve_model_id
from desktop_album.core.duplicates import ALL_TIERS, DuplicateGroup, DupPhoto, Tier
from desktop_album.core.duplicates import find_duplicates as find_groups
from desktop_album.core.errors import as_environment_error
from desktop_album.core.library import Library
from desktop_album.core.phash_backfill import backfill_phashes, count_missing_phashes
from desktop_album.core.thumbnails import ThumbnailCache

EXIT_OK = 0

_HEADINGS = {
    Tier.EXACT: "Exact copies",
    Tier.NEAR: "Near-duplicates",
    Tier.SIMILAR: "Similar shots",
}


class DuplicatesContext(Protocol):
    """The part of ``cli.CliContext`` this command uses."""

    out: TextIO
    err: TextIO
    model_choice: str | None

    def open_library(self) -> Library: ...
    def thumbnails(self) -> ThumbnailCache: ...
    def pack_store(self) -> Any: ...

    @property
    def settings(self) -> Any: ...


def add_duplicates_command(subparsers: Any) -> None:
    """Add ``duplicates`` to the CLI's sub-parsers."""
    p = subparsers.add_parser(
        "duplicates", help="find exact copies, re-saved copies and similar shots"
    )
    p.add_argument(
        "--tier", choices=ALL_TIERS, help="only this tier (default: all three, strictest first)"
    )
    p.add_argument(
        "--json",
        action="store_true",
        help='print [{"tier", "photos": [{"path", "width", "height", "bytes", "taken_at"}], '
        '"keep"}]',
    )
    p.set_defaults(handler=cmd_duplicates)


def _model_id(ctx: DuplicatesContext) -> str | None:
    """The active model's id, or None when no model is installed (hashes alone then)."""
    return resolve_model_id(ctx.pack_store(), ctx.model_choice or ctx.settings.model)


def _backfill(library: Library, ctx: DuplicatesContext) -> None:
    missing = count_missing_phashes(library)
    if not missing:
        return
    ctx.err.write(f"Computing perceptual hashes of {missing} photos indexed before...\n")
    try:
        report = backfill_phashes(library, ctx.thumbnails())
    except sqlite3.Error as exc:  # a read-only library: report what the stored hashes allow
        error = as_environment_error(exc, library.path)
        if error is None:
            raise
        ctx.err.write(f"  not saved ({error}); near-duplicates may be missed.\n")
        return
    if report.unreadable:
        ctx.err.write(f"  {report.unreadable} photos could not be read; they were left out.\n")


def cmd_duplicates(args: argparse.Namespace, ctx: DuplicatesContext) -> int:
    model_id = _model_id(ctx)
    tiers = (args.tier,) if args.tier else ALL_TIERS
    with ctx.open_library() as library:
        if args.tier != Tier.EXACT.value:
            _backfill(library, ctx)
        groups = find_groups(library, model_id, tiers)
    if args.json:
        json.dump([group_json(g) for g in groups], ctx.out, ensure_ascii=False, indent=2)
        ctx.out.write("\n")
        return EXIT_OK
    _print_groups(groups, ctx.out, model_id is not None)
    return EXIT_OK


def photo_json(photo: DupPhoto) -> dict[str, Any]:
    return {
        "path": photo.path,
        "width": photo.width,
        "height": photo.height,
        "bytes": photo.bytes,
        "taken_at": photo.taken_at,
    }


def group_json(group: DuplicateGroup) -> dict[str, Any]:
    return {
        "tier": group.tier.value,
        "photos": [photo_json(p) for p in group.photos],
        "keep": group.keep.path,
    }


def _size(count: int) -> str:
    return f"{count / 1e6:.1f} MB" if count >= 100_000 else f"{count / 1e3:.0f} KB"


def _print_groups(groups: list[DuplicateGroup], out: TextIO, with_model: bool) -> None:
    if not groups:
        out.write("No duplicates found.\n")
    for tier in Tier:
        of_tier = [g for g in groups if g.tier is tier]
        if not of_tier:
            continue
        spare = sum(p.bytes for g in of_tier for p in g.photos[1:])
        out.write(
            f"{_HEADINGS[tier]}: {len(of_tier)} groups, {_size(spare)} in the photos not "
            f"suggested to keep.\n  {of_tier[0].explanation}\n"
        )
        for group in of_tier:
            out.write("\n")
            for photo in group.photos:
                mark = "keep" if photo is group.keep else "    "
                size = f"{photo.width or '?'}x{photo.height or '?'}"
                taken = photo.taken_at or "no date"
                out.write(f"  {mark}  {size:>11}  {_size(photo.bytes):>8}  {taken}  {photo.path}\n")
        out.write("\n")
    if not with_model:
        out.write("No model is installed: near-duplicates were found by hash alone.\n")
