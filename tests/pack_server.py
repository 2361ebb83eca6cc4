"""A local HTTP server (127.0.0.1 only) that serves pack folders the way Hugging Face does.

Each behaviour is a switch on :class:`PackServer`, so a test turns on only what it checks:
published checksums on a redirect, Range support, a connection that breaks off once, a slow or
stalled transfer, missing files. Every request is logged for assertions.
"""

from __future__ import annotations

import hashlib
import json
import re
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

from desktop_album.core.catalog import CatalogEntry, CatalogFile
from desktop_album.core.packs import load_pack


@dataclass
class Request:
    method: str
    path: str
    range: str | None


@dataclass
class PackServer:
    """Serves ``root/<name>/<file>`` at ``/<name>/<file>`` (or via ``/resolve`` redirects)."""

    root: Path
    redirect: bool = False  # answer 302 to /cdn/..., publishing X-Linked-ETag/Size, like HF
    linked_etag: bool = True  # publish the sha256 (on the redirect, or on the file itself)
    wrong_etag: bool = False  # publish a sha256 that does not match
    honour_range: bool = True
    head: bool = True  # answer HEAD (False: 405, as some servers do)
    drop_after: dict[str, int] = field(default_factory=dict)  # file -> bytes, once
    missing: set[str] = field(default_factory=set)  # files that answer 404
    chunk: int = 64 * 1024
    delay: float = 0.0  # seconds between chunks (server side)
    stall: threading.Event | None = None  # send one chunk, then wait until this is set
    stalled: threading.Event = field(default_factory=threading.Event)  # set once stalling
    log: list[Request] = field(default_factory=list)
    port: int = 0

    def base_url(self, name: str) -> str:
        return f"http://127.0.0.1:{self.port}/{name}"

    def ranges(self, file: str) -> list[str | None]:
        """The Range header of each GET of ``file``."""
        return [r.range for r in self.log if r.method == "GET" and r.path.endswith("/" + file)]


def entry_for(
    folder: Path,
    name: str,
    base_url: str,
    *,
    sizes: bool = False,
    hashes: bool = False,
    embed_dim: int | None = None,
) -> CatalogEntry:
    """A catalog entry listing every file under ``folder`` (embed_dim: the pack's own)."""
    files = []
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        rel = path.relative_to(folder).as_posix()
        data = path.read_bytes()
        files.append(
            CatalogFile(
                path=rel,
                url=f"{base_url}/{rel}",
                size=len(data) if sizes else None,
                sha256=hashlib.sha256(data).hexdigest() if hashes else None,
            )
        )
    return CatalogEntry(
        name=name,
        title=name,
        description="test pack",
        languages=("en",),
        embed_dim=embed_dim or load_pack(folder).embed_dim,
        license="MIT",
        homepage="https://huggingface.co/immich-app/" + name,
        files=tuple(files),
    )


