"""The new widgets speak Korean, and every string of the window's code has a translation."""

from __future__ import annotations

import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QLocale
from PySide6.QtWidgets import QApplication

from desktop_album.core import photo_details as pd
from desktop_album.core.folders import FolderNode, RootFolders, Unreadable
from desktop_album.gui.album_list import AlbumList
from desktop_album.gui.folder_tree import UNREADABLE, FolderTree
from desktop_album.gui.info_panel import InfoPanel
from desktop_album.gui.photo_actions import SelectionActions
from desktop_album.gui.records import PhotoRow
from desktop_album.gui.translations import install_translators

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def korean(qapp: QApplication) -> Iterator[None]:
    translators = install_translators(qapp, "ko")
    yield
    for translator in translators:
        qapp.removeTranslator(translator)
    QLocale.setDefault(QLocale(QLocale.Language.English))


def test_new_widgets_in_korean(korean: None, qtbot) -> None:
    panel = InfoPanel()
    qtbot.addWidget(panel)
    panel.show_details(pd.PhotoDetails(1, "/x.jpg", pd.UNREADABLE, reason="truncated"))
    assert panel.state_label.text() == "읽을 수 없음: truncated"
    rows = [PhotoRow(i, f"/p/{i}.jpg", 1, None, None, 1, 1, "h", False) for i in (1, 2)]
    menu = SelectionActions().build_menu(rows)
    texts = [a.text() for a in menu.actions() if a.text()]
    assert "비슷한 사진 찾기" in texts and "휴지통으로 이동…" in texts and "경로 2개 복사" in texts
    tree = FolderTree()
    qtbot.addWidget(tree)
    node = FolderNode("사진", "", own=1, total=1)
    tree.set_roots([RootFolders(1, "/사진", True, node, [Unreadable(5, "/사진/a.jpg", "bad")])])
    assert tree.item_for(UNREADABLE, 1).text(0) == "읽을 수 없음 1개"
    albums = AlbumList()
    qtbot.addWidget(albums)
    assert albums.item(0).text().startswith("즐겨찾기")


def test_every_window_string_has_a_korean_translation(tmp_path: Path) -> None:
    """lupdate on a copy of the .ts finds nothing new to translate."""
    lupdate = Path(sys.executable).with_name("pyside6-lupdate")
    tool = str(lupdate) if lupdate.exists() else shutil.which("pyside6-lupdate")
    assert tool, "pyside6-lupdate (ships with PySide6) not found"
    copy = tmp_path / "ko.ts"
    shutil.copy(ROOT / "resources" / "translations" / "desktop_album_ko.ts", copy)
    sources = sorted(str(p) for p in (ROOT / "desktop_album" / "gui").glob("*.py"))
    subprocess.run(
        [
            tool,
            *sources,
            str(ROOT / "desktop_album" / "app.py"),
            "-ts",
            str(copy),
            "-source-language",
            "en",
            "-target-language",
            "ko",
            "-no-obsolete",
        ],
        check=True,
        capture_output=True,
        timeout=300,
    )
    text = copy.read_text("utf-8")
    missing = text.count('type="unfinished"')
    assert missing == 0, f"{missing} strings lack a Korean translation (see resources/translations)"
