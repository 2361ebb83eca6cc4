"""File actions: copy, move and trash, each file with its own outcome; the library follows."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from desktop_album.core import albums, file_actions
from desktop_album.core.errors import DISK_FULL, NOT_FOUND, OFFLINE, PERMISSION
from desktop_album.core.library import Library
from tests.core.library_helpers import index_root, make_files

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture
def library(tmp_path: Path):
    lib = Library(tmp_path / "lib.db")
    yield lib
    lib.close()


@pytest.fixture
def photos(library: Library, tmp_path: Path) -> dict[str, int]:
    make_files(tmp_path / "Pictures" / "Trip", ["a.jpg", "b.jpg", "c.jpg"])
    return index_root(library, tmp_path / "Pictures")


def test_copy_leaves_originals_and_library_alone(
    library: Library, photos: dict[str, int], tmp_path: Path
) -> None:
    out = tmp_path / "USB" / "picked"
    (out.parent).mkdir()
    before = library.counts()
    report = file_actions.copy_to_folder(library, [photos["a.jpg"], photos["b.jpg"]], out)
    assert [Path(o.target or "").name for o in report.done] == ["a.jpg", "b.jpg"]
    assert (out / "a.jpg").read_bytes() == (tmp_path / "Pictures" / "Trip" / "a.jpg").read_bytes()
    assert (tmp_path / "Pictures" / "Trip" / "a.jpg").exists()
    assert library.counts() == before
    # Copying again never overwrites: the second copies get free names.
    again = file_actions.copy_to_folder(library, [photos["a.jpg"]], out)
    assert Path(again.done[0].target or "").name == "a (2).jpg"


def test_move_inside_the_library_keeps_the_photo(
    library: Library, photos: dict[str, int], tmp_path: Path
) -> None:
    trip = albums.create_album(library, "Trip")
    albums.add_to_album(library, trip.id, [photos["a.jpg"]])
    target = tmp_path / "Pictures" / "Best"
    report = file_actions.move_to_folder(library, [photos["a.jpg"]], target)
    (outcome,) = report.outcomes
    assert outcome.ok and not outcome.left_library
    assert not (tmp_path / "Pictures" / "Trip" / "a.jpg").exists()
    assert (target / "a.jpg").exists()
    info = library.photo_info([photos["a.jpg"]])[photos["a.jpg"]]
    assert info.path == str(target.resolve() / "a.jpg")  # same id, new place, still indexed
    assert info.status == "ok"
    assert library.embedding_counts() == {"m": 3}
    assert albums.album_photos(library, trip.id) == [photos["a.jpg"]]


def test_move_out_of_the_library_and_name_clash(
    library: Library, photos: dict[str, int], tmp_path: Path
) -> None:
    out = tmp_path / "Elsewhere"
    out.mkdir()
    (out / "b.jpg").write_bytes(b"someone else's")
    report = file_actions.move_to_folder(library, [photos["b.jpg"]], out)
    (outcome,) = report.outcomes
    assert outcome.ok and outcome.left_library
    assert Path(outcome.target or "").name == "b (2).jpg"
    assert (out / "b.jpg").read_bytes() == b"someone else's"
    assert photos["b.jpg"] not in library.photo_info([photos["b.jpg"]])


def test_missing_file_fails_alone(library: Library, photos: dict[str, int], tmp_path: Path) -> None:
    (tmp_path / "Pictures" / "Trip" / "a.jpg").unlink()
    out = tmp_path / "Out"
    report = file_actions.move_to_folder(library, [photos["a.jpg"], photos["c.jpg"]], out)
    assert [o.ok for o in report.outcomes] == [False, True]
    assert report.failed[0].kind == NOT_FOUND
    assert "a.jpg" in (report.failed[0].message or "")
    assert (out / "c.jpg").exists()
    # The photo whose move failed is still in the library, where it was.
    assert library.photo_info([photos["a.jpg"]])[photos["a.jpg"]].path.endswith("Trip/a.jpg")


def test_offline_photos_are_not_touched(
    library: Library, photos: dict[str, int], tmp_path: Path
) -> None:
    library.set_root_online(library.roots()[0].id, False)
    for report in (
        file_actions.copy_to_folder(library, [photos["a.jpg"]], tmp_path / "Out"),
        file_actions.move_to_folder(library, [photos["a.jpg"]], tmp_path / "Out"),
        file_actions.move_to_trash(library, [photos["a.jpg"]]),
    ):
        assert [o.kind for o in report.outcomes] == [OFFLINE]
    assert (tmp_path / "Pictures" / "Trip" / "a.jpg").exists()


def test_permission_denied_is_reported_and_the_photo_stays(
    library: Library, photos: dict[str, int], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """(Simulated: the tests may run as root, whom permissions do not stop.)"""
    import errno

    def denied(src: object, dst: object) -> None:
        raise PermissionError(errno.EACCES, "Permission denied", str(src))

    monkeypatch.setattr(os, "rename", denied)
    report = file_actions.move_to_folder(library, [photos["a.jpg"]], tmp_path / "Pictures" / "B")
    assert [o.kind for o in report.outcomes] == [PERMISSION]
    assert "Permission denied" in (report.outcomes[0].message or "")
    assert (tmp_path / "Pictures" / "Trip" / "a.jpg").exists()
    assert library.photo_info([photos["a.jpg"]])[photos["a.jpg"]].path.endswith("Trip/a.jpg")


def test_disk_full_is_reported_and_leaves_no_partial_copy(
    library: Library, photos: dict[str, int], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import errno
    import shutil

    def full(src: object, dst: object, length: int = 0) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(shutil, "copyfileobj", full)
    out = tmp_path / "Out"
    report = file_actions.copy_to_folder(library, [photos["a.jpg"], photos["b.jpg"]], out)
    assert [o.kind for o in report.outcomes] == [DISK_FULL, DISK_FULL]
    assert list(out.iterdir()) == []


_TRASH_SCRIPT = """
import json, sys
from desktop_album.core.library import Library
from desktop_album.core import file_actions
with Library(sys.argv[1]) as lib:
    report = file_actions.move_to_trash(lib, [int(a) for a in sys.argv[2:]])
    print(json.dumps([[o.path, o.kind, o.left_library] for o in report.outcomes]))
