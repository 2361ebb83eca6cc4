"""Queries on the committed tiny pack: relevance cut-off, filters inside the index, negatives."""

from __future__ import annotations

import os
from datetime import date, datetime
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from desktop_album.core.dates import DateRange
from desktop_album.core.embedding import ClipModel
from desktop_album.core.indexing import Indexer
from desktop_album.core.library import Library
from desktop_album.core.packs import load_pack
from desktop_album.core.query import NEGATIVE_WEIGHT, Filters, combine, parse_query
from desktop_album.core.search import SearchEngine, SearchOptions
from models.shapes import COLORS, KOREAN_COLORS, KOREAN_SHAPES, SHAPES, make_corpus

EXIF_YEARS = (2021, 2022, 2023)
FILE_TIME = datetime(2020, 6, 15, 12, 0).timestamp()


def write_exif(path: Path, year: int) -> None:
    """Give a JPEG an EXIF DateTimeOriginal and a camera, as a phone would."""
    with Image.open(path) as image:
        image.load()
        exif = image.getexif()
        exif[0x9003] = f"{year}:07:15 10:30:00"  # DateTimeOriginal
        exif[0x010F] = "Canon"
        exif[0x0110] = "Canon EOS R5"
        image.save(path, format="JPEG", quality=90, exif=exif.tobytes())


def expected_year(index: int) -> int:
    return EXIF_YEARS[index % len(EXIF_YEARS)]


@pytest.fixture(scope="module")
def dated(tmp_path_factory: pytest.TempPathFactory, tiny_pack: Path) -> dict[str, object]:
    """200 shape photos in two folders: JPEGs with EXIF dates 2021-2023, PNGs without EXIF
    (file time June 2020). Indexed once."""
    root = tmp_path_factory.mktemp("dated")
    corpus = make_corpus(root / "a", count=120, seed=5) + make_corpus(root / "b" / "deep", 80, 6)
    truth: dict[str, tuple[str, str, int]] = {}
    for index, (path, spec) in enumerate(corpus):
        if path.suffix == ".jpg":
            write_exif(path, expected_year(index))
            year = expected_year(index)
        else:
            os.utime(path, (FILE_TIME, FILE_TIME))
            year = 2020
        truth[str(path.resolve())] = (spec.color, spec.shape, year)
    model = ClipModel(load_pack(tiny_pack))
    library = Library(root / "library.db")
    library.add_root(root)
    Indexer(library, model).run()
    library.close()
    return {"root": root.resolve(), "truth": truth, "db": root / "library.db", "model": model}


@pytest.fixture()
def engine(dated: dict[str, object]) -> SearchEngine:
    model = dated["model"]
    assert isinstance(model, ClipModel)
    return SearchEngine(Library(Path(str(dated["db"]))), model)


def truth(dated: dict[str, object]) -> dict[str, tuple[str, str, int]]:
    value = dated["truth"]
    assert isinstance(value, dict)
    return value


@pytest.mark.parametrize("korean", [False, True], ids=["en", "ko"])
def test_a_colour_and_shape_returns_its_class_without_k(
    dated: dict[str, object], engine: SearchEngine, korean: bool
) -> None:
    photos = truth(dated)
    precisions, recalls = [], []
    for color in COLORS:
        for shape in SHAPES:
            text = (
                f"{KOREAN_COLORS[color]} {KOREAN_SHAPES[shape]}" if korean else f"a {color} {shape}"
            )
            result = engine.run(parse_query(text))
            got = {h.path for h in result.hits}
            relevant = {p for p, (c, s, _) in photos.items() if (c, s) == (color, shape)}
            assert result.verdict == "matches", text
            precision = len(got & relevant) / len(got)
            recall = len(got & relevant) / len(relevant)
            precisions.append(precision)
            recalls.append(recall)
            assert min(precision, recall) >= 0.75, (text, precision, recall)
    # Over all 40 classes (each holds 5 photos of the 200).
    assert np.mean(precisions) >= 0.9 and np.mean(recalls) >= 0.9, (precisions, recalls)


def test_nonsense_says_no_good_match_with_the_closest_few(engine: SearchEngine) -> None:
    for text in ("zxqv glorp", "바닷가 일몰", "a photo of my grandmother"):
        result = engine.run(parse_query(text))
        assert result.verdict == "no_good_match", text
        assert 1 <= len(result.hits) <= 5


def test_a_date_filter_keeps_that_years_best_and_file_dates_count(
    dated: dict[str, object], engine: SearchEngine
) -> None:
    photos = truth(dated)
    result = engine.run(parse_query("빨간 원 2023년", today=date(2026, 1, 1)))
    assert result.query.date_phrase == "2023년"
    got = {h.path for h in result.hits}
    wanted = {p for p, t in photos.items() if t == ("red", "circle", 2023)}
    assert wanted and got == wanted
    assert all(
        h.date_source == "exif" and (h.taken_at or "").startswith("2023") for h in result.hits
    )
    # PNGs have no EXIF: their file time (2020) dates them, and they never vanish.
    in_2020 = engine.run(parse_query("2020"))  # no words: browse by date
    assert in_2020.verdict == "browse"
    assert {h.path for h in in_2020.hits} == {p for p, t in photos.items() if t[2] == 2020}
    assert {h.date_source for h in in_2020.hits} == {"file"}


