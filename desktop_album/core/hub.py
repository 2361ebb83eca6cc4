"""What a Hugging Face model repository holds, from the Hub's own file list. No Qt.

``GET {endpoint}/api/models/{repo}/tree/{revision}?recursive=true`` answers a JSON list of
entries (``type`` "file" or "directory", ``path``, ``size``, ``oid``; LFS files also carry
``lfs: {oid, size}`` where ``lfs.oid`` is the sha256 of the file's content), paged by a
``Link: <...>; rel="next"`` header. Files come from ``{endpoint}/{repo}/resolve/{revision}/{path}``.

Checksums: an LFS file (every ONNX model, every external-data file) is checked against its
sha256. A small file kept in git (config.json, tokenizer files) has no published sha256: its
``oid`` is the git blob id, the SHA-1 of ``"blob <size>\\0" + content``, and it is checked
against that instead (SHA-1 guards against a damaged transfer, not against a forged file; these
files are also parsed by :func:`load_pack` before the pack is installed).
"""

from __future__ import annotations

import hashlib
import os
import re
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import Any
from urllib.parse import quote

DEFAULT_ENDPOINT = "https://huggingface.co"
ENDPOINT_VARIABLE = "HF_ENDPOINT"  # the variable huggingface_hub reads, for the same mirrors

_SHA256 = re.compile(r"[0-9a-f]{64}")
_SHA1 = re.compile(r"[0-9a-f]{40}")
_NEXT = re.compile(r'<([^>]+)>\s*;\s*rel="?next"?')

# Files immich ships for other runtimes (Arm NN, Rockchip NPU) next to the ONNX ones: not ours.
_OTHER_RUNTIMES = (".armnn", ".rknn")
# A pack is its root config.json plus the files directly inside its two tower folders: the
# ONNX models, their external-data files (any name: "model.onnx_data", "onnx__MatMul_123"),
# the preprocessing and tokenizer files. Sub-folders hold builds for other hardware.
_TOWERS = ("visual", "textual")
_ROOT_FILES = ("config.json", "desktop_album.json")
REQUIRED = ("config.json", "visual/model.onnx", "textual/model.onnx")


@dataclass(frozen=True)
class HubFile:
    """One file of a repository, as the tree API lists it."""

    path: str
    size: int
    sha256: str | None  # LFS files: the sha256 of the content
    git_oid: str | None  # files kept in git: the blob id (SHA-1 of header + content)


def endpoint_from(setting: str | None = None) -> str:
    """The Hub to use: the setting, else ``$HF_ENDPOINT``, else huggingface.co; no trailing /."""
    for candidate in (setting, os.environ.get(ENDPOINT_VARIABLE)):
        if candidate and candidate.strip():
            return candidate.strip().rstrip("/")
    return DEFAULT_ENDPOINT


def tree_url(endpoint: str, repo: str, revision: str) -> str:
    return (
        f"{endpoint.rstrip('/')}/api/models/{repo}/tree/{quote(revision, safe='')}?recursive=true"
    )


def resolve_url(endpoint: str, repo: str, revision: str, path: str) -> str:
    return f"{endpoint.rstrip('/')}/{repo}/resolve/{quote(revision, safe='')}/{quote(path)}"


def next_page(link_header: str | None) -> str | None:
    """The ``rel="next"`` address of a Link header, or None on the last page."""
    for part in (link_header or "").split(","):
        match = _NEXT.search(part)
        if match:
            return match[1]
    return None


def parse_tree(payload: Any) -> list[HubFile]:
    """The files of one page of the tree API's answer; raise ValueError when it is not one."""
    if not isinstance(payload, list):
        raise ValueError("the answer is not a list of files")
    files = []
    for item in payload:
        if not isinstance(item, dict) or item.get("type") != "file":
            continue  # directories (and anything newer we do not know)
        path, size = item.get("path"), item.get("size")
        if not isinstance(path, str) or not _safe(path):
            raise ValueError(f"a file has a bad path: {path!r}")
        lfs = item.get("lfs")
        sha256 = None
        if isinstance(lfs, dict):
            size = lfs.get("size", size)
            oid = str(lfs.get("oid", "")).lower().removeprefix("sha256:")
            sha256 = oid if _SHA256.fullmatch(oid) else None
        if not isinstance(size, int) or isinstance(size, bool) or size < 0:
            raise ValueError(f"{path} has no size")
        git_oid = None
        if lfs is None:
            oid = str(item.get("oid", "")).lower()
            git_oid = oid if _SHA1.fullmatch(oid) else None
        files.append(HubFile(path, size, sha256, git_oid))
    return files


def pack_files(files: list[HubFile]) -> list[HubFile]:
    """The files of a repository that make the pack (see the module's comment), sorted."""
    chosen = []
    for file in files:
        parts = PurePosixPath(file.path).parts
        if file.path.endswith(_OTHER_RUNTIMES):
            continue
        if (len(parts) == 1 and parts[0] in _ROOT_FILES) or (
            len(parts) == 2 and parts[0] in _TOWERS
        ):
            chosen.append(file)
    return sorted(chosen, key=lambda f: f.path)


def missing_required(files: list[HubFile]) -> list[str]:
    have = {f.path for f in files}
    return [path for path in REQUIRED if path not in have]


def git_blob_sha1(size: int) -> Any:
    """A hash object primed with git's blob header: feed it the content, compare hexdigest()."""
    digest = hashlib.sha1(usedforsecurity=False)
    digest.update(b"blob %d\0" % size)
    return digest


def _safe(path: str) -> bool:
    """A relative path that stays inside the pack folder."""
    if not path or path.startswith("/") or "\\" in path:
        return False
    return ".." not in path.split("/")
