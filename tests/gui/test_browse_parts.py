"""The search worker browses favourites, an album or a folder, and marks favourite rows."""

from __future__ import annotations

from pathlib import Path

from desktop_album.core import albums
from desktop_album.core.library import Library
from desktop_album.gui.records import ResultSet
from desktop_album.gui.search_controller import (
    ALBUM,
    BROWSE,
    FAVOURITES,
    FOLDER,
    SearchWorker,
    _Latest,
)
from tests.core.library_helpers import index_root, make_files


def test_browse_favourites_album_and_folder(qtbot, tmp_path: Path) -> None:
    library_file = tmp_path / "lib.db"
    make_files(tmp_path / "Pictures", ["a.jpg", "2024/b.jpg", "2024/Jeju/c.jpg", "d.jpg"])
    with Library(library_file) as library:
        ids = index_root(library, tmp_path / "Pictures")
        root_id = library.roots()[0].id
        albums.set_favourite(library, [ids["b.jpg"]], True)
        trip = albums.create_album(library, "Trip")
        albums.add_to_album(library, trip.id, [ids["c.jpg"], ids["a.jpg"]])
    worker = SearchWorker(library_file, 10, False, _Latest())
    worker.start()  # no model: browsing works all the same

    def ask(generation: int, kind: str, payload: object) -> ResultSet:
        with qtbot.waitSignal(worker.results, timeout=10_000) as answer:
            worker.query(generation, kind, payload)
        return answer.args[0]

    def names(result: ResultSet) -> list[str]:
        return [Path(r.path).name for r in result.rows]

    everything = ask(1, BROWSE, None)
    assert len(everything.rows) == 4
    assert [Path(r.path).name for r in everything.rows if r.favourite] == ["b.jpg"]
    assert names(ask(2, FAVOURITES, None)) == ["b.jpg"]
    assert names(ask(3, ALBUM, trip.id)) == ["c.jpg", "a.jpg"]  # in the order added
    assert sorted(names(ask(4, FOLDER, (root_id, "2024")))) == ["b.jpg", "c.jpg"]
    assert names(ask(5, FOLDER, (root_id, "2024/Jeju"))) == ["c.jpg"]
    by_name = ask(6, FOLDER, (root_id, "", "name"))
    assert names(by_name) == ["a.jpg", "b.jpg", "c.jpg", "d.jpg"] and not by_name.sections
    by_folder = ask(7, FOLDER, (root_id, "", "folder"))
    assert names(by_folder) == ["a.jpg", "d.jpg", "b.jpg", "c.jpg"]
    assert [s.key for s in by_folder.sections] == [
        "Pictures",
        "Pictures/2024",
        "Pictures/2024/Jeju",
    ]
    assert names(ask(8, ALBUM, (trip.id, "name"))) == ["a.jpg", "c.jpg"]
    worker.stop()
