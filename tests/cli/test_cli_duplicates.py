"""``desktop-album duplicates`` as a user runs it."""

from __future__ import annotations

import json
import shutil
import sqlite3
from pathlib import Path

import pytest
from PIL import Image

from desktop_album.cli import main
from models.shapes import ShapeSpec


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.fixture
def library_with_copies(
    tmp_path: Path, shapes_corpus: list[tuple[Path, ShapeSpec]], tiny_pack: Path
) -> tuple[Path, str, str]:
    """Ten shape photos, one saved twice and one also re-sent at half size and lower quality."""
    folder = tmp_path / "photos"
    folder.mkdir()
    for path, _ in shapes_corpus[:10]:
        shutil.copy(path, folder / path.name)
    first, second = shapes_corpus[0][0], shapes_corpus[1][0]
    shutil.copy(first, folder / f"copy of {first.name}")
    with Image.open(second) as image:
        small = image.resize((image.width // 2, image.height // 2))
        small.save(folder / "sent.jpg", format="JPEG", quality=70)
    library = tmp_path / "library.db"
    code = main(["--library", str(library), "--model", str(tiny_pack), "index", str(folder)])
    assert code == 0
    return library, first.name, second.name


def test_duplicates_json_lists_groups_with_a_suggested_keep(
    capsys: pytest.CaptureFixture[str], library_with_copies: tuple[Path, str, str], tiny_pack: Path
) -> None:
    library, first, second = library_with_copies
    code, out, _ = run(
        capsys, "--library", str(library), "--model", str(tiny_pack), "duplicates", "--json"
    )
    assert code == 0
    groups = json.loads(out)
    by_tier = {g["tier"]: g for g in groups}
    assert set(by_tier) == {"exact", "near"}
    exact = by_tier["exact"]
    assert {Path(p["path"]).name for p in exact["photos"]} == {first, f"copy of {first}"}
    assert Path(exact["keep"]).name == first  # identical: the shorter name, not the copy
    near = by_tier["near"]
    assert {Path(p["path"]).name for p in near["photos"]} == {"sent.jpg", second}
    assert Path(near["keep"]).name == second  # the larger one
    assert set(near["photos"][0]) == {"path", "width", "height", "bytes", "taken_at"}


def test_one_tier_and_the_words_for_it(
    capsys: pytest.CaptureFixture[str], library_with_copies: tuple[Path, str, str], tiny_pack: Path
) -> None:
    library, _, _ = library_with_copies
    args = ["--library", str(library), "--model", str(tiny_pack), "duplicates"]
    code, out, _ = run(capsys, *args, "--tier", "exact", "--json")
    assert code == 0
    assert [g["tier"] for g in json.loads(out)] == ["exact"]
    code, out, _ = run(capsys, *args, "--tier", "near")
    assert code == 0
    assert "Near-duplicates: 1 groups" in out
    assert "re-sent, resized, recompressed or slightly cropped" in out
    assert "keep" in out


def test_a_library_indexed_before_hashes_existed_is_hashed_first(
    capsys: pytest.CaptureFixture[str], library_with_copies: tuple[Path, str, str], tiny_pack: Path
) -> None:
    library, _, _ = library_with_copies
    with sqlite3.connect(library) as conn:
        conn.execute("UPDATE photos SET phash = NULL")
    args = ["--library", str(library), "--model", str(tiny_pack), "duplicates", "--json"]
    code, out, err = run(capsys, *args)
    assert code == 0
    assert "Computing perceptual hashes of 12 photos" in err
    assert "near" in {g["tier"] for g in json.loads(out)}
    code, _, err = run(capsys, *args)
    assert "Computing" not in err
