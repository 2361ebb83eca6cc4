"""The catalog of model packs the app can download, shipped as ``desktop_album/data/catalog.json``.

Sizes and checksums are ``None`` where nobody measured the published file: the downloader then
checks the checksum the server publishes instead. A guessed hash would only turn every download
into a checksum error, so the catalog never holds one.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, replace
from importlib import resources
from pathlib import Path
from typing import Any

from desktop_album.core.errors import PackError

_SHA256 = re.compile(r"[0-9a-f]{64}")


@dataclass(frozen=True)
class CatalogFile:
    """One file of a pack: where it goes inside the pack folder and where it comes from."""

    path: str  # relative, with forward slashes: "visual/model.onnx"
    url: str
    size: int | None = None  # bytes
    sha256: str | None = None  # lower-case hex


@dataclass(frozen=True)
class CatalogEntry:
    """A downloadable pack."""

    name: str  # also the folder name once installed, and the model id of its embeddings
    title: str
    description: str
    languages: tuple[str, ...]  # ISO 639-1 codes of the query languages it handles well
    embed_dim: int
    license: str
    homepage: str
    files: tuple[CatalogFile, ...]
    default: bool = False
    text_prefix: str = ""
    prompt_templates: tuple[str, ...] = ()

    @property
    def size(self) -> int | None:
        """Total bytes to download, or None when any file's size is unknown."""
        sizes = [f.size for f in self.files]
        return None if any(s is None for s in sizes) else sum(s for s in sizes if s is not None)

    def supports_language(self, code: str) -> bool:
        return code.split("-")[0].lower() in self.languages

    def with_base_url(self, base_url: str) -> CatalogEntry:
        """The same pack with every file fetched from ``<base_url>/<path>`` (mirrors, tests)."""
        base = base_url.rstrip("/")
        files = tuple(CatalogFile(f.path, f"{base}/{f.path}", f.size, f.sha256) for f in self.files)
        return replace(self, files=files)


@dataclass(frozen=True)
class Catalog:
    """All downloadable packs, in the order the catalog lists them."""

    entries: tuple[CatalogEntry, ...]

    def __iter__(self) -> Iterator[CatalogEntry]:
        return iter(self.entries)

    def names(self) -> list[str]:
        return [e.name for e in self.entries]

    def find(self, name: str) -> CatalogEntry | None:
        return next((e for e in self.entries if e.name == name), None)

    def get(self, name: str) -> CatalogEntry:
        entry = self.find(name)
        if entry is None:
            raise PackError(
                f"There is no model called '{name}' in the catalog; "
                f"available: {', '.join(self.names())}."
            )
        return entry

    def default(self) -> CatalogEntry:
        return next((e for e in self.entries if e.default), self.entries[0])


def load_catalog(path: Path | None = None) -> Catalog:
    """Read the shipped catalog (or ``path``); raise PackError naming the first bad field."""
    if path is None:
        text = resources.files("desktop_album").joinpath("data/catalog.json").read_text("utf-8")
        where = "desktop_album/data/catalog.json"
    else:
        text, where = path.read_text(encoding="utf-8"), str(path)
    try:
        raw = json.loads(text)
    except json.JSONDecodeError as exc:
        raise PackError(f"The model catalog {where} is not valid JSON: {exc}.") from exc
    packs = raw.get("packs") if isinstance(raw, dict) else None
    if not isinstance(packs, list) or not packs:
        raise PackError(f"The model catalog {where} lists no packs.")
    entries = tuple(_entry(item, where) for item in packs)
    if len({e.name for e in entries}) != len(entries):
        raise PackError(f"The model catalog {where} lists a pack name twice.")
    return Catalog(entries)


def _entry(item: Any, where: str) -> CatalogEntry:
    if not isinstance(item, dict) or not isinstance(item.get("name"), str):
        raise PackError(f"{where}: every pack needs a name.")
    name: str = item["name"]

    def text(key: str, default: str | None = None) -> str:
        value = item.get(key, default)
        if not isinstance(value, str):
            raise PackError(f"{where}: pack '{name}' needs a text '{key}'.")
        return value

    def strings(key: str) -> tuple[str, ...]:
        value = item.get(key, [])
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise PackError(f"{where}: pack '{name}': '{key}' must be a list of strings.")
        return tuple(value)

    dim = item.get("embed_dim")
    if not isinstance(dim, int) or isinstance(dim, bool) or dim <= 0:
        raise PackError(f"{where}: pack '{name}' needs a positive embed_dim.")
    base = text("base_url").rstrip("/")
    files = item.get("files")
    if not isinstance(files, list) or not files:
        raise PackError(f"{where}: pack '{name}' lists no files.")
    return CatalogEntry(
        name=name,
        title=text("title", name),
        description=text("description", ""),
        languages=strings("languages"),
        embed_dim=dim,
        license=text("license", "see the model card"),
        homepage=text("homepage", ""),
        files=tuple(_file(f, base, name, where) for f in files),
        default=item.get("default") is True,
        text_prefix=text("text_prefix", ""),
        prompt_templates=strings("prompt_templates"),
    )


def _file(item: Any, base: str, pack: str, where: str) -> CatalogFile:
    path = item.get("path") if isinstance(item, dict) else None
    # A path that climbs out of the pack folder would let a catalog write anywhere on disk.
    if (
        not isinstance(path, str)
        or not path
        or path.startswith("/")
        or "\\" in path
        or ".." in path.split("/")
    ):
        raise PackError(f"{where}: pack '{pack}' has a file with a bad path: {path!r}.")
    size = item.get("size")
    if size is not None and (not isinstance(size, int) or isinstance(size, bool) or size < 0):
        raise PackError(f"{where}: {pack}/{path}: size must be a byte count or null.")
    sha = item.get("sha256")
    if sha is not None and (not isinstance(sha, str) or not _SHA256.fullmatch(sha.lower())):
        raise PackError(f"{where}: {pack}/{path}: sha256 must be 64 hex digits or null.")
    url = item.get("url") or f"{base}/{path}"
    if not isinstance(url, str):
        raise PackError(f"{where}: {pack}/{path}: url must be text.")
    return CatalogFile(path=path, url=url, size=size, sha256=sha.lower() if sha else None)
