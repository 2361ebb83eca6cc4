"""Failures a user can meet show in the window, with what to do, and lose nothing."""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtWidgets import QMessageBox, QPushButton

from desktop_album.core.paths import AppPaths
from desktop_album.core.settings import Settings
from tests.gui.helpers import CORPUS_SIZE, drop, wait_indexed


def test_a_damaged_library_is_shown_and_can_be_set_aside_for_a_new_one(
    make_window, settings: Settings, home: AppPaths, photo_folder: Path, qtbot
) -> None:
    home.library_file.parent.mkdir(parents=True, exist_ok=True)
    damage = os.urandom(64 << 10)
    home.library_file.write_bytes(damage)

    messages: list[str] = []
    window = make_window(settings, start=False)
    window.messageShown.connect(messages.append)
    with qtbot.waitSignal(window.libraryQuestion, timeout=10_000) as asked:
        window.start()
    box: QMessageBox = asked.args[0]
    assert "damaged" in box.text()
    assert any("damaged" in m for m in messages)
    assert "damaged" in window.statusBar().currentMessage()  # stays, not a 10 s message
    assert window.index_status.isVisible() and window.index_status.label.text() == (
        "Indexing is off"
    )
    assert home.library_file.read_bytes() == damage  # untouched

    start = box.findChild(QPushButton, "newLibrary")
    assert start is not None
    start.click()
    qtbot.waitUntil(lambda: window.index.ready, timeout=10_000)
    kept = list(home.library_file.parent.glob("library.db.damaged-*"))
    assert [p.read_bytes() for p in kept if not p.name.endswith(("-wal", "-shm"))] == [damage]
    assert "new library" in window.statusBar().currentMessage()

    qtbot.waitUntil(lambda: window.model_status.available, timeout=10_000)
    assert drop(window, [photo_folder])
    wait_indexed(qtbot, window, CORPUS_SIZE)
