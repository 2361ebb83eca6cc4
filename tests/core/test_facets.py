"""Search fields: a library written before them gets them filled when it is opened."""

from __future__ import annotations

import sqlite3
from datetime import datetime
from pathlib import Path

from desktop_album.core.facets import file_type, orientation, photo_date
from desktop_album.core.library import Library
from desktop_album.core.migrations import _V1_INITIAL, _statements


def test_an_older_library_gets_dates_types_and_orientation(tmp_path: Path) -> None:
    db = tmp_path / "old.db"
    conn = sqlite3.connect(db)
    for statement in _statements(_V1_INITIAL):
        conn.execute(statement)
    conn.execute("INSERT INTO roots (id, path, added_at) VALUES (1, '/p', 0)")
    mtime = int(datetime(2019, 3, 4, 5, 6, 7).timestamp() * 1e9)
    conn.executemany(
        "INSERT INTO photos (root_id, path, size, mtime_ns, width, height, taken_at, status, "
        "added_at) VALUES (1, ?, 1, ?, ?, ?, ?, 'ok', 0)",
        [
            ("/p/a.JPG", mtime, 400, 300, "2023-07-15T10:30:00+09:00"),
            ("/p/b.png", mtime, 300, 400, None),
        ],
    )
    conn.execute("PRAGMA user_version = 1")
    conn.commit()
    conn.close()
    with Library(db) as library:
        rows = library.conn.execute(
            "SELECT path, date_at, date_source, file_type, orientation FROM photos ORDER BY path"
        ).fetchall()
    assert rows == [
        ("/p/a.JPG", "2023-07-15T10:30:00", "exif", "jpg", "landscape"),
        ("/p/b.png", "2019-03-04T05:06:07", "file", "png", "portrait"),
    ]


def test_field_rules() -> None:
    assert orientation(1000, 990) == "square"
    assert orientation(None, 10) is None
    assert file_type("/x/y.HEIC") == "heic" and file_type("/x/noext") == ""
    assert photo_date(None, 0)[1] == "file"
