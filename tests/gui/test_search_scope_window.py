"""Searching inside an album, Favourites or a thing in the window, and the sidebar's Things:
the search runs inside what the sidebar chose, its chip shows it, removing the chip searches
the whole library; Things lists the model's tags with counts and opens their photos; the info
panel shows a photo's things."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from desktop_album.core import albums
from desktop_album.core.library import Library
from desktop_album.core.settings import Settings
from desktop_album.core.things import photos_with_tag
from desktop_album.gui.main_window import MainWindow
from desktop_album.gui.records import ResultSet
from tests.gui.helpers import CORPUS_SIZE, FAST, drop, names, shape_of, wait_indexed

SHAPES_VOCABULARY = Path(__file__).parents[1] / "fixtures" / "things-shapes.json"
TIMEOUT = 15_000


def open_indexed(make_window, settings: Settings, photo_folder: Path, qtbot) -> MainWindow:
    """The corpus indexed; its photos sorted into the shapes' own things (by the writer, after
    indexing); an album "Trip" of the red photos and the blue ones as favourites."""
    window = make_window(settings, replace(FAST, things_vocabulary=SHAPES_VOCABULARY))
    qtbot.waitUntil(lambda: window.model_status.available, timeout=10_000)
    assert drop(window, [photo_folder])
    wait_indexed(qtbot, window, CORPUS_SIZE)
    by_name = {Path(r.path).name: r.id for r in window.photos.photos()}

    def prepare(library: Library) -> None:  # on the writer, as a window action runs
        trip = albums.create_album(library, "Trip")
        albums.add_to_album(library, trip.id, [i for n, i in by_name.items() if "red_" in n])
        albums.set_favourite(library, [i for n, i in by_name.items() if "blue_" in n], True)

    # The library changed: the sidebar's albums and Things are read again by themselves.
    window.index.run_action(prepare)
    qtbot.waitUntil(
        lambda: (
            bool(window.scope.things.entries)
            and any(a.name == "Trip" for a in window.library.album_list._albums)
        ),
        timeout=TIMEOUT,
    )
    return window


@pytest.fixture
def indexed(make_window, settings: Settings, photo_folder: Path, qtbot) -> MainWindow:
    return open_indexed(make_window, settings, photo_folder, qtbot)


def type_query(qtbot, window: MainWindow, text: str) -> ResultSet:
    with qtbot.waitSignal(
        window.resultsShown, timeout=TIMEOUT, check_params_cb=lambda r: r.query == text.strip()
    ) as shown:
        window.search_bar.setText(text)
        qtbot.keyClick(window.search_bar, Qt.Key.Key_Return)
    result: ResultSet = shown.args[0]
    return result


def chip_names(window: MainWindow) -> list[str]:
    return [c.objectName() for c in window.search_options.chips()]


def test_a_search_runs_inside_the_chosen_album_until_its_chip_is_removed(
    indexed: MainWindow, qtbot
) -> None:
    window = indexed
    (trip,) = [a for a in window.library.album_list._albums if a.name == "Trip"]
    with qtbot.waitSignal(window.resultsShown, timeout=TIMEOUT):
        window.library.album_list.select(trip.id)
    assert len(names(window)) == 10 and all(n.startswith("red_") for n in names(window))

    result = type_query(qtbot, window, "a circle")
    assert result.ids and all(n.startswith("red_") for n in names(window)), names(window)
    assert chip_names(window) == ["chip-album"]
    assert "Trip" in window.search_options.chips()[0].text()

    with qtbot.waitSignal(window.resultsShown, timeout=TIMEOUT):
        window.search_options.chips()[0].click()  # the whole library again
    assert window.search_bar.text() == "a circle"
    assert chip_names(window) == []
    assert {shape_of(n) for n in names(window)} - {"red_circle", "red_square", "red_triangle"}
    assert window.library.album_list.current_id() is None


def test_favourites_scope_the_search_and_an_empty_bar_browses_them(
    indexed: MainWindow, qtbot
) -> None:
    window = indexed
    with qtbot.waitSignal(window.resultsShown, timeout=TIMEOUT):
        window.library.album_list.select(-1)  # Favourites
    result = type_query(qtbot, window, "a red circle")
    assert result.ids and all(n.startswith("blue_") for n in names(window))
    assert chip_names(window) == ["chip-favourites"]
    # Clearing the text: all the favourites, still with the chip.
    with qtbot.waitSignal(window.resultsShown, timeout=TIMEOUT):
        window.search_bar.setText("")
        qtbot.keyClick(window.search_bar, Qt.Key.Key_Return)
    assert len(names(window)) == 10 and all(n.startswith("blue_") for n in names(window))
    assert chip_names(window) == ["chip-favourites"]


def test_things_list_their_counts_and_open_their_photos(
    indexed: MainWindow, settings: Settings, qtbot
) -> None:
    window = indexed
    entries = window.scope.things.entries
    assert entries, "the Things list is empty"
    counts = [e.count for e in entries]
    assert counts == sorted(counts, reverse=True)
    library = Library.open_reader(str(window.services.library_file))
    try:
        model_id = window.scope.model_id
        assert model_id is not None
        tagged = set(photos_with_tag(library, model_id, "red_circle"))
    finally:
        library.close()
    red = next(e for e in entries if e.tag == "red_circle")
    assert red.name == "red circle" and red.count == len(tagged) > 0
    item = window.scope.things.item(entries.index(red))
    assert item is not None and item.text() == f"red circle  ({len(tagged)})"

    with qtbot.waitSignal(window.resultsShown, timeout=TIMEOUT):
        window.scope.things.setCurrentItem(item)  # a click on it
    assert {r.id for r in window.photos.photos()} == tagged
    assert chip_names(window) == ["chip-thing"]
    assert window.search_options.chips()[0].text().startswith("#red circle")

    # A search typed now runs within the thing.
    type_query(qtbot, window, "a blue square")
    assert {r.id for r in window.photos.photos()} <= tagged
    assert chip_names(window) == ["chip-thing"]


def test_the_info_panel_shows_a_photos_things_as_links(indexed: MainWindow, qtbot) -> None:
    window = indexed
    type_query(qtbot, window, "a red circle")
    window.info_action.setChecked(True)
    panel = window.library.info
    with qtbot.waitSignal(panel.thingsShown, timeout=TIMEOUT):
        window.grid.setCurrentIndex(window.photos.index(0, 0))
    assert "red circle" in panel.things_label.text()
    assert 'href="red_circle"' in panel.things_label.text()
    with qtbot.waitSignal(window.resultsShown, timeout=TIMEOUT):
        panel.things_label.linkActivated.emit("red_circle")  # a click on the link
    assert window.scope.things.current_tag() == "red_circle"
    assert chip_names(window) == ["chip-thing"]


def test_a_typed_tag_filters_and_an_unknown_one_is_told(indexed: MainWindow, qtbot) -> None:
    window = indexed
    result = type_query(qtbot, window, "#red_circle")
    assert result.ids and {shape_of(n) for n in names(window)} <= {"red_circle"}
    assert chip_names(window) == ["chip-tag"]
    result = type_query(qtbot, window, "#xyzzy a circle")
    assert result.verdict == "unknown_tag"
    assert "No thing called “xyzzy”" in window.header.text()
    assert names(window) == []


def test_korean_things_in_a_korean_window(
    make_window, settings: Settings, photo_folder: Path, qtbot
) -> None:
    window = open_indexed(make_window, replace(settings, language="ko"), photo_folder, qtbot)
    names_shown = {e.tag: e.name for e in window.scope.things.entries}
    assert names_shown.get("red_circle") == "빨간 원"
    result = type_query(qtbot, window, "#빨간_원")
    assert result.ids and {shape_of(n) for n in names(window)} <= {"red_circle"}
