"""Library and CLI faults, run as a user would: every failure one clear message, nothing lost.

Odd file names, damaged or newer libraries, read-only libraries, retries of failed photos,
command words, closed pipes, bugs, and a disk that fills up while indexing.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from desktop_album.cli import main
from models.shapes import ShapeSpec
from tests.packs import make_minimal_pack

REPO = Path(__file__).parents[2]
LATIN1_NAME = os.fsdecode(b"\xe9t\xe9.jpg")  # "été.jpg" written in Latin-1: not UTF-8


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def cli(
    *argv: str, home: Path, as_nobody: bool = False, **kwargs: object
) -> subprocess.CompletedProcess[bytes]:
    """``desktop-album ARGV`` in a fresh process; ``as_nobody`` drops root (chmod binds it)."""
    prefix: list[str] = []
    if as_nobody:
        setpriv = shutil.which("setpriv")
        if setpriv is None:
            pytest.skip("util-linux setpriv is needed to run as an ordinary user")
        if os.geteuid() == 0:
            prefix = [setpriv, "--reuid=65534", "--regid=65534", "--clear-groups"]
    env = {
        **os.environ,
        "DESKTOP_ALBUM_HOME": str(home),
        "PYTHONPATH": str(REPO),
        "PYTHONDONTWRITEBYTECODE": "1",
    }
    if "stdout" not in kwargs:
        kwargs["stdout"] = subprocess.PIPE
    return subprocess.run(  # type: ignore[call-overload, no-any-return]
        [*prefix, sys.executable, "-m", "desktop_album", *argv],
        stderr=subprocess.PIPE,
        env=env,
        cwd=kwargs.pop("cwd", REPO),
        check=False,
        timeout=600,
        **kwargs,
    )


@pytest.fixture
def photos(tmp_path: Path, shapes_corpus: list[tuple[Path, ShapeSpec]]) -> Path:
    folder = tmp_path / "photos"
    folder.mkdir()
    for path, _ in shapes_corpus[:6]:
        shutil.copy(path, folder / path.name)
    return folder


def snapshot(path: Path) -> dict[str, bytes]:
    """The library file and any sidecar files next to it, byte for byte."""
    return {p.name: p.read_bytes() for p in sorted(path.parent.glob(path.name + "*"))}


# -- 1. file names that are not UTF-8 --------------------------------------------------------


def test_a_file_name_that_is_not_utf8_is_indexed_searched_and_printed(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, photos: Path, tiny_pack: Path
) -> None:
    odd = photos / LATIN1_NAME
    shutil.copy(next(photos.glob("*.jpg")), odd)
    lib = str(tmp_path / "lib.db")
    common = ("--library", lib, "--model", str(tiny_pack))

    code, _, err = run(capsys, *common, "index", str(photos))
    assert code == 0, err
    assert "Indexed 7" in err and "failed 0" in err

    code, out, _ = run(capsys, *common, "search", "a red circle", "-k", "50")
    assert code == 0
    assert "\\xe9t\\xe9.jpg" in out  # the undecodable bytes shown escaped, never a crash
    code, out, _ = run(capsys, *common, "search", "a red circle", "-k", "50", "--json")
    assert code == 0
    assert any(h["path"].endswith("\\xe9t\\xe9.jpg") for h in json.loads(out))
    code, out, _ = run(capsys, *common, "similar", str(odd), "--json")
    assert code == 0
    hits = json.loads(out)
    # Found by its path (so left out of its own results); first comes the photo it copies.
    assert not any(h["path"].endswith("\\xe9t\\xe9.jpg") for h in hits)
    assert hits[0]["score"] > 0.999

    code, _, err = run(capsys, *common, "index")  # stored and found again: nothing redone
    assert code == 0, err
    assert "Indexed 0" in err and "unchanged 7" in err
    odd.unlink()
    code, _, err = run(capsys, *common, "index")
    assert "missing 1" in err

    with sqlite3.connect(lib) as conn:  # stored losslessly: the raw bytes of the name
        stored = [r[0] for r in conn.execute("SELECT path FROM photos WHERE typeof(path)='blob'")]
    assert stored == [os.fsencode(str(odd))]


def test_a_folder_name_that_is_not_utf8_prints_escaped_in_status(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, photos: Path, tiny_pack: Path
) -> None:
    folder = tmp_path / os.fsdecode(b"caf\xe9")
    photos.rename(folder)
    lib = str(tmp_path / "lib.db")
    code, _, err = run(capsys, "--library", lib, "--model", str(tiny_pack), "index", str(folder))
    assert code == 0, err
    code, out, _ = run(capsys, "--library", lib, "--model", str(tiny_pack), "status", "--json")
    assert code == 0
    report = json.loads(out)
    assert report["roots"][0]["path"].endswith("caf\\xe9")
    assert report["counts"]["ok"] == 6


# -- 2 and 3. damaged and newer libraries are refused untouched --------------------------------


def _assert_refused_untouched(
    capsys: pytest.CaptureFixture[str], lib: Path, photos: Path, tiny_pack: Path, word: str
) -> None:
    before = snapshot(lib)
    common = ("--library", str(lib), "--model", str(tiny_pack))
    for argv in (("status",), ("search", "a red circle"), ("index", str(photos))):
        code, _, err = run(capsys, *common, *argv)
        assert code == 2, (argv, err)
        assert word in err and "not changed" in err
        assert "Traceback" not in err and len(err.strip().splitlines()) == 1
        assert snapshot(lib) == before, argv  # not a byte changed, no sidecar file made


def test_a_library_of_random_bytes_is_refused_untouched(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, photos: Path, tiny_pack: Path
) -> None:
    lib = tmp_path / "lib.db"
    lib.write_bytes(os.urandom(20_000))
    _assert_refused_untouched(capsys, lib, photos, tiny_pack, "damaged")


def test_a_truncated_library_is_refused_untouched(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, photos: Path, tiny_pack: Path
) -> None:
    lib = tmp_path / "lib.db"
    assert main(["--library", str(lib), "--model", str(tiny_pack), "index", str(photos)]) == 0
    data = lib.read_bytes()
    lib.write_bytes(data[: len(data) // 2])
    capsys.readouterr()
    _assert_refused_untouched(capsys, lib, photos, tiny_pack, "damaged")


def test_a_library_damaged_inside_is_one_message_from_any_command(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, photos: Path, tiny_pack: Path
) -> None:
    """The header and schema read fine; the damage shows only when a table is read. The
    error reaches the CLI's boundary as an SQLite error, mapped to the CORRUPT message."""
    lib = tmp_path / "lib.db"
    assert main(["--library", str(lib), "--model", str(tiny_pack), "index", str(photos)]) == 0
    capsys.readouterr()
    data = bytearray(lib.read_bytes())
    data[8192:] = os.urandom(len(data) - 8192)  # every page but the first (the schema)
    lib.write_bytes(bytes(data))
    for argv in (("status",), ("search", "a red circle")):
        code, _, err = run(capsys, "--library", str(lib), "--model", str(tiny_pack), *argv)
        assert code == 2, err
        assert "damaged" in err and "Traceback" not in err, err
        assert len(err.strip().splitlines()) == 1
    assert lib.read_bytes() == data  # (a WAL reader leaves SQLite's empty -wal/-shm beside it)


