"""A local HTTP server (127.0.0.1 only) that serves pack folders the way Hugging Face does.

Each behaviour is a switch on :class:`PackServer`, so a test turns on only what it checks:
published checksums on a redirect, Range support, a connection that breaks off once, a slow or
stalled transfer, missing files. Every request is logged for assertions.
"""

from __future__ import annotations

import hashlib
import re
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

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
