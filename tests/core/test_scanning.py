"""Reconciling the disk with the library: whole roots, and the parts a watcher batch names."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest

from desktop_album.core.library import Library, PhotoResult, Root
from desktop_album.core.scanning import (
    VANISH_GUARD_MIN,
    hash_file,
    scan_root,
    stored_photos_under,
)
from tests.crash_worker import make_photos

MODEL = "test-model"


@pytest.fixture
def setup(tmp_path: Path) -> Iterator[tuple[Library, Path]]:
    folder = tmp_path / "photos"
    folder.mkdir()
    library = Library(tmp_path / "library.db")
    library.ensure_model(MODEL, 4)
    yield library, folder
    library.close()


def root_of(library: Library) -> Root:
    return library.roots()[0]


def index_all(library: Library) -> None:
    """What the indexer would record, without a model: hashes and made-up vectors."""
    todo = library.photos_to_embed(MODEL)
    rng = np.random.default_rng(0)
    results = [
        PhotoResult(
            photo_id, vector=rng.standard_normal(4).astype(np.float32), content_hash=hash_file(path)
        )
        for photo_id, path in todo
    ]
    library.record_batch(MODEL, results)


def statuses(library: Library) -> dict[str, str]:
    return {r[0]: r[1] for r in library.conn.execute("SELECT path, status FROM photos")}


def test_a_full_scan_finds_new_changed_missing_and_back(setup: tuple[Library, Path]) -> None:
    library, folder = setup
    files = make_photos(folder, 6)
    library.add_root(folder)
    report = scan_root(library, root_of(library))
    assert report.new == 6
    index_all(library)

    make_photos(folder, 1, seed=1)
    files[0].write_bytes(files[1].read_bytes() + b"x")  # rewritten in place
    kept = files[2].read_bytes()
    files[2].unlink()
    report = scan_root(library, root_of(library))
    assert (report.new, report.changed, report.missing, report.unchanged) == (1, 1, 1, 4)
    assert statuses(library)[str(files[2])] == "missing"

    files[2].write_bytes(kept)
    os.utime(files[2], ns=(0, library.stored_photos(1)[str(files[2])].mtime_ns))
    report = scan_root(library, root_of(library))
    assert report.back == 1
    assert statuses(library)[str(files[2])] == "ok"


def test_a_move_is_confirmed_by_content_and_keeps_the_photo(setup: tuple[Library, Path]) -> None:
    library, folder = setup
    files = make_photos(folder, 3)
    library.add_root(folder)
    scan_root(library, root_of(library))
    index_all(library)
    photo = library.photo_by_path(files[0])
    assert photo is not None
    (folder / "sub").mkdir()
    moved = folder / "sub" / "moved.jpg"
    os.rename(files[0], moved)
    report = scan_root(library, root_of(library))
    assert (report.moved, report.new, report.missing) == (1, 0, 0)
    after = library.photo_by_path(moved)
    assert after is not None and after.id == photo.id and after.status == "ok"


def test_a_partial_scan_touches_only_its_scope(setup: tuple[Library, Path]) -> None:
    library, folder = setup
    a = make_photos(folder / "a", 3, seed=1)
    b = make_photos(folder / "b", 3, seed=2)
    library.add_root(folder)
    scan_root(library, root_of(library))
    index_all(library)

    a[0].unlink()
    b[0].unlink()
    new_b = make_photos(folder / "b", 1, seed=3)
    report = scan_root(library, root_of(library), subpaths=[str(folder / "a")])
    assert (report.missing, report.new, report.unchanged) == (1, 0, 2)
    found = statuses(library)
    assert found[str(a[0])] == "missing"
    assert found[str(b[0])] == "ok"  # outside the scope: left for its own batch
    assert str(new_b[0]) not in found

    report = scan_root(library, root_of(library), subpaths=[str(b[0]), str(new_b[0])])
    assert (report.missing, report.new) == (1, 1)


def test_a_partial_scan_of_a_deleted_folder(setup: tuple[Library, Path]) -> None:
    library, folder = setup
    make_photos(folder, 10)
    gone = make_photos(folder / "trip", 2, seed=4)
    library.add_root(folder)
    scan_root(library, root_of(library))
    shutil.rmtree(folder / "trip")
    report = scan_root(library, root_of(library), subpaths=[str(folder / "trip")])
    assert report.missing == 2
    assert all(statuses(library)[str(p)] == "missing" for p in gone)


def test_stored_photos_under_keeps_to_the_folder(setup: tuple[Library, Path]) -> None:
    library, folder = setup
    for name in ("a", "a b", "ab", "a-b", "a/deeper"):
        make_photos(folder / name, 1, seed=len(name))
    make_photos(folder, 1, seed=9, prefix="a")  # a file named a_9_0000.jpg beside the folders
    library.add_root(folder)
    scan_root(library, root_of(library))
    under = stored_photos_under(library, 1, str(folder / "a"))
    assert sorted(Path(p).parent.relative_to(folder).as_posix() for p in under) == [
        "a",
        "a/deeper",
    ]
    one = next(iter(under))
    assert list(stored_photos_under(library, 1, one)) == [one]


def test_the_vanish_guard_weighs_a_partial_scan_against_the_whole_root(
    setup: tuple[Library, Path],
) -> None:
    library, folder = setup
    make_photos(folder, 60)
    make_photos(folder / "nas", VANISH_GUARD_MIN + 5, seed=5)  # 25 of 85: over a fifth
    library.add_root(folder)
    scan_root(library, root_of(library))
    shutil.rmtree(folder / "nas")

    report = scan_root(library, root_of(library), subpaths=[str(folder / "nas")])
    assert report.needs_confirmation and len(report.held_back_missing) == 25
    assert "missing" not in statuses(library).values()

    report = scan_root(
        library, root_of(library), subpaths=[str(folder / "nas")], confirm_missing=True
    )
    assert report.missing == 25


def test_an_unplugged_root_is_offline_and_keeps_its_photos(setup: tuple[Library, Path]) -> None:
    library, folder = setup
    make_photos(folder, 4)
    library.add_root(folder)
    scan_root(library, root_of(library))

    shutil.rmtree(folder)
    folder.mkdir()  # an empty mount point where the drive was
    report = scan_root(library, root_of(library))
    assert not report.online
    assert root_of(library).online is False
    assert set(statuses(library).values()) == {"pending"}  # nothing marked missing

    folder.rmdir()  # the folder gone altogether
    report = scan_root(library, root_of(library), subpaths=[str(folder / "x.jpg")])
    assert not report.online


def test_hidden_and_excluded_scopes_are_ignored(setup: tuple[Library, Path]) -> None:
    library, folder = setup
    make_photos(folder, 2)
    hidden = make_photos(folder / ".cache", 2, seed=1)
    excluded = make_photos(folder / "skip", 2, seed=2)
    library.add_root(folder)
    report = scan_root(
        library,
        root_of(library),
        excluded=(str(folder / "skip"),),
        subpaths=[str(hidden[0]), str(excluded[0]), str(folder / "skip")],
    )
    assert report.new == 0


def test_a_stop_while_matching_moves_writes_no_new_or_missing(
    setup: tuple[Library, Path],
) -> None:
    library, folder = setup
    files = make_photos(folder, 4)
    library.add_root(folder)
    scan_root(library, root_of(library))
    index_all(library)
    (folder / "sub").mkdir()
    for path in files:
        os.rename(path, folder / "sub" / path.name)

    calls = 0

    def stop_while_hashing() -> bool:
        # Asked once per folder walked (2), once after the walk, then once per file before
        # hashing it: the fifth call comes after the first move was confirmed.
        nonlocal calls
        calls += 1
        return calls >= 5

    report = scan_root(library, root_of(library), should_stop=stop_while_hashing)
    assert (report.moved, report.new, report.missing) == (1, 0, 0)
    assert set(statuses(library).values()) == {"ok"}  # no file taken for new, none missing
    report = scan_root(library, root_of(library))  # the next scan finishes the job
    assert (report.moved, report.new, report.missing) == (3, 0, 0)
    assert all(Path(p).parent.name == "sub" for p in statuses(library))


def test_a_root_inside_another_is_left_to_its_own_scan(setup: tuple[Library, Path]) -> None:
    library, folder = setup
    make_photos(folder, 3)
    make_photos(folder / "phone", 2, seed=1)
    library.add_root(folder)
    inner = library.add_root(folder / "phone")
    outer = library.root_by_path(str(folder.resolve()))
    assert outer is not None
    assert scan_root(library, outer).new == 3
    assert scan_root(library, inner).new == 2
    assert scan_root(library, outer).new == 0  # not counted as new again and again