def test_a_rollback_journal_library_from_a_newer_version_is_left_byte_identical(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, photos: Path, tiny_pack: Path
) -> None:
    lib = tmp_path / "lib.db"
    with sqlite3.connect(lib) as conn:
        conn.execute("PRAGMA journal_mode = DELETE")
        conn.execute("CREATE TABLE future (x)")
        conn.execute("PRAGMA user_version = 999")
    conn.close()
    _assert_refused_untouched(capsys, lib, photos, tiny_pack, "newer Desktop Album")


# -- 4. read-only libraries -------------------------------------------------------------------


@pytest.fixture
def open_dir() -> Iterator[Path]:
    """A folder an ordinary user can reach (pytest's own tmp folders are root's alone)."""
    folder = Path(tempfile.mkdtemp(prefix="da-faults-"))
    folder.chmod(0o755)
    yield folder
    for path in folder.rglob("*"):
        path.chmod(0o777 if path.is_dir() else 0o666)
    shutil.rmtree(folder)


def test_a_read_only_library_still_searches_and_index_says_why_not(
    open_dir: Path, shapes_corpus: list[tuple[Path, ShapeSpec]], tiny_pack: Path
) -> None:
    photos = open_dir / "photos"
    photos.mkdir()
    for path, _ in shapes_corpus[:6]:
        shutil.copy(path, photos / path.name)
    pack = open_dir / "tiny-pack"
    shutil.copytree(tiny_pack, pack)
    home = open_dir / "home"
    home.mkdir(mode=0o777)
    home.chmod(0o777)
    ro_folder = open_dir / "library"  # owned by root: an ordinary user cannot write into it
    ro_folder.mkdir()
    lib = ro_folder / "lib.db"
    common = ("--library", str(lib), "--model", str(pack))
    assert cli(*common, "index", str(photos), home=home).returncode == 0
    for path in [open_dir, *open_dir.rglob("*")]:
        path.chmod(0o755 if path.is_dir() else 0o644)
    home.chmod(0o777)
    before = snapshot(lib)

    found = cli(*common, "search", "a red circle", "--all", "--json", as_nobody=True, home=home)
    assert found.returncode == 0, found.stderr.decode()
    assert len(json.loads(found.stdout)) == 6
    status = cli(*common, "status", "--json", as_nobody=True, home=home)
    assert status.returncode == 0, status.stderr.decode()
    assert json.loads(status.stdout)["counts"]["ok"] == 6
    image = next(photos.glob("*.jpg"))
    similar = cli(*common, "similar", str(image), as_nobody=True, home=home)
    assert similar.returncode == 0, similar.stderr.decode()

    index = cli(*common, "index", as_nobody=True, home=home)
    err = index.stderr.decode()
    assert index.returncode == 2, err
    assert "read-only" in err and "Traceback" not in err
    assert snapshot(lib) == before

    # The file alone read-only, in a folder that can be written: the same.
    ro_folder.chmod(0o777)
    found = cli(*common, "search", "a red circle", "--all", "--json", as_nobody=True, home=home)
    assert found.returncode == 0, found.stderr.decode()
    index = cli(*common, "index", as_nobody=True, home=home)
    assert index.returncode == 2 and b"read-only" in index.stderr

    # A new library in a folder that cannot be written: a clear message, no traceback.
    ro_folder.chmod(0o755)
    common_new = ("--library", str(ro_folder / "new.db"), "--model", str(pack))
    for argv in (("status",), ("index", str(photos))):
        new = cli(*common_new, *argv, as_nobody=True, home=home)
        err = new.stderr.decode()
        assert new.returncode == 2, err
        assert "read-only" in err and "Traceback" not in err


