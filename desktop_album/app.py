"""The composition root of the window: services, QApplication, translators, main window.

Everything the GUI uses is built here once and handed down; nothing is a global.
"""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QEvent
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication

from desktop_album import __version__
from desktop_album.core.paths import AppPaths
from desktop_album.core.settings import Settings
from desktop_album.gui.main_window import MainWindow, build_window
from desktop_album.gui.services import Services, Tuning
from desktop_album.gui.smoke import SmokeRun
from desktop_album.gui.translations import icon_file, install_translators
from desktop_album.xcb_check import xcb_problem

log = logging.getLogger(__name__)

ORGANIZATION = "Desktop Album"
APP_NAME = "Desktop Album"


def make_application(argv: Sequence[str], language: str) -> QApplication:
    """The QApplication (reused when one exists, as under pytest-qt), named, iconed, translated."""
    existing = QApplication.instance()
    app = existing if isinstance(existing, QApplication) else QApplication([sys.argv[0], *argv])
    app.setApplicationName(APP_NAME)
    app.setOrganizationName(ORGANIZATION)
    app.setApplicationVersion(__version__)
    app.setDesktopFileName("desktop-album")
    icon = icon_file()
    if icon is not None:
        app.setWindowIcon(QIcon(str(icon)))
    # Kept on the app object: a collected QTranslator stops translating.
    app.setProperty("desktopAlbumLanguage", language)
    app._desktop_album_translators = install_translators(app, language)  # type: ignore[attr-defined]
    return app


def create_window(
    paths: AppPaths | None = None,
    settings: Settings | None = None,
    tuning: Tuning | None = None,
    rescan_on_start: bool = True,
) -> MainWindow:
    """Build the services and the window (needs a QApplication); call ``start()`` on it."""
    paths = paths or AppPaths.default()
    settings = settings or Settings.load(paths.settings_file)
    services = Services.create(paths, settings, tuning)
    return build_window(services, rescan_on_start=rescan_on_start)


def parse_arguments(argv: Sequence[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="desktop-album", add_help=False)
    parser.add_argument("paths", nargs="*", help="folders to add, or an image to find photos like")
    parser.add_argument("--smoke-test", metavar="FOLDER", help=argparse.SUPPRESS)
    parser.add_argument("--smoke-report", metavar="FILE", help=argparse.SUPPRESS)
    parser.add_argument("--smoke-query", default="a red circle", help=argparse.SUPPRESS)
    parser.add_argument("--smoke-timeout", type=float, default=120.0, help=argparse.SUPPRESS)
    args, _qt_args = parser.parse_known_args(list(argv))
    return args


def open_paths(window: MainWindow, paths: Sequence[str]) -> None:
    """What "Open with Desktop Album" hands over: folders are added, an image is searched by."""
    folders = [p for p in paths if Path(p).is_dir()]
    images = [p for p in paths if Path(p).is_file()]
    if folders:
        window.add_folders([str(Path(f).resolve()) for f in folders])
    if images:
        window.find_similar_to_file(str(Path(images[0]).resolve()))


def main(argv: Sequence[str] | None = None) -> int:
    """Open the window; returns the exit code when it closes."""
    args = parse_arguments(sys.argv[1:] if argv is None else argv)
    problem = xcb_problem()
    if problem is not None:  # Qt would abort with a message that does not say what to install
        sys.stderr.write(problem + "\n")
        return 2
    paths = AppPaths.default()
    settings = Settings.load(paths.settings_file)
    app = make_application([], settings.language)
    window = create_window(paths, settings)
    window.show()
    window.start()
    smoke = None
    if args.smoke_test:
        report = Path(args.smoke_report) if args.smoke_report else None
        smoke = SmokeRun(
            window, Path(args.smoke_test).resolve(), args.smoke_query, report, args.smoke_timeout
        )
        smoke.start()
    elif args.paths:
        open_paths(window, args.paths)
    code = app.exec()
    # Delete the window while Qt still runs, not during interpreter shutdown.
    window.deleteLater()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    return smoke.code if smoke is not None else int(code)


if __name__ == "__main__":
    raise SystemExit(main())
