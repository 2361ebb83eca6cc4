"""Getting a model: download one from the catalog, or import a pack folder.

Shown on first run when no model is installed, and from File ▸ Models… at any time. The pack the
catalog recommends for the interface language is preselected, and the dialog says why (its
languages and immich's published recall figures). Downloads and imports run on a worker; the
dialog shows progress and can cancel (the download keeps its partial files, so trying again
resumes).
"""

from __future__ import annotations

import threading
from pathlib import Path

from PySide6.QtCore import QLocale, Qt, Signal, Slot
from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop_album.core.catalog import Catalog, CatalogEntry, load_catalog, one_decimal
from desktop_album.core.download import DownloadProgress, download_pack, manual_install_advice
from desktop_album.core.errors import DesktopAlbumError, DiskFullError, DownloadCancelled
from desktop_album.core.pack_store import PackStore
from desktop_album.core.packs import ModelPack
from desktop_album.gui.tasks import ProgressRelay, TaskManager

_ENTRY_ROLE = Qt.ItemDataRole.UserRole + 1


def language_names(entry: CatalogEntry, shown: int = 2) -> str:
    """The query languages a pack handles, in their own names: "English, 한국어 +16"."""
    codes = sorted(entry.languages, key=lambda c: (c not in ("en", "ko"), c))
    names = [QLocale(code).nativeLanguageName() or code for code in codes[:shown]]
    text = ", ".join(n[:1].upper() + n[1:] for n in names)
    return text + (f" +{len(codes) - shown}" if len(codes) > shown else "")


