"""Download a catalog pack: resumable, verified, installed atomically. No Qt.

The files come from the Hub's own list of the pack's repository (:mod:`desktop_album.core.hub`:
paths, sizes, sha256), or from a catalog entry's hand-kept list. Before any byte is fetched the
total size is known and checked against the free disk space. Each file streams to
``<models_dir>/.partial/<name>/<path>.part``; once whole and verified it is renamed to
``<path>`` in that staging folder, and when every file is there the folder is checked with
:func:`load_pack` and renamed to ``<models_dir>/<name>``.

The HTTP details are in :mod:`desktop_album.core.http_fetch`, the progress report in
:mod:`desktop_album.core.download_progress`.
"""

from __future__ import annotations

import contextlib
import hashlib
import http.client
import json
import os
import shutil
import ssl
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from email.message import Message
from pathlib import Path
from typing import Any
from urllib.parse import urljoin

from desktop_album.core import hub
from desktop_album.core.catalog import CatalogEntry, CatalogFile
from desktop_album.core.download_progress import DownloadProgress, RateMeter
from desktop_album.core.errors import (
    ChecksumError,
    DiskFullError,
    DownloadCancelled,
    DownloadError,
    PackError,
    as_environment_error,
)
from desktop_album.core.http_fetch import (
    KeepHeaders,
    content_range,
    header_int,
    host,
    linked_size,
    published_sha256,
    reason,
)
from desktop_album.core.pack_store import check_name, install_folder
from desktop_album.core.packs import load_pack

__all__ = [
    "CHUNK_SIZE",
    "PARTIAL_DIR",
    "DownloadProgress",
    "RateMeter",
    "download_pack",
    "manual_install_advice",
    "published_sha256",
]

CHUNK_SIZE = 64 * 1024
PARTIAL_DIR = ".partial"
_DISK_HEADROOM = 64 * 1024 * 1024  # left free after a download: a full disk breaks everything else
_MAX_TREE_PAGES = 1000  # a Link header that never ends is a broken server, not a big pack
_RETRIES = 3  # dropped connections in a row, with no byte received, before giving up
_PROGRESS_INTERVAL = 0.1  # seconds between progress reports: enough for a bar, cheap for a GUI


def manual_install_advice(entry: CatalogEntry) -> str:
    """How to install a pack without this downloader: one sentence for any error message."""
    return (
        f"To install it by hand, download the files of {entry.name} from {entry.homepage} into "
        "a folder with the same layout, then run 'desktop-album models import DIR' or choose "
        "'Use a pack folder…' in the window (File ▸ Models…)."
    )


def download_pack(
    entry: CatalogEntry,
    models_dir: Path,
    *,
    progress: Callable[[DownloadProgress], None] | None = None,
    cancel: threading.Event | None = None,
    base_url_override: str | None = None,
    endpoint: str | None = None,
    timeout: float = 30,
    free_space: Callable[[Path], int] | None = None,
) -> Path:
    """Download, verify and install ``entry``; return the installed pack folder.

    An entry without a file list is fetched from its Hub repository: its files are listed by
    the tree API at ``endpoint`` (a mirror, as ``HF_ENDPOINT`` names one; default: the
    ``HF_ENDPOINT`` variable, else huggingface.co).

    Args:
        entry: the catalog pack.
        models_dir: the folder of installed packs.
        progress: called on this thread, at most every 0.1 s and at each file's end.
        cancel: set it from any thread; the download stops between chunks (or, while the
            server sends nothing, within ``timeout``) and raises DownloadCancelled, keeping the
            partial files so the next call resumes.
        base_url_override: fetch ``<base>/<path>`` instead of the catalog URLs (a plain
            folder mirror; only for an entry with a file list).
        endpoint: the Hub (or Hub mirror) to list and fetch a repository's files from.
        timeout: seconds to wait for a connection and for each read.
        free_space: bytes free on the file system of a path (tests); default: the disk's.

    Raises:
        DownloadError: offline, HTTP errors, a server that stops answering, a pack that does
            not load. ChecksumError and DownloadCancelled are kinds of it.
        DiskFullError: the pack does not fit on the disk (checked before fetching, and if the
            disk fills up while fetching).
    """
    if base_url_override:
        if not entry.files:
            raise DownloadError(
                f"{entry.name} is fetched from its Hub repository, which a plain folder URL "
                "cannot stand in for; to use a mirror of the Hub, set its address as the Hub "
                "endpoint (--endpoint, or the HF_ENDPOINT variable)."
            )
        entry = entry.with_base_url(base_url_override)
    try:
        check_name(entry.name)
    except PackError as exc:
        raise DownloadError(str(exc)) from exc
    source = None if entry.files else hub.endpoint_from(endpoint)
    measure = free_space or _free_space
    return _Download(entry, Path(models_dir), progress, cancel, timeout, source, measure).run()


