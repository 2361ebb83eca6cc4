"""Scan faults as a user meets them: links out of the library, unreadable folders, and photos
that vanished at once (held back from "missing" until the user confirms)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from desktop_album.cli import main
from desktop_album.core.library import Library
from desktop_album.core.scanning import scan_roots
from desktop_album.gui.records import PhotoRow
from models.shapes import ShapeSpec


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def status(capsys: pytest.CaptureFixture[str], library: Path) -> dict[str, object]:
    code, out, _ = run(capsys, "--library", str(library), "status", "--json")
    assert code == 0
    result: dict[str, object] = json.loads(out)
    return result


def copy_photos(corpus: list[tuple[Path, ShapeSpec]], folder: Path, count: int) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    copies = []
    for i, (path, _) in enumerate(corpus[:count]):
        target = folder / f"p{i:03d}{path.suffix}"
        shutil.copyfile(path, target)
        copies.append(target)
    return copies


@pytest.fixture
def linked(tmp_path: Path, shapes_corpus: list[tuple[Path, ShapeSpec]]) -> Path:
    """A root with: one photo, a sub-folder of two photos linked again from inside the root,
    a link back to the root itself (a loop), and links to a folder and a photo outside."""
    root = tmp_path / "root"
    copy_photos(shapes_corpus, root, 1)
    copy_photos(shapes_corpus[1:], root / "sub", 2)
    (root / "again").symlink_to(root / "sub")
    (root / "sub" / "loop").symlink_to(root)
    outside = tmp_path / "outside"
    copy_photos(shapes_corpus[3:], outside, 4)
    (root / "elsewhere").symlink_to(outside)
    (root / "one.jpg").symlink_to(outside / "p000.jpg")
    return root


def test_links_out_of_the_roots_are_not_followed(
    linked: Path, tmp_path: Path, tiny_pack: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    library = tmp_path / "lib.db"
    code, _, err = run(
        capsys, "--library", str(library), "--model", str(tiny_pack), "index", str(linked)
    )
    assert code == 0, err
    report = status(capsys, library)
    # The photo, and the two of sub/ once (not again through again/ nor through the loop).
    assert report["counts"] == {"ok": 3, "error": 0, "missing": 0, "pending": 0}
    with Library(library) as lib:
        paths = sorted(os.path.relpath(p, linked) for p in lib.stored_photos(1))
    assert not any(p.startswith("elsewhere") or p == "one.jpg" for p in paths)
    assert len(paths) == 3


def test_a_link_to_the_whole_machine_is_not_walked(
    tmp_path: Path, shapes_corpus: list[tuple[Path, ShapeSpec]]
) -> None:
    root = tmp_path / "root"
    copy_photos(shapes_corpus, root, 1)
    (root / "everything").symlink_to("/")
    with Library(tmp_path / "lib.db") as library:
        library.add_root(root)
        [report] = scan_roots(library)
    assert report.new == 1 and report.unreadable_folders == []


def test_links_out_of_the_roots_are_followed_when_the_setting_says_so(
    linked: Path, tmp_path: Path
) -> None:
    with Library(tmp_path / "lib.db") as library:
        root = library.add_root(linked)
        [report] = scan_roots(library, follow_external_links=True)
        assert report.new == 3 + 4 + 1
        paths = library.stored_photos(root.id)
    assert str(linked / "one.jpg") in paths
    assert sum(1 for p in paths if p.startswith(str(linked / "elsewhere"))) == 4


def test_a_link_out_reported_by_the_watcher_is_not_followed(linked: Path, tmp_path: Path) -> None:
    with Library(tmp_path / "lib.db") as library:
        root = library.add_root(linked)
        scan_roots(library)
        scopes = [str(linked / "elsewhere"), str(linked / "one.jpg")]
        [report] = scan_roots(library, subpaths={root.id: scopes})
        assert report.new == 0
        assert len(library.stored_photos(root.id)) == 3


def test_a_link_to_another_root_is_followed(linked: Path, tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    with Library(tmp_path / "lib.db") as library:
        library.add_root(linked)
        library.add_root(outside)
        reports = scan_roots(library)
    assert sorted(r.new for r in reports) == [4, 3 + 4 + 1]


def test_the_setting_is_saved_and_read(tmp_path: Path) -> None:
    from desktop_album.core.settings import Settings

    Settings(follow_external_links=True).save(tmp_path / "s.json")
    assert Settings.load(tmp_path / "s.json").follow_external_links is True
    (tmp_path / "s.json").write_text('{"follow_external_links": "yes"}')
    assert Settings.load(tmp_path / "s.json").follow_external_links is False


def _index_without_root_powers(library: Path, pack: Path, folder: Path) -> str:
    """The CLI in a subprocess; as root, without the capabilities that override permissions
    (chmod 000 does not stop root otherwise)."""
    prefix: list[str] = []
    if os.geteuid() == 0:
        setpriv = shutil.which("setpriv")
        assert setpriv, "util-linux setpriv is needed to drop root's file capabilities"
        prefix = [setpriv, "--bounding-set=-dac_override,-dac_read_search"]
    result = subprocess.run(
        [
            *prefix,
            sys.executable,
            "-m",
            "desktop_album",
            "--library",
            str(library),
            "--model",
            str(pack),
            "index",
            str(folder),
        ],
        capture_output=True,
        text=True,
        check=False,
        cwd=str(Path(__file__).parents[2]),
    )
    assert result.returncode == 0, result.stderr
    return result.stderr


def test_an_unreadable_folder_is_reported_and_its_photos_kept(
    tmp_path: Path,
    tiny_pack: Path,
    shapes_corpus: list[tuple[Path, ShapeSpec]],
    capsys: pytest.CaptureFixture[str],
) -> None:
    folder = tmp_path / "photos"
    copy_photos(shapes_corpus, folder, 2)
    locked = folder / "locked"
    copy_photos(shapes_corpus[2:], locked, 3)
    library = tmp_path / "lib.db"
    assert (
        run(capsys, "--library", str(library), "--model", str(tiny_pack), "index", str(folder))[0]
        == 0
    )
    locked.chmod(0)
    try:
        stderr = _index_without_root_powers(library, tiny_pack, folder)
    finally:
        locked.chmod(0o755)
    line = next(line for line in stderr.splitlines() if str(locked) in line)
    assert "unreadable folder" in line and "permission denied" in line

    report = status(capsys, library)
    assert report["unreadable_folders"] == [{"path": str(locked), "reason": "permission denied"}]
    # Its photos were not taken for deleted: the folder is still there, only closed.
    assert report["counts"] == {"ok": 5, "error": 0, "missing": 0, "pending": 0}
    _, out, _ = run(capsys, "--library", str(library), "status")
    assert f"unreadable folder: {locked}: permission denied" in out

    # Readable again: the next full scan forgets the problem.
    assert (
        run(capsys, "--library", str(library), "--model", str(tiny_pack), "index", str(folder))[0]
        == 0
    )
    assert status(capsys, library)["unreadable_folders"] == []


def test_photos_vanished_at_once_are_marked_until_confirmed(
    tmp_path: Path,
    tiny_pack: Path,
    shapes_corpus: list[tuple[Path, ShapeSpec]],
    capsys: pytest.CaptureFixture[str],
) -> None:
    folder = tmp_path / "photos"
    photos = copy_photos(shapes_corpus, folder, 40)
    library = tmp_path / "lib.db"
    base = ["--library", str(library), "--model", str(tiny_pack)]
    assert run(capsys, *base, "index", str(folder))[0] == 0
    hidden = tmp_path / "hidden"
    hidden.mkdir()
    gone = photos[:30]
    for photo in gone:
        photo.rename(hidden / photo.name)

    code, _, err = run(capsys, *base, "index")
    assert code == 0 and "NOT marked missing" in err
    report = status(capsys, library)
    assert report["vanished"] == 30
    code, out, _ = run(capsys, "--library", str(library), "status")
    assert "30 photos vanished at once and await confirmation" in out

    code, out, _ = run(capsys, *base, "search", "a red circle", "-k", "100", "--json")
    rows = json.loads(out)
    vanished = {r["path"] for r in rows if r.get("vanished")}
    assert vanished == {str(p) for p in gone}
    assert all("vanished" not in r for r in rows if r["path"] not in vanished)
    # The grid's rows carry it too.
    with Library(library) as lib:
        info = lib.photo_by_path(gone[0])
        assert info is not None and info.vanished
        assert PhotoRow.from_info(info).vanished
        kept = lib.photo_by_path(photos[-1])
        assert kept is not None and not kept.vanished
    code, out, _ = run(capsys, *base, "search", "a red circle", "-k", "100")
    marked = [line for line in out.splitlines() if line.endswith("(missing?)")]
    assert len(marked) == 30

    # Some come back: they lose the mark, the rest keep it.
    for photo in gone[:5]:
        (hidden / photo.name).rename(photo)
    assert run(capsys, *base, "index")[0] == 0
    assert status(capsys, library)["vanished"] == 25

    # The user confirms: missing as before, no longer marked, gone from search.
    assert run(capsys, *base, "index", "--yes")[0] == 0
    report = status(capsys, library)
    assert report["vanished"] == 0
    assert report["counts"]["missing"] == 25  # type: ignore[index]
    code, out, _ = run(capsys, *base, "search", "a red circle", "-k", "100", "--json")
    assert not any(r.get("vanished") for r in json.loads(out))
    assert len(json.loads(out)) == 15


def test_a_library_from_before_gains_the_new_facts(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A library written before this step opens, keeps its photos and reports the new facts."""
    import sqlite3

    from desktop_album.core.migrations import _V1_INITIAL, _statements

    path = tmp_path / "old.db"
    conn = sqlite3.connect(path, isolation_level=None)
    for statement in _statements(_V1_INITIAL):
        conn.execute(statement)
    conn.execute("PRAGMA user_version = 1")
    conn.execute("INSERT INTO roots (path, added_at) VALUES ('/nowhere', 0)")
    conn.execute(
        "INSERT INTO photos (root_id, path, size, mtime_ns, status, added_at) "
        "VALUES (1, '/nowhere/a.jpg', 1, 1, 'ok', 0)"
    )
    conn.close()
    report = status(capsys, path)
    assert report["counts"] == {"ok": 1, "error": 0, "missing": 0, "pending": 0}
    assert report["vanished"] == 0 and report["unreadable_folders"] == []
