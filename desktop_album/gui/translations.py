"""Finding the app's resources and installing the UI language.

Compiled translations (``.qm``) and the app icon ship inside the package, under
``desktop_album/data/``, so one lookup works from a source checkout, an installed wheel and a
frozen (PyInstaller) app alike. The ``.ts`` sources live in ``resources/translations/``.
"""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

import desktop_album

LANGUAGE_NAMES = {"system": "", "en": "English", "ko": "한국어"}


def data_dir() -> Path:
    """``desktop_album/data`` of this installation (inside the bundle when frozen)."""
    frozen = getattr(sys, "_MEIPASS", None)
    if frozen:
        candidate = Path(frozen) / "desktop_album" / "data"
        if candidate.is_dir():
            return candidate
    return Path(desktop_album.__file__).resolve().parent / "data"


def icon_file(name: str = "desktop-album") -> Path | None:
    """An SVG icon shipped in ``desktop_album/data/icons``, or None when it is missing."""
    path = data_dir() / "icons" / f"{name}.svg"
    return path if path.is_file() else None


def effective_language(setting: str, locale: QLocale | None = None) -> str:
    """``en`` or ``ko``: the setting, or the system's language when it is "system"."""
    if setting in ("en", "ko"):
        return setting
    name = (locale or QLocale.system()).name()
    return "ko" if name.lower().startswith("ko") else "en"


def ui_language(setting: str, locale: QLocale | None = None) -> str:
    """The user's language, e.g. "ko" or "ja_JP": the setting, else the system's.

    Unlike :func:`effective_language` this is not limited to the translations the app has:
    it picks the model to recommend, and a Japanese user wants a multilingual model even
    while the window speaks English.
    """
    if setting and setting != "system":
        return setting
    return (locale or QLocale.system()).name()


def install_translators(app: QCoreApplication, setting: str) -> list[QTranslator]:
    """Install the app's and Qt's own translations for the language; keep the returned list
    alive as long as the app (a collected QTranslator is uninstalled)."""
    language = effective_language(setting)
    if language == "en":
        return []
    installed = []
    ours = QTranslator(app)
    if ours.load(f"desktop_album_{language}", str(data_dir() / "translations")):
        app.installTranslator(ours)
        installed.append(ours)
    qt_dir = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    qt_own = QTranslator(app)
    if qt_own.load(f"qtbase_{language}", qt_dir):  # standard buttons, file dialogs
        app.installTranslator(qt_own)
        installed.append(qt_own)
    QLocale.setDefault(QLocale(language))
    return installed
