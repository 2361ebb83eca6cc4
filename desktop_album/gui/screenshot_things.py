"""A screenshot of the sidebar's Things and a search inside an album, with its chip.

    python -m desktop_album.gui.screenshot_things OUT.png [--lang ko]

From a source checkout (like ``screenshot.py``): generated shape photos indexed with the tiny
test pack, sorted into the shapes' own things (``tests/fixtures/things-shapes.json``: the app's
vocabulary knows beaches and food, not red circles), an album "Trip" of the red photos, and a
search typed while that album is chosen. Everything is written through the library writer.
"""

from __future__ import annotations

import argparse
import tempfile
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

from PySide6.QtWidgets import QSplitter

from desktop_album.core import albums
from desktop_album.core.library import Library
from desktop_album.core.paths import AppPaths
from desktop_album.core.settings import Settings
from desktop_album.gui.main_window import MainWindow
from desktop_album.gui.screenshot import (
    DEFAULT_PACK,
    REPO,
    build_demo_photos,
    save_window,
    wait_until,
)
from desktop_album.gui.services import Tuning

SHAPES_VOCABULARY = REPO / "tests" / "fixtures" / "things-shapes.json"
QUERIES = {"en": "a circle", "ko": "원"}
ALBUMS = {"en": "Trip", "ko": "여행"}


def capture(out: Path, language: str, pack: Path, size: str) -> None:
    from desktop_album.app import create_window, make_application
    from desktop_album.core.embedding import ClipModel
    from desktop_album.core.packs import load_pack
    from desktop_album.core.things import compute_tags, load_vocabulary

    width, height = (int(v) for v in size.lower().split("x"))
    with tempfile.TemporaryDirectory(prefix="desktop-album-shot-") as temp:
        root = Path(temp)
        paths = AppPaths(data=root / "data", config=root / "config", cache=root / "cache")
        folders = build_demo_photos(root / "Pictures", 80)
        app = make_application([], language)
        settings = Settings(model=str(pack), provider="cpu", language=language)
        tuning = replace(Tuning(), things_vocabulary=SHAPES_VOCABULARY)
        window: MainWindow = create_window(paths, settings, tuning, rescan_on_start=False)
        window.resize(width, height)
        window.show()
        window.start()
        wait_until(lambda: window.model_status.available, 30_000, "the model")
        window.add_folders([str(f) for f in folders])
        wait_until(
            lambda: not window.index.busy and len(window.photos.ids()) == 80, 120_000, "indexing"
        )
        red = [r.id for r in window.photos.photos() if Path(r.path).name.startswith("red_")]
        model = ClipModel(load_pack(pack))
        done: list[object] = []

        def prepare(library: Library) -> None:
            compute_tags(library, model, load_vocabulary(SHAPES_VOCABULARY))
            trip = albums.create_album(library, ALBUMS[language])
            albums.add_to_album(library, trip.id, red)
            done.append(trip.id)

        window.index.run_action(prepare)
        wait_until(lambda: bool(done), 60_000, "tags and the album")
        read: list[object] = []
        window.scope.thingsRead.connect(read.append)
        window.library.sidebarRead.connect(read.append)
        window.scope.read()
        window.library.read_sidebar()
        wait_until(lambda: len(read) >= 2, 30_000, "the sidebar")
        shown: list[str] = []
        window.resultsShown.connect(lambda result: shown.append(result.query))
        window.library.album_list.select(int(done[0]))  # type: ignore[call-overload]
        wait_until(lambda: len(shown) >= 1, 30_000, "the album")
        query = QUERIES[language]
        window.search_bar.setText(query)
        window.search_bar.returnPressed.emit()
        wait_until(lambda: query in shown, 30_000, "the search")
        column = window.splitter.widget(0)
        if isinstance(column, QSplitter):
            column.setSizes([130, 170, 150, 330])
        window.info_action.setChecked(True)
        things_shown: list[int] = []
        window.library.info.thingsShown.connect(things_shown.append)
        window.grid.setCurrentIndex(window.photos.index(window.photos.first_photo_row(), 0))
        window.grid.setFocus()
        wait_until(lambda: bool(things_shown), 30_000, "the photo's things")
        save_window(app, window, out)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m desktop_album.gui.screenshot_things")
    parser.add_argument("out", type=Path, help="PNG file to write")
    parser.add_argument("--lang", choices=("en", "ko"), default="en")
    parser.add_argument("--pack", type=Path, default=DEFAULT_PACK, help="model pack folder")
    parser.add_argument("--size", default="1400x900", help="window size, WxH")
    args = parser.parse_args(argv)
    capture(args.out, args.lang, args.pack, args.size)
    print(args.out)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
