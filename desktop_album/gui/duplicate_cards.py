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
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QRadioButton,
    QSizePolicy,
    QStyle,
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

THUMB = QSize(196, 150)
CARD_WIDTH = THUMB.width() + 16  # the card's frame and margins around the thumbnail
Thumbnail = Callable[[DupPhoto], QPixmap | None]

# Set once on the list that holds the groups: set on each card, it is parsed once per card.
STYLE = """
QFrame#photoCard { border: 2px solid transparent; border-radius: 6px; }
QFrame#photoCard[kept="true"] { border: 2px solid #2e7d32; background: rgba(46, 125, 50, 22); }
QLabel#keepBadge { background: #2e7d32; color: white; border-radius: 4px; padding: 1px 7px;
                   font-weight: bold; }
QLabel#trashBadge { background: #b3261e; color: white; border-radius: 4px; padding: 1px 7px;
                    font-weight: bold; }
QRadioButton#keepButton[kept="true"] { color: #1b5e20; font-weight: bold; }
QFrame#groupCard { border: 1px solid palette(mid); border-radius: 8px; }
"""


def thumbnail_key(photo: DupPhoto) -> str:
    """The thumbnail loader's key (as the grid's: the content when known, else the file)."""
    return photo.content_hash or f"path:{photo.path}"


_ICONS: dict[int, QPixmap] = {}


def _folder_icon(style: QStyle, size: int) -> QPixmap:
    """The style's folder icon at ``size`` (made once: asking the style per card is slow)."""
    if size not in _ICONS:
        _ICONS[size] = style.standardIcon(QStyle.StandardPixmap.SP_DirIcon).pixmap(size)
    return _ICONS[size]


def _repolish(widget: QWidget) -> None:
    """Apply the style sheet again after a property it selects on changed."""
    widget.style().unpolish(widget)
    widget.style().polish(widget)


class PhotoCard(QFrame):
    """A photo of a group: thumbnail with a "Keep" or "To trash" badge, the choice to keep it
    (and why it is suggested), resolution, size, date, name and folder.

    Signals:
        keepChosen(int): the user chose this photo to keep (its radio, or a click on it).
    """

    keepChosen = Signal(int)

    def __init__(self, photo: DupPhoto, folder: str, parent: QWidget | None = None) -> None:
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
        self.badge = QLabel()
        overlay = QVBoxLayout(self.image)  # the badge over the thumbnail's corner, sized by
        overlay.setContentsMargins(4, 4, 4, 4)  # the layout once the style applies
        overlay.addWidget(self.badge, 0, Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.keep_button = QRadioButton()
        self.keep_button.setObjectName("keepButton")
        self.keep_button.clicked.connect(lambda: self.keepChosen.emit(photo.id))
        layout.addWidget(self.keep_button)
        lines = [
            f"{resolution_text(photo.width, photo.height)} · {size_text(photo.bytes)}",
            date_text(photo.taken_at),
        ]
        self.details = QLabel("\n".join(lines))
        self.details.setObjectName("photoDetails")
        layout.addWidget(self.details)
        metrics = self.fontMetrics()
        self.name = QLabel(
            metrics.elidedText(Path(photo.path).name, Qt.TextElideMode.ElideMiddle, THUMB.width())
        )
        self.name.setObjectName("photoName")
        layout.addWidget(self.name)
        place = QHBoxLayout()
        place.setSpacing(4)
        icon = QLabel()
        size = metrics.height()
        icon.setPixmap(_folder_icon(self.style(), size))
        place.addWidget(icon)
        self.folder = QLabel(
            metrics.elidedText(folder, Qt.TextElideMode.ElideMiddle, THUMB.width() - size - 4)
        )
        self.folder.setObjectName("photoFolder")
        place.addWidget(self.folder, 1)
        layout.addLayout(place)
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

    def set_state(self, kept: bool, choice: str, to_trash: bool) -> None:
        """Kept (``choice`` says why), going to the trash, or neither (group not selected)."""
        self.keep_button.setChecked(kept)
        self.keep_button.setText(choice if kept else self.tr("Keep this one instead"))
        for widget in (self, self.keep_button):
            widget.setProperty("kept", kept)
            _repolish(widget)
        if kept:
            self.badge.setObjectName("keepBadge")
            self.badge.setText(self.tr("Keep"))
        elif to_trash:
            self.badge.setObjectName("trashBadge")
            self.badge.setText(self.tr("To trash"))
        self.badge.setVisible(kept or to_trash)
        _repolish(self.badge)

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
        folder_of: Callable[[str], str],
        columns: int = 4,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.group = group
        self.key = frozenset(p.id for p in group.photos)
        self.keep_id = keep_id
        self.setObjectName("groupCard")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 8, 10, 8)
        self.check = QCheckBox()
        self.check.setObjectName("groupCheck")
        self.check.setChecked(selected)
        self.check.toggled.connect(self._toggled)
        layout.addWidget(self.check)
        grid = QGridLayout()  # side by side; a big group wraps to the next row
        grid.setHorizontalSpacing(10)
        grid.setVerticalSpacing(10)
        self.cards: list[PhotoCard] = []
        self._radios = QButtonGroup(self)  # one kept photo per group
        for number, photo in enumerate(group.photos):
            card = PhotoCard(photo, folder_of(photo.path))
            card.set_pixmap(thumbnail(photo))
            card.keepChosen.connect(self.set_keep)
            self._radios.addButton(card.keep_button)
            self.cards.append(card)
            grid.addWidget(card, number // columns, number % columns)
        grid.setColumnStretch(min(len(group.photos), columns), 1)
        layout.addLayout(grid)
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
                choice = self.tr("Suggested: {reason}").format(
                    reason=keep_reason_text(self.group.keep_reason)
                )
            else:
                choice = self.tr("Your choice")
            card.set_state(kept, choice, self.selected and not kept)