def _free_space(path: Path) -> int:
    """Free bytes on the file system holding ``path`` (or its nearest existing parent)."""
    for candidate in (path, *path.parents):
        if candidate.exists():
            return shutil.disk_usage(candidate).free
    return shutil.disk_usage(Path.cwd()).free


@dataclass
class _Remote:
    """What the server said about a file."""

    size: int | None = None
    sha256: str | None = None
    git_oid: str | None = None

    @property
    def known(self) -> bool:
        """Size and a checksum known: nothing to ask the server before fetching."""
        return self.size is not None and (self.sha256 is not None or self.git_oid is not None)


class _Retry(Exception):
    """The connection broke off; try again from where the file stands."""

    def __init__(self, progressed: bool) -> None:
        super().__init__()
        self.progressed = progressed


class _Download:
    def __init__(
        self,
        entry: CatalogEntry,
        models_dir: Path,
        progress: Callable[[DownloadProgress], None] | None,
        cancel: threading.Event | None,
        timeout: float,
        endpoint: str | None,
        free_space: Callable[[Path], int],
    ) -> None:
        self.entry = entry
        self.models_dir = models_dir
        self.staging = models_dir / PARTIAL_DIR / entry.name
        self.progress = progress
        self.cancel = cancel
        self.timeout = timeout
        self.endpoint = endpoint  # None: the entry's own file list
        self.free_space = free_space
        self.files: list[CatalogFile] = list(entry.files)
        self.remote: dict[str, _Remote] = {}
        self.meter = RateMeter()
        self.finished_bytes = 0  # of the files already whole
        self.current_bytes = 0  # of the file in transfer, on disk
        self.files_done = 0
        self._last_report = float("-inf")
        # The sha256 of the partial file, kept up to date as chunks arrive, so a multi-GB file
        # is not read back whole to be verified: (part file, bytes hashed, hash object).
        self._running: tuple[Path, int, Any] | None = None

    # -- the steps ------------------------------------------------------------------------

    def run(self) -> Path:
        if self.endpoint is not None:
            self.files = self._list_from_hub(self.endpoint)
        self.remote = {f.path: _Remote(f.size, f.sha256, f.git_oid) for f in self.files}
        self.staging.mkdir(parents=True, exist_ok=True)
        try:
            self._probe()
            self._check_space()
            for file in self.files:
                self._check_cancel()
                self._fetch(file)
                self.files_done += 1
                self.finished_bytes += (self.staging / file.path).stat().st_size
                self.current_bytes = 0
                self._report(file, force=True)
            self._check_cancel()
            return self._install()
        except BaseException:
            self._prune_empty()  # partial files stay for the next try; empty folders need not
            raise

    def _prune_empty(self) -> None:
        root = self.models_dir / PARTIAL_DIR
        if not root.is_dir():
            return
        folders = sorted((p for p in root.rglob("*") if p.is_dir()), key=lambda p: -len(p.parts))
        for folder in [*folders, root]:
            with contextlib.suppress(OSError):  # not empty: keep it
                folder.rmdir()

    def _probe(self) -> None:
        """Learn sizes (for "time left") and published checksums the catalog lacks, by HEAD.

        A 404 here fails the download before any large file is fetched.
        """
        for file in self.files:
            remote = self.remote[file.path]
            if remote.known:
                continue
            self._check_cancel()
            if (self.staging / file.path).is_file():
                remote.size = (self.staging / file.path).stat().st_size
                continue  # whole and verified by an earlier try
            try:
                response, seen = self._open(file.url, {}, method="HEAD")
            except urllib.error.HTTPError as exc:
                exc.close()
                if exc.code == 404:
                    raise self._http_error(exc, file.url) from None
                continue  # a server without HEAD: the GET tells us instead
            with response:
                seen.append(response.headers)
                remote.sha256 = remote.sha256 or published_sha256(seen)
                remote.size = (
                    remote.size
                    or linked_size(seen)
                    or header_int(response.headers, "Content-Length")
                )

    def _list_from_hub(self, endpoint: str) -> list[CatalogFile]:
        """The pack's files, from the Hub's tree API (every page of it)."""
        repo, revision = self.entry.repo, self.entry.revision
        if repo is None:
            raise DownloadError(f"The catalog names no Hub repository for {self.entry.name}.")
        url: str | None = hub.tree_url(endpoint, repo, revision)
        listed: list[hub.HubFile] = []
        pages = 0
        while url is not None and pages < _MAX_TREE_PAGES:
            self._check_cancel()
            pages += 1
            try:
                response, _seen = self._open(url, {"Accept": "application/json"})
            except urllib.error.HTTPError as exc:
                exc.close()
                raise self._hub_error(exc, endpoint, repo, revision) from None
            with response:
                try:
                    payload = json.loads(response.read())
                    listed.extend(hub.parse_tree(payload))
                except (ValueError, OSError, http.client.HTTPException) as exc:
                    raise DownloadError(
                        f"{host(url)} did not answer with the file list of {repo} ({exc}); is "
                        f"{endpoint} a Hugging Face Hub (or a mirror of one)?"
                    ) from exc
                following = hub.next_page(response.headers.get("Link"))
                url = urljoin(url, following) if following else None
        chosen = hub.pack_files(listed)
        missing = hub.missing_required(chosen)
        if missing:
            raise DownloadError(
                f"The repository {repo} ({revision}) at {endpoint} is not a model pack in the "
                f"immich layout: it lacks {', '.join(missing)}. "
                + manual_install_advice(self.entry)
            )
        return [
            CatalogFile(
                path=f.path,
                url=hub.resolve_url(endpoint, repo, revision, f.path),
                size=f.size,
                sha256=f.sha256,
                git_oid=f.git_oid,
            )
            for f in chosen
        ]

    def _hub_error(
        self, exc: urllib.error.HTTPError, endpoint: str, repo: str, revision: str
    ) -> DownloadError:
        if exc.code in (401, 403, 404):
            return DownloadError(
                f"{endpoint} has no model repository {repo} at revision {revision} that it lets "
                f"us read (HTTP {exc.code}); the catalog or the Hub endpoint setting may be "
                "wrong. " + manual_install_advice(self.entry)
            )
        return DownloadError(
            f"{host(endpoint)} answered HTTP {exc.code} ({exc.reason}) when asked for the "
            f"files of {repo}; try again later."
        )

    def _check_space(self) -> None:
        """Fail before fetching when what is left to fetch does not fit on the disk."""
        needed = 0
        for file in self.files:
            size = self.remote[file.path].size
            if size is None:
                continue  # unknown: a full disk is caught when a write fails
            final = self.staging / file.path
            part = final.with_name(final.name + ".part")
            have = final if final.is_file() else part
            needed += max(0, size - (have.stat().st_size if have.is_file() else 0))
        free = self.free_space(self.staging)
        if needed + _DISK_HEADROOM > free:
            raise DiskFullError(
                f"Not enough disk space to download {self.entry.name}: it needs "
                f"{_gigabytes(needed)} more in {self.models_dir}, and {_gigabytes(free)} is "
                "free. Free some space and try again; what was fetched so far is kept.",
                path=str(self.models_dir),
                needed_bytes=needed,
                free_bytes=free,
            )

    def _fetch(self, file: CatalogFile) -> None:
        final = self.staging / file.path
        part = final.with_name(final.name + ".part")
        if final.is_file():
            size = self.remote[file.path].size
            if size is None or final.stat().st_size == size:
                return
            final.unlink()
        part.parent.mkdir(parents=True, exist_ok=True)
        failures = 0
        while True:
            self._check_cancel()
            try:
                self._attempt(file, part)
                break
            except _Retry as retry:
                failures = 0 if retry.progressed else failures + 1
                if failures >= _RETRIES:
                    raise DownloadError(
                        f"The connection to {host(file.url)} kept breaking off while fetching "
                        f"{file.path}; try again later: the download resumes where it stopped."
                    ) from None
        self._verify(file, part)
        self._running = None
        os.replace(part, final)

    def _attempt(self, file: CatalogFile, part: Path) -> None:
        """One request for the rest of ``file``; returns once ``part`` holds all of it."""
        remote = self.remote[file.path]
        offset = part.stat().st_size if part.is_file() else 0
        if remote.size is not None and offset > remote.size:
            part.unlink()
            offset = 0
        # Byte ranges and checksums are of the file itself, never of a compressed transfer.
        headers = {"Accept-Encoding": "identity"}
        if offset:
            headers["Range"] = f"bytes={offset}-"
        self.current_bytes = offset
        try:
            response, seen = self._open(file.url, headers)
        except urllib.error.HTTPError as exc:
            exc.close()
            if exc.code == 416 and offset:
                # Nothing left to send: the part is whole, unless the file on the server changed.
                total = content_range(exc.headers)[2]
                if total is None or total == offset:
                    return
                part.unlink()
                raise _Retry(progressed=False) from None
            raise self._http_error(exc, file.url) from None

        with response:
            seen.append(response.headers)
            remote.sha256 = remote.sha256 or published_sha256(seen)
            status = getattr(response, "status", None)
            if status == 206:
                start, _end, total = content_range(response.headers)
                if start != offset:
                    part.unlink(missing_ok=True)  # a range we did not ask for: start over
                    raise _Retry(progressed=False)
                mode = "ab"
            elif status in (200, None):  # None: a file:// mirror
                # A server that ignores Range sends the whole file: start again from zero.
                offset = self.current_bytes = 0
                total = header_int(response.headers, "Content-Length")
                mode = "wb"
            else:
                raise DownloadError(f"The server answered HTTP {status} for {file.url}.")
            if total is not None and file.size is not None and total != file.size:
                part.unlink(missing_ok=True)
                raise ChecksumError(
                    f"{self.entry.name}/{file.path} on the server has {total} bytes, but its "
                    f"file list says {file.size}; the list may be out of date, try again."
                )
            remote.size = remote.size or total
            self._start_hash(part, 0 if mode == "wb" else offset)
            received = self._stream(file, response, part, mode)
        if total is not None and offset + received < total:
            raise _Retry(progressed=received > 0)  # the server closed the connection early

    def _stream(self, file: CatalogFile, response: Any, part: Path, mode: str) -> int:
        received = 0
        read = getattr(response, "read1", response.read)  # read1: return what has arrived
        try:
            out = part.open(mode)
        except OSError as exc:
            raise DownloadError(f"Cannot write {part}: {exc.strerror or exc}.") from exc
        with out:
            while True:
                self._check_cancel()
                try:
                    chunk = read(CHUNK_SIZE)
                except TimeoutError as exc:
                    self._check_cancel()
                    raise DownloadError(
                        f"{host(file.url)} sent nothing for {self.timeout:g} s while sending "
                        f"{file.path}; try again later: the download resumes where it stopped."
                    ) from exc
                except (ConnectionError, http.client.HTTPException) as exc:
                    raise _Retry(progressed=received > 0) from exc
                if not chunk:
                    return received
                try:
                    out.write(chunk)
                except OSError as exc:
                    mapped = as_environment_error(exc, part)
                    if isinstance(mapped, DiskFullError):
                        raise mapped from exc
                    raise DownloadError(f"Cannot write {part}: {exc.strerror or exc}.") from exc
                received += len(chunk)
                self._hash_chunk(part, chunk)
                self.current_bytes += len(chunk)
                self.meter.add(len(chunk))
                self._report(file)

    def _verify(self, file: CatalogFile, part: Path) -> None:
        remote = self.remote[file.path]
        size = part.stat().st_size
        problem = None
        if remote.size is not None and size != remote.size:
            problem = f"it has {size} bytes, expected {remote.size}"
        elif remote.sha256 is not None:
            digest = self._running_sha256(part, size) or self._hash(part, hashlib.sha256())
            if digest != remote.sha256:
                problem = f"its sha256 is {digest}, expected {remote.sha256}"
        elif remote.git_oid is not None:
            digest = self._hash(part, hub.git_blob_sha1(size))
            if digest != remote.git_oid:
                problem = f"its git blob id is {digest}, expected {remote.git_oid}"
        # No published checksum at all (a plain web folder): load_pack still parses the pack.
        if problem:
            part.unlink(missing_ok=True)
            raise ChecksumError(
                f"Downloaded {self.entry.name}/{file.path} is damaged ({problem}); it was "
                "deleted, try again."
            )

    def _start_hash(self, part: Path, offset: int) -> None:
        """Make the running hash cover the ``offset`` bytes the part file keeps."""
        running = self._running
        if running is not None and running[0] == part and running[1] == offset:
            return  # a resumed attempt: the hash already covers what is on disk
        digest = hashlib.sha256()
        if offset:
            self._hash(part, digest)  # resuming an earlier session's file: read it once
        self._running = (part, offset, digest)

    def _hash_chunk(self, part: Path, chunk: bytes) -> None:
        running = self._running
        if running is not None and running[0] == part:
            running[2].update(chunk)
            self._running = (part, running[1] + len(chunk), running[2])

    def _running_sha256(self, part: Path, size: int) -> str | None:
        running = self._running
        if running is None or running[0] != part or running[1] != size:
            return None  # not streamed in this session (or not whole): read it back
        return str(running[2].hexdigest())

    def _hash(self, path: Path, digest: Any) -> str:
        # One reused 8 MiB buffer: a multi-GB model hashes at close to the hash's own speed
        # (reading it 1 MiB at a time into new bytes objects took 3x as long).
        buffer = bytearray(8 * 1024 * 1024)
        view = memoryview(buffer)
        with path.open("rb", buffering=0) as handle:
            while count := handle.readinto(buffer):
                self._check_cancel()
                digest.update(view[:count])
        return str(digest.hexdigest())

    def _install(self) -> Path:
        # What an earlier try fetched that the list no longer names (the repository changed
        # in between) is not part of this pack.
        listed = {f.path for f in self.files}
        for leftover in [p for p in self.staging.rglob("*") if p.is_file()]:
            if leftover.relative_to(self.staging).as_posix() not in listed:
                leftover.unlink()
        self._write_extras()
        try:
            pack = load_pack(self.staging)
            if self.entry.embed_dim is not None and pack.embed_dim != self.entry.embed_dim:
                raise PackError(
                    f"it has {pack.embed_dim} dimensions, the catalog says {self.entry.embed_dim}"
                )
        except PackError as exc:
            # Verified files that still do not make a pack will not improve by resuming.
            shutil.rmtree(self.staging, ignore_errors=True)
            raise DownloadError(
                f"The downloaded pack {self.entry.name} is not usable and was deleted: {exc}"
            ) from exc
        target = self.models_dir / self.entry.name
        install_folder(self.staging, target)
        with contextlib.suppress(OSError):  # only when no other download is staged
            (self.models_dir / PARTIAL_DIR).rmdir()
        return target

    def _write_extras(self) -> None:
        """Keep what the catalog knows (license, query helpers) with the pack."""
        if any(f.path == "desktop_album.json" for f in self.files):
            return
        extra: dict[str, object] = {
            "license": self.entry.license,
            "homepage": self.entry.homepage,
        }
        if self.entry.prompt_templates:
            extra["prompt_templates"] = list(self.entry.prompt_templates)
        if self.entry.text_prefix:
            extra["text_prefix"] = self.entry.text_prefix
        path = self.staging / "desktop_album.json"
        path.write_text(json.dumps(extra, indent=2, ensure_ascii=False), encoding="utf-8")

    # -- helpers --------------------------------------------------------------------------

    def _open(
        self, url: str, headers: dict[str, str], method: str = "GET"
    ) -> tuple[Any, list[Message]]:
        """Open ``url``; HTTP errors come as HTTPError, every other failure as DownloadError."""
        redirects = KeepHeaders()
        opener = urllib.request.build_opener(redirects)
        request = urllib.request.Request(url, headers=headers, method=method)
        try:
            return opener.open(request, timeout=self.timeout), redirects.seen
        except urllib.error.HTTPError:
            raise
        except urllib.error.URLError as exc:
            reason = exc.reason
            if isinstance(reason, OSError):
                raise self._network_error(reason, url) from exc
            raise DownloadError(f"Cannot fetch {url}: {reason}.") from exc
        except (OSError, http.client.HTTPException) as exc:
            raise self._network_error(exc, url) from exc

    def _network_error(self, exc: BaseException, url: str) -> DownloadError:
        where = host(url)
        if isinstance(exc, TimeoutError):
            return DownloadError(
                f"{where} did not answer within {self.timeout:g} s; try again later. "
                + manual_install_advice(self.entry)
            )
        if isinstance(exc, ssl.SSLError):
            return DownloadError(
                f"The secure connection to {where} failed ({reason(exc)}); a proxy or antivirus "
                "may be intercepting it. " + manual_install_advice(self.entry)
            )
        if isinstance(exc, (ConnectionResetError, http.client.HTTPException)):
            return DownloadError(
                f"{where} closed the connection ({reason(exc)}); try again later: the "
                "download resumes where it stopped."
            )
        return DownloadError(
            f"Cannot reach {where} ({reason(exc)}): this computer seems to be offline. "
            + manual_install_advice(self.entry)
        )

    def _http_error(self, exc: urllib.error.HTTPError, url: str) -> DownloadError:
        if exc.code == 404:
            return DownloadError(
                f"The server has no file at {url} (HTTP 404); the catalog may be out of date. "
                + manual_install_advice(self.entry)
            )
        return DownloadError(f"The server answered HTTP {exc.code} ({exc.reason}) for {url}.")

    def _check_cancel(self) -> None:
        if self.cancel is not None and self.cancel.is_set():
            raise DownloadCancelled(
                f"Download of {self.entry.name} cancelled; what was fetched is kept and the "
                "next try resumes from there."
            )

    def _report(self, file: CatalogFile, force: bool = False) -> None:
        if self.progress is None:
            return
        now = time.monotonic()
        if not force and now - self._last_report < _PROGRESS_INTERVAL:
            return
        self._last_report = now
        sizes = [self.remote[f.path].size for f in self.files]
        total = None if any(s is None for s in sizes) else sum(s or 0 for s in sizes)
        done = self.finished_bytes + self.current_bytes
        self.progress(
            DownloadProgress(
                name=self.entry.name,
                file=file.path,
                files_done=self.files_done,
                files_total=len(self.files),
                bytes_done=done,
                bytes_total=total,
                rate=self.meter.rate,
                seconds_left=self.meter.seconds_left(None if total is None else total - done),
            )
        )


def _gigabytes(count: int) -> str:
    return f"{count / 1e9:.2f} GB" if count >= 10**7 else f"{count / 1e6:.1f} MB"
