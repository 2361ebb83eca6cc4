"""The services the window is built from, made once by ``app.py`` and handed down.

No singletons: a test builds its own :class:`Services` around a temporary home, and every timing
or pool size that a test wants to shorten is a field here.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field, replace
from pathlib import Path

from desktop_album.core.embedding import ClipModel
from desktop_album.core.pack_store import PackStore
from desktop_album.core.paths import AppPaths
from desktop_album.core.query_text import ui_language
from desktop_album.core.settings import Settings
from desktop_album.core.thumbnails import ThumbnailCache
from desktop_album.gui.records import ModelChoice

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Tuning:
    """Sizes and delays; tests shrink them. All times in milliseconds."""

    search_debounce_ms: int = 300
    refresh_coalesce_ms: int = 300  # library changes within this become one view refresh
    batch_size: int = 32
    decode_threads: int = 2
    thumbnail_threads: int = 2
    thumbnail_size: int = 256  # what the indexer writes to the disk cache
    ram_cache_mb: int = 256
    search_k: int = 200
    warm_up_text_tower: bool = True
    watch_folders: bool = True  # follow changes made on disk while the window is open
    # A burst of changes is handed on after this much quiet. Keep it over watchdog's 0.5 s
    # wait for the second half of a rename, or a move into a new folder looks like a copy.
    watch_debounce_ms: int = 1000
    watch_polling: bool = False  # poll every folder instead of native events
    watch_polling_interval_ms: int = 30_000  # how often a polled folder is listed
    availability_interval_ms: int = 5000  # how often roots are checked for being unplugged
    things_vocabulary: Path | None = None  # the things' vocabulary (tests: the shapes' own)


@dataclass
class Services:
    """Paths, settings and caches shared by the window and its workers.

    ``settings`` is owned by the GUI thread: workers receive copies of the values they need.
    """

    paths: AppPaths
    settings: Settings
    thumbnails: ThumbnailCache
    tuning: Tuning = field(default_factory=Tuning)

    @classmethod
    def create(cls, paths: AppPaths, settings: Settings, tuning: Tuning | None = None) -> Services:
        return cls(paths, settings, make_thumbnail_cache(paths, settings), tuning or Tuning())

    @property
    def library_file(self) -> Path:
        return self.paths.library_file

    def model_choice(self) -> ModelChoice:
        s = self.settings
        return ModelChoice(
            s.model, s.provider, s.threads, s.precision, self.paths.models_dir, s.language
        )

    def settings_snapshot(self) -> Settings:
        """A copy safe to hand to a background save."""
        return replace(
            self.settings,
            excluded_folders=list(self.settings.excluded_folders),
            recent_queries=list(self.settings.recent_queries),
            extra=dict(self.settings.extra),
        )


def make_thumbnail_cache(paths: AppPaths, settings: Settings) -> ThumbnailCache:
    folder = Path(settings.thumbnail_dir) if settings.thumbnail_dir else paths.thumbnails_dir
    return ThumbnailCache(folder, settings.thumbnail_cache_mb << 20)


def open_model(choice: ModelChoice) -> ClipModel:
    """Resolve and prepare the chosen pack; raises PackError (ModelMissingError) when there is
    none. Runs on the writer's thread (it reads the pack's files); the ONNX sessions themselves
    are created lazily by the model, on first use."""
    pack = PackStore(choice.models_dir).resolve(choice.model)
    return ClipModel(
        pack,
        provider=choice.provider,
        threads=choice.threads,
        precision=choice.precision,
        language=ui_language(choice.language),
    )
