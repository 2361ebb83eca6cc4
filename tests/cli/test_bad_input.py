"""Bad input never stops a run: every bad file is recorded with its reason, the rest indexed."""

from __future__ import annotations

import json
import os
import struct
import zlib
from pathlib import Path

import pytest

from desktop_album.cli import main
from models.shapes import ShapeSpec


def huge_png(width: int, height: int) -> bytes:
    """A valid PNG header declaring a giant image, with almost no data behind it."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\x00" * 64))
        + chunk(b"IEND", b"")
    )


@pytest.fixture
def messy_folder(tmp_path: Path, shapes_corpus: list[tuple[Path, ShapeSpec]]) -> Path:
    folder = tmp_path / "내 사진 folder"
    (folder / "sub dir").mkdir(parents=True)
    good = shapes_corpus[0][0].read_bytes()
    (folder / "good one.jpg").write_bytes(good)
    (folder / "sub dir" / "바다 사진.jpg").write_bytes(shapes_corpus[1][0].read_bytes())
    (folder / "empty.jpg").write_bytes(b"")
    (folder / "truncated.jpg").write_bytes(good[: len(good) // 2])
    (folder / "notes.jpg").write_text("this is not a photo")
    (folder / "bomb.png").write_bytes(huge_png(40_000, 40_000))
    (folder / "loop").symlink_to(folder, target_is_directory=True)
    (folder / "dangling.jpg").symlink_to(folder / "gone.jpg")
    (folder / "readme.txt").write_text("ignored: not a photo extension")
    return folder


def test_bad_files_are_recorded_and_the_rest_indexed(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, tiny_pack: Path, messy_folder: Path
) -> None:
    lib = str(tmp_path / "lib.db")
    code = main(["--library", lib, "--model", str(tiny_pack), "index", str(messy_folder)])
    err = capsys.readouterr().err
    assert code == 0
    assert "Indexed 2" in err and "failed 4" in err
    for name, reason in [
        ("empty.jpg", "empty file"),
        ("truncated.jpg", "truncated"),
        ("notes.jpg", "not an image"),
        ("bomb.png", "too large"),
    ]:
        line = next(line for line in err.splitlines() if name in line)
        assert reason in line

    assert main(["--library", lib, "--model", str(tiny_pack), "status", "--json"]) == 0
    status = json.loads(capsys.readouterr().out)
    assert status["counts"]["ok"] == 2
    assert status["counts"]["error"] == 4
    reasons = {Path(f["path"]).name: f["reason"] for f in status["failures"]}
    assert set(reasons) == {"empty.jpg", "truncated.jpg", "notes.jpg", "bomb.png"}

    assert main(["--library", lib, "--model", str(tiny_pack), "search", "x", "--json"]) == 0
    found = {Path(h["path"]).name for h in json.loads(capsys.readouterr().out)}
    assert found == {"good one.jpg", "바다 사진.jpg"}  # errors never appear in results


def test_an_unreadable_file_is_recorded(
    tmp_path: Path, tiny_pack: Path, shapes_corpus: list[tuple[Path, ShapeSpec]]
) -> None:
    """chmod 000 does not stop root, so as root the CLI runs without the capabilities that
    override file permissions (util-linux setpriv)."""
    import shutil
    import subprocess
    import sys

    folder = tmp_path / "photos"
    folder.mkdir()
    (folder / "fine.jpg").write_bytes(shapes_corpus[0][0].read_bytes())
    locked = folder / "locked.jpg"
    locked.write_bytes(shapes_corpus[1][0].read_bytes())
    locked.chmod(0)
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
            str(tmp_path / "lib.db"),
            "--model",
            str(tiny_pack),
            "index",
            str(folder),
        ],
        capture_output=True,
        text=True,
        check=False,
        cwd=str(Path(__file__).parents[2]),
    )
    assert result.returncode == 0, result.stderr
    line = next(line for line in result.stderr.splitlines() if "locked.jpg" in line)
    assert "permission denied" in line
    assert "Indexed 1" in result.stderr
