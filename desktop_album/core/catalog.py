"""The catalog of model packs the app can download, shipped as ``desktop_album/data/catalog.json``.

A pack names its Hugging Face model repository (``immich-app/<name>``); the downloader asks the
Hub for the repository's file list (paths, sizes, sha256), so the catalog keeps no file list of
its own. A hand-kept ``files`` list is still read (a plain folder on a web server, tests), and
then sizes and checksums are ``None`` where nobody measured the published file. A guessed hash
would only turn every download into a checksum error, so the catalog never holds one.

The figures (recall, memory, speed) are those immich publishes for its packs
(https://immich.app/docs/features/searching, "CLIP models"): recall on Crossmodal-3600, the
average of recall@1, @5 and @10 for text-to-image retrieval, per query language; peak memory in
MiB and execution time in ms, measured without acceleration on one desktop CPU at fp32. A figure
immich does not publish stays ``None`` and is shown as unknown, never estimated.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterator
from dataclasses import dataclass, replace
from importlib import resources
from pathlib import Path
from typing import Any

from desktop_album.core.errors import PackError

_SHA256 = re.compile(r"[0-9a-f]{64}")
_REPO = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*/[A-Za-z0-9][A-Za-z0-9._-]*")

# A pack "runs well on a CPU" when immich's execution time for it is at most this many times the
# default pack's (ViT-B/32, the fastest useful CLIP): indexing then takes minutes, not hours, on a
# laptop. 3x admits the ViT-B SigLIP 2 packs (1.5x and 2.6x) and leaves out NLLB (6.7x and more).
CPU_FRIENDLY_SLOWDOWN = 3.0


@dataclass(frozen=True)
class CatalogFile:
    """One file of a pack: where it goes inside the pack folder and where it comes from."""

    path: str  # relative, with forward slashes: "visual/model.onnx"
    url: str
    size: int | None = None  # bytes
    sha256: str | None = None  # lower-case hex
    git_oid: str | None = None  # a file kept in git: its blob id (see core/hub.py)


@dataclass(frozen=True)
class CatalogEntry:
    """A downloadable pack."""

    name: str  # also the folder name once installed, and the model id of its embeddings
    title: str
    description: str
    languages: tuple[str, ...]  # ISO 639-1 codes of the query languages it handles well
    embed_dim: int | None  # None: not recorded; the installed pack's config.json says
    license: str
    homepage: str
    files: tuple[CatalogFile, ...] = ()  # empty: ask the Hub for the repository's files
    default: bool = False
    text_prefix: str = ""
    prompt_templates: tuple[str, ...] = ()
    repo: str | None = None  # "immich-app/ViT-B-32__openai"
    revision: str = "main"
    recall: tuple[tuple[str, float], ...] = ()  # (language, immich's published recall in %)
    memory_mib: int | None = None  # immich's published peak memory
    cpu_ms: float | None = None  # immich's published execution time on a CPU
    download_bytes: int | None = None  # the pack's download size, where recorded

    @property
    def size(self) -> int | None:
        """Total bytes to download, or None when unknown before the Hub is asked."""
        if not self.files:
            return self.download_bytes
        sizes = [f.size for f in self.files]
        return None if any(s is None for s in sizes) else sum(s for s in sizes if s is not None)

    def supports_language(self, code: str) -> bool:
        return language_code(code) in self.languages

    def recall_for(self, code: str) -> float | None:
        """immich's published recall (%) for queries in this language, or None if unpublished."""
        wanted = language_code(code)
        return next((value for lang, value in self.recall if lang == wanted), None)

    def slowdown(self, baseline: CatalogEntry) -> float | None:
        """How many times longer than ``baseline`` a photo takes, from immich's figures."""
        if self.cpu_ms is None or not baseline.cpu_ms:
            return None
        return self.cpu_ms / baseline.cpu_ms

    def with_base_url(self, base_url: str) -> CatalogEntry:
        """The same pack with every file fetched from ``<base_url>/<path>`` (mirrors, tests)."""
        base = base_url.rstrip("/")
        files = tuple(replace(f, url=f"{base}/{f.path}") for f in self.files)
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

    def runs_well_on_cpu(self, entry: CatalogEntry) -> bool:
        """Whether immich's figures put ``entry`` within CPU_FRIENDLY_SLOWDOWN of the default."""
        slowdown = entry.slowdown(self.default())
        return slowdown is not None and slowdown <= CPU_FRIENDLY_SLOWDOWN

    def recommend(self, ui_language: str) -> CatalogEntry:
        """The pack to offer first to someone whose interface is in ``ui_language``.

        English: the default (fastest, smallest). Any other language: of the packs that run
        well on a CPU and understand that language, the one with the best published recall in
        it. A language no such pack has figures for is treated as Korean: a multilingual pack
        still beats an English-only one for a user who does not use English.
        """
        language = language_code(ui_language)
        if language in ("", "en", "c"):
            return self.default()
        for wanted in (language, "ko"):
            best = self._best_on_cpu(wanted)
            if best is not None:
                return best
        return self.default()

    def _best_on_cpu(self, language: str) -> CatalogEntry | None:
        scored = [
            (recall, -(entry.cpu_ms or 0.0), entry)
            for entry in self.entries
            if entry.supports_language(language)
            and self.runs_well_on_cpu(entry)
            and (recall := entry.recall_for(language)) is not None
        ]
        if not scored:
            return None
        return max(scored, key=lambda item: (item[0], item[1]))[2]


