"""The info panel: the details of the current photo.

It shows a :class:`~desktop_album.core.photo_details.PhotoDetails` built on a worker (reading
EXIF is disk work); the panel itself never touches a file. A result for a photo that is no longer
the current one is dropped by its generation number.
"""

from __future__ import annotations

import html
from collections.abc import Callable

from PySide6.QtCore import QDateTime, QLocale, Qt, Signal
from PySide6.QtWidgets import QFormLayout, QLabel, QVBoxLayout, QWidget

from desktop_album.core import photo_details as pd
from desktop_album.core.library import PhotoInfo
from desktop_album.gui.records import PhotoRow
from desktop_album.gui.tasks import TaskManager

FIELDS = ("date", "camera", "lens", "exposure", "location", "dimensions", "file_size", "path")


def info_from_row(row: PhotoRow) -> PhotoInfo:
    """What the library said about a grid row, in the form :func:`read_details` takes (a row in
    the grid was read, or waits to be)."""
    return PhotoInfo(
        id=row.id,
        path=row.path,
        root_id=0,
        status="ok" if row.content_hash else "pending",
        error=None,
        width=row.width,
        height=row.height,
        taken_at=row.taken_at,
        camera=row.camera,
        size=row.size,
        content_hash=row.content_hash,
        online=not row.offline,
    )


