"""User settings: one typed dataclass, saved as JSON under the platform's config folder.

Unknown keys in the file are kept (a newer version may have written them); invalid values fall
back to their defaults rather than stopping the app.
"""

from __future__ import annotations

import json
import os
import tempfile
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path
from typing import Any

from desktop_album.core.ordering import ORDERS

PROVIDERS = ("auto", "cpu", "cuda")
LANGUAGES = ("system", "en", "ko")
PRECISIONS = ("fp32", "int8")
THUMBNAIL_MIN, THUMBNAIL_DEFAULT, THUMBNAIL_MAX = 96, 168, 320


@dataclass
class Settings:
    """Everything the user can change. Defaults are what a new user gets."""

    model: str | None = None  # name of an installed pack, or an absolute pack folder
    provider: str = "auto"
    precision: str = "fp32"
    threads: int = 0  # 0: as many as the machine has cores
    excluded_folders: list[str] = field(default_factory=list)
    # Follow symbolic links that lead out of every root (off: a link to / must not pull in the
    # whole machine).
    follow_external_links: bool = False
    thumbnail_cache_mb: int = 1024
    thumbnail_dir: str | None = None  # None: the platform cache folder
    language: str = "system"
    recent_queries: list[str] = field(default_factory=list)
    # A Hugging Face Hub mirror to download models from (as HF_ENDPOINT names one); None: the
    # HF_ENDPOINT environment variable, else https://huggingface.co.
    hub_endpoint: str | None = None
    # How the window orders photos (core/ordering.py) and the thumbnails' size in pixels.
    sort: str = "relevance"
    thumbnail_size: int = THUMBNAIL_DEFAULT
    extra: dict[str, Any] = field(default_factory=dict, repr=False)

    def validated(self) -> Settings:
        """A copy with every out-of-range value replaced by its default."""
        default = Settings()
        copy = Settings(**{f.name: getattr(self, f.name) for f in fields(self)})
        if copy.provider not in PROVIDERS:
            copy.provider = default.provider
        if copy.precision not in PRECISIONS:
            copy.precision = default.precision
        if copy.language not in LANGUAGES:
            copy.language = default.language
        if not isinstance(copy.threads, int) or copy.threads < 0:
            copy.threads = default.threads
        if not isinstance(copy.thumbnail_cache_mb, int) or copy.thumbnail_cache_mb < 16:
            copy.thumbnail_cache_mb = default.thumbnail_cache_mb
        if not isinstance(copy.follow_external_links, bool):
            copy.follow_external_links = default.follow_external_links
        if not isinstance(copy.excluded_folders, list):
            copy.excluded_folders = []
        if copy.sort not in ORDERS:
            copy.sort = default.sort
        size = copy.thumbnail_size
        if not isinstance(size, int) or not THUMBNAIL_MIN <= size <= THUMBNAIL_MAX:
            copy.thumbnail_size = default.thumbnail_size
        copy.recent_queries = [q for q in copy.recent_queries if isinstance(q, str)][:20]
        endpoint = copy.hub_endpoint
        if not isinstance(endpoint, str) or not endpoint.startswith(("http://", "https://")):
            copy.hub_endpoint = None
        return copy

    @classmethod
    def load(cls, path: Path) -> Settings:
        try:
            raw = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return cls()
        if not isinstance(raw, dict):
            return cls()
        known = {f.name for f in fields(cls)} - {"extra"}
        values = {k: v for k, v in raw.items() if k in known}
        extra = {k: v for k, v in raw.items() if k not in known}
        try:
            return cls(**values, extra=extra).validated()
        except TypeError:
            return cls()

    def save(self, path: Path) -> None:
        """Write atomically, so a crash never leaves a half-written settings file."""
        data = asdict(self)
        data.update(data.pop("extra"))
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".settings-", suffix=".tmp")
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                json.dump(data, handle, indent=2, ensure_ascii=False)
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
