"""Without a model: the model dialog, browsing still works; and the Korean interface."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, QLocale
from PySide6.QtWidgets import QApplication

from desktop_album.core.settings import Settings
from desktop_album.gui.translations import install_translators
from tests.gui.helpers import CORPUS_SIZE, drop, wait_indexed


def test_no_model_offers_the_model_dialog_and_still_browses(
    make_window, photo_folder: Path, qtbot
) -> None:
    window = make_window(Settings(provider="cpu"))
    qtbot.waitUntil(
        lambda: window.dialogs.model_dialog is not None and window.dialogs.model_dialog.isVisible(),
        timeout=10_000,
    )
    dialog = window.dialogs.model_dialog
    qtbot.waitUntil(lambda: dialog.catalog_list.count() > 0, timeout=5000)
    assert dialog.selected_entry() is not None  # the catalog's default is preselected
    assert not window.search_bar.isEnabled()
    assert "model" in window.search_bar.placeholderText().lower()
    dialog.reject()
    with qtbot.waitSignal(window.index.finished, timeout=20_000) as finished:
        assert drop(window, [photo_folder])
    assert finished.args[0].scanned_only
    wait_indexed(qtbot, window, CORPUS_SIZE, embedded=False)  # browsable, not searchable
    qtbot.waitUntil(lambda: not window.loader.busy, timeout=10_000)
    assert window.pages.currentWidget() is window.grid


def test_importing_a_pack_folder_enables_search(
    make_window, tiny_pack: Path, photo_folder: Path, qtbot
) -> None:
    window = make_window(Settings(provider="cpu"))
    qtbot.waitUntil(lambda: window.dialogs.model_dialog is not None, timeout=10_000)
    dialog = window.dialogs.model_dialog
    with qtbot.waitSignal(dialog.installed, timeout=20_000) as installed:
        dialog.import_folder(tiny_pack)
    assert installed.args == [tiny_pack.name]
    assert window.services.settings.model == tiny_pack.name
    qtbot.waitUntil(lambda: window.model_status.available, timeout=10_000)
    assert window.search_bar.isEnabled()
    assert (window.services.paths.models_dir / tiny_pack.name / "config.json").is_file()


@pytest.fixture
def korean(qapp: QApplication) -> Iterator[None]:
    translators = install_translators(qapp, "ko")
    yield
    for translator in translators:
        qapp.removeTranslator(translator)
    QLocale.setDefault(QLocale(QLocale.Language.English))


def test_korean_interface(korean: None, make_window, settings: Settings, qtbot) -> None:
    window = make_window(settings)
    assert window.windowTitle() == "데스크톱 앨범"
    menus = [a.text() for a in window.menuBar().actions()]
    assert menus == ["파일(&F)", "보기(&V)", "도움말(&H)"]
    qtbot.waitUntil(lambda: window.model_status.available, timeout=10_000)
    assert "설명" in window.search_bar.placeholderText()
    assert QCoreApplication.translate("PhotoDelegate", "offline") == "오프라인"
    assert QCoreApplication.translate("PhotoDelegate", "missing?") == "사라짐?"


def test_about_names_versions_and_the_model_license(make_window, settings: Settings, qtbot) -> None:
    window = make_window(settings)
    qtbot.waitUntil(lambda: window.model_status.available, timeout=10_000)
    text = window.dialogs.about_text()
    assert "onnxruntime" in text and "Qt" in text
    assert window.model_status.name in text
    assert "license" in text.lower()


def test_korean_translation_is_complete() -> None:
    root = Path(__file__).resolve().parents[2]
    ts = (root / "resources" / "translations" / "desktop_album_ko.ts").read_text("utf-8")
    assert 'type="unfinished"' not in ts
    assert ts.count("<translation>") >= 100
    qm = root / "desktop_album" / "data" / "translations" / "desktop_album_ko.qm"
    assert qm.is_file() and qm.stat().st_size > 1000


@pytest.mark.parametrize(
    ("language", "expected"),
    [("ko", "ViT-B-16-SigLIP2__webli"), ("en", "ViT-B-32__openai")],
)
def test_first_run_recommends_by_interface_language(
    make_window, qtbot, language: str, expected: str
) -> None:
    window = make_window(Settings(provider="cpu", language=language))
    qtbot.waitUntil(lambda: window.dialogs.model_dialog is not None, timeout=10_000)
    dialog = window.dialogs.model_dialog
    qtbot.waitUntil(lambda: dialog.catalog_list.count() > 0, timeout=5000)
    entry = dialog.selected_entry()
    assert entry is not None and entry.name == expected
    assert dialog.catalog_list.currentItem().text().startswith(entry.title)
    why = dialog.recommendation.text()
    assert entry.title in why
    if language == "ko":
        assert entry.supports_language("ko")
        assert "70.3%" in why and "75.2%" in why  # immich's Korean and English recall
    else:
        assert "59.4%" in why


def test_the_korean_dialog_says_why_in_korean(korean: None, qtbot, tmp_path: Path) -> None:
    from desktop_album.gui.model_dialog import ModelDialog
    from desktop_album.gui.tasks import TaskManager

    tasks = TaskManager()
    dialog = ModelDialog(tmp_path / "models", tasks, ui_language="ko_KR")
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: dialog.catalog_list.count() > 0, timeout=5000)
    assert dialog.selected_entry().name == "ViT-B-16-SigLIP2__webli"
    why = dialog.recommendation.text()
    assert "추천" in why and "한국어" in why and "70.3%" in why
    assert "추천" in dialog.catalog_list.currentItem().text()
    tasks.shutdown()
