"""Things in a query: ``#바다`` / ``tag:beach`` typed in the bar, and the things a window scopes
a search to, turned into the concept ids and the model whose tags they read.

``parse_query`` keeps tags as typed (they are the chips' words); the search engine resolves them
here against the vocabulary (English or Korean name, or an alias) and its own model, because
tags are stored per model. A word that names no concept is reported, never searched as text: the
user asked for a thing, and "no thing called …" is a clearer answer than photos that look
vaguely like the word.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, replace

from desktop_album.core.query import Query
from desktop_album.core.things import Vocabulary

# Verdicts of a query whose things cannot be answered (core/search.py SearchResult.verdict).
UNKNOWN_TAG = "unknown_tag"  # a typed tag names no concept: SearchResult.unknown_tags says which
NO_THINGS = "no_things"  # the model's photos have not been sorted into things yet


@dataclass(frozen=True)
class ResolvedTags:
    """The query with its things as filters, or what was wrong with them."""

    query: Query
    unknown: tuple[str, ...] = ()  # typed words that name no concept, as typed


def resolve_tags(query: Query, model_id: str, vocabulary: Vocabulary) -> ResolvedTags:
    """``query`` with its typed tags (and any things already in its filters) as a things filter
    over ``model_id``'s tags; unknown words are returned instead."""
    found: list[str] = []
    unknown: list[str] = []
    for word in query.tags:
        concept = vocabulary.resolve(word)
        if concept is None:
            unknown.append(word)
        else:
            found.append(concept)
    if unknown:
        return ResolvedTags(query, tuple(unknown))
    things = tuple(dict.fromkeys((*query.filters.things, *found)))
    if not things:
        return ResolvedTags(query)
    filters = replace(query.filters, things=things, things_model=model_id)
    return ResolvedTags(replace(query, filters=filters))


def things_ready(conn: sqlite3.Connection, model_id: str) -> bool:
    """Whether this model's photos were sorted into things (compute_tags ran for it)."""
    row = conn.execute("SELECT 1 FROM tag_sets WHERE model_id = ?", (model_id,)).fetchone()
    return row is not None


def by_tag_score(
    conn: sqlite3.Connection, photo_ids: list[int], model_id: str, tag: str
) -> list[int]:
    """``photo_ids`` with the clearest examples of ``tag`` first (ties keep their order)."""
    scores = dict(
        conn.execute(
            "SELECT photo_id, score FROM photo_tags WHERE model_id = ? AND tag = ?",
            (model_id, tag),
        ).fetchall()
    )
    return sorted(photo_ids, key=lambda i: -float(scores.get(i, 0.0)))
