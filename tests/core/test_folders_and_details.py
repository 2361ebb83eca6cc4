"""The folder tree from stored paths, unreadable files per root, and a photo's details."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from PIL import Image

from desktop_album.core import folders, photo_details
from desktop_album.core.library import Library, PhotoResult
from tests.core.library_helpers import index_root, make_files


@pytest.fixture
def library(tmp_path: Path):
    lib = Library(tmp_path / "lib.db")
    yield lib
    lib.close()


def test_folder_tree_counts_from_stored_paths(library: Library, tmp_path: Path) -> None:
    root = tmp_path / "Pictures"
    make_files(root, ["top.jpg", "2024/a.jpg", "2024/Jeju/b.jpg", "2024/Jeju/c.jpg", "old/d.jpg"])
    ids = index_root(library, root)
    root_id = library.roots()[0].id
    library.mark_missing([ids["d.jpg"]])
    counts = folders.folder_counts(library, root_id)
    assert counts == {"": 1, "2024": 1, "2024/Jeju": 2}
    tree = folders.folder_tree(counts, "Pictures")
    assert (tree.name, tree.total) == ("Pictures", 4)
    (year,) = tree.children
    assert (year.name, year.path, year.own, year.total) == ("2024", "2024", 1, 3)
    assert [(c.name, c.total) for c in year.children] == [("Jeju", 2)]
    # Without the disk: an unplugged drive keeps its tree.
    library.set_root_online(root_id, False)
    assert folders.folder_counts(library, root_id) == counts
    jeju = folders.folder_photo_ids(library, root_id, "2024/Jeju")
    assert sorted(jeju) == sorted([ids["b.jpg"], ids["c.jpg"]])
    assert len(folders.folder_photo_ids(library, root_id, "")) == 4


def test_unreadable_lists_files_with_reasons(library: Library, tmp_path: Path) -> None:
    make_files(tmp_path / "P", ["good.jpg", "bad.jpg"])
    ids = index_root(library, tmp_path / "P")
    library.record_batch("m", [PhotoResult(ids["bad.jpg"], error="truncated file")])
    (item,) = folders.unreadable(library, library.roots()[0].id)
    assert (Path(item.path).name, item.reason, item.photo_id) == (
        "bad.jpg",
        "truncated file",
        ids["bad.jpg"],
    )


def _photo_with_exif(path: Path) -> None:
    exif = Image.Exif()
    exif[0x010F] = "Canon"
    exif[0x0110] = "Canon EOS R6"
    sub = exif.get_ifd(0x8769)
    sub[0x9003] = "2024:05:01 14:30:00"
    sub[0x829A] = 1 / 250
    sub[0x829D] = 2.8
    sub[0x8827] = 400
    sub[0x920A] = 50.0
    sub[0xA434] = "RF50mm F1.8 STM"
    gps = exif.get_ifd(0x8825)
    gps[1], gps[2] = "N", (33.0, 30.0, 0.0)
    gps[3], gps[4] = "E", (126.0, 31.0, 48.0)
    Image.new("RGB", (64, 48), (200, 30, 30)).save(path, exif=exif)


def test_details_read_exif_camera_lens_exposure_gps(library: Library, tmp_path: Path) -> None:
    folder = tmp_path / "P"
    folder.mkdir()
    _photo_with_exif(folder / "jeju.jpg")
    ids = index_root(library, folder)
    info = library.photo_info([ids["jeju.jpg"]])[ids["jeju.jpg"]]
    details = photo_details.read_details(info)
    assert details.state == photo_details.INDEXED
    assert (details.taken_at, details.date_source) == ("2024-05-01T14:30:00", "exif")
    assert details.camera == "Canon EOS R6"
    assert details.lens == "RF50mm F1.8 STM"
    assert details.exposure_time == pytest.approx(1 / 250)
    assert (details.f_number, details.iso, details.focal_length) == (2.8, 400, 50.0)
    assert details.latitude == pytest.approx(33.5)
    assert details.longitude == pytest.approx(126.53)
    assert (details.width, details.height) == (64, 48)
    assert details.file_size == (folder / "jeju.jpg").stat().st_size


def test_details_without_exif_use_the_file_date(library: Library, tmp_path: Path) -> None:
    folder = tmp_path / "P"
    folder.mkdir()
    Image.new("RGB", (10, 10)).save(folder / "plain.png")
    os.utime(folder / "plain.png", (1_700_000_000, 1_700_000_000))
    ids = index_root(library, folder)
    details = photo_details.read_details(library.photo_info([ids["plain.png"]])[ids["plain.png"]])
    assert details.date_source == photo_details.DATE_FILE
    assert details.taken_at is not None and details.taken_at.startswith("2023-11-1")
    assert details.camera is None and not details.has_gps


def test_details_of_unreadable_and_offline_photos(library: Library, tmp_path: Path) -> None:
    make_files(tmp_path / "P", ["bad.jpg"])
    ids = index_root(library, tmp_path / "P")
    library.record_batch("m", [PhotoResult(ids["bad.jpg"], error="not an image")])
    info = library.photo_info([ids["bad.jpg"]])[ids["bad.jpg"]]
    details = photo_details.read_details(info)
    assert (details.state, details.reason) == (photo_details.UNREADABLE, "not an image")
    library.set_root_online(library.roots()[0].id, False)
    (tmp_path / "P" / "bad.jpg").unlink()  # not even looked at: the drive is away
    offline = photo_details.read_details(library.photo_info([ids["bad.jpg"]])[ids["bad.jpg"]])
    assert offline.state == photo_details.OFFLINE
    assert offline.path == info.path
