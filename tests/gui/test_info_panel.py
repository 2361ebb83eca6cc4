"""The info panel shows a photo's details read on a worker; stale reads are dropped."""

from __future__ import annotations

from pathlib import Path

from PIL import Image

from desktop_album.core import photo_details as pd
from desktop_album.core.library import PhotoInfo
from desktop_album.gui.info_panel import InfoPanel, exposure_text, info_from_row
from desktop_album.gui.records import PhotoRow
from desktop_album.gui.tasks import TaskManager


def _exif_photo(path: Path) -> None:
    exif = Image.Exif()
    exif[0x010F], exif[0x0110] = "Canon", "Canon EOS R6"
    sub = exif.get_ifd(0x8769)
    sub[0x9003] = "2024:05:01 14:30:00"
    sub[0x829A], sub[0x829D], sub[0x8827], sub[0x920A] = 1 / 250, 2.8, 400, 50.0
    sub[0xA434] = "RF50mm F1.8 STM"
    gps = exif.get_ifd(0x8825)
    gps[1], gps[2], gps[3], gps[4] = "N", (33.0, 30.0, 0.0), "E", (126.0, 31.0, 48.0)
    Image.new("RGB", (64, 48), (10, 120, 200)).save(path, exif=exif)


def _info(path: Path, **changes: object) -> PhotoInfo:
    values: dict[str, object] = {
        "id": 7,
        "path": str(path),
        "root_id": 1,
        "status": "ok",
        "error": None,
        "width": None,
        "height": None,
        "taken_at": None,
        "camera": None,
        "size": 0,
        "content_hash": "h",
        "online": True,
    }
    values.update(changes)
    return PhotoInfo(**values)  # type: ignore[arg-type]


def test_panel_reads_details_on_a_worker_and_shows_them(qtbot, tmp_path: Path) -> None:
    photo = tmp_path / "jeju.jpg"
    _exif_photo(photo)
    panel = InfoPanel()
    qtbot.addWidget(panel)
    tasks = TaskManager(max_threads=1)
    with qtbot.waitSignal(panel.shown, timeout=10_000) as shown:
        panel.load(_info(photo), tasks)
        assert panel.state_label.text() == "Reading details…"  # never waits on the disk
    assert shown.args == [7]
    text = {k: v.text() for k, v in panel.labels.items()}
    assert text["date"].endswith("(from the camera)") and "2024" in text["date"]
    assert text["camera"] == "Canon EOS R6"
    assert text["lens"] == "RF50mm F1.8 STM"
    assert text["exposure"] == "1/250 s · f/2.8 · ISO 400 · 50 mm"
    assert text["location"] == "33.500000, 126.530000"
    assert text["dimensions"] == "64 × 48"
    assert text["path"] == str(photo)
    assert text["file_size"]
    assert panel.state_label.text() == "Indexed: searchable"
    tasks.shutdown()


def test_a_late_result_for_the_previous_photo_is_dropped(qtbot, tmp_path: Path) -> None:
    first, second = tmp_path / "a.jpg", tmp_path / "b.jpg"
    _exif_photo(first)
    Image.new("RGB", (5, 5)).save(second)
    panel = InfoPanel()
    qtbot.addWidget(panel)
    tasks = TaskManager(max_threads=1)
    panel.load(_info(first, id=1), tasks)
    with qtbot.waitSignal(panel.shown, timeout=10_000) as shown:
        panel.load(_info(second, id=2), tasks)
    qtbot.waitUntil(lambda: tasks.pending == 0, timeout=10_000)
    assert shown.args == [2] and panel.current == 2
    assert panel.labels["camera"].text() == "—"
    assert panel.labels["date"].text().endswith("(file modified)")
    tasks.shutdown()


def test_states_are_worded(qtbot, tmp_path: Path) -> None:
    panel = InfoPanel()
    qtbot.addWidget(panel)
    panel.show_details(pd.PhotoDetails(1, "/x.jpg", pd.UNREADABLE, reason="truncated file"))
    assert panel.state_label.text() == "Unreadable: truncated file"
    panel.show_details(pd.PhotoDetails(1, "/x.jpg", pd.OFFLINE))
    assert "offline drive" in panel.state_label.text()
    panel.show_details(pd.PhotoDetails(1, "/x.jpg", pd.MISSING))
    assert "no longer" in panel.state_label.text()
    panel.clear()
    assert panel.current is None and panel.labels["path"].text() == ""


def test_offline_row_never_reads_the_file(qtbot, tmp_path: Path) -> None:
    row = PhotoRow(
        3,
        str(tmp_path / "gone.jpg"),
        1234,
        "2020-01-02T03:04:05",
        "NIKON Z6",
        10,
        20,
        "h",
        offline=True,
    )
    panel = InfoPanel()
    qtbot.addWidget(panel)
    tasks = TaskManager(max_threads=1)
    with qtbot.waitSignal(panel.shown, timeout=10_000):
        panel.load(info_from_row(row), tasks)
    assert "offline drive" in panel.state_label.text()
    assert panel.labels["camera"].text() == "NIKON Z6"
    assert panel.labels["dimensions"].text() == "10 × 20"
    tasks.shutdown()


def test_exposure_text() -> None:
    slow = pd.PhotoDetails(1, "/x", pd.INDEXED, exposure_time=2.0, f_number=8.0)
    assert exposure_text(slow) == "2 s · f/8"
    assert exposure_text(pd.PhotoDetails(1, "/x", pd.INDEXED)) is None
