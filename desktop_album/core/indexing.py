"""The indexing pipeline: plan, decode on a bounded pool, embed in batches, commit per batch.

Decoding the next photos overlaps inference of the current batch (onnxruntime and Pillow both
release the GIL). Each batch is one transaction, so a crash loses at most the batch in flight, and
a rerun picks up the photos still pending. A file that cannot be read is recorded with its reason;
it never stops the run.
"""

from __future__ import annotations

import contextlib
import time
from collections import deque
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from desktop_album.core.control import RunControl
from desktop_album.core.embedding import ClipModel
from desktop_album.core.errors import ImageDecodeError
from desktop_album.core.imaging import DecodedPhoto, decode_photo, register_formats, to_model_batch
from desktop_album.core.library import Library, PhotoResult
from desktop_album.core.scanning import ScanReport, scan_roots
from desktop_album.core.thumbnails import ThumbnailCache
from desktop_album.core.vectors import from_blob


@dataclass
class IndexProgress:
    """A snapshot for progress bars. ``total`` is known once scanning is done."""

    phase: str  # "scanning", "indexing", "done"
    done: int = 0
    total: int = 0
    failed: int = 0
    current: str | None = None
    rate: float = 0.0  # photos per second over the run so far


@dataclass
class IndexSummary:
    indexed: int = 0
    reused: int = 0  # copies and moves that got an existing vector, no inference
    unchanged: int = 0
    missing: int = 0
    moved: int = 0
    failed: list[tuple[str, str]] = field(default_factory=list)
    offline_roots: list[str] = field(default_factory=list)
    held_back: list[ScanReport] = field(default_factory=list)
    unreadable_folders: list[tuple[str, str]] = field(default_factory=list)  # (folder, reason)
    reports: list[ScanReport] = field(default_factory=list)  # one per root scanned
    cancelled: bool = False
    seconds: float = 0.0
    decode_seconds: float = 0.0  # summed over decode threads
    inference_seconds: float = 0.0


@dataclass(frozen=True)
class _Decoded:
    photo_id: int
    path: str
    photo: DecodedPhoto | None
    error: str | None
    seconds: float


ProgressCallback = Callable[[IndexProgress], None]
BatchCallback = Callable[[Sequence[int], np.ndarray], None]


