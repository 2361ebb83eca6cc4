"""Perceptual hashes for photos indexed before hashes existed (or by an older version).

Each hash comes from the grid thumbnail in the cache when it is there (no file is read), else
from a reduced (DCT-scaled) decode of the file, fitted to the thumbnail size exactly as indexing
does, so both paths hash the same pixels to within JPEG noise. Unreadable files are skipped and
left without a hash; they are tried again next time.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path

from PIL import Image

from desktop_album.core.control import RunControl
from desktop_album.core.errors import ImageDecodeError
from desktop_album.core.imaging import fit_thumbnail, load_image
from desktop_album.core.library import Library
from desktop_album.core.phash import perceptual_hash
from desktop_album.core.thumbnails import ThumbnailCache

__all__ = ["BackfillReport", "backfill_phashes", "count_missing_phashes"]

_BATCH = 256


@dataclass
class BackfillReport:
    from_thumbnails: int = 0
    from_files: int = 0
    unreadable: int = 0
    cancelled: bool = False

    @property
    def hashed(self) -> int:
        return self.from_thumbnails + self.from_files


def count_missing_phashes(library: Library) -> int:
    row = library.conn.execute(
        "SELECT count(*) FROM photos WHERE status = 'ok' AND phash IS NULL"
    ).fetchone()
    return int(row[0])


def _from_cache(cache: ThumbnailCache | None, content_hash: str | None, size: int) -> int | None:
    if cache is None or not content_hash:
        return None
    try:
        data = cache.get(ThumbnailCache.key(content_hash, size))
        if data is None:
            return None
        with Image.open(io.BytesIO(data)) as image:
            return perceptual_hash(image)
    except (OSError, ValueError, SyntaxError):  # a damaged cache file: decode the photo
        return None


def _from_file(path: str, size: int) -> int:
    """Raises ImageDecodeError."""
    return perceptual_hash(fit_thumbnail(load_image(Path(path), min_side=size), size))


def backfill_phashes(
    library: Library,
    thumbnails: ThumbnailCache | None,
    thumb_size: int = 256,
    control: RunControl | None = None,
) -> BackfillReport:
    """Hash every readable photo that has no perceptual hash yet; one transaction per batch."""
    report = BackfillReport()
    todo = library.conn.execute(
        "SELECT p.id, p.path, p.content_hash, r.online FROM photos p "
        "JOIN roots r ON r.id = p.root_id WHERE p.status = 'ok' AND p.phash IS NULL ORDER BY p.id"
    ).fetchall()
    for start in range(0, len(todo), _BATCH):
        if control is not None and control.checkpoint():
            report.cancelled = True
            break
        found: list[tuple[int, int]] = []
        for photo_id, path, content_hash, online in todo[start : start + _BATCH]:
            value = _from_cache(thumbnails, content_hash, thumb_size)
            if value is not None:
                report.from_thumbnails += 1
            elif not online:
                continue  # an unplugged drive: hashed when it is back
            else:
                try:
                    value = _from_file(path, thumb_size)
                except ImageDecodeError:
                    report.unreadable += 1
                    continue
                report.from_files += 1
            found.append((value, photo_id))
        with library.write() as conn:
            conn.executemany("UPDATE photos SET phash = ? WHERE id = ?", found)
    return report
