"""Orders as a user sees them: by name (natural), date modified, folder; headers; indexes."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from desktop_album.core import ordering
from desktop_album.core.filters import browse, browse_in_order
from desktop_album.core.library import Library
from desktop_album.core.query import Filters
from desktop_album.core.retry import reset_unreadable
from desktop_album.core.search import SearchHit
from desktop_album.core.settings import Settings

# (path below the root, modification time in seconds): names chosen so that plain text order,
# natural order, folder order and time order all differ.
FILES = [
    ("IMG_10.jpg", 1_700_000_300),
    ("img_2.jpg", 1_700_000_100),
    ("b/IMG_1.jpg", 1_700_000_500),
    ("a/zeta.jpg", 1_700_000_200),
    ("a/Alpha.jpg", 1_700_000_400),
]


@pytest.fixture
def library(tmp_path: Path) -> Library:
    root_dir = tmp_path / "Trip"
    root_dir.mkdir()
    lib = Library(tmp_path / "library.db")
    root = lib.add_root(root_dir)
    lib.add_pending(root.id, [(str(root_dir / p), 10, t * 10**9) for p, t in FILES])
    yield lib
    lib.close()


def names(lib: Library, ids: list[int]) -> list[str]:
    info = lib.photo_info(ids)
    return [os.path.relpath(info[i].path, lib.roots()[0].path) for i in ids]


def test_name_order_is_natural_and_ignores_case_and_has_no_headers(library: Library) -> None:
    found = browse_in_order(library.conn, Filters(), "name")
    assert names(library, found.ids) == [
        "a/Alpha.jpg",
        "b/IMG_1.jpg",
        "img_2.jpg",
        "IMG_10.jpg",
        "a/zeta.jpg",
    ]
    assert found.sections == []


def test_modified_order_is_newest_first(library: Library) -> None:
    found = browse_in_order(library.conn, Filters(), "modified")
    by_time = [p for p, _ in sorted(FILES, key=lambda f: -f[1])]
    assert names(library, found.ids) == by_time
    assert found.sections and found.sections[0].granularity in ("day", "month", "year")


def test_folder_order_has_one_header_per_folder(library: Library) -> None:
    found = browse_in_order(library.conn, Filters(), "folder")
    assert names(library, found.ids) == [
        "img_2.jpg",
        "IMG_10.jpg",
        "a/Alpha.jpg",
        "a/zeta.jpg",
        "b/IMG_1.jpg",
    ]
    assert [(s.start, s.key, s.granularity) for s in found.sections] == [
        (0, "Trip", "folder"),
        (2, "Trip/a", "folder"),
        (4, "Trip/b", "folder"),
    ]


def test_date_orders_keep_their_headers(library: Library) -> None:
    newest = browse_in_order(library.conn, Filters(), "date")
    oldest = browse_in_order(library.conn, Filters(), "oldest")
    assert newest.ids == oldest.ids[::-1]
    assert newest.sections
    assert browse(library.conn, Filters(), order="name") == []  # pending: not searchable


def test_name_and_folder_orders_read_their_index(library: Library) -> None:
    """A large library must not sort every name: the order comes from an index."""
    for order, index in (("name", "photos_name"), ("folder", "photos_folder")):
        where = "+p.status IN ('ok', 'pending')"
        plan = library.conn.execute(
            "EXPLAIN QUERY PLAN SELECT p.id FROM photos p JOIN roots r ON r.id = p.root_id "
            f"WHERE {where} ORDER BY {ordering.order_by(order, 'p.')}"
        ).fetchall()
        text = " ".join(str(row[3]) for row in plan)
        assert index in text and "TEMP B-TREE" not in text, text


def test_search_hits_keep_the_cut_off_and_change_order(library: Library) -> None:
    ids = browse_in_order(library.conn, Filters(), "date").ids
    info = library.photo_info(ids)
    hits = [SearchHit(i, info[i].path, 1.0 - n / 10) for n, i in enumerate(ids[:4])]
    for order in ("name", "modified", "folder", "relevance", "date", "oldest"):
        again = ordering.order_hits(library.conn, hits, order)
        assert sorted(h.photo_id for h in again) == sorted(h.photo_id for h in hits)
    by_name = ordering.order_hits(library.conn, hits, "name")
    keys = [ordering.natural_key(Path(h.path).name) for h in by_name]
    assert keys == sorted(keys)


def test_album_order(library: Library) -> None:
    ids = browse_in_order(library.conn, Filters(), "date").ids
    kept = ordering.order_ids(library.conn, ids, "relevance")
    assert kept.ids == ids and kept.sections == []
    by_folder = ordering.order_ids(library.conn, ids, "folder")
    assert [s.key for s in by_folder.sections] == ["Trip", "Trip/a", "Trip/b"]


def test_retry_resets_only_the_chosen_unreadable_photos(library: Library) -> None:
    ids = browse_in_order(library.conn, Filters(), "name").ids
    with library.write() as conn:
        conn.execute("UPDATE photos SET status = 'error', error = 'broken'")
    assert reset_unreadable(library, [ids[0]]) == [library.roots()[0].id]
    status = dict(library.conn.execute("SELECT id, status FROM photos"))
    assert status[ids[0]] == "pending"
    assert [status[i] for i in ids[1:]] == ["error"] * 4


def test_sort_and_thumbnail_size_are_settings(tmp_path: Path) -> None:
    path = tmp_path / "settings.json"
    Settings(sort="folder", thumbnail_size=120).save(path)
    loaded = Settings.load(path)
    assert (loaded.sort, loaded.thumbnail_size) == ("folder", 120)
    assert Settings(sort="sideways", thumbnail_size=5000).validated().sort == "relevance"
    assert Settings(thumbnail_size=5000).validated().thumbnail_size == 168
