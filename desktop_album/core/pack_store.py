"""Installed model packs: where they live, which one is active, and how they change.

Every change to the store is a rename inside the store's own folder (same file system, so
atomic): a new pack is staged in a hidden folder and renamed into place, an old one is renamed
aside before it is deleted. A crash therefore leaves either the old pack or the new one under a
pack's name, never half of one; :meth:`PackStore.recover` puts back a pack that was renamed aside
when the crash came between the two renames.
"""

from __future__ import annotations

import json
import os
import shutil
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from desktop_album.core.errors import ModelMissingError, PackError
from desktop_album.core.packs import ModelPack, load_pack

if TYPE_CHECKING:
    from desktop_album.core.embedding import ClipModel

HOW_TO_GET_A_MODEL = (
    "No model is installed. Download the default one with "
    "'desktop-album models download ViT-B-32__openai', import a pack folder with "
    "'desktop-album models import DIR', or pass --model DIR."
)

_ASIDE = ".old"  # suffix of a pack renamed aside while its replacement moves in


def validate_pack(path: str | Path, provider: str = "cpu") -> ModelPack:
    """Load a pack and run one dummy inference per tower (and per int8 variant it ships).

    Catches what :func:`load_pack` cannot see from the JSON files alone: an ONNX file that
    onnxruntime refuses, a tokenizer without the pad token, towers whose output size disagrees
    with ``embed_dim``. Raises PackError with the reason.
    """
    # Imported here so that listing or removing packs never pays for loading onnxruntime.
    from desktop_album.core.embedding import ClipModel

    pack = load_pack(path)
    precisions = ["fp32", "int8"] if pack.has_precision("int8") else ["fp32"]
    for precision in precisions:
        model = ClipModel(pack, provider=provider, threads=1, precision=precision)
        try:
            _test_run(model, "image", precision)
            _test_run(model, "text", precision)
        finally:
            model.unload()
    return pack


def _test_run(model: ClipModel, what: str, precision: str) -> None:
    pack = model.pack
    size = pack.preprocess.size
    try:
        if what == "image":
            out = model.embed_images(np.zeros((1, 3, size, size), np.float32))
        else:
            out = model.embed_texts(["a photo"])
    except PackError:
        raise
    except Exception as exc:  # onnxruntime and tokenizers raise untyped errors
        first = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise PackError(
            f"{pack.path}: the {what} tower ({precision}) failed a test run: {first}"
        ) from exc
    if out.shape != (1, pack.embed_dim) or not np.isfinite(out).all():
        raise PackError(
            f"{pack.path}: the {what} tower ({precision}) returned shape {tuple(out.shape)}, "
            f"but config.json says embed_dim {pack.embed_dim}."
        )


def install_folder(staged: Path, target: Path) -> None:
    """Move a complete, validated pack folder to ``target``, replacing what is there.

    Both must be in the same folder's file system. The previous pack is renamed aside first and
    deleted last, so there is always a whole pack to go back to.
    """
    aside = target.with_name(f".{target.name}{_ASIDE}")
    if aside.exists():
        shutil.rmtree(aside)
    if target.exists():
        os.replace(target, aside)
    try:
        os.replace(staged, target)
    except BaseException:
        if aside.exists() and not target.exists():
            os.replace(aside, target)
        raise
    # A file still open elsewhere (Windows) can keep this from going; recover() retries later.
    shutil.rmtree(aside, ignore_errors=True)


def folder_size(path: Path) -> int:
    """Bytes used by the files under ``path`` (links not followed)."""
    total = 0
    for root, _dirs, files in os.walk(path):
        for name in files:
            try:
                total += (Path(root) / name).lstat().st_size
            except OSError:
                continue
    return total


@dataclass(frozen=True)
class InstalledPack:
    """One folder of the store, described for lists. ``problem`` is set for a broken pack."""

    name: str
    path: Path
    embed_dim: int | None
    license: str | None
    size_bytes: int
    problem: str | None = None


