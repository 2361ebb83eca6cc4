"""``desktop-album things``: how many photos show each thing (beach, 음식, receipt, ...).

Tags come from the active model over the vocabulary in ``data/things.json``; they are computed
here when the stored ones are out of date (new photos, another model). ``cli.py`` calls
:func:`add_things_command`.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any, Protocol, TextIO

from desktop_album.core.embedding import ClipModel
from desktop_album.core.library import Library
from desktop_album.core.things import compute_tags, load_vocabulary, tag_counts

EXIT_OK = 0


class ThingsContext(Protocol):
    """The part of ``cli.CliContext`` this command uses."""

    out: TextIO
    err: TextIO

    def open_library(self) -> Library: ...
    def load_model(self) -> ClipModel: ...


def add_things_command(subparsers: Any) -> None:
    """Add ``things`` to the CLI's sub-parsers."""
    p = subparsers.add_parser("things", help="how many photos show each thing (beach, 음식, ...)")
    p.add_argument(
        "--json", action="store_true", help='print [{"tag", "en", "ko", "count"}], most first'
    )
    p.add_argument("--vocabulary", metavar="FILE", help=argparse.SUPPRESS)  # tests, tuning
    p.set_defaults(handler=cmd_things)


def cmd_things(args: argparse.Namespace, ctx: ThingsContext) -> int:
    vocabulary = load_vocabulary(Path(args.vocabulary) if args.vocabulary else None)
    model = ctx.load_model()
    with ctx.open_library() as library:
        run = compute_tags(library, model, vocabulary)
        if run.computed:
            ctx.err.write(f"Sorted {run.photos} photos into things in {run.seconds:.1f} s.\n")
        counts = tag_counts(library, model.model_id)
    rows = [
        {
            "tag": c.tag,
            "en": vocabulary.by_id[c.tag].en if c.tag in vocabulary.by_id else c.tag,
            "ko": vocabulary.by_id[c.tag].ko if c.tag in vocabulary.by_id else c.tag,
            "count": c.count,
        }
        for c in counts
    ]
    if args.json:
        json.dump(rows, ctx.out, ensure_ascii=False, indent=2)
        ctx.out.write("\n")
        return EXIT_OK
    if not rows:
        ctx.out.write("No things found yet (index some photos first).\n")
    for row in rows:
        ctx.out.write(f"{row['count']:6d}  {row['en']} ({row['ko']})\n")
    return EXIT_OK
