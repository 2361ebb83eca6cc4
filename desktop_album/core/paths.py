"""Where Desktop Album keeps its files, from platformdirs (so each OS gets its native places).

Every location can be overridden with the ``DESKTOP_ALBUM_HOME`` environment variable, which puts
data, config and cache under one folder: tests and portable installs use it.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import platformdirs

APP_NAME = "desktop-album"


@dataclass(frozen=True)
class AppPaths:
    """The folders the app writes to. Nothing is created until asked for."""

    data: Path
    config: Path
    cache: Path

    @classmethod
    def default(cls) -> AppPaths:
        home = os.environ.get("DESKTOP_ALBUM_HOME")
        if home:
            root = Path(home).expanduser()
            return cls(data=root / "data", config=root / "config", cache=root / "cache")
        return cls(
            data=Path(platformdirs.user_data_dir(APP_NAME, appauthor=False)),
            config=Path(platformdirs.user_config_dir(APP_NAME, appauthor=False)),
            cache=Path(platformdirs.user_cache_dir(APP_NAME, appauthor=False)),
        )

    @property
    def library_file(self) -> Path:
        return self.data / "library.db"

    @property
    def models_dir(self) -> Path:
        """Installed model packs, one folder each, named by the pack's catalog name."""
        return self.data / "models"

    @property
    def settings_file(self) -> Path:
        return self.config / "settings.json"

    @property
    def log_dir(self) -> Path:
        """Where the details of a bug (a traceback) are written for the user to send."""
        return self.data / "log"

    @property
    def thumbnails_dir(self) -> Path:
        return self.cache / "thumbnails"
