"""The row under the search bar: what the query understood (removable chips), its order and
its strictness, and "Show more".

The chips come from the core's query model (``core/query.py``): a date phrase typed in the bar
("작년 여름", "July 2022"), negative terms ("-square", "사각형 말고"), tags, and the sidebar's
folder the search is scoped to. Removing a chip asks the window to search again without it.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QPushButton, QToolButton, QWidget

from desktop_album.core.ordering import ORDERS
from desktop_album.gui.records import Chip

SORTS = ORDERS  # relevance, date (newest first), oldest, name, modified, folder
STRICTNESS = ("looser", "normal", "stricter")


class SearchOptionsBar(QWidget):
    """Chips, order, strictness and "Show more".

    Signals:
        chipRemoved(Chip): the user removed this chip.
        sortChanged(str): "relevance", "date" (newest first), "oldest", "name", "modified"
            (newest first) or "folder" (core/ordering.py).
        strictnessChanged(str): "looser", "normal" or "stricter".
        showMoreRequested(): ask for more results than the cut-off kept.
    """

    chipRemoved = Signal(object)
    sortChanged = Signal(str)
    strictnessChanged = Signal(str)
    showMoreRequested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("searchOptions")
        self._chips: list[QToolButton] = []
        self._row = QHBoxLayout(self)
        self._row.setContentsMargins(0, 0, 0, 0)
        self._row.setSpacing(6)
        self._chip_row = QHBoxLayout()
        self._chip_row.setSpacing(4)
        self._row.addLayout(self._chip_row)
        self._row.addStretch(1)
        self.show_more = QPushButton(self.tr("Show more"))
        self.show_more.setObjectName("showMore")
        self.show_more.setVisible(False)
        self.show_more.clicked.connect(self.showMoreRequested)
        self._row.addWidget(self.show_more)
        self._row.addWidget(QLabel(self.tr("Order:")))
        self.sort = QComboBox()
        self.sort.setObjectName("sortOrder")
        for key, text in zip(
            SORTS,
            (
                self.tr("Best match"),
                self.tr("Newest first"),
                self.tr("Oldest first"),
                self.tr("Name"),
                self.tr("Date modified"),
                self.tr("Folder"),
            ),
            strict=True,
        ):
            self.sort.addItem(text, key)
        self.sort.setToolTip(
            self.tr("Best match applies to a search; without one, photos are shown newest first")
        )
        self.sort.currentIndexChanged.connect(
            lambda _i: self.sortChanged.emit(str(self.sort.currentData()))
        )
        self._row.addWidget(self.sort)
        self._row.addWidget(QLabel(self.tr("Matches:")))
        self.strictness = QComboBox()
        self.strictness.setObjectName("strictness")
        for key, text in zip(
            STRICTNESS, (self.tr("Looser"), self.tr("Normal"), self.tr("Stricter")), strict=True
        ):
            self.strictness.addItem(text, key)
        self.strictness.setCurrentIndex(1)
        self.strictness.setToolTip(
            self.tr("How closely a photo must match to be shown (looser shows more)")
        )
        self.strictness.currentIndexChanged.connect(
            lambda _i: self.strictnessChanged.emit(str(self.strictness.currentData()))
        )
        self._row.addWidget(self.strictness)

    @property
    def sort_key(self) -> str:
        return str(self.sort.currentData())

    def set_sort(self, key: str) -> None:
        """Show this order as chosen (a remembered setting), without asking for a search."""
        index = self.sort.findData(key)
        if index >= 0:
            self.sort.blockSignals(True)
            self.sort.setCurrentIndex(index)
            self.sort.blockSignals(False)

    @property
    def strictness_key(self) -> str:
        return str(self.strictness.currentData())

    def chips(self) -> list[QToolButton]:
        """The chip buttons on show (tests click them)."""
        return list(self._chips)

    def set_chips(self, chips: tuple[Chip, ...]) -> None:
        for button in self._chips:
            self._chip_row.removeWidget(button)
            button.deleteLater()
        self._chips = []
        for chip in chips:
            button = QToolButton()
            button.setObjectName(f"chip-{chip.kind}")
            button.setText(f"{self._chip_text(chip)}  ✕")
            button.setToolTip(self.tr("Remove this filter"))
            button.setAutoRaise(False)
            button.clicked.connect(lambda _checked=False, c=chip: self.chipRemoved.emit(c))
            self._chip_row.addWidget(button)
            self._chips.append(button)

    def _chip_text(self, chip: Chip) -> str:
        if chip.kind == "date":
            return self.tr("Date: {phrase}").format(phrase=chip.value)
        if chip.kind == "not":
            return self.tr("Not: {term}").format(term=chip.value)
        if chip.kind == "tag":
            return f"#{chip.value}"
        if chip.kind == "album":
            return self.tr("Album: {name}").format(name=chip.value)
        if chip.kind == "favourites":
            return self.tr("Favourites")
        if chip.kind == "thing":
            return f"#{chip.value}"
        return self.tr("In: {folder}").format(folder=Path(chip.value).name or chip.value)
