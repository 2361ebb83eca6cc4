"""The command line, as a user scripts it: index, search, similar, status."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from desktop_album.cli import main
from models.shapes import ShapeSpec


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.fixture(scope="module")
def indexed(
    tmp_path_factory: pytest.TempPathFactory,
    shapes_corpus: list[tuple[Path, ShapeSpec]],
    tiny_pack: Path,
) -> dict[str, object]:
    """The shape corpus indexed once through the CLI, shared by the read-only tests below."""
    library = tmp_path_factory.mktemp("lib") / "library.db"
    folder = shapes_corpus[0][0].parent
    env = {**os.environ, "DESKTOP_ALBUM_HOME": str(library.parent / "home")}
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "desktop_album",
            "--library",
            str(library),
            "--model",
            str(tiny_pack),
            "index",
            str(folder),
        ],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return {"library": str(library), "folder": folder, "stderr": result.stderr}


def specs(corpus: list[tuple[Path, ShapeSpec]]) -> dict[str, ShapeSpec]:
    return {str(path.resolve()): spec for path, spec in corpus}


def test_index_prints_a_summary(indexed: dict[str, object]) -> None:
    stderr = str(indexed["stderr"])
    assert "Indexed 100" in stderr
    assert "failed 0" in stderr


def test_search_lists_red_circles_first(
    capsys: pytest.CaptureFixture[str],
    indexed: dict[str, object],
    shapes_corpus: list[tuple[Path, ShapeSpec]],
    tiny_pack: Path,
) -> None:
    code, out, _ = run(
        capsys,
        "--library",
        str(indexed["library"]),
        "--model",
        str(tiny_pack),
        "search",
        "a red circle",
        "--json",
        "-k",
        "5",
    )
    assert code == 0
    hits = json.loads(out)
    assert len(hits) == 5
    assert all(Path(h["path"]).is_absolute() for h in hits)
    assert [h["score"] for h in hits] == sorted((h["score"] for h in hits), reverse=True)
    by_path = specs(shapes_corpus)
    top = by_path[hits[0]["path"]]
    assert (top.color, top.shape) == ("red", "circle")


def test_text_queries_rank_a_matching_photo_first(
    indexed: dict[str, object],
    shapes_corpus: list[tuple[Path, ShapeSpec]],
    tiny_pack: Path,
) -> None:
    """The acceptance bar: >= 90% of colour x shape queries, in English and in Korean."""
    from desktop_album.core.embedding import ClipModel
    from desktop_album.core.library import Library
    from desktop_album.core.packs import load_pack
    from desktop_album.core.search import SearchEngine
    from models.shapes import COLORS, KOREAN_COLORS, KOREAN_SHAPES, SHAPES

    by_path = specs(shapes_corpus)
    present = {(s.color, s.shape) for s in by_path.values()}
    with Library(str(indexed["library"])) as library:
        engine = SearchEngine(library, ClipModel(load_pack(tiny_pack), provider="cpu"))
        for language in ("en", "ko"):
            right = total = 0
            for color in COLORS:
                for shape in SHAPES:
                    if (color, shape) not in present:
                        continue
                    if language == "en":
                        query = f"a {color} {shape}"
                    else:
                        query = f"{KOREAN_COLORS[color]} {KOREAN_SHAPES[shape]}"
                    top = by_path[engine.search_text(query, 1)[0].path]
                    right += (top.color, top.shape) == (color, shape)
                    total += 1
            assert total >= 20
            assert right / total >= 0.9, f"{language}: {right}/{total}"


def test_similar_to_a_blue_square_returns_blue_squares(
    capsys: pytest.CaptureFixture[str],
    indexed: dict[str, object],
    shapes_corpus: list[tuple[Path, ShapeSpec]],
    tiny_pack: Path,
) -> None:
    by_path = specs(shapes_corpus)
    squares = [p for p, s in by_path.items() if (s.color, s.shape) == ("blue", "square")]
    assert len(squares) >= 3
    code, out, _ = run(
        capsys,
        "--library",
        str(indexed["library"]),
        "--model",
        str(tiny_pack),
        "similar",
        squares[0],
        "--json",
        "-k",
        "2",
    )
    assert code == 0
    hits = json.loads(out)
    assert squares[0] not in [h["path"] for h in hits]  # the photo itself is not "similar"
    assert all(
        (by_path[h["path"]].color, by_path[h["path"]].shape) == ("blue", "square") for h in hits
    )


def test_status_json_counts_and_model(
    capsys: pytest.CaptureFixture[str], indexed: dict[str, object], tiny_pack: Path
) -> None:
    code, out, _ = run(
        capsys,
        "--library",
        str(indexed["library"]),
        "--model",
        str(tiny_pack),
        "status",
        "--json",
    )
    assert code == 0
    status = json.loads(out)
    assert status["counts"] == {"ok": 100, "error": 0, "missing": 0, "pending": 0}
    assert status["failures"] == []
    assert status["model"]["id"] == "tiny-pack"
    assert status["model"]["needing_embedding"] == 0
    assert status["roots"][0]["photos"] == 100


def test_indexing_again_touches_only_new_and_changed_files(
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    tiny_pack: Path,
    shapes_corpus: list[tuple[Path, ShapeSpec]],
) -> None:
    folder = tmp_path / "photos"
    folder.mkdir()
    for path, _ in shapes_corpus[:6]:
        (folder / path.name).write_bytes(path.read_bytes())
    lib = str(tmp_path / "lib.db")
    args = ("--library", lib, "--model", str(tiny_pack), "index", str(folder))
    assert run(capsys, *args)[0] == 0
    (folder / shapes_corpus[0][0].name).unlink()
    (folder / "extra.jpg").write_bytes(shapes_corpus[10][0].read_bytes())
    changed = folder / shapes_corpus[1][0].name
    changed.write_bytes(shapes_corpus[20][0].read_bytes())
    code, _, err = run(capsys, *args)
    assert code == 0
    # extra.jpg has the content of a photo already indexed elsewhere? No: of corpus[10],
    # which was not in this folder, so it is embedded; the changed one too.
    assert "Indexed 2" in err and "unchanged 4" in err and "missing 1" in err
    code, out, _ = run(capsys, "--library", lib, "--model", str(tiny_pack), "status", "--json")
    assert json.loads(out)["counts"] == {"ok": 6, "error": 0, "missing": 1, "pending": 0}


def test_a_folder_that_does_not_exist_exits_2(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, tiny_pack: Path
) -> None:
    code, _, err = run(
        capsys,
        "--library",
        str(tmp_path / "lib.db"),
        "--model",
        str(tiny_pack),
        "index",
        str(tmp_path / "nowhere"),
    )
    assert code == 2
    assert "Folder not found" in err and "nowhere" in err


@pytest.mark.parametrize("command", [("search", "a cat"), ("index", "."), ("similar", "x.jpg")])
def test_without_a_model_commands_exit_2_and_say_how_to_get_one(
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    command: tuple[str, str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "x.jpg").write_bytes(b"")
    code, _, err = run(capsys, "--library", str(tmp_path / "lib.db"), *command)
    assert code == 2
    assert "models download" in err


def test_a_broken_model_pack_exits_2_naming_the_file(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    pack = tmp_path / "pack"
    (pack / "visual").mkdir(parents=True)
    (pack / "config.json").write_text('{"embed_dim": 8}')
    code, _, err = run(
        capsys, "--library", str(tmp_path / "lib.db"), "--model", str(pack), "search", "x"
    )
    assert code == 2
    assert "preprocess_cfg.json" in err


def test_index_json_counts_only_photos_that_went_through_the_image_tower(
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    tiny_pack: Path,
    shapes_corpus: list[tuple[Path, ShapeSpec]],
) -> None:
    folder = tmp_path / "photos"
    folder.mkdir()
    for path, _ in shapes_corpus[:5]:
        (folder / path.name).write_bytes(path.read_bytes())
    (folder / "broken.jpg").write_bytes(b"not a photo")
    lib = str(tmp_path / "lib.db")
    args = ("--library", lib, "--model", str(tiny_pack), "index", str(folder), "--json")
    code, out, _ = run(capsys, *args)
    assert code == 0
    summary = json.loads(out)
    assert (summary["indexed"], summary["reused"], summary["unchanged"]) == (5, 0, 0)
    assert summary["missing"] == 0
    assert [f["path"] for f in summary["failed"]] == [str((folder / "broken.jpg").resolve())]
    assert summary["failed"][0]["reason"]
    assert isinstance(summary["seconds"], float)

    (folder / "copy.jpg").write_bytes(shapes_corpus[0][0].read_bytes())  # known content
    code, out, _ = run(capsys, *args)
    again = json.loads(out)
    # The copy got its vector from the library: it never went through the image tower.
    assert (again["indexed"], again["reused"], again["unchanged"]) == (0, 1, 6)  # broken too
