"""Trying chosen unreadable photos again (the window's Retry on one file or a few).

"Retry all" of a root is the writer's own job (``LibraryWriter.retry_failed``); retrying only
some photos makes just those pending again, as a write run on the writer (``run_action``), and
then an ordinary index job of their roots reads the pending ones. The other unreadable photos
keep their status and reason: an unchanged file is not read again by a reconcile.
"""

from __future__ import annotations

from collections.abc import Sequence

from desktop_album.core.library import Library


def reset_unreadable(library: Library, photo_ids: Sequence[int]) -> list[int]:
    """Make these photos pending again where they are unreadable; the others are left alone.

    Returns:
        The ids of the roots holding the photos that will be read again (to index).
    """
    ids = list(dict.fromkeys(int(i) for i in photo_ids))
    roots: set[int] = set()
    with library.write() as conn:
        for start in range(0, len(ids), 500):
            chunk = ids[start : start + 500]
            marks = ",".join("?" * len(chunk))
            where = f"id IN ({marks}) AND status = 'error'"
            roots.update(
                int(r[0])
                for r in conn.execute(f"SELECT DISTINCT root_id FROM photos WHERE {where}", chunk)
            )
            conn.execute(
                "UPDATE photos SET status = 'pending', error = NULL, failed_model = NULL "
                f"WHERE {where}",
                chunk,
            )
    return sorted(roots)
