"""Take a screenshot of the window showing a demo library (for the README and for reviews).

    python -m desktop_album.gui.screenshot OUT.png [--lang ko] [--query TEXT] [--sort name]
        [--thumbnail 112]
    python -m desktop_album.gui.screenshot OUT.png --duplicates near [--lang ko]

Builds a library of generated shape photos in a temporary home, indexes it with the tiny test
pack (from a source checkout: ``tests/fixtures/tiny-pack``), runs a search, waits for the
thumbnails and grabs the window. Under a headless X server::

    xvfb-run -a -s "-screen 0 1400x900x24" \\
        python -m desktop_album.gui.screenshot docs/screenshot.png
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from collections.abc import Callable, Sequence
from datetime import datetime
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QEvent, QEventLoop, QTimer

import desktop_album
from desktop_album.core.ordering import ORDERS
from desktop_album.core.paths import AppPaths
from desktop_album.core.settings import Settings
from desktop_album.gui.main_window import MainWindow
from desktop_album.gui.services import Tuning

REPO = Path(desktop_album.__file__).resolve().parents[1]
DEFAULT_PACK = REPO / "tests" / "fixtures" / "tiny-pack"
QUERIES = {"en": "a red circle", "ko": "빨간 원"}


def wait_until(predicate: Callable[[], bool], timeout_ms: int, what: str) -> None:
    """Run the event loop until ``predicate()`` holds; raise TimeoutError after the timeout."""
    loop = QEventLoop()
    poll, limit = QTimer(), QTimer()

    def check() -> None:
        if predicate():
            loop.quit()

    poll.timeout.connect(check)
    limit.setSingleShot(True)
    limit.timeout.connect(loop.quit)
    poll.start(20)
    limit.start(timeout_ms)
    if not predicate():
        loop.exec()
    poll.stop()
    if not predicate():
        raise TimeoutError(f"timed out waiting for {what}")


def build_demo_photos(folder: Path, count: int) -> list[Path]:
    """Two folders of generated shape photos; returns the folders."""
    from models.shapes import make_corpus  # source checkout only: the demo's photos

    folders = [folder / "Shapes 2024", folder / "Shapes 2025"]
    make_corpus(folders[0], count // 2, seed=11, size_range=(360, 640))
    make_corpus(folders[1], count - count // 2, seed=12, size_range=(360, 640))
    # Spread the photos over their folder's year (their file dates), for a timeline.
    for year, folder in zip((2024, 2025), folders, strict=True):
        for number, photo in enumerate(sorted(folder.iterdir())):
            moment = datetime(year, number % 12 + 1, number * 7 % 27 + 1, 12).timestamp()
            os.utime(photo, (moment, moment))
    return folders


def capture(
    out: Path,
    language: str,
    pack: Path,
    query: str,
    count: int,
    size: str,
    sort: str = "",
    duplicates: str = "",
    thumbnail: int = 0,
) -> None:
    from desktop_album.app import create_window, make_application

    width, height = (int(v) for v in size.lower().split("x"))
    with tempfile.TemporaryDirectory(prefix="desktop-album-shot-") as temp:
        root = Path(temp)
        paths = AppPaths(data=root / "data", config=root / "config", cache=root / "cache")
        if duplicates:
            from tests.dup_corpus import make_review_demo  # source checkout only, as above

            folders = [root / "Pictures"]
            count = len(make_review_demo(folders[0]))
        else:
            folders = build_demo_photos(root / "Pictures", count)
        app = make_application([], language)
        settings = Settings(model=str(pack), provider="cpu", language=language)
        window: MainWindow = create_window(paths, settings, Tuning(), rescan_on_start=False)
        window.resize(width, height)
        window.show()
        window.start()
        wait_until(lambda: window.model_status.available, 30_000, "the model")
        window.add_folders([str(f) for f in folders])
        wait_until(
            lambda: not window.index.busy and len(window.photos.ids()) == count,
            120_000,
            "indexing",
        )
        if duplicates:
            _show_duplicates(window, duplicates, app)
        elif sort:
            options = window.search_options.sort
            options.setCurrentIndex(options.findData(sort))
        if thumbnail:
            window.browse_prefs.slider.slider.setValue(thumbnail)
        if not duplicates:
            shown: list[str] = []
            window.resultsShown.connect(lambda result: shown.append(result.query))
            window.search_bar.setText(query)
            window.search_bar.returnPressed.emit()
            wait_until(lambda: query.strip() in shown, 30_000, "the search")
            window.grid.setCurrentIndex(window.photos.index(window.photos.first_photo_row(), 0))
            window.grid.setFocus()
        save_window(app, window, out)


def save_window(app: QCoreApplication, window: MainWindow, out: Path) -> None:
    """Once the thumbnails are in, write the window to ``out`` and close it."""
    window.statusBar().clearMessage()
    wait_until(lambda: not window.loader.busy, 30_000, "thumbnails")
    for _ in range(5):
        app.processEvents()
    out.parent.mkdir(parents=True, exist_ok=True)
    if not window.grab().save(str(out)):
        raise OSError(f"could not write {out}")
    window.close()
    # Delete the window while Qt still runs, not during interpreter shutdown.
    window.deleteLater()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)


def _show_duplicates(window: MainWindow, tier: str, app: object) -> None:
    """Open View ▸ Duplicates on ``tier`` and wait for its groups and thumbnails."""
    view = window.duplicates
    reviews: list[object] = []
    view.reviewShown.connect(reviews.append)
    view.action.trigger()
    wait_until(lambda: bool(reviews), 60_000, "the duplicate groups")
    view.select_tier(tier)
    wait_until(lambda: not view.loader.busy, 30_000, "the duplicates' thumbnails")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m desktop_album.gui.screenshot")
    parser.add_argument("out", type=Path, help="PNG file to write")
    parser.add_argument("--lang", choices=("en", "ko"), default="en")
    parser.add_argument("--pack", type=Path, default=DEFAULT_PACK, help="model pack folder")
    parser.add_argument("--query", help="search text (default: a red circle, in the language)")
    parser.add_argument("--count", type=int, default=80, help="demo photos")
    parser.add_argument("--size", default="1280x800", help="window size, WxH")
    parser.add_argument("--sort", choices=ORDERS, default="")
    parser.add_argument("--thumbnail", type=int, default=0, help="thumbnail size in pixels")
    parser.add_argument(
        "--duplicates",
        choices=("exact", "near", "similar"),
        default="",
        help="show View ▸ Duplicates on this tier (a demo library with duplicates)",
    )
    args = parser.parse_args(argv)
    if not (args.pack / "config.json").is_file():
        print(f"No model pack at {args.pack}; pass --pack DIR.", file=sys.stderr)
        return 2
    query = args.query if args.query is not None else QUERIES[args.lang]
    capture(
        args.out,
        args.lang,
        args.pack,
        query,
        args.count,
        args.size,
        args.sort,
        args.duplicates,
        args.thumbnail,
    )
    print(args.out)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
