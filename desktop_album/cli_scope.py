"""Search inside an album, the favourites or a thing from the command line.

``search``/``similar`` get ``--album NAME`` and ``--favourites``; ``#tag`` / ``tag:x`` in the
text are read by the core (``core/tag_query.py``). ``cli.py`` calls :func:`add_scope_options`
while building those commands and :func:`scope_query` / :func:`scope_problem` around the search.
"""

from __future__ import annotations

import argparse
from dataclasses import replace
from pathlib import Path

from desktop_album.core import albums
from desktop_album.core.library import Library
from desktop_album.core.query import Query
from desktop_album.core.search import SearchResult
from desktop_album.core.tag_query import NO_THINGS, UNKNOWN_TAG
from desktop_album.core.things import Vocabulary, load_vocabulary


def add_scope_options(p: argparse.ArgumentParser) -> None:
    """``--album``, ``--favourites`` (and a hidden ``--vocabulary`` for tests and tuning)."""
    p.add_argument("--album", metavar="NAME", help="only photos in this album")
    p.add_argument("--favourites", action="store_true", help="only favourite photos")
    p.add_argument("--vocabulary", metavar="FILE", help=argparse.SUPPRESS)


def vocabulary(args: argparse.Namespace) -> Vocabulary:
    """The things ``#tags`` are resolved against."""
    path = getattr(args, "vocabulary", None)
    return load_vocabulary(Path(path) if path else None)


def scope_query(args: argparse.Namespace, library: Library, query: Query) -> Query | str:
    """``query`` limited to ``--album`` / ``--favourites``, or why it cannot be (a message)."""
    filters = query.filters
    if getattr(args, "favourites", False):
        filters = replace(filters, favourites=True)
    name = getattr(args, "album", None)
    if name:
        wanted = " ".join(name.split()).casefold()
        every = albums.albums(library)
        found = next((a for a in every if a.name.casefold() == wanted), None)
        if found is None:
            known = ", ".join(a.name for a in every) or "none yet"
            return f"No album called “{name}”. Albums: {known}."
        filters = replace(filters, album=found.id)
    return replace(query, filters=filters)


def scope_problem(result: SearchResult) -> str | None:
    """A message when the query's things could not be searched (exit 2), else None."""
    if result.verdict == UNKNOWN_TAG:
        words = ", ".join(f"“{w}”" for w in result.unknown_tags)
        return (
            f"No thing called {words}. `desktop-album things` lists the things in your photos; "
            "a tag is an English or Korean name, e.g. #beach or #바다."
        )
    if result.verdict == NO_THINGS:
        return (
            "Your photos are not sorted into things yet. Run `desktop-album things` (or let "
            "indexing finish), then search again."
        )
    return None
