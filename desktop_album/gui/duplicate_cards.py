"""One group of duplicates, its photos side by side: what the user compares and chooses from.

A group is a handful of photos (two to a few), so each photo is a small widget of its own here;
the Duplicates view shows a page of groups at a time, never the whole library.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QMouseEvent, QPixmap
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QRadioButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from desktop_album.core.duplicates import DuplicateGroup, DupPhoto
from desktop_album.gui.duplicate_words import (
    date_text,
    keep_reason_text,
    resolution_text,
    size_text,
)

THUMB = QSize(220, 180)
Thumbnail = Callable[[DupPhoto], QPixmap | None]

_STYLE = """
QFrame#photoCard { border: 2px solid transparent; border-radius: 6px; }
QFrame#photoCard[kept="true"] { border: 2px solid #2e7d32; background: rgba(46, 125, 50, 20); }
QLabel#keepBadge { background: #2e7d32; color: white; border-radius: 4px; padding: 1px 6px;
                   font-weight: bold; }
QLabel#trashBadge { background: #b3261e; color: white; border-radius: 4px; padding: 1px 6px; }
QFrame#groupCard { border: 1px solid palette(mid); border-radius: 8px; }
"""


def thumbnail_key(photo: DupPhoto) -> str:
    """The thumbnail loader's key (as the grid's: the content when known, else the file)."""
    return photo.content_hash or f"path:{photo.path}"


class PhotoCard(QFrame):
    """A photo of a group: thumbnail, "Keep" choice and badge, resolution, size, date, folder.

    Signals:
        keepChosen(int): the user chose this photo to keep (its radio, or a click on it).
    """

    keepChosen = Signal(int)

    def __init__(self, photo: DupPhoto, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.photo = photo
        self.setObjectName("photoCard")
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.setSpacing(3)
        self.image = QLabel()
        self.image.setObjectName("thumbnail")
        self.image.setFixedSize(THUMB)
        self.image.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout.addWidget(self.image)
        top = QHBoxLayout()
        self.keep_button = QRadioButton(self.tr("Keep"))
        self.keep_button.setObjectName("keepButton")
        self.keep_button.clicked.connect(lambda: self.keepChosen.emit(photo.id))
        top.addWidget(self.keep_button)
        self.badge = QLabel()
        top.addWidget(self.badge)
        top.addStretch(1)
        layout.addLayout(top)
        folder = str(Path(photo.path).parent)
        lines = [
            f"{resolution_text(photo.width, photo.height)} · {size_text(photo.bytes)}",
            date_text(photo.taken_at),
            Path(photo.path).name,
        ]
        self.details = QLabel("\n".join(lines))
        self.details.setObjectName("photoDetails")
        layout.addWidget(self.details)
        self.folder = QLabel()
        self.folder.setObjectName("photoFolder")
        self.folder.setEnabled(False)  # drawn muted: secondary to the photo's own facts
        metrics = self.folder.fontMetrics()
        self.folder.setText(metrics.elidedText(folder, Qt.TextElideMode.ElideMiddle, THUMB.width()))
        layout.addWidget(self.folder)
        self.setToolTip(photo.path)
        self.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        self.set_pixmap(None)

    def set_pixmap(self, pixmap: QPixmap | None) -> None:
        if pixmap is None or pixmap.isNull():
            self.image.setText("…")
            return
        self.image.setPixmap(
            pixmap.scaled(
                THUMB,
                Qt.AspectRatioMode.KeepAspectRatio,
                Qt.TransformationMode.SmoothTransformation,
            )
        )

    def set_state(self, kept: bool, reason: str, to_trash: bool) -> None:
        """This photo is the one kept (and why), goes to the trash, or neither."""
        self.keep_button.setChecked(kept)
        self.setProperty("kept", kept)
        self.style().unpolish(self)
        self.style().polish(self)
        if kept:
            self.badge.setObjectName("keepBadge")
            self.badge.setText(reason)
        elif to_trash:
            self.badge.setObjectName("trashBadge")
            self.badge.setText(self.tr("To trash"))
        self.badge.setVisible(kept or to_trash)
        self.badge.style().unpolish(self.badge)
        self.badge.style().polish(self.badge)

    def mousePressEvent(self, event: QMouseEvent) -> None:
        """Override QWidget.mousePressEvent: a click on the photo chooses it to keep."""
        if event.button() == Qt.MouseButton.LeftButton:
            self.keepChosen.emit(self.photo.id)
        super().mousePressEvent(event)


class GroupCard(QFrame):
    """A group: a check box to include it, then its photos side by side.

    Signals:
        keepChanged(object, int): group key, the photo id now kept.
        selectedChanged(object, bool): group key, whether the group is included.
    """

    keepChanged = Signal(object, int)
    selectedChanged = Signal(object, bool)

    def __init__(
        self,
        group: DuplicateGroup,
        keep_id: int,
        selected: bool,
        thumbnail: Thumbnail,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.group = group
        self.key = frozenset(p.id for p in group.photos)
        self.keep_id = keep_id
        self.setObjectName("groupCard")
        self.setStyleSheet(_STYLE)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 8, 10, 8)
        self.check = QCheckBox()
        self.check.setObjectName("groupCheck")
        self.check.setChecked(selected)
        self.check.toggled.connect(self._toggled)
        layout.addWidget(self.check)
        row = QHBoxLayout()
        row.setSpacing(10)
        self.cards: list[PhotoCard] = []
        self._radios = QButtonGroup(self)  # one kept photo per group
        for photo in group.photos:
            card = PhotoCard(photo)
            card.set_pixmap(thumbnail(photo))
            card.keepChosen.connect(self.set_keep)
            self._radios.addButton(card.keep_button)
            self.cards.append(card)
            row.addWidget(card)
        row.addStretch(1)
        layout.addLayout(row)
        self._update()

    @property
    def selected(self) -> bool:
        return self.check.isChecked()

    def to_trash(self) -> list[DupPhoto]:
        """The photos that go if the group is acted on: all but the one kept."""
        return [p for p in self.group.photos if p.id != self.keep_id]

    def set_keep(self, photo_id: int) -> None:
        if photo_id == self.keep_id:
            self._update()  # a click on the kept radio must not uncheck it
            return
        self.keep_id = photo_id
        self._update()
        self.keepChanged.emit(self.key, photo_id)

    def set_pixmap(self, key: str, pixmap: QPixmap | None) -> None:
        for card in self.cards:
            if thumbnail_key(card.photo) == key:
                card.set_pixmap(pixmap)

    def _toggled(self, on: bool) -> None:
        self._update()
        self.selectedChanged.emit(self.key, on)

    def _update(self) -> None:
        spare = sum(p.bytes for p in self.to_trash())
        count = len(self.group.photos)
        self.check.setText(
            self.tr("{count} photos · {size} to free").format(count=count, size=size_text(spare))
        )
        for card in self.cards:
            kept = card.photo.id == self.keep_id
            if kept and card.photo.id == self.group.keep.id:
                reason = self.tr("Keep: {reason}").format(
                    reason=keep_reason_text(self.group.keep_reason)
                )
            else:
                reason = self.tr("Keep: your choice")
            card.set_state(kept, reason, self.selected and not kept)
