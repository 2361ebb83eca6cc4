"""Search from the command line as a user types it: dates and negatives in the text, filters."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from desktop_album.cli import main
from models.shapes import make_corpus
from tests.core.test_query_search import write_exif


@pytest.fixture(scope="module")
def library(tmp_path_factory: pytest.TempPathFactory, tiny_pack: Path) -> dict[str, object]:
    root = tmp_path_factory.mktemp("cli-search")
    corpus = make_corpus(root / "photos", count=120, seed=9)
    years: dict[str, int] = {}
    for index, (path, _) in enumerate(corpus):
        if path.suffix == ".jpg":
            year = 2022 + index % 2
            write_exif(path, year)
            years[str(path.resolve())] = year
    db = root / "library.db"
    assert main(["--library", str(db), "--model", str(tiny_pack), "index", str(root)]) == 0
    return {"db": str(db), "pack": str(tiny_pack), "corpus": corpus, "years": years}


def search(capsys: pytest.CaptureFixture[str], lib: dict[str, object], *argv: str) -> tuple:  # type: ignore[type-arg]
    capsys.readouterr()
    code = main(["--library", str(lib["db"]), "--model", str(lib["pack"]), *argv])
    out = capsys.readouterr()
    return code, out.out, out.err


def test_korean_colour_shape_and_year(capsys: pytest.CaptureFixture[str], library: dict) -> None:  # type: ignore[type-arg]
    code, out, _ = search(capsys, library, "search", "빨간 원 2023년", "--json")
    assert code == 0
    rows = json.loads(out)
    years = library["years"]
    wanted = {p for p, y in years.items() if y == 2023 and "red_circle_" in Path(p).name}
    assert wanted and {r["path"] for r in rows} == wanted
    assert all(r["taken_at"].startswith("2023") and r["date_source"] == "exif" for r in rows)
    assert all(r["offline"] is False and isinstance(r["score"], float) for r in rows)


def test_a_red_circle_minus_square(capsys: pytest.CaptureFixture[str], library: dict) -> None:  # type: ignore[type-arg]
    code, out, _ = search(capsys, library, "search", "a red circle -square", "--json")
    assert code == 0
    names = [Path(r["path"]).name for r in json.loads(out)]
    wanted = [p for p, _ in library["corpus"] if p.name.startswith("red_circle_")]
    assert sorted(names) == sorted(p.name for p in wanted)


def test_k_overrides_the_cut_off_and_sort_by_date(
    capsys: pytest.CaptureFixture[str],
    library: dict,  # type: ignore[type-arg]
) -> None:
    code, out, _ = search(
        capsys, library, "search", "a red circle", "-k", "7", "--sort", "date", "--json"
    )
    rows = json.loads(out)
    assert code == 0 and len(rows) == 7
    dates = [r["taken_at"] for r in rows]
    assert dates == sorted(dates, reverse=True)


def test_date_options_and_folder(capsys: pytest.CaptureFixture[str], library: dict) -> None:  # type: ignore[type-arg]
    folder = str(Path(library["corpus"][0][0]).parent)
    code, out, _ = search(
        capsys,
        library,
        "search",
        "a blue star",
        "--after",
        "2023",
        "--before",
        "2024-01",
        "--in",
        folder,
        "--json",
    )
    rows = json.loads(out)
    assert code == 0 and rows
    assert all(r["taken_at"].startswith("2023") for r in rows)


def test_nonsense_says_no_good_matches(capsys: pytest.CaptureFixture[str], library: dict) -> None:  # type: ignore[type-arg]
    code, out, err = search(capsys, library, "search", "zxqv glorp")
    assert code == 0 and "No good matches" in err
    assert 1 <= len(out.strip().splitlines()) <= 5


def test_similar_takes_the_filters(capsys: pytest.CaptureFixture[str], library: dict) -> None:  # type: ignore[type-arg]
    image = next(p for p, _ in library["corpus"] if p.name.startswith("blue_square_"))
    code, out, _ = search(
        capsys, library, "similar", str(image), "--type", "png", "-k", "3", "--json"
    )
    rows = json.loads(out)
    assert code == 0 and len(rows) == 3 and all(r["path"].endswith(".png") for r in rows)


def test_a_bad_date_exits_2(capsys: pytest.CaptureFixture[str], library: dict) -> None:  # type: ignore[type-arg]
    code, _, err = search(capsys, library, "search", "cat", "--after", "July")
    assert code == 2 and "YYYY" in err


def test_offline_and_online_filters(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, tiny_pack: Path
) -> None:
    home, drive = tmp_path / "home", tmp_path / "drive"
    make_corpus(home, count=8, seed=1)
    make_corpus(drive, count=8, seed=2)
    lib = {"db": str(tmp_path / "library.db"), "pack": str(tiny_pack)}
    assert search(capsys, lib, "index", str(home), str(drive))[0] == 0
    drive.rename(tmp_path / "unplugged")  # the drive is gone; its photos stay in the library
    assert search(capsys, lib, "index")[0] == 0

    def folders(*flags: str) -> set[str]:
        code, out, _ = search(capsys, lib, "search", "a circle", "--all", "--json", *flags)
        assert code == 0
        return {Path(r["path"]).relative_to(tmp_path).parts[0] for r in json.loads(out)}

    assert folders("--offline") == {"drive"}
    assert folders("--online") == {"home"}
    assert folders() == {"home", "drive"}
    with pytest.raises(SystemExit) as stopped:
        search(capsys, lib, "search", "a circle", "--online", "--offline")
    assert stopped.value.code == 2 and "not allowed with" in capsys.readouterr().err


def test_sort_by_name_keeps_the_same_matches(
    capsys: pytest.CaptureFixture[str],
    library: dict,  # type: ignore[type-arg]
) -> None:
    from desktop_album.core.ordering import natural_key

    _, out, _ = search(capsys, library, "search", "a red circle", "--json")
    code, by_name, _ = search(capsys, library, "search", "a red circle", "--sort", "name", "--json")
    assert code == 0
    names = [Path(r["path"]).name for r in json.loads(by_name)]
    assert names == sorted(names, key=natural_key)
    assert sorted(names) == sorted(Path(r["path"]).name for r in json.loads(out))
