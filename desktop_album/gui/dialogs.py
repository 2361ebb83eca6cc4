"""The window's secondary windows: models, settings, about, the viewer; and applying settings."""

from __future__ import annotations

import importlib.metadata
import sys
from dataclasses import fields
from typing import TYPE_CHECKING

from PySide6 import __version__ as pyside_version
from PySide6.QtCore import QCoreApplication, qVersion
from PySide6.QtWidgets import QBoxLayout, QDialog, QMessageBox

from desktop_album import __version__
from desktop_album.core.settings import Settings
from desktop_album.gui.installed_packs import InstalledPacks
from desktop_album.gui.model_dialog import ModelDialog
from desktop_album.gui.photo_model import thumbnail_key
from desktop_album.gui.records import ModelStatus, PhotoRow
from desktop_album.gui.settings_dialog import SettingsDialog
from desktop_album.gui.translations import ui_language
from desktop_album.gui.viewer import PhotoViewer

if TYPE_CHECKING:
    from desktop_album.gui.main_window import MainWindow

_MODEL_KEYS = ("model", "provider", "threads", "precision")


def onnxruntime_version() -> str:
    module = sys.modules.get("onnxruntime")
    version = getattr(module, "__version__", None)
    if isinstance(version, str):
        return version
    for dist in ("onnxruntime", "onnxruntime-gpu"):
        try:
            return importlib.metadata.version(dist)
        except importlib.metadata.PackageNotFoundError:
            continue
    return "?"


