"""The model dialog downloads through the same core download as the CLI, from a local Hub."""

from __future__ import annotations

from pathlib import Path

import pytest

from desktop_album.core.catalog import Catalog, CatalogEntry
from desktop_album.gui import model_dialog
from desktop_album.gui.model_dialog import ModelDialog
from desktop_album.gui.tasks import TaskManager
from tests.pack_server import HubServer, serve_hub
from tests.packs import make_minimal_pack


def hub_entry() -> CatalogEntry:
    return CatalogEntry(
        name="test-pack",
        title="Test pack",
        description="",
        languages=("en", "ko"),
        embed_dim=None,
        license="MIT",
        homepage="https://huggingface.co/immich-app/test-pack",
        repo="immich-app/test-pack",
    )


def test_the_dialog_downloads_from_the_hub_endpoint(
    qtbot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for key in ("http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY", "all_proxy"):
        monkeypatch.delenv(key, raising=False)
    monkeypatch.setattr(model_dialog, "load_catalog", lambda: Catalog((hub_entry(),)))
    make_minimal_pack(tmp_path / "hub" / "immich-app" / "test-pack")
    models = tmp_path / "models"
    tasks = TaskManager()
    with serve_hub(HubServer(tmp_path / "hub")) as server:
        dialog = ModelDialog(models, tasks, ui_language="ko", endpoint=server.endpoint)
        qtbot.addWidget(dialog)
        qtbot.waitUntil(lambda: dialog.selected_entry() is not None, timeout=5000)
        with qtbot.waitSignal(dialog.installed, timeout=20_000) as installed:
            dialog.download()
    assert installed.args == ["test-pack"]
    assert (models / "test-pack" / "textual" / "model.onnx").is_file()
    assert any("/tree/main" in r.path for r in server.log)
    tasks.shutdown()


def test_a_full_disk_is_worded_in_the_dialog(qtbot, tmp_path: Path, monkeypatch) -> None:
    from desktop_album.core.errors import DiskFullError

    def full(*_args: object, **_kwargs: object) -> Path:
        raise DiskFullError("x", needed_bytes=3 * 10**9, free_bytes=10**9)

    monkeypatch.setattr(model_dialog, "load_catalog", lambda: Catalog((hub_entry(),)))
    monkeypatch.setattr(model_dialog, "download_pack", full)
    tasks = TaskManager()
    dialog = ModelDialog(tmp_path / "models", tasks)
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: dialog.selected_entry() is not None, timeout=5000)
    dialog.download()
    qtbot.waitUntil(lambda: not dialog.busy, timeout=5000)
    text = dialog.status.text()
    assert "Not enough disk space" in text and "test-pack" in text
    assert "GB" in text or "GiB" in text
    tasks.shutdown()