# -- 5. failed photos are tried again ---------------------------------------------------------


def test_failed_photos_are_retried_when_changed_on_request_and_under_another_model(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, photos: Path, tiny_pack: Path
) -> None:
    broken = photos / "broken.jpg"
    broken.write_bytes(b"not a photo")
    lib = str(tmp_path / "lib.db")
    model_a = ("--library", lib, "--model", str(tiny_pack))
    code, _, err = run(capsys, *model_a, "index")
    code, _, err = run(capsys, *model_a, "index", str(photos))
    assert code == 0 and "failed 1" in err

    code, _, err = run(capsys, *model_a, "index")  # nothing changed: not tried again
    assert "Indexed 0" in err and "failed 0" in err
    code, _, err = run(capsys, *model_a, "index", "--retry-failed")  # asked: tried again
    assert "failed 1" in err and "broken.jpg" in err

    # Another image tower (another image space: a copy of the same tower would fail alike).
    model_b_pack = make_minimal_pack(tmp_path / "another-model", visual_seed=5)
    model_b = ("--library", lib, "--model", str(model_b_pack))
    code, _, err = run(capsys, *model_b, "index")  # another model: tried once more
    assert "failed 1" in err and "broken.jpg" in err
    code, _, err = run(capsys, *model_b, "index")  # ... once
    assert "failed 0" in err

    shutil.copy(next(photos.glob("*.jpg")), broken)  # the file changed: tried again, and fine
    code, _, err = run(capsys, *model_b, "index")
    assert code == 0 and "Indexed 1" in err and "failed 0" in err
    code, out, _ = run(capsys, *model_b, "status", "--json")
    assert json.loads(out)["counts"]["error"] == 0


# -- 6, 7, 8. command words, closed pipes, bugs -----------------------------------------------