class PackStore:
    """The folder of installed packs, one sub-folder each, named by the pack."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def names(self) -> list[str]:
        if not self.folder.is_dir():
            return []
        return sorted(
            p.name
            for p in self.folder.iterdir()
            if p.is_dir() and not p.name.startswith(".") and (p / "config.json").is_file()
        )

    def get(self, name: str) -> ModelPack:
        path = self.folder / name
        if not path.is_dir():
            raise ModelMissingError(f"Model '{name}' is not installed. {HOW_TO_GET_A_MODEL}")
        return load_pack(path)

    def resolve(self, choice: str | None) -> ModelPack:
        """The pack to use: an explicit folder or installed name, else the only one installed.

        Raises ModelMissingError (with how to get one) when there is nothing usable.
        """
        if choice:
            candidate = Path(choice).expanduser()
            if candidate.is_dir() and (candidate / "config.json").exists():
                return load_pack(candidate)
            if (self.folder / choice).is_dir():
                return self.get(choice)
            if candidate.is_absolute() or "/" in choice or choice.startswith("."):
                raise ModelMissingError(f"Model pack folder not found: {candidate}.")
            raise ModelMissingError(f"Model '{choice}' is not installed. {HOW_TO_GET_A_MODEL}")
        names = self.names()
        for name in names:
            try:
                return self.get(name)
            except PackError:
                continue
        raise ModelMissingError(HOW_TO_GET_A_MODEL)

    # -- changes ----------------------------------------------------------------------------

    def installed(self) -> list[InstalledPack]:
        """Every pack folder, broken ones included (with the reason), sorted by name."""
        result = []
        for name in self.names():
            path = self.folder / name
            try:
                pack = load_pack(path)
            except PackError as exc:
                result.append(InstalledPack(name, path, None, None, folder_size(path), str(exc)))
                continue
            result.append(
                InstalledPack(
                    name, pack.path, pack.embed_dim, _license(pack), folder_size(path), None
                )
            )
        return result

    def import_pack(self, src: Path, name: str | None = None, provider: str = "cpu") -> ModelPack:
        """Validate the pack folder ``src``, then copy it in as ``name`` (default: its folder's).

        A broken pack raises PackError before anything in the store changes; an installed pack
        of the same name is replaced only once the copy is complete.
        """
        source = Path(src).expanduser().resolve()
        name = name or source.name
        check_name(name)
        validate_pack(source, provider=provider)
        target = self.folder / name
        if target.resolve() == source:
            return load_pack(target)  # already installed in place
        self.folder.mkdir(parents=True, exist_ok=True)
        self.recover()
        staging = self.folder / f".import-{name}-{uuid.uuid4().hex[:8]}"
        try:
            # Partial downloads and OS litter are not part of a pack.
            shutil.copytree(source, staging, ignore=shutil.ignore_patterns("*.part", ".DS_Store"))
            load_pack(staging)  # the copy is whole
            install_folder(staging, target)
        finally:
            if staging.exists():
                shutil.rmtree(staging, ignore_errors=True)
        return load_pack(target)

    def remove(self, name: str) -> None:
        """Delete an installed pack; raise ModelMissingError when there is none of that name."""
        check_name(name)
        target = self.folder / name
        if not target.is_dir():
            raise ModelMissingError(f"Model '{name}' is not installed.")
        # Renamed first so that a half-deleted pack never looks installed.
        doomed = self.folder / f".removing-{name}-{uuid.uuid4().hex[:8]}"
        os.replace(target, doomed)
        shutil.rmtree(doomed, ignore_errors=True)

    def recover(self) -> None:
        """Finish what a crash interrupted: restore packs left aside, drop stale leftovers."""
        if not self.folder.is_dir():
            return
        for path in self.folder.iterdir():
            if not path.name.startswith("."):
                continue
            if path.name.endswith(_ASIDE) and path.is_dir():
                target = self.folder / path.name[1 : -len(_ASIDE)]
                if target.exists():
                    shutil.rmtree(path, ignore_errors=True)
                else:
                    os.replace(path, target)
            elif path.name.startswith((".import-", ".removing-")) and path.is_dir():
                shutil.rmtree(path, ignore_errors=True)


def check_name(name: str) -> None:
    """Refuse names that are not a plain folder name inside the store."""
    if (
        not name
        or name.startswith(".")
        or "/" in name
        or "\\" in name
        or name != name.strip()
        or Path(name).name != name
    ):
        raise PackError(f"'{name}' cannot be a model name: use a plain folder name.")


def _license(pack: ModelPack) -> str | None:
    """The pack's license: config.json's, else the one the downloader noted from the catalog."""
    if pack.license:
        return pack.license
    extra = pack.path / "desktop_album.json"
    try:
        value = json.loads(extra.read_text(encoding="utf-8")).get("license")
    except (OSError, ValueError, AttributeError):
        return None
    return value if isinstance(value, str) else None
