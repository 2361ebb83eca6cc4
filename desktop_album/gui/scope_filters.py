"""The sidebar's scope (an album, the favourites, a thing) as the core's filters and as chips.

Plain functions of plain data: the search worker calls them on its thread.
"""

from __future__ import annotations

from typing import Any

from desktop_album.gui.records import Chip, Scope

ALBUM, FAVOURITES, THING = "album", "favourites", "thing"
KINDS = (ALBUM, FAVOURITES, THING)


def scope_filters(scope: Scope | None, model_id: str | None) -> dict[str, Any]:
    """``Filters`` fields for ``scope``; a thing reads ``model_id``'s tags (tags are per model;
    with no model a thing matches nothing)."""
    if scope is None:
        return {}
    if scope.kind == ALBUM and scope.key is not None:
        return {"album": int(scope.key)}
    if scope.kind == FAVOURITES:
        return {"favourites": True}
    if scope.kind == THING and scope.key is not None:
        return {"things": (str(scope.key),), "things_model": model_id or ""}
    return {}


def scope_chips(scope: Scope | None) -> tuple[Chip, ...]:
    """The chip that shows the scope (removing it searches the whole library)."""
    if scope is None or scope.kind not in KINDS:
        return ()
    return (Chip(scope.kind, scope.label),)
