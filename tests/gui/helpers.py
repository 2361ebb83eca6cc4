"""Helpers for driving the window like a user: drops, typing, waiting for results."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QApplication

from desktop_album.gui.main_window import MainWindow
from desktop_album.gui.services import Tuning

INDEX_TIMEOUT_MS = 30_000
CORPUS_SIZE = 80  # two photos of every colour x shape, so "find similar" has a twin

# Short delays and small pools: the tests wait on signals, never on fixed times.
FAST = Tuning(
    search_debounce_ms=30,
    refresh_coalesce_ms=10,
    batch_size=8,
    decode_threads=2,
    thumbnail_threads=2,
    ram_cache_mb=32,
    search_k=40,
)


def drop(window: MainWindow, paths: Sequence[Path | str]) -> bool:
    """Drag ``paths`` over the window and drop them; returns whether the drag was accepted."""
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(p)) for p in paths])
    centre = window.rect().center()
    args = (
        Qt.DropAction.CopyAction,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    try:
        enter = QDragEnterEvent(QPointF(centre), *args)  # Qt 6.12+; the QPoint form is deprecated
    except TypeError:
        enter = QDragEnterEvent(centre, *args)
    QApplication.sendEvent(window, enter)
    if not enter.isAccepted():
        return False
    event = QDropEvent(
        QPointF(centre),
        Qt.DropAction.CopyAction,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    QApplication.sendEvent(window, event)
    return True


def wait_indexed(qtbot, window: MainWindow, count: int, embedded: bool = True) -> None:
    """Until no index job runs and the grid shows ``count`` photos (all read, if ``embedded``:
    the grid refreshes once more after the job, and that is the state tests compare with)."""

    def done() -> bool:
        rows = window.photos.photos()
        return (
            not window.index.busy
            and len(rows) == count
            and (not embedded or all(r.content_hash for r in rows))
        )

    qtbot.waitUntil(done, timeout=INDEX_TIMEOUT_MS)


def names(window: MainWindow, first: int | None = None) -> list[str]:
    rows = window.photos.photos()
    return [Path(r.path).name for r in rows[:first]]


def shape_of(name: str) -> str:
    """``red_circle_017.jpg`` -> ``red_circle``."""
    return "_".join(name.split("_")[:2])