class InfoPanel(QWidget):
    """Date, camera, lens, exposure, location, dimensions, size, path and state of one photo.

    Signals:
        shown(int): the details of the photo with this id are on screen.
        thingClicked(str): one of the photo's things (a concept id) was clicked.
        thingsShown(int): the things of the photo with this id are on screen.
    """

    shown = Signal(int)
    thingClicked = Signal(str)
    thingsShown = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("infoPanel")
        self._generation = 0
        self._current: int | None = None
        self.state_label = QLabel()
        self.state_label.setObjectName("infoState")
        self.state_label.setWordWrap(True)
        self.labels: dict[str, QLabel] = {}
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        titles = {
            "date": self.tr("Date"),
            "camera": self.tr("Camera"),
            "lens": self.tr("Lens"),
            "exposure": self.tr("Exposure"),
            "location": self.tr("Location"),
            "dimensions": self.tr("Dimensions"),
            "file_size": self.tr("File size"),
            "path": self.tr("Path"),
        }
        for key in FIELDS:
            label = QLabel()
            label.setWordWrap(True)
            label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            self.labels[key] = label
            form.addRow(titles[key], label)
        # The photo's things (core/things.py), as links that show each thing's photos. Read on
        # a worker by ``things_reader`` (photo id -> a function to run there), when one is set.
        self.things_label = QLabel()
        self.things_label.setObjectName("infoThings")
        self.things_label.setWordWrap(True)
        self.things_label.setTextFormat(Qt.TextFormat.RichText)
        self.things_label.linkActivated.connect(self._thing_link)
        self.things_reader: Callable[[int], Callable[[], list[tuple[str, str]]]] | None = None
        form.addRow(self.tr("Things"), self.things_label)
        layout = QVBoxLayout(self)
        layout.addWidget(self.state_label)
        layout.addLayout(form)
        layout.addStretch(1)
        self.clear()

    @property
    def current(self) -> int | None:
        """The photo whose details are shown (or being read)."""
        return self._current

    def clear(self) -> None:
        self._generation += 1
        self._current = None
        self.state_label.setText(self.tr("No photo selected"))
        for label in self.labels.values():
            label.setText("")
        self.things_label.setText("")

    def load(self, info: PhotoInfo, tasks: TaskManager) -> None:
        """Show what is known at once, then the file's details when a worker has read them."""
        self._generation += 1
        generation = self._generation
        self._current = info.id
        self._fill(pd.PhotoDetails(info.id, info.path, pd.PENDING))
        self.state_label.setText(self.tr("Reading details…"))
        tasks.run_in_background(
            lambda: pd.read_details(info),
            lambda details: self._loaded(generation, details),
            lambda exc: self._failed(generation, exc),
            owner=self,
        )
        self.things_label.setText("")
        if self.things_reader is not None:
            read = self.things_reader(info.id)
            tasks.run_in_background(
                read, lambda found: self._things_read(generation, info.id, found), None, self
            )

    def _things_read(self, generation: int, photo_id: int, found: list[tuple[str, str]]) -> None:
        if generation != self._generation:
            return  # the user moved on to another photo
        links = [f'<a href="{html.escape(tag)}">{html.escape(name)}</a>' for tag, name in found]
        self.things_label.setText(", ".join(links) if links else "—")
        self.thingsShown.emit(photo_id)

    def _thing_link(self, tag: str) -> None:
        self.thingClicked.emit(tag)

    def _failed(self, generation: int, exc: BaseException) -> None:
        if generation == self._generation:
            self.state_label.setText(
                self.tr("The details cannot be read: {reason}").format(reason=str(exc))
            )

    def _loaded(self, generation: int, details: pd.PhotoDetails) -> None:
        if generation == self._generation:  # else the user moved on to another photo
            self._fill(details)
            self.shown.emit(details.photo_id)

    def show_details(self, details: pd.PhotoDetails) -> None:
        """Show details read elsewhere (a load still running for another photo is dropped)."""
        self._generation += 1
        self._fill(details)
        self.shown.emit(details.photo_id)

    def _fill(self, details: pd.PhotoDetails) -> None:
        self._current = details.photo_id
        unknown = "—"
        texts = {
            "date": self._date(details) or unknown,
            "camera": details.camera or unknown,
            "lens": details.lens or unknown,
            "exposure": exposure_text(details) or unknown,
            "location": (
                f"{details.latitude:.6f}, {details.longitude:.6f}" if details.has_gps else unknown
            ),
            "dimensions": (
                f"{details.width} × {details.height}"
                if details.width and details.height
                else unknown
            ),
            "file_size": (
                QLocale().formattedDataSize(details.file_size)
                if details.file_size is not None
                else unknown
            ),
            "path": details.path,
        }
        for key, text in texts.items():
            self.labels[key].setText(text)
        self.state_label.setText(self._state(details))

    def _date(self, details: pd.PhotoDetails) -> str | None:
        if not details.taken_at:
            return None
        moment = QDateTime.fromString(details.taken_at[:19], Qt.DateFormat.ISODate)
        text = (
            QLocale().toString(moment, QLocale.FormatType.LongFormat)
            if moment.isValid()
            else details.taken_at
        )
        if details.date_source == pd.DATE_EXIF:
            return self.tr("{date} (from the camera)").format(date=text)
        if details.date_source == pd.DATE_FILE:
            return self.tr("{date} (file modified)").format(date=text)
        return text

    def _state(self, details: pd.PhotoDetails) -> str:
        if details.state == pd.INDEXED:
            return self.tr("Indexed: searchable")
        if details.state == pd.UNREADABLE:
            return self.tr("Unreadable: {reason}").format(
                reason=details.reason or self.tr("unknown error")
            )
        if details.state == pd.OFFLINE:
            return self.tr("On an offline drive: connect it to see the photo")
        if details.state == pd.MISSING:
            return self.tr("The file is no longer in its folder")
        return self.tr("Waiting to be indexed")


def exposure_text(details: pd.PhotoDetails) -> str | None:
    """ "1/250 s · f/2.8 · ISO 400 · 50 mm" from what the camera recorded."""
    parts = []
    if details.exposure_time:
        seconds = details.exposure_time
        parts.append(f"1/{round(1 / seconds)} s" if seconds < 1 else f"{seconds:g} s")
    if details.f_number:
        parts.append(f"f/{details.f_number:g}")
    if details.iso:
        parts.append(f"ISO {details.iso}")
    if details.focal_length:
        parts.append(f"{details.focal_length:g} mm")
    return " · ".join(parts) or None
