"""The Settings dialog: model, execution, excluded folders, thumbnail cache, language.

It edits a copy of :class:`Settings`; the window saves it (on a worker) and applies what changed.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from desktop_album.core.pack_store import PackStore
from desktop_album.core.settings import Settings
from desktop_album.gui.tasks import TaskManager


class SettingsDialog(QDialog):
    """Edits the user's settings.

    Args:
        settings: the current settings (not modified).
        models_dir: where installed packs are listed from (on a worker).
        default_thumbnail_dir: shown when the cache is in its default place.
        tasks: the pool that lists the installed packs.
    """

    def __init__(
        self,
        settings: Settings,
        models_dir: Path,
        default_thumbnail_dir: Path,
        tasks: TaskManager,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("settingsDialog")
        self.setWindowTitle(self.tr("Settings"))
        self._original = settings

        self.model = QComboBox()
        self.model.addItem(self.tr("Automatic (the installed model)"), None)
        if settings.model:
            self.model.addItem(settings.model, settings.model)
            self.model.setCurrentIndex(1)
        self.provider = QComboBox()
        for value, text in (
            ("auto", self.tr("Automatic")),
            ("cpu", self.tr("CPU")),
            ("cuda", self.tr("CUDA (NVIDIA GPU)")),
        ):
            self.provider.addItem(text, value)
        self.provider.setCurrentIndex(max(0, self.provider.findData(settings.provider)))
        self.threads = QSpinBox()
        self.threads.setRange(0, 256)
        self.threads.setSpecialValueText(self.tr("Automatic"))
        self.threads.setValue(settings.threads)

        self.excluded = QListWidget()
        self.excluded.addItems(settings.excluded_folders)
        self.excluded.setFixedHeight(90)
        add = QPushButton(self.tr("Add…"))
        add.clicked.connect(self._add_excluded)
        remove = QPushButton(self.tr("Remove"))
        remove.clicked.connect(self._remove_excluded)
        excluded_buttons = QHBoxLayout()
        excluded_buttons.addWidget(add)
        excluded_buttons.addWidget(remove)
        excluded_buttons.addStretch(1)
        excluded_row = QVBoxLayout()
        excluded_row.addWidget(self.excluded)
        excluded_row.addLayout(excluded_buttons)

        self.cache_size = QSpinBox()
        self.cache_size.setRange(16, 1_000_000)
        self.cache_size.setSuffix(" MB")
        self.cache_size.setValue(settings.thumbnail_cache_mb)
        self.cache_dir = QLineEdit(settings.thumbnail_dir or "")
        self.cache_dir.setPlaceholderText(str(default_thumbnail_dir))
        browse = QPushButton(self.tr("Browse…"))
        browse.clicked.connect(self._choose_cache_dir)
        cache_row = QHBoxLayout()
        cache_row.addWidget(self.cache_dir, 1)
        cache_row.addWidget(browse)

        self.language = QComboBox()
        for value, text in (
            ("system", self.tr("System default")),
            ("en", "English"),
            ("ko", "한국어"),
        ):
            self.language.addItem(text, value)
        self.language.setCurrentIndex(max(0, self.language.findData(settings.language)))

        form = QFormLayout()
        form.addRow(self.tr("Model"), self.model)
        form.addRow(self.tr("Run the model on"), self.provider)
        form.addRow(self.tr("Threads"), self.threads)
        form.addRow(self.tr("Folders to skip"), excluded_row)
        form.addRow(self.tr("Thumbnail cache size"), self.cache_size)
        form.addRow(self.tr("Thumbnail cache folder"), cache_row)
        form.addRow(self.tr("Language"), self.language)
        note = QLabel(self.tr("A new language is used the next time the app starts."))
        note.setWordWrap(True)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(note)
        layout.addWidget(buttons)
        self.resize(560, 440)
        store = PackStore(models_dir)
        tasks.run_in_background(store.names, self._show_models, None, self)

    def _show_models(self, names: list[str]) -> None:
        for name in names:
            if self.model.findData(name) < 0:
                self.model.addItem(name, name)

    def _add_excluded(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, self.tr("Choose a folder to skip"))
        if folder and not self.excluded.findItems(folder, Qt.MatchFlag.MatchExactly):
            self.excluded.addItem(folder)

    def _remove_excluded(self) -> None:
        for item in self.excluded.selectedItems():
            self.excluded.takeItem(self.excluded.row(item))

    def _choose_cache_dir(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, self.tr("Choose the thumbnail folder"))
        if folder:
            self.cache_dir.setText(folder)

    def result_settings(self) -> Settings:
        """The settings as edited (a new object; unknown keys and recent queries kept)."""
        return replace(
            self._original,
            model=self.model.currentData(),
            provider=self.provider.currentData(),
            threads=self.threads.value(),
            excluded_folders=[self.excluded.item(i).text() for i in range(self.excluded.count())],
            thumbnail_cache_mb=self.cache_size.value(),
            thumbnail_dir=self.cache_dir.text().strip() or None,
            language=self.language.currentData(),
        ).validated()