def closed_port() -> int:
    """A port on 127.0.0.1 that nothing listens on: connecting to it is refused."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port


@contextmanager
def serve(server: PackServer) -> Iterator[PackServer]:
    handler = type("Handler", (_Handler,), {"config": server})
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    httpd.daemon_threads = True
    server.port = httpd.server_address[1]
    # A short poll interval: shutdown() waits for the loop to notice, once per test.
    thread = threading.Thread(
        target=httpd.serve_forever, kwargs={"poll_interval": 0.02}, name="pack-server", daemon=True
    )
    thread.start()
    try:
        yield server
    finally:
        if server.stall is not None:
            server.stall.set()  # release a stalled handler before shutting down
        httpd.shutdown()
        httpd.server_close()
        thread.join(5)


class _Handler(BaseHTTPRequestHandler):
    config: PackServer

    def log_message(self, format: str, *args: object) -> None:  # Override: keep test output clean
        pass

    def do_HEAD(self) -> None:
        if not self.config.head:
            self.send_error(405)
            return
        self._serve(body=False)

    def do_GET(self) -> None:
        self._serve(body=True)

    def _serve(self, body: bool) -> None:
        config = self.config
        config.log.append(Request(self.command, self.path, self.headers.get("Range")))
        cdn = self.path.startswith("/cdn/")
        rel = self.path.removeprefix("/cdn/").lstrip("/")
        name, _, file = rel.partition("/")
        path = config.root / name / file
        if file in config.missing or not path.is_file():
            self.send_error(404)
            return
        data = path.read_bytes()
        digest = "0" * 64 if config.wrong_etag else hashlib.sha256(data).hexdigest()
        if config.redirect and not cdn:
            self.send_response(302)
            self.send_header("Location", f"/cdn/{rel}")
            if config.linked_etag:
                self.send_header("X-Linked-ETag", f'"{digest}"')
                self.send_header("X-Linked-Size", str(len(data)))
            self.send_header("Content-Length", "0")
            self.end_headers()
            return

        start = 0
        match = re.fullmatch(r"bytes=(\d+)-", self.headers.get("Range") or "")
        if match and config.honour_range:
            start = int(match[1])
            if start >= len(data):
                self.send_response(416)
                self.send_header("Content-Range", f"bytes */{len(data)}")
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            self.send_response(206)
            self.send_header("Content-Range", f"bytes {start}-{len(data) - 1}/{len(data)}")
        else:
            self.send_response(200)
        self.send_header("Content-Length", str(len(data) - start))
        if config.linked_etag and not config.redirect:
            self.send_header("X-Linked-ETag", f'"{digest}"')
        self.end_headers()
        if not body:
            return
        if config.stall is not None:  # one chunk, then silence: a transfer that hangs
            self.wfile.write(data[start : start + config.chunk])
            self.wfile.flush()
            config.stalled.set()
            config.stall.wait(10)
            return
        drop = config.drop_after.pop(file, None)
        end = len(data) if drop is None else min(len(data), max(drop, start))
        try:
            for offset in range(start, end, config.chunk):
                self.wfile.write(data[offset : min(offset + config.chunk, end)])
                self.wfile.flush()
                if config.delay:
                    time.sleep(config.delay)  # server side: makes the transfer slow
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client cancelled


# -- a Hugging Face Hub look-alike ---------------------------------------------------------------


@dataclass
class VirtualFile:
    """A file made on the fly: zeros, then ``tail`` at its very end. Never stored whole."""

    size: int
    tail: bytes = b""
    _digest: str | None = field(default=None, repr=False)

    def read(self, start: int, end: int) -> bytes:
        """Bytes ``start`` to ``end`` (exclusive)."""
        tail_start = self.size - len(self.tail)
        zeros = max(0, min(end, tail_start) - start)
        tail = self.tail[max(0, start - tail_start) : max(0, end - tail_start)]
        return b"\0" * zeros + tail

    def sha256(self) -> str:
        """Computed once (a pass over the whole size), then remembered."""
        if self._digest is None:
            digest = hashlib.sha256()
            block = memoryview(b"\0" * (8 << 20))
            zeros = self.size - len(self.tail)
            while zeros:
                step = min(zeros, len(block))
                digest.update(block[:step])
                zeros -= step
            digest.update(self.tail)
            self._digest = digest.hexdigest()
        return self._digest


def git_blob_id(data: bytes) -> str:
    return hashlib.sha1(b"blob %d\0" % len(data) + data, usedforsecurity=False).hexdigest()


@dataclass
class HubServer:
    """Serves model repositories the way huggingface.co does.

    ``root/<owner>/<repo>/...`` are the repositories (any revision name answers). The tree API
    (``/api/models/<repo>/tree/<rev>?recursive=true``) lists them ``page_size`` entries at a
    time, paged by a ``Link: rel="next"`` header; LFS files (``lfs_suffixes``, and every virtual
    file) carry ``lfs.oid`` = sha256. ``/<repo>/resolve/<rev>/<path>`` answers an LFS file with a
    302 to a second server (another port: another host, like HF's CDN) publishing
    ``X-Linked-ETag`` and ``X-Linked-Size``; a file kept in git comes straight back with its git
    blob id as ETag. Both honour ``Range``.
    """

    root: Path
    virtual: dict[str, VirtualFile] = field(default_factory=dict)  # "owner/repo/path" -> file
    lfs_suffixes: tuple[str, ...] = (".onnx", ".onnx_data", ".armnn", ".rknn")
    page_size: int = 4
    wrong_sha256: set[str] = field(default_factory=set)  # "owner/repo/path": tree lies
    wrong_blob_id: set[str] = field(default_factory=set)
    drop_after: dict[str, int] = field(default_factory=dict)  # "owner/repo/path" -> bytes, once
    honour_range: bool = True
    log: list[Request] = field(default_factory=list)
    port: int = 0
    cdn_port: int = 0

    @property
    def endpoint(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def gets(self, key: str) -> list[Request]:
        """The GETs (of the Hub's resolve URL, or of the CDN) of ``owner/repo/path``."""
        owner, name, rel = key.split("/", 2)
        resolve = rf"/{owner}/{name}/resolve/[^/]+/{re.escape(rel)}"
        pattern = re.compile(rf"{resolve}|/lfs/{re.escape(key)}")
        return [r for r in self.log if r.method == "GET" and pattern.fullmatch(r.path)]

    # -- content --------------------------------------------------------------------------

    def size(self, key: str) -> int | None:
        if key in self.virtual:
            return self.virtual[key].size
        path = self.root / key
        return path.stat().st_size if path.is_file() else None

    def read(self, key: str, start: int, end: int) -> bytes:
        if key in self.virtual:
            return self.virtual[key].read(start, end)
        with (self.root / key).open("rb") as handle:
            handle.seek(start)
            return handle.read(end - start)

    def is_lfs(self, key: str) -> bool:
        return key in self.virtual or key.endswith(self.lfs_suffixes)

    def sha256(self, key: str) -> str:
        if key in self.wrong_sha256:
            return "0" * 64
        if key in self.virtual:
            return self.virtual[key].sha256()
        return hashlib.sha256((self.root / key).read_bytes()).hexdigest()

    def blob_id(self, key: str) -> str:
        if key in self.wrong_blob_id:
            return "0" * 40
        return git_blob_id((self.root / key).read_bytes())

    def tree(self, repo: str) -> list[dict[str, object]]:
        folder = self.root / repo
        entries: list[dict[str, object]] = []
        paths = {p.relative_to(folder).as_posix() for p in folder.rglob("*")}
        paths |= {k[len(repo) + 1 :] for k in self.virtual if k.startswith(repo + "/")}
        for rel in sorted(paths):
            key = f"{repo}/{rel}"
            if (folder / rel).is_dir():
                entries.append({"type": "directory", "oid": "0" * 40, "size": 0, "path": rel})
                continue
            size = self.size(key)
            entry: dict[str, object] = {"type": "file", "size": size, "path": rel}
            if self.is_lfs(key):
                entry["oid"] = "1" * 40  # the pointer file's blob id: no use to a client
                entry["lfs"] = {"oid": self.sha256(key), "size": size, "pointerSize": 134}
            else:
                entry["oid"] = self.blob_id(key)
            entries.append(entry)
        return entries


@contextmanager
def serve_hub(server: HubServer) -> Iterator[HubServer]:
    """Run the Hub and its CDN on two ports of 127.0.0.1."""
    servers = []
    for handler in (_HubHandler, _CdnHandler):
        httpd = ThreadingHTTPServer(
            ("127.0.0.1", 0), type(handler.__name__, (handler,), {"config": server})
        )
        httpd.daemon_threads = True
        servers.append(httpd)
    server.port = servers[0].server_address[1]
    server.cdn_port = servers[1].server_address[1]
    threads = [
        threading.Thread(
            target=s.serve_forever, kwargs={"poll_interval": 0.02}, name="hub", daemon=True
        )
        for s in servers
    ]
    for thread in threads:
        thread.start()
    try:
        yield server
    finally:
        for httpd in servers:
            httpd.shutdown()
            httpd.server_close()
        for thread in threads:
            thread.join(5)


class _HubBase(BaseHTTPRequestHandler):
    config: HubServer

    def log_message(self, format: str, *args: object) -> None:  # Override: quiet tests
        pass

    def do_HEAD(self) -> None:
        self._handle(body=False)

    def do_GET(self) -> None:
        self._handle(body=True)

    def _handle(self, body: bool) -> None:
        raise NotImplementedError

    def _send_file(self, key: str, body: bool, headers: dict[str, str]) -> None:
        config = self.config
        size = config.size(key)
        if size is None:
            self.send_error(404)
            return
        start = 0
        match = re.fullmatch(r"bytes=(\d+)-", self.headers.get("Range") or "")
        if match and config.honour_range:
            start = int(match[1])
            if start >= size:
                self.send_response(416)
                self.send_header("Content-Range", f"bytes */{size}")
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            self.send_response(206)
            self.send_header("Content-Range", f"bytes {start}-{size - 1}/{size}")
        else:
            self.send_response(200)
        self.send_header("Content-Length", str(size - start))
        for key_, value in headers.items():
            self.send_header(key_, value)
        self.end_headers()
        if not body:
            return
        drop = config.drop_after.pop(key, None)
        end = size if drop is None else min(size, max(drop, start))
        try:
            for offset in range(start, end, 1 << 20):
                self.wfile.write(config.read(key, offset, min(offset + (1 << 20), end)))
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client stopped reading (cancelled)


class _HubHandler(_HubBase):
    def _handle(self, body: bool) -> None:
        config = self.config
        config.log.append(Request(self.command, self.path, self.headers.get("Range")))
        url = urlsplit(self.path)
        tree = re.fullmatch(r"/api/models/([^/]+/[^/]+)/tree/([^/]+)", url.path)
        if tree:
            self._tree(tree[1], parse_qs(url.query))
            return
        resolve = re.fullmatch(r"/([^/]+/[^/]+)/resolve/([^/]+)/(.+)", url.path)
        if not resolve:
            self.send_error(404)
            return
        repo, rel = resolve[1], unquote(resolve[3])
        key = f"{repo}/{rel}"
        if config.size(key) is None:
            self.send_error(404)
            return
        if config.is_lfs(key):
            self.send_response(302)
            self.send_header("Location", f"http://127.0.0.1:{config.cdn_port}/lfs/{key}")
            self.send_header("X-Linked-ETag", f'"{config.sha256(key)}"')
            self.send_header("X-Linked-Size", str(config.size(key)))
            self.send_header("ETag", f'"{"1" * 40}"')  # the LFS pointer's blob id
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        self._send_file(key, body, {"ETag": f'"{config.blob_id(key)}"'})

    def _tree(self, repo: str, query: dict[str, list[str]]) -> None:
        config = self.config
        if not (config.root / repo).is_dir():
            self.send_error(404)
            return
        entries = config.tree(repo)
        cursor = int(query.get("cursor", ["0"])[0])
        page = entries[cursor : cursor + config.page_size]
        data = json.dumps(page).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        if cursor + config.page_size < len(entries):
            nxt = cursor + config.page_size
            # Relative on odd pages, absolute on even ones: clients must take both.
            link = f"{urlsplit(self.path).path}?recursive=true&cursor={nxt}"
            if (cursor // config.page_size) % 2:
                link = self.config.endpoint + link
            self.send_header("Link", f'<{link}>; rel="next"')
        self.end_headers()
        self.wfile.write(data)


class _CdnHandler(_HubBase):
    def _handle(self, body: bool) -> None:
        config = self.config
        config.log.append(Request(self.command, self.path, self.headers.get("Range")))
        if not self.path.startswith("/lfs/"):
            self.send_error(404)
            return
        key = unquote(self.path.removeprefix("/lfs/"))
        self._send_file(key, body, {"ETag": f'"{config.sha256(key)}"'})
