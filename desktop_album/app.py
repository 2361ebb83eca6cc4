"""The composition root of the window: services, QApplication, translators, main window.

Everything the GUI uses is built here once and handed down; nothing is a global.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Sequence

from PySide6.QtCore import QCoreApplication, QEvent
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication

from desktop_album import __version__
from desktop_album.core.paths import AppPaths
from desktop_album.core.settings import Settings
from desktop_album.gui.main_window import MainWindow, build_window
from desktop_album.gui.services import Services, Tuning
from desktop_album.gui.translations import icon_file, install_translators

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


def main(argv: Sequence[str] | None = None) -> int:
    """Open the window; returns the exit code when it closes."""
    args = list(sys.argv[1:] if argv is None else argv)
    paths = AppPaths.default()
    settings = Settings.load(paths.settings_file)
    app = make_application(args, settings.language)
    window = create_window(paths, settings)
    window.show()
    window.start()
    code = app.exec()
    # Delete the window while Qt still runs, not during interpreter shutdown.
    window.deleteLater()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    return int(code)


if __name__ == "__main__":
    raise SystemExit(main())
