"""The sidebar's things: what the photos show ("beach", "음식", "receipt"), most photos first.

The list shows :class:`ThingEntry` values read on a worker (:func:`read_things`) from the active
model's tags (``core/things.py``); choosing one asks for its photos (a signal), and a search
typed then runs within it.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtWidgets import QAbstractItemView, QListWidget, QListWidgetItem, QWidget

from desktop_album.core import things
from desktop_album.core.library import Library

_ID_ROLE = Qt.ItemDataRole.UserRole + 1
_NAME_ROLE = Qt.ItemDataRole.UserRole + 2


@dataclass(frozen=True)
class ThingEntry:
    tag: str  # the concept id
    name: str  # in the UI's language
    count: int


def thing_name(vocabulary: things.Vocabulary, tag: str, language: str) -> str:
    """A concept's name in the UI language ("ko": Korean), its id when the vocabulary lacks it."""
    concept = vocabulary.by_id.get(tag)
    if concept is None:
        return tag.replace("_", " ")
    return concept.ko if language == "ko" else concept.en


def read_things(
    library_file: Path, model_id: str, language: str, vocabulary_file: Path | None = None
) -> list[ThingEntry]:
    """The things of ``model_id``'s tags with their photo counts, most first (on a worker)."""
    vocabulary = things.load_vocabulary(vocabulary_file)
    library = Library.open_reader(str(library_file))
    try:
        counts = things.tag_counts(library, model_id)
    finally:
        library.close()
    return [ThingEntry(c.tag, thing_name(vocabulary, c.tag, language), c.count) for c in counts]


def read_tags_of(
    library_file: Path,
    model_id: str,
    photo_id: int,
    language: str,
    vocabulary_file: Path | None = None,
) -> list[tuple[str, str]]:
    """(concept id, name) of one photo's things, the clearest first (on a worker)."""
    vocabulary = things.load_vocabulary(vocabulary_file)
    library = Library.open_reader(str(library_file))
    try:
        tags = things.tags_of(library, model_id, photo_id)
    finally:
        library.close()
    return [(t, thing_name(vocabulary, t, language)) for t in tags]


class ThingsList(QListWidget):
    """The things with their counts; choosing one shows its photos.

    Signals:
        thingSelected(str, str): a concept id and its name were chosen.
    """

    thingSelected = Signal(str, str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("thingsList")
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setUniformItemSizes(True)
        self.currentItemChanged.connect(self._current_changed)
        self._entries: list[ThingEntry] = []
        self.set_things([])

    @property
    def entries(self) -> list[ThingEntry]:
        return list(self._entries)

    def set_things(self, entries: list[ThingEntry]) -> None:
        """Show these things (most photos first), keeping the current one when it is still
        there."""
        current = self.current_tag()
        self._entries = sorted(entries, key=lambda e: (-e.count, e.name))
        self.blockSignals(True)
        self.clear()
        for entry in self._entries:
            item = QListWidgetItem(f"{entry.name}  ({entry.count})", self)
            item.setData(_ID_ROLE, entry.tag)
            item.setData(_NAME_ROLE, entry.name)
        if not self._entries:
            item = QListWidgetItem(self.tr("None yet: things are found after indexing"), self)
            item.setFlags(Qt.ItemFlag.NoItemFlags)
        if current is not None:
            self.select(current, announce=False)
        self.blockSignals(False)

    def current_tag(self) -> str | None:
        item = self.currentItem()
        tag = item.data(_ID_ROLE) if item is not None else None
        return str(tag) if tag else None

    def current_name(self) -> str:
        item = self.currentItem()
        return str(item.data(_NAME_ROLE) or "") if item is not None else ""

    def name_of(self, tag: str) -> str:
        return next((e.name for e in self._entries if e.tag == tag), tag.replace("_", " "))

    def select(self, tag: str, announce: bool = True) -> bool:
        """Make ``tag`` current (announcing it unless told not to); False if it is not listed."""
        for row in range(self.count()):
            item = self.item(row)
            if item is not None and item.data(_ID_ROLE) == tag:
                if not announce:
                    self.setCurrentItem(item)
                elif item is self.currentItem():
                    self._current_changed(item, None)  # chosen again: show it again
                else:
                    self.setCurrentItem(item)
                return True
        return False

    def forget(self) -> None:
        """No current thing (another place of the sidebar was chosen)."""
        self.blockSignals(True)
        self.setCurrentIndex(QModelIndex())
        self.clearSelection()
        self.blockSignals(False)

    def _current_changed(self, current: QListWidgetItem | None, _previous: object) -> None:
        if current is None or not current.data(_ID_ROLE):
            return
        self.thingSelected.emit(str(current.data(_ID_ROLE)), str(current.data(_NAME_ROLE)))
