"""Searching in the window as a person does: only the matching photos, date words as chips,
negatives, "No good matches", the sidebar's folder as the scope, and date order with headers."""

from __future__ import annotations

import os
import shutil
from datetime import datetime
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from desktop_album.core.settings import Settings
from desktop_album.gui.main_window import MainWindow
from desktop_album.gui.records import ResultSet
from tests.gui.helpers import CORPUS_SIZE, drop, names, shape_of, wait_indexed

OLD = datetime(2023, 6, 15, 12, 0).timestamp()


@pytest.fixture
def indexed(make_window, settings: Settings, photo_folder: Path, qtbot) -> MainWindow:
    """The corpus, with one of its two red circles taken (by its file's date) in June 2023."""
    (red_2023,) = [p for p in photo_folder.iterdir() if p.name.startswith("red_circle")][:1]
    os.utime(red_2023, (OLD, OLD))
    window = make_window(settings)
    qtbot.waitUntil(lambda: window.model_status.available, timeout=10_000)
    assert drop(window, [photo_folder])
    wait_indexed(qtbot, window, CORPUS_SIZE)
    return window


def type_query(qtbot, window: MainWindow, text: str) -> ResultSet:
    with qtbot.waitSignal(
        window.resultsShown, timeout=15_000, check_params_cb=lambda r: r.query == text.strip()
    ) as shown:
        window.search_bar.setText(text)
        qtbot.keyClick(window.search_bar, Qt.Key.Key_Return)
    result: ResultSet = shown.args[0]
    return result


def test_a_query_shows_the_matching_photos_only_in_english_and_korean(
    indexed: MainWindow, qtbot
) -> None:
    for text in ("a red circle", "빨간 원"):
        result = type_query(qtbot, indexed, text)
        assert result.verdict == "matches"
        assert {shape_of(n) for n in names(indexed)} == {"red_circle"}, names(indexed)
        assert len(names(indexed)) == 2  # both of the class, and nothing else
        assert "2" in indexed.header.text() and text in indexed.header.text()


def test_nonsense_says_no_good_matches_and_shows_only_the_closest_few(
    indexed: MainWindow, qtbot
) -> None:
    result = type_query(qtbot, indexed, "zxqv glorp")
    assert result.verdict == "no_good_match"
    assert "No good matches" in indexed.header.text()
    assert 0 < len(names(indexed)) <= 5


def test_a_date_typed_in_the_search_is_a_chip_that_can_be_removed(
    indexed: MainWindow, qtbot
) -> None:
    type_query(qtbot, indexed, "빨간 원 2023년")
    assert [shape_of(n) for n in names(indexed)] == ["red_circle"]  # only the 2023 one
    chips = indexed.search_options.chips()
    assert [c.objectName() for c in chips] == ["chip-date"]
    assert "2023년" in chips[0].text()

    with qtbot.waitSignal(indexed.resultsShown, timeout=15_000):
        chips[0].click()
    assert indexed.search_bar.text() == "빨간 원"
    assert len(names(indexed)) == 2
    assert indexed.search_options.chips() == []


def test_a_negative_term_moves_out_of_the_results_and_shows_as_a_chip(
    indexed: MainWindow, qtbot
) -> None:
    type_query(qtbot, indexed, "a red circle -square")
    assert "square" not in " ".join(names(indexed))
    chips = indexed.search_options.chips()
    assert [c.objectName() for c in chips] == ["chip-not"] and "square" in chips[0].text()


def test_the_sidebar_folder_scopes_the_search(
    indexed: MainWindow, photo_folder: Path, tmp_path: Path, qtbot
) -> None:
    window = indexed
    other = tmp_path / "More"
    other.mkdir()
    for source in photo_folder.glob("red_circle*"):
        shutil.copy2(source, other / f"copy_{source.name}")
    assert drop(window, [other])
    qtbot.waitUntil(lambda: len(window.sidebar.roots) == 2, timeout=15_000)
    wait_indexed(qtbot, window, CORPUS_SIZE + 2)

    type_query(qtbot, window, "a red circle")
    assert len(names(window)) == 4  # both folders
    more = next(r for r in window.sidebar.roots if r.path == str(other.resolve()))
    with qtbot.waitSignal(window.resultsShown, timeout=15_000):
        window.sidebar.select_root_id(more.id)
    assert sorted(names(window)) == sorted(p.name for p in other.iterdir())
    chips = window.search_options.chips()
    assert [c.objectName() for c in chips] == ["chip-folder"]
    with qtbot.waitSignal(window.resultsShown, timeout=15_000):
        chips[0].click()  # back to the whole library
    assert len(names(window)) == 4


def test_date_order_has_date_headers_and_browsing_is_a_timeline(indexed: MainWindow, qtbot) -> None:
    window = indexed
    with qtbot.waitSignal(window.resultsShown, timeout=15_000):
        window.search_options.sort.setCurrentIndex(2)  # oldest first
    assert window.photos.kind == "browse"
    assert "oldest first" in window.header.text()
    headers = window.photos.headers()
    assert headers[0][1].startswith("2023")  # the June 2023 photo opens the timeline
    assert len(headers) == 2
    first_photo = window.photos.photo(window.photos.first_photo_row())
    assert first_photo is not None and first_photo.name.startswith("red_circle")