class Indexer:
    """Indexes roots into a library with one model.

    Args:
        library: the writer connection (owned by the calling thread).
        model: the CLIP model; its image tower is loaded on first use.
        thumbnails: where decode threads drop grid thumbnails (None: make none).
        batch_size: photos per inference call and per transaction.
        decode_threads: parallel decoders; the look-ahead is two batches.
        excluded: folders never scanned.
        follow_external_links: follow symbolic links that lead out of every root.
        on_batch: called after each commit with the photo ids and vectors just stored (the
            in-memory search index listens here).
    """

    def __init__(
        self,
        library: Library,
        model: ClipModel,
        thumbnails: ThumbnailCache | None = None,
        *,
        batch_size: int = 32,
        decode_threads: int = 2,
        thumb_size: int = 256,
        excluded: Sequence[str] = (),
        follow_external_links: bool = False,
        on_batch: BatchCallback | None = None,
    ) -> None:
        self.library = library
        self.model = model
        self.thumbnails = thumbnails
        self.batch_size = max(1, batch_size)
        self.decode_threads = max(1, decode_threads)
        self.thumb_size = thumb_size
        self.excluded = tuple(excluded)
        self.follow_external_links = follow_external_links
        self.on_batch = on_batch
        register_formats()

    def scan(
        self,
        root_ids: Sequence[int] | None = None,
        control: RunControl | None = None,
        confirm_missing: bool = False,
        subpaths: Mapping[int, Sequence[str] | None] | None = None,
    ) -> list[ScanReport]:
        """Reconcile the roots with the disk; ``subpaths`` limits a root to what changed."""
        return scan_roots(
            self.library,
            root_ids,
            self.excluded,
            control,
            confirm_missing,
            subpaths,
            follow_external_links=self.follow_external_links,
        )

    def run(
        self,
        root_ids: Sequence[int] | None = None,
        progress: ProgressCallback | None = None,
        control: RunControl | None = None,
        confirm_missing: bool = False,
        subpaths: Mapping[int, Sequence[str] | None] | None = None,
    ) -> IndexSummary:
        """Scan the roots (or, per root, only ``subpaths``), then embed every photo that needs
        it for this model."""
        control = control or RunControl()
        started = time.perf_counter()
        summary = IndexSummary()
        if progress:
            progress(IndexProgress("scanning"))
        summary.reports = self.scan(root_ids, control, confirm_missing, subpaths)
        for report in summary.reports:
            summary.unchanged += report.unchanged
            summary.missing += report.missing
            summary.moved += report.moved
            summary.unreadable_folders.extend(report.unreadable_folders)
            if not report.online:
                summary.offline_roots.append(report.root.path)
            if report.needs_confirmation:
                summary.held_back.append(report)
        if control.cancelled:
            summary.cancelled = True
            return summary
        # Vectors an older version stored under the pack's name move to its image space first.
        self.library.adopt_model_vectors(self.model.pack.name, self.model.model_id)
        todo = self.library.photos_to_embed(self.model.model_id, root_ids)
        self.library.ensure_model(self.model.model_id, self.model.dim)
        self._embed(todo, summary, progress, control, started)
        summary.seconds = time.perf_counter() - started
        if progress:
            progress(
                IndexProgress(
                    "done",
                    summary.indexed + len(summary.failed),
                    len(todo),
                    len(summary.failed),
                    rate=self._rate(summary, started),
                )
            )
        return summary

    @staticmethod
    def _rate(summary: IndexSummary, started: float) -> float:
        elapsed = time.perf_counter() - started
        return (summary.indexed + len(summary.failed)) / elapsed if elapsed > 0 else 0.0

    def _decode(self, photo_id: int, path: str) -> _Decoded:
        begin = time.perf_counter()
        try:
            photo = decode_photo(Path(path), self.model.pack.preprocess, self.thumb_size)
        except ImageDecodeError as exc:
            return _Decoded(photo_id, path, None, exc.reason, time.perf_counter() - begin)
        if self.thumbnails is not None:
            key = ThumbnailCache.key(photo.content_hash, self.thumb_size)
            if not self.thumbnails.contains(key):
                # A full or read-only cache only costs a later re-render.
                with contextlib.suppress(OSError):
                    self.thumbnails.put(key, photo.thumbnail)
        return _Decoded(photo_id, path, photo, None, time.perf_counter() - begin)

    def _embed(
        self,
        todo: list[tuple[int, str]],
        summary: IndexSummary,
        progress: ProgressCallback | None,
        control: RunControl,
        started: float,
    ) -> None:
        if not todo:
            return
        lookahead = self.batch_size * 2
        queue: deque[Future[_Decoded]] = deque()
        items = iter(todo)
        with ThreadPoolExecutor(self.decode_threads, thread_name_prefix="decode") as pool:

            def refill() -> None:
                while len(queue) < lookahead:
                    item = next(items, None)
                    if item is None:
                        return
                    queue.append(pool.submit(self._decode, *item))

            refill()
            while queue:
                if control.checkpoint():
                    summary.cancelled = True
                    for future in queue:
                        future.cancel()
                    return
                batch: list[_Decoded] = []
                while queue and len(batch) < self.batch_size:
                    batch.append(queue.popleft().result())
                    refill()
                self._write_batch(batch, summary)
                if progress:
                    progress(
                        IndexProgress(
                            "indexing",
                            summary.indexed + len(summary.failed),
                            len(todo),
                            len(summary.failed),
                            current=batch[-1].path,
                            rate=self._rate(summary, started),
                        )
                    )

    def _write_batch(self, batch: list[_Decoded], summary: IndexSummary) -> None:
        good = [d for d in batch if d.photo is not None]
        summary.decode_seconds += sum(d.seconds for d in batch)
        model_id = self.model.model_id
        reused = self.library.vectors_by_hash(
            model_id, (d.photo.content_hash for d in good if d.photo is not None)
        )
        fresh = [d for d in good if d.photo is not None and d.photo.content_hash not in reused]
        vectors: dict[int, np.ndarray] = {}
        if fresh:
            begin = time.perf_counter()
            matrix = self.model.embed_images(
                to_model_batch([d.photo.pixels for d in fresh if d.photo is not None])
            )
            summary.inference_seconds += time.perf_counter() - begin
            vectors = {d.photo_id: matrix[i] for i, d in enumerate(fresh)}
        results = []
        for d in batch:
            if d.photo is None:
                results.append(PhotoResult(d.photo_id, error=d.error))
                summary.failed.append((d.path, d.error or "unknown error"))
                continue
            meta = d.photo.meta
            results.append(
                PhotoResult(
                    d.photo_id,
                    vector=vectors.get(d.photo_id),
                    content_hash=d.photo.content_hash,
                    width=meta.width,
                    height=meta.height,
                    taken_at=meta.taken_at,
                    camera=meta.camera,
                    phash=d.photo.phash,
                )
            )
        self.library.record_batch(model_id, results, reused)
        summary.indexed += len(fresh)
        summary.reused += len(good) - len(fresh)
        if self.on_batch is not None and good:
            ids = [d.photo_id for d in good]
            stacked = np.stack(
                [
                    vectors[d.photo_id]
                    if d.photo_id in vectors
                    else from_blob(reused[d.photo.content_hash], self.model.dim)
                    for d in good
                    if d.photo is not None
                ]
            )
            self.on_batch(ids, stacked)
