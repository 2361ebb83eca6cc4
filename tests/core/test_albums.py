"""Favourites and albums: stored in the library, following the photo through moves and models."""

from __future__ import annotations

from pathlib import Path

import pytest

from desktop_album.core import albums
from desktop_album.core.errors import ALREADY_EXISTS, INVALID_NAME, NOT_FOUND
from desktop_album.core.library import Library
from desktop_album.core.scanning import scan_root
from tests.core.library_helpers import index_root, make_files


@pytest.fixture
def library(tmp_path: Path):
    lib = Library(tmp_path / "lib.db")
    yield lib
    lib.close()


@pytest.fixture
def photos(library: Library, tmp_path: Path) -> dict[str, int]:
    make_files(tmp_path / "Pictures" / "Trip", ["a.jpg", "b.jpg", "c.jpg"])
    return index_root(library, tmp_path / "Pictures")


def test_favourites_toggle_and_list(library: Library, photos: dict[str, int]) -> None:
    a, b = photos["a.jpg"], photos["b.jpg"]
    assert albums.favourite_ids(library) == set()
    assert albums.toggle_favourite(library, [a]) is True
    assert albums.favourite_ids(library, [a, b]) == {a}
    # A selection where only some are favourites: all become favourites; again: none.
    assert albums.toggle_favourite(library, [a, b]) is True
    assert albums.favourite_ids(library) == {a, b}
    assert albums.favourite_photos(library)[0] in (a, b)
    assert albums.toggle_favourite(library, [a, b]) is False
    assert albums.favourite_ids(library) == set()


def test_album_lifecycle(library: Library, photos: dict[str, int]) -> None:
    trip = albums.create_album(library, "  Jeju   trip ")
    assert trip.name == "Jeju trip"
    assert albums.add_to_album(library, trip.id, [photos["b.jpg"], photos["a.jpg"]]) == 2
    assert albums.add_to_album(library, trip.id, [photos["a.jpg"]]) == 0  # already there
    assert albums.album_photos(library, trip.id) == [photos["b.jpg"], photos["a.jpg"]]
    assert [(a.name, a.count) for a in albums.albums(library)] == [("Jeju trip", 2)]
    assert [a.id for a in albums.albums_of(library, photos["a.jpg"])] == [trip.id]
    renamed = albums.rename_album(library, trip.id, "제주 여행")
    assert renamed.name == "제주 여행" and renamed.count == 2
    assert albums.remove_from_album(library, trip.id, [photos["b.jpg"]]) == 1
    assert albums.album_photos(library, trip.id) == [photos["a.jpg"]]
    albums.delete_album(library, trip.id)
    assert albums.albums(library) == []
    # The photos themselves are untouched.
    assert len(library.photo_info(list(photos.values()))) == 3


def test_album_names_must_be_free_and_not_empty(library: Library) -> None:
    first = albums.create_album(library, "Family")
    with pytest.raises(albums.AlbumError) as taken:
        albums.create_album(library, "Family")
    assert taken.value.kind == ALREADY_EXISTS
    other = albums.create_album(library, "Friends")
    with pytest.raises(albums.AlbumError) as clash:
        albums.rename_album(library, other.id, "Family")
    assert clash.value.kind == ALREADY_EXISTS
    with pytest.raises(albums.AlbumError) as empty:
        albums.create_album(library, "   ")
    assert empty.value.kind == INVALID_NAME
    albums.delete_album(library, first.id)
    with pytest.raises(albums.AlbumError) as gone:
        albums.add_to_album(library, first.id, [1])
    assert gone.value.kind == NOT_FOUND


