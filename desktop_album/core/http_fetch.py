"""The HTTP details of fetching pack files with urllib: redirects, published checksums, ranges.

urllib (stdlib) rather than requests/httpx: the app ships frozen, so no extra dependency; it
honours the system's proxy settings; and the few things it lacks (keeping the headers of a
redirect, resuming) take a handful of lines here.
"""

from __future__ import annotations

import http.client
import re
import urllib.request
from collections.abc import Iterable
from email.message import Message
from typing import IO
from urllib.parse import urlsplit

_SHA256 = re.compile(r"[0-9a-f]{64}")
_CONTENT_RANGE = re.compile(r"bytes\s+(\d+)-(\d+)/(\d+|\*)")


def published_sha256(headers: Iterable[Message]) -> str | None:
    """The sha256 a server publishes for a file, from the responses seen on the way to it.

    Hugging Face sends an LFS file's sha256 as ``X-Linked-ETag`` on its redirect to the CDN;
    a plain ``ETag`` counts only when it is a sha256 (for files kept in git it is a sha1).
    """
    seen = list(headers)
    for key in ("X-Linked-ETag", "ETag"):
        for message in seen:
            value = (message.get(key) or "").strip()
            value = value.removeprefix("W/").strip('"').lower()
            if _SHA256.fullmatch(value):
                return value
    return None


class KeepHeaders(urllib.request.HTTPRedirectHandler):
    """Follow redirects as urllib does, keeping each redirect's headers (and HEAD as HEAD)."""

    def __init__(self) -> None:
        self.seen: list[Message] = []

    def redirect_request(
        self,
        req: urllib.request.Request,
        fp: IO[bytes],
        code: int,
        msg: str,
        headers: http.client.HTTPMessage,
        newurl: str,
    ) -> urllib.request.Request | None:
        self.seen.append(headers)
        new = super().redirect_request(req, fp, code, msg, headers, newurl)
        if new is not None and req.get_method() == "HEAD":
            new.method = "HEAD"  # urllib turns it into a GET, which would fetch the whole file
        return new


def host(url: str) -> str:
    return urlsplit(url).netloc or url


def reason(exc: BaseException) -> str:
    if isinstance(exc, OSError) and exc.strerror:
        return exc.strerror.lower()
    return str(exc) or type(exc).__name__


def header_int(headers: Message, key: str) -> int | None:
    value = headers.get(key)
    try:
        return int(value) if value is not None else None
    except ValueError:
        return None


def linked_size(seen: Iterable[Message]) -> int | None:
    """Hugging Face's ``X-Linked-Size``: the LFS file's size, sent with its redirect."""
    for message in seen:
        size = header_int(message, "X-Linked-Size")
        if size is not None:
            return size
    return None


def content_range(headers: Message) -> tuple[int | None, int | None, int | None]:
    """(start, end, total) of ``Content-Range: bytes a-b/n`` (or ``bytes */n`` on a 416)."""
    value = headers.get("Content-Range") or ""
    match = _CONTENT_RANGE.match(value)
    if match:
        total = None if match[3] == "*" else int(match[3])
        return int(match[1]), int(match[2]), total
    star = re.match(r"bytes\s+\*/(\d+)", value)
    return None, None, int(star[1]) if star else None