def test_a_filter_keeping_few_photos_returns_their_best(
    dated: dict[str, object], engine: SearchEngine
) -> None:
    """The mask is applied before the top-k: a folder + date filter still finds its matches."""
    photos = truth(dated)
    deep = str(Path(str(dated["root"])) / "b")
    filters = Filters(dates=DateRange(date(2022, 1, 1), date(2022, 12, 31)), folders=(deep,))
    result = engine.run(parse_query("a blue square", filters=filters), SearchOptions(k=3))
    wanted = {p for p, t in photos.items() if t == ("blue", "square", 2022) and p.startswith(deep)}
    assert wanted and {h.path for h in result.hits[: len(wanted)]} == wanted
    assert all(h.path.startswith(deep) for h in result.hits)


def test_camera_type_and_orientation_filters(engine: SearchEngine) -> None:
    canon = engine.run(parse_query("", filters=Filters(camera="eos")), SearchOptions(all=True))
    assert canon.hits and all(h.path.endswith(".jpg") for h in canon.hits)
    pngs = engine.run(parse_query("", filters=Filters(file_types=("PNG",))))
    assert pngs.hits and all(h.path.endswith(".png") for h in pngs.hits)
    portrait = engine.run(parse_query("", filters=Filters(orientation="portrait")))
    for hit in portrait.hits:
        with Image.open(hit.path) as image:
            assert image.height > image.width


def test_a_negative_term_moves_its_look_down_as_documented(engine: SearchEngine) -> None:
    plain = engine.run(parse_query("a red circle"), SearchOptions(all=True))
    minus = engine.run(parse_query("a red circle -square"), SearchOptions(all=True))
    assert parse_query("a red circle -square").not_texts == ("square",)

    def first_square(hits: list) -> int:  # type: ignore[type-arg]
        return next(i for i, h in enumerate(hits) if "_square_" in Path(h.path).name)

    assert first_square(minus.hits) > first_square(plain.hits)
    # The score is the cosine with normalise(text - 0.5 * negative).
    model = engine.model
    vector = combine([model.embed_query("a red circle")], [model.embed_query("square")])
    assert vector is not None and NEGATIVE_WEIGHT == 0.5
    top = minus.hits[0]
    stored = engine.index.vector(top.photo_id)
    assert stored is not None
    assert float(stored @ vector) == pytest.approx(top.score, abs=1e-3)


def test_sorting_by_date(engine: SearchEngine) -> None:
    newest = engine.run(parse_query("a red circle"), SearchOptions(sort="date"))
    oldest = engine.run(parse_query("a red circle"), SearchOptions(sort="oldest"))
    dates = [h.taken_at or "" for h in newest.hits]
    assert dates == sorted(dates, reverse=True)
    assert [h.path for h in oldest.hits] == [h.path for h in reversed(newest.hits)] or (
        [h.taken_at for h in oldest.hits] == sorted(h.taken_at or "" for h in oldest.hits)
    )


def test_parse_query_reads_negatives_tags_and_dates() -> None:
    q = parse_query("my dog in the snow, not at home, 2022 #pets", today=date(2024, 1, 1))
    assert q.texts == ("my dog in the snow",)
    assert q.not_texts == ("at home",)
    assert q.tags == ("pets",)
    assert q.filters.dates == DateRange(date(2022, 1, 1), date(2022, 12, 31))
    assert q.date_phrase == "2022"
    q = parse_query("바닷가 사람 말고 작년 여름", today=date(2024, 1, 1))
    assert q.texts == ("바닷가",) and q.not_texts == ("사람",)
    assert q.filters.dates == DateRange(date(2023, 6, 1), date(2023, 8, 31))
    assert q.without_date().filters.dates is None


def test_combine_is_the_documented_formula() -> None:
    a, b = np.array([1.0, 0.0], np.float32), np.array([0.0, 2.0], np.float32)
    v = combine([a], [b], 0.5)
    assert v is not None
    assert np.allclose(v, np.array([1.0, -0.5]) / np.linalg.norm([1.0, -0.5]))


def test_ask_is_the_bar_text_plus_ui_state(dated: dict[str, object], engine: SearchEngine) -> None:
    photos = truth(dated)
    for folder in ("a", "b"):
        scope = str(Path(str(dated["root"])) / folder)
        result = engine.ask("a red circle -square, 2023", filters=Filters(folders=(scope,)))
        assert result.query.date_phrase == "2023" and result.query.not_texts == ("square",)
        assert result.available < 200
        assert all(h.path.startswith(scope) for h in result.hits)
        wanted = {
            p for p, t in photos.items() if t == ("red", "circle", 2023) and p.startswith(scope)
        }
        if wanted:
            assert {h.path for h in result.hits} == wanted
        else:
            assert result.verdict == "no_good_match"