"""


def test_trash_sends_the_file_to_the_home_trash_and_the_photo_leaves(
    library: Library, photos: dict[str, int], tmp_path: Path
) -> None:
    """In a process whose HOME is a temporary folder, as the trash location is read at start."""
    albums.set_favourite(library, [photos["a.jpg"]], True)
    home = tmp_path / "home"
    home.mkdir()
    env = {
        **os.environ,
        "HOME": str(home),
        "XDG_DATA_HOME": str(home / ".local" / "share"),
        "PYTHONPATH": str(REPO),
    }
    gone = tmp_path / "Pictures" / "Trip" / "nope.jpg"
    result = subprocess.run(
        [sys.executable, "-c", _TRASH_SCRIPT, str(library.path), str(photos["a.jpg"]), "999"],
        env=env,
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    outcomes = json.loads(result.stdout)
    assert outcomes[0][1:] == [None, True]
    assert outcomes[1][1] == NOT_FOUND
    assert not (tmp_path / "Pictures" / "Trip" / "a.jpg").exists()
    trashed = home / ".local" / "share" / "Trash"
    assert (trashed / "files" / "a.jpg").read_bytes().startswith(b"photo a.jpg")
    assert (trashed / "info" / "a.jpg.trashinfo").exists()
    assert photos["a.jpg"] not in library.photo_info(list(photos.values()))
    assert not gone.exists()
    # Restored from the trash and found again: still a favourite.
    (trashed / "files" / "a.jpg").rename(tmp_path / "Pictures" / "Trip" / "a.jpg")
    again = index_root(library, tmp_path / "Pictures")
    assert albums.favourite_ids(library) == {again["a.jpg"]}
