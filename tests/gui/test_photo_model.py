"""The grid's model, delegate and thumbnail loader, without any worker threads of the app."""

from __future__ import annotations

import time
from pathlib import Path

from PIL import Image
from PySide6.QtCore import QSize, Qt

from desktop_album.core.thumbnails import ThumbnailCache
from desktop_album.gui.delegate import PhotoDelegate
from desktop_album.gui.grid import PhotoGrid
from desktop_album.gui.photo_model import (
    OFFLINE_ROLE,
    PATH_ROLE,
    ROW_ROLE,
    SCORE_ROLE,
    THUMBNAIL_KEY_ROLE,
    PhotoListModel,
)
from desktop_album.gui.records import PhotoRow
from desktop_album.gui.tasks import TaskManager
from desktop_album.gui.thumbnail_loader import ThumbnailLoader


def rows(count: int, scored: bool = False) -> list[PhotoRow]:
    return [
        PhotoRow(
            id=i + 1,
            path=f"/photos/img_{i:06d}.jpg",
            size=1000 + i,
            taken_at=None,
            camera=None,
            width=640,
            height=480,
            content_hash=f"{i:064x}" if i % 2 else None,
            offline=i % 7 == 0,
            score=0.5 - i / 1e6 if scored else None,
        )
        for i in range(count)
    ]


def test_model_passes_qtmodeltester(qtmodeltester) -> None:
    model = PhotoListModel()
    model.set_rows(rows(25, scored=True), "text")
    qtmodeltester.check(model, force_py=True)
    model.set_rows([], "browse")
    qtmodeltester.check(model, force_py=True)


def test_roles(qtbot) -> None:
    model = PhotoListModel()
    data = rows(3, scored=True)
    model.set_rows(data, "text")
    index = model.index(1, 0)
    assert index.data(Qt.ItemDataRole.DisplayRole) == "img_000001.jpg"
    assert index.data(PATH_ROLE) == "/photos/img_000001.jpg"
    assert index.data(ROW_ROLE) == data[1]
    assert index.data(THUMBNAIL_KEY_ROLE) == data[1].content_hash
    assert model.index(0, 0).data(THUMBNAIL_KEY_ROLE) == "path:/photos/img_000000.jpg"
    assert index.data(SCORE_ROLE) == data[1].score
    assert model.index(0, 0).data(OFFLINE_ROLE) is True
    assert "0.500" in index.data(Qt.ItemDataRole.ToolTipRole)


def test_thumbnail_ready_repaints_only_its_rows(qtbot) -> None:
    model = PhotoListModel()
    data = rows(10)
    model.set_rows(data)
    changed: list[int] = []
    model.dataChanged.connect(lambda top, bottom, roles: changed.append(top.row()))
    model.thumbnail_ready(data[3].content_hash or "")
    assert changed == [3]


def _write_jpeg(path: Path, color: tuple[int, int, int]) -> Path:
    Image.new("RGB", (120, 80), color).save(path, "JPEG")
    return path


def test_loader_reads_disk_cache_then_renders(qtbot, tmp_path: Path) -> None:
    cache = ThumbnailCache(tmp_path / "cache")
    tasks = TaskManager(max_threads=1)
    loader = ThumbnailLoader(cache, tasks, size=64, max_in_flight=1)
    cached_hash = "a" * 64
    cache.put(ThumbnailCache.key(cached_hash, 64), _jpeg_bytes())
    photo = _write_jpeg(tmp_path / "new.jpg", (200, 10, 10))
    ready: list[str] = []
    loader.ready.connect(lambda value: ready.append(value))
    assert loader.pixmap(cached_hash, "/nowhere.jpg", cached_hash) is None
    assert loader.pixmap("path:new", str(photo), None) is None
    assert loader.pixmap("path:gone", str(tmp_path / "gone.jpg"), None) is None
    qtbot.waitUntil(lambda: len(ready) == 3, timeout=5000)
    assert loader.pixmap(cached_hash, "/nowhere.jpg", cached_hash) is not None
    rendered = loader.pixmap("path:new", str(photo), None)
    assert rendered is not None and rendered.width() == 64
    assert loader.is_failed("path:gone")
    tasks.shutdown()


def _jpeg_bytes() -> bytes:
    import io

    buffer = io.BytesIO()
    Image.new("RGB", (64, 40), (0, 0, 200)).save(buffer, "JPEG")
    return buffer.getvalue()


def test_loader_is_last_in_first_out(qtbot, tmp_path: Path) -> None:
    cache = ThumbnailCache(tmp_path / "cache")
    tasks = TaskManager(max_threads=1)
    loader = ThumbnailLoader(cache, tasks, size=32, max_in_flight=1)
    photos = [_write_jpeg(tmp_path / f"{i}.jpg", (i * 20, 0, 0)) for i in range(6)]
    order: list[str] = []
    loader.ready.connect(lambda value: order.append(value))
    for i, photo in enumerate(photos):
        loader.pixmap(f"k{i}", str(photo), None)
    qtbot.waitUntil(lambda: len(order) == 6, timeout=5000)
    # The first request started at once; the rest come newest first.
    assert order == ["k0", "k5", "k4", "k3", "k2", "k1"]
    tasks.shutdown()


def test_hundred_thousand_rows_scroll_quickly(qtbot, tmp_path: Path) -> None:
    cache = ThumbnailCache(tmp_path / "cache")
    tasks = TaskManager(max_threads=1)
    loader = ThumbnailLoader(cache, tasks, size=64, max_in_flight=1, max_waiting=50)
    model = PhotoListModel()
    view = PhotoGrid(PhotoDelegate(loader, cell=120), min_cell=120)
    view.setModel(model)
    view.resize(QSize(1000, 700))
    qtbot.addWidget(view)
    view.show()
    began = time.perf_counter()
    model.set_rows(rows(100_000))
    view.repaint()
    reset = time.perf_counter() - began
    bar = view.verticalScrollBar()
    began = time.perf_counter()
    for step in range(30):
        bar.setValue(bar.maximum() * step // 29)
        view.viewport().repaint()
    per_frame = (time.perf_counter() - began) / 30
    print(f"\n100k rows: reset+first paint {reset * 1000:.0f} ms, {per_frame * 1000:.1f} ms/frame")
    assert reset < 2.0
    assert per_frame < 0.1
    tasks.shutdown()


def test_a_large_result_holds_ids_and_fetches_rows_a_page_at_a_time(qtbot) -> None:
    model = PhotoListModel()
    everything = rows(1200)
    model.set_rows(everything[:500], "browse", [r.id for r in everything])
    assert model.rowCount() == 1200
    assert len(model.photos()) == 500  # only the first page is materialised
    assert model.row_of(1100) == 1099

    with qtbot.waitSignal(model.rowsWanted, timeout=1000) as wanted:
        assert model.index(700, 0).data(ROW_ROLE) is None  # not fetched yet: its page is asked
    assert wanted.args[0] == list(range(501, 1001))  # the ids of rows 500..999
    asked: list[object] = []
    model.rowsWanted.connect(asked.append)
    model.index(701, 0).data(ROW_ROLE)
    assert asked == []  # one request per page

    with qtbot.waitSignal(model.rowsArrived, timeout=1000) as arrived:
        model.add_rows(everything[500:1000])
    assert arrived.args == [500, 999]
    assert model.index(700, 0).data(PATH_ROLE) == everything[700].path
    assert len(model.photos()) == 1000