class WindowDialogs:
    """Opens (at most one of each) and closes the window's dialogs."""

    def __init__(self, window: MainWindow) -> None:
        self.window = window
        self.model_dialog: ModelDialog | None = None
        self.settings_dialog: SettingsDialog | None = None
        self.viewer: PhotoViewer | None = None
        self._offered = False

    @staticmethod
    def tr(text: str) -> str:
        return QCoreApplication.translate("WindowDialogs", text)

    # -- models ---------------------------------------------------------------------------------

    def offer_model(self, problem: str | None) -> None:
        """On first need only: open the model dialog, explaining why."""
        if not self._offered:
            self._offered = True
            self.show_models(problem)

    def show_models(self, problem: str | None = None) -> None:
        if self.model_dialog is not None and self.model_dialog.isVisible():
            self.model_dialog.raise_()
            return
        services = self.window.services
        # The core's message names CLI commands: worth showing only when a chosen model broke.
        problem = problem if services.settings.model else None
        dialog = ModelDialog(
            services.paths.models_dir,
            self.window.tasks,
            problem,
            provider="cpu",
            parent=self.window,
            ui_language=ui_language(services.settings.language),
            endpoint=services.settings.hub_endpoint,
        )
        dialog.installed.connect(self._model_installed)
        # Installed packs first: which is in use, switch to another, remove one.
        packs = InstalledPacks(
            services.paths.models_dir, services.settings.model, self.window.tasks
        )
        packs.useRequested.connect(lambda name: self._switch_model(packs, name))
        packs.removeFailed.connect(self.window.show_error)
        layout = dialog.layout()
        if isinstance(layout, QBoxLayout):
            layout.insertWidget(0, packs)
        dialog.installed_packs = packs  # type: ignore[attr-defined]
        self.model_dialog = dialog
        dialog.open()

    def _model_installed(self, name: str) -> None:
        self.window.services.settings.model = name
        self.window.save_settings()
        self._reload_model()

    def _switch_model(self, packs: InstalledPacks, name: str) -> None:
        """Use another installed pack. One sharing the image space of the pack in use needs no
        re-indexing: its photos' vectors are adopted as they are."""
        current, chosen = packs.active_entry(), packs.entry(name)
        same_space = (
            current is not None
            and chosen is not None
            and current.model_id is not None
            and current.model_id == chosen.model_id
        )
        self._model_installed(name)
        if same_space:
            text = self.tr("{model} is ready, no re-indexing needed.")
        else:
            text = self.tr("Switching to {model}: photos are prepared for it in the background.")
        self.window.show_message(text.format(model=name))
        packs.active = name
        packs.reload()

    def _reload_model(self) -> None:
        choice = self.window.services.model_choice()
        self.window.index.set_model(choice)  # the search side gets the same model from it
        self.window.index.index(None)  # embed what waited for a model, or the new model's

    def model_status_changed(self, status: ModelStatus) -> None:
        if status.available and self.model_dialog is not None and not self.model_dialog.busy:
            self.model_dialog.close()

    # -- settings -------------------------------------------------------------------------------

    def show_settings(self) -> None:
        if self.settings_dialog is not None and self.settings_dialog.isVisible():
            self.settings_dialog.raise_()
            return
        services = self.window.services
        dialog = SettingsDialog(
            services.settings,
            services.paths.models_dir,
            services.paths.thumbnails_dir,
            self.window.tasks,
            parent=self.window,
        )
        dialog.finished.connect(lambda code: self._settings_done(dialog, code))
        self.settings_dialog = dialog
        dialog.open()

    def _settings_done(self, dialog: SettingsDialog, code: int) -> None:
        if code == QDialog.DialogCode.Accepted:
            self.apply_settings(dialog.result_settings())

    def apply_settings(self, new: Settings) -> None:
        """Take over edited settings: save them and tell the workers what changed."""
        window = self.window
        current = window.services.settings
        changed = {
            f.name for f in fields(Settings) if getattr(current, f.name) != getattr(new, f.name)
        }
        for f in fields(Settings):
            setattr(current, f.name, getattr(new, f.name))  # same object: everyone sees it
        window.save_settings()
        if changed & set(_MODEL_KEYS):
            self._reload_model()
        if "excluded_folders" in changed:
            window.index.set_excluded(current.excluded_folders)
        if changed & {"language", "thumbnail_dir", "thumbnail_cache_mb"}:
            window.show_message(self.tr("Some changes take effect when the app starts again."))

    # -- about ----------------------------------------------------------------------------------

    def about_text(self) -> str:
        status = self.window.model_status
        model = status.name if status.available and status.name else self.tr("none")
        title = self.tr("Desktop Album")
        lines = [
            f"<h3>{title} {__version__}</h3>",
            "<p>"
            + self.tr("Find your photos by describing them. Everything stays on this computer.")
            + "</p>",
            "<p>"
            + self.tr("Qt {qt} · PySide {pyside} · onnxruntime {ort}").format(
                qt=qVersion(), pyside=pyside_version, ort=onnxruntime_version()
            )
            + "</p>",
            "<p>" + self.tr("Model: {model}").format(model=model),
        ]
        if status.available:
            license_text = status.license or self.tr("see the model's documentation")
            lines.append("<br>" + self.tr("Model license: {license}").format(license=license_text))
        lines.append("</p>")
        return "\n".join(lines)

    def show_about(self) -> None:
        QMessageBox.about(self.window, self.tr("About Desktop Album"), self.about_text())

    # -- viewer ---------------------------------------------------------------------------------

    def show_viewer(self, rows: list[PhotoRow], start: int) -> None:
        if not rows or start < 0:
            return
        if self.viewer is not None:
            self.viewer.close()
        loader = self.window.loader
        self.viewer = PhotoViewer(
            rows,
            start,
            self.window.tasks,
            parent=self.window,
            # The grid's cached thumbnail shows at once, while the full image loads.
            thumbnail=lambda row: loader.pixmap(thumbnail_key(row), row.path, row.content_hash),
        )
        self.viewer.destroyed.connect(self._viewer_gone)
        self.viewer.show()

    def _viewer_gone(self) -> None:
        self.viewer = None

    def close_all(self) -> None:
        for dialog in (self.model_dialog, self.settings_dialog, self.viewer):
            if dialog is not None:
                dialog.close()