def test_album_and_favourite_survive_a_renamed_folder(
    library: Library, photos: dict[str, int], tmp_path: Path
) -> None:
    trip = albums.create_album(library, "Trip")
    albums.add_to_album(library, trip.id, [photos["a.jpg"], photos["c.jpg"]])
    albums.set_favourite(library, [photos["b.jpg"]], True)
    (tmp_path / "Pictures" / "Trip").rename(tmp_path / "Pictures" / "Jeju 2025")
    root = library.roots()[0]
    report = scan_root(library, root)
    assert report.moved == 3
    members = library.photo_info(albums.album_photos(library, trip.id))
    assert sorted(Path(i.path).relative_to(tmp_path).as_posix() for i in members.values()) == [
        "Pictures/Jeju 2025/a.jpg",
        "Pictures/Jeju 2025/c.jpg",
    ]
    (favourite,) = library.photo_info(sorted(albums.favourite_ids(library))).values()
    assert favourite.path.endswith("Jeju 2025/b.jpg")


def test_album_survives_a_model_switch(library: Library, photos: dict[str, int]) -> None:
    trip = albums.create_album(library, "Trip")
    albums.add_to_album(library, trip.id, [photos["a.jpg"]])
    albums.set_favourite(library, [photos["a.jpg"]], True)
    library.delete_embeddings("m")
    library.ensure_model("other", 16)
    assert albums.album_photos(library, trip.id) == [photos["a.jpg"]]
    assert albums.favourite_ids(library) == {photos["a.jpg"]}


def test_photo_removed_and_found_again_comes_back(
    library: Library, photos: dict[str, int], tmp_path: Path
) -> None:
    trip = albums.create_album(library, "Trip")
    albums.add_to_album(library, trip.id, [photos["a.jpg"]])
    albums.set_favourite(library, [photos["a.jpg"]], True)
    root = library.roots()[0]
    library.remove_root(root.id)  # the folder is forgotten: the photo rows go
    assert albums.album_photos(library, trip.id) == []
    assert albums.favourite_ids(library) == set()
    again = index_root(library, tmp_path / "Pictures")  # added again: new rows, same contents
    assert albums.album_photos(library, trip.id) == [again["a.jpg"]]
    assert albums.favourite_ids(library) == {again["a.jpg"]}
    # And it can be taken out again, though its entry was found by content.
    albums.remove_from_album(library, trip.id, [again["a.jpg"]])
    albums.set_favourite(library, [again["a.jpg"]], False)
    assert albums.album_photos(library, trip.id) == []
    assert albums.favourite_ids(library) == set()


def test_albums_are_kept_when_the_library_is_reopened(tmp_path: Path) -> None:
    make_files(tmp_path / "P", ["x.jpg"])
    with Library(tmp_path / "lib.db") as lib:
        ids = index_root(lib, tmp_path / "P")
        trip = albums.create_album(lib, "Trip")
        albums.add_to_album(lib, trip.id, [ids["x.jpg"]])
    with Library(tmp_path / "lib.db") as lib:
        assert albums.album_photos(lib, trip.id) == [ids["x.jpg"]]


def test_export_album_copies_files_and_reports_each_failure(
    library: Library, tmp_path: Path
) -> None:
    make_files(tmp_path / "P" / "one", ["same.jpg", "gone.jpg"])
    make_files(tmp_path / "P" / "two", ["same.jpg"])
    ids = index_root(library, tmp_path / "P")
    stored = library.stored_photos(library.roots()[0].id)
    by_path = {Path(p).relative_to(tmp_path).as_posix(): s.id for p, s in stored.items()}
    del ids
    trip = albums.create_album(library, "Trip")
    albums.add_to_album(library, trip.id, list(by_path.values()))
    (tmp_path / "P" / "one" / "gone.jpg").unlink()  # vanished since the last scan
    out = tmp_path / "export"
    (out).mkdir()
    (out / "same.jpg").write_bytes(b"already here")
    report = albums.export_album(library, trip.id, out)
    assert sorted(p.name for p in out.iterdir()) == ["same (2).jpg", "same (3).jpg", "same.jpg"]
    assert (out / "same.jpg").read_bytes() == b"already here"  # never overwritten
    assert len(report.done) == 2
    (failed,) = report.failed
    assert failed.path.endswith("gone.jpg") and failed.kind == NOT_FOUND
    assert "gone.jpg" in (failed.message or "")