def test_a_command_word_never_opens_the_window_even_when_a_file_has_its_name(
    tmp_path: Path, tiny_pack: Path
) -> None:
    (tmp_path / "status").write_text("")
    lib = tmp_path / "lib.db"
    result = cli("--library", str(lib), "status", home=tmp_path / "home", cwd=tmp_path)
    assert result.returncode == 0, result.stderr.decode()
    assert b"Library:" in result.stdout


def test_a_closed_pipe_ends_quietly(tmp_path: Path, photos: Path, tiny_pack: Path) -> None:
    lib = tmp_path / "lib.db"
    home = tmp_path / "home"
    common = ("--library", str(lib), "--model", str(tiny_pack))
    assert cli(*common, "index", str(photos), home=home).returncode == 0
    for argv in (("search", "a red circle"), ("status",)):
        read_end, write_end = os.pipe()
        os.close(read_end)  # like `| head -1` that already went away: every write fails
        try:
            result = cli(*common, *argv, home=home, stdout=write_end)
        finally:
            os.close(write_end)
        assert result.returncode == 0, result.stderr.decode()
        assert b"Traceback" not in result.stderr and b"Broken" not in result.stderr


def test_an_environment_problem_exits_2_with_one_line(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    folder = tmp_path / "a folder, not a library"
    folder.mkdir()
    code, _, err = run(capsys, "--library", str(folder), "status")
    assert code == 2
    assert str(folder) in err and len(err.strip().splitlines()) == 1


def test_a_bug_is_one_line_naming_the_log_file_with_the_details(
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    _isolated_home: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from desktop_album import cli as cli_module

    def broken(*args: object) -> int:
        return 1 // 0

    monkeypatch.setattr(cli_module, "cmd_status", broken)
    code, _, err = run(capsys, "--library", str(tmp_path / "lib.db"), "status")
    assert code == 1
    assert len(err.strip().splitlines()) == 1 and "bug" in err
    logs = list((_isolated_home / "data" / "log").iterdir())
    assert len(logs) == 1 and str(logs[0]) in err
    assert "ZeroDivisionError" in logs[0].read_text()


# -- 9. a disk that fills up while indexing ---------------------------------------------------


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    """A real, small file system (tmpfs): it fills up for real."""
    mount = tmp_path / "small-disk"
    mount.mkdir()
    result = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", str(mount)],
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        pytest.skip(f"cannot mount a small tmpfs to fill up here: {result.stderr.strip()}")
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=False)


def test_a_full_disk_stops_index_with_one_message_and_a_rerun_continues(
    capsys: pytest.CaptureFixture[str],
    small_disk: Path,
    shapes_corpus: list[tuple[Path, ShapeSpec]],
    tmp_path: Path,
    tiny_pack: Path,
) -> None:
    photos = tmp_path / "many"
    photos.mkdir()
    for path, _ in shapes_corpus:
        shutil.copy(path, photos / path.name)
    lib = small_disk / "lib.db"
    common = ("--library", str(lib), "--model", str(tiny_pack))
    code, _, err = run(capsys, *common, "index", str(photos), "--batch-size", "4")
    assert code == 2, err
    assert "disk is full" in err and "Traceback" not in err
    assert err.strip().splitlines()[-1].startswith("The disk is full")  # one message, last

    subprocess.run(["mount", "-o", "remount,size=64m", str(small_disk)], check=True)
    code, out, err = run(capsys, *common, "status", "--json")
    assert code == 0, err
    kept = json.loads(out)["counts"]["ok"]
    assert 0 < kept < 100  # the batches committed before the disk filled are kept
    code, _, err = run(capsys, *common, "index")
    assert code == 0, err
    assert f"Indexed {100 - kept}" in err  # continues where it stopped


def test_which_arguments_open_the_window(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from desktop_album.cli import _wants_window

    monkeypatch.chdir(tmp_path)
    (tmp_path / "status").write_text("")
    (tmp_path / "photo.jpg").write_text("")
    commands = {"index", "search", "similar", "status"}
    assert _wants_window([], commands)
    assert _wants_window(["photo.jpg"], commands)  # "Open with"
    assert _wants_window(["--library", "lib.db", "photo.jpg"], commands)
    assert not _wants_window(["--library", "photo.jpg", "status"], commands)
    assert not _wants_window(["status"], commands)
    assert not _wants_window(["--model", "status", "search", "x"], commands)
    assert not _wants_window(["no-such-file.jpg"], commands)  # argparse says what is wrong