class ModelDialog(QDialog):
    """Offers the catalog's packs and "Use a pack folder…".

    Args:
        models_dir: where packs are installed.
        tasks: the pool that runs downloads and imports.
        problem: why a model is needed now (shown at the top), or None.
        provider: the execution provider used to test an imported pack.
        ui_language: the user's language ("ko", "ko_KR", ...), which picks the recommended
            pack; default: the application's locale.
        endpoint: the Hugging Face Hub (or mirror) to download from; None: HF_ENDPOINT, else
            huggingface.co.

    Signals:
        installed(str): a pack with this name was installed; the window switches to it.
    """

    installed = Signal(str)

    def __init__(
        self,
        models_dir: Path,
        tasks: TaskManager,
        problem: str | None = None,
        provider: str = "cpu",
        parent: QWidget | None = None,
        ui_language: str | None = None,
        endpoint: str | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("modelDialog")
        self.setWindowTitle(self.tr("Get a model"))
        self._models_dir = models_dir
        self._tasks = tasks
        self._provider = provider
        self._ui_language = ui_language or QLocale().name()
        self._endpoint = endpoint
        self.recommended: CatalogEntry | None = None
        self._cancel: threading.Event | None = None
        self._relay = ProgressRelay(self)
        self._relay.progressed.connect(self._progressed, Qt.ConnectionType.QueuedConnection)

        intro = QLabel(
            self.tr(
                "Desktop Album finds photos with a model that runs on this computer: your "
                "photos never leave it. Choose one to download, or use a model pack folder you "
                "already have. Until then you can browse your photos, but not search them."
            )
        )
        intro.setWordWrap(True)
        self.catalog_list = QListWidget()
        self.catalog_list.setObjectName("catalog")
        self.catalog_list.setWordWrap(True)
        self.catalog_list.setSpacing(3)
        self.catalog_list.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.catalog_list.currentItemChanged.connect(self._update_buttons)
        self.recommendation = QLabel()
        self.recommendation.setObjectName("recommendation")
        self.recommendation.setWordWrap(True)
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.progress = QProgressBar()
        self.progress.setVisible(False)
        self.download_button = QPushButton(self.tr("Download"))
        self.download_button.setDefault(True)
        self.download_button.clicked.connect(self.download)
        self.cancel_button = QPushButton(self.tr("Cancel download"))
        self.cancel_button.setVisible(False)
        self.cancel_button.clicked.connect(self.cancel_download)
        self.folder_button = QPushButton(self.tr("Use a pack folder…"))
        self.folder_button.clicked.connect(self._choose_folder)
        close = QPushButton(self.tr("Later"))
        close.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addWidget(self.folder_button)
        buttons.addStretch(1)
        buttons.addWidget(self.cancel_button)
        buttons.addWidget(self.download_button)
        buttons.addWidget(close)
        layout = QVBoxLayout(self)
        if problem:
            why = QLabel(problem)
            why.setWordWrap(True)
            layout.addWidget(why)
        layout.addWidget(intro)
        layout.addWidget(self.recommendation)
        layout.addWidget(self.catalog_list, 1)
        layout.addWidget(self.progress)
        layout.addWidget(self.status)
        layout.addLayout(buttons)
        self.resize(640, 480)
        self._update_buttons()
        self._tasks.run_in_background(load_catalog, self._show_catalog, self._catalog_failed, self)

    @property
    def busy(self) -> bool:
        return self._cancel is not None

    def _show_catalog(self, catalog: Catalog) -> None:
        recommended = self.recommended = catalog.recommend(self._ui_language)
        for entry in catalog:
            title = entry.title + (" — " + self.tr("recommended") if entry is recommended else "")
            item = QListWidgetItem("\n".join([title, *self._details(catalog, entry)]))
            item.setToolTip(entry.description)
            item.setData(_ENTRY_ROLE, entry)
            self.catalog_list.addItem(item)
            if entry is recommended:
                self.catalog_list.setCurrentItem(item)
        if self.catalog_list.currentItem() is None and self.catalog_list.count():
            self.catalog_list.setCurrentRow(0)
        self.recommendation.setText(self._why(catalog, recommended))

    def _details(self, catalog: Catalog, entry: CatalogEntry) -> list[str]:
        """Two lines under a pack's title: what it understands and costs, and its figures."""
        size_of = QLocale().formattedDataSize
        first = [self.tr("Understands: {languages}").format(languages=language_names(entry))]
        if entry.size:
            first.append(size_of(entry.size))
        first.append(self.tr("License: {license}").format(license=entry.license))
        second = [
            self.tr("Recall (immich's test): English {en}, Korean {ko}").format(
                en=self._percent(entry, "en"), ko=self._percent(entry, "ko")
            ),
            self.tr("Memory: about {memory}").format(memory=self._memory(entry)),
            self.tr("Time per photo: {times}").format(times=self._times(catalog, entry)),
        ]
        return [" · ".join(first), " · ".join(second)]

    def _why(self, catalog: Catalog, entry: CatalogEntry) -> str:
        if not entry.supports_language("ko") or entry.default:
            return self.tr(
                "Recommended for searching in English: {title}, the fastest and smallest model "
                "({en} recall in immich's English test). To search in Korean or another "
                "language, choose a multilingual model."
            ).format(title=entry.title, en=self._percent(entry, "en"))
        return self.tr(
            "Recommended for you: {title}. It understands {count} languages, Korean included. "
            "In immich's published test its recall is {ko} for Korean queries and {en} for "
            "English ones: the best of the models that run well without a graphics card "
            "({times} time per photo, about {memory} of memory)."
        ).format(
            title=entry.title,
            count=len(entry.languages),
            ko=self._percent(entry, "ko"),
            en=self._percent(entry, "en"),
            times=self._times(catalog, entry),
            memory=self._memory(entry),
        )

    def _percent(self, entry: CatalogEntry, language: str) -> str:
        value = entry.recall_for(language)
        if value is None:
            return self.tr("not published")
        return f"{one_decimal(value):.1f}%"

    def _memory(self, entry: CatalogEntry) -> str:
        if entry.memory_mib is None:
            return self.tr("not published")
        return QLocale().toString(entry.memory_mib / 1024, "f", 1) + " GiB"  # immich's MiB

    def _times(self, catalog: Catalog, entry: CatalogEntry) -> str:
        slowdown = entry.slowdown(catalog.default())
        if slowdown is None:
            return self.tr("not published")
        return self.tr("{times}× the default model's").format(times=f"{slowdown:.1f}")

    def _catalog_failed(self, exc: BaseException) -> None:
        self.status.setText(str(exc))

    def _update_buttons(self, *_args: object) -> None:
        busy = self.busy
        self.download_button.setEnabled(not busy and self.catalog_list.currentItem() is not None)
        self.folder_button.setEnabled(not busy)
        self.catalog_list.setEnabled(not busy)
        self.cancel_button.setVisible(busy)
        self.progress.setVisible(busy)

    def selected_entry(self) -> CatalogEntry | None:
        item = self.catalog_list.currentItem()
        entry = item.data(_ENTRY_ROLE) if item is not None else None
        return entry if isinstance(entry, CatalogEntry) else None

    # -- download -------------------------------------------------------------------------------

    def download(self) -> None:
        entry = self.selected_entry()
        if entry is None or self.busy:
            return
        cancel = self._cancel = threading.Event()
        models_dir, report, endpoint = self._models_dir, self._relay.progressed.emit, self._endpoint
        self.progress.setRange(0, 0)
        self.status.setText(self.tr("Connecting…"))
        self._update_buttons()
        self._tasks.run_in_background(
            lambda: download_pack(
                entry, models_dir, progress=report, cancel=cancel, endpoint=endpoint
            ),
            lambda _path: self._done(entry.name),
            lambda exc: self._download_failed(entry, exc),
            self,
        )

    def cancel_download(self) -> None:
        if self._cancel is not None:
            self._cancel.set()
            self.status.setText(self.tr("Cancelling…"))

    @Slot(object)
    def _progressed(self, p: DownloadProgress) -> None:
        if self._cancel is None or self._cancel.is_set():
            return
        fraction = p.fraction
        if fraction is None:
            self.progress.setRange(0, 0)
        else:
            self.progress.setRange(0, 1000)
            self.progress.setValue(int(fraction * 1000))
        size_of = QLocale().formattedDataSize
        total = size_of(p.bytes_total) if p.bytes_total else "?"
        self.status.setText(
            self.tr("Downloading {file}: {done} of {total}").format(
                file=p.file, done=size_of(p.bytes_done), total=total
            )
        )

    def _download_failed(self, entry: CatalogEntry, exc: BaseException) -> None:
        self._cancel = None
        self._update_buttons()
        if isinstance(exc, DownloadCancelled):
            self.status.setText(self.tr("Download cancelled. Trying again resumes it."))
        elif isinstance(exc, DiskFullError):
            needed = QLocale().formattedDataSize(int(exc.details.get("needed_bytes") or 0), 1)
            free = QLocale().formattedDataSize(int(exc.details.get("free_bytes") or 0), 1)
            self.status.setText(
                self.tr(
                    "Not enough disk space: {name} needs {needed} more, and {free} is free. "
                    "Free some space and try again; what was fetched is kept."
                ).format(name=entry.name, needed=needed, free=free)
            )
        elif isinstance(exc, DesktopAlbumError):
            self.status.setText(f"{exc}\n\n{manual_install_advice(entry)}")
        else:
            self.status.setText(self.tr("The download failed: {error}").format(error=exc))

    def _done(self, name: str) -> None:
        self._cancel = None
        self._update_buttons()
        self.status.setText(self.tr("Model {name} is installed.").format(name=name))
        self.installed.emit(name)
        self.accept()

    # -- import ---------------------------------------------------------------------------------

    def _choose_folder(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, self.tr("Choose a model pack folder"))
        if folder:
            self.import_folder(Path(folder))

    def import_folder(self, folder: Path) -> None:
        """Check and copy a pack folder into the store (on a worker)."""
        if self.busy:
            return
        self._cancel = threading.Event()  # an import cannot be cancelled, but it is busy
        self.progress.setRange(0, 0)
        self.cancel_button.setEnabled(False)
        self._update_buttons()
        self.status.setText(self.tr("Checking the model pack…"))
        store, provider = PackStore(self._models_dir), self._provider
        self._tasks.run_in_background(
            lambda: store.import_pack(folder, provider=provider),
            lambda pack: self._imported(pack),
            self._import_failed,
            self,
        )

    def _imported(self, pack: ModelPack) -> None:
        self.cancel_button.setEnabled(True)
        self._done(pack.name)

    def _import_failed(self, exc: BaseException) -> None:
        self._cancel = None
        self.cancel_button.setEnabled(True)
        self._update_buttons()
        self.status.setText(
            self.tr("This folder cannot be used as a model pack: {error}").format(error=exc)
        )

    def reject(self) -> None:
        """Override QDialog.reject: closing cancels a running download."""
        self.cancel_download()
        super().reject()