def one_decimal(value: float) -> float:
    """``value`` rounded half up to one decimal, as published tables round (70.25 -> 70.3)."""
    return math.floor(value * 10 + 0.5 + 1e-9) / 10


def language_code(code: str) -> str:
    """The bare language of a locale name: "ko_KR" -> "ko", "en-US" -> "en", "no" -> "nb"."""
    base = code.replace("_", "-").split("-")[0].split(".")[0].lower()
    return {"no": "nb", "tl": "fil"}.get(base, base)


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
    if dim is not None and (not isinstance(dim, int) or isinstance(dim, bool) or dim <= 0):
        raise PackError(f"{where}: pack '{name}': embed_dim must be positive or null.")
    repo = item.get("repo")
    if repo is not None and (not isinstance(repo, str) or not _REPO.fullmatch(repo)):
        raise PackError(f"{where}: pack '{name}': repo must look like 'owner/name'.")
    files = item.get("files", [])
    if not isinstance(files, list) or (not files and repo is None):
        raise PackError(f"{where}: pack '{name}' needs a Hub repo or a list of files.")
    base = text("base_url", "").rstrip("/")
    if files and not base and not all(isinstance(f, dict) and f.get("url") for f in files):
        raise PackError(f"{where}: pack '{name}' lists files but no base_url.")
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
        repo=repo,
        revision=text("revision", "main"),
        recall=_recall(item.get("recall", {}), name, where),
        memory_mib=_number(item, "memory_mib", name, where, int),
        cpu_ms=_number(item, "cpu_ms", name, where, float),
        download_bytes=_number(item, "download_bytes", name, where, int),
    )


def _recall(value: Any, pack: str, where: str) -> tuple[tuple[str, float], ...]:
    if not isinstance(value, dict):
        raise PackError(f"{where}: pack '{pack}': recall must map languages to percentages.")
    result = []
    for lang, figure in value.items():
        if figure is None:  # listed as unpublished: the same as absent
            continue
        number = isinstance(figure, (int, float)) and not isinstance(figure, bool)
        if not number or not 0 <= figure <= 100:
            raise PackError(f"{where}: pack '{pack}': recall[{lang!r}] must be a percentage.")
        result.append((language_code(lang), float(figure)))
    return tuple(result)


def _number(item: dict[str, Any], key: str, pack: str, where: str, kind: type) -> Any:
    value = item.get(key)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value <= 0:
        raise PackError(f"{where}: pack '{pack}': {key} must be a positive number or null.")
    if kind is int and not isinstance(value, int):
        raise PackError(f"{where}: pack '{pack}': {key} must be a whole number or null.")
    return kind(value)


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
