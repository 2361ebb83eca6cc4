"""The search field: debounced as you type, immediate on Enter, recent queries offered."""

from __future__ import annotations

import re
from collections.abc import Sequence

from PySide6.QtCore import QStringListModel, Qt, QTimer, Signal
from PySide6.QtGui import QIcon, QKeyEvent
from PySide6.QtWidgets import QCompleter, QLineEdit, QWidget

from desktop_album.gui.records import Chip
from desktop_album.gui.translations import icon_file

MAX_RECENT = 20


def remove_chip(text: str, chip: Chip) -> str:
    """The bar's text without what a chip stood for: the date phrase as typed, a negative in
    any of its forms ("-x", "not x", "without x", "x 말고/제외/빼고"), a tag ("#x", "tag:x")."""
    value = re.escape(chip.value)
    if chip.kind == "date":
        patterns = [value]
    elif chip.kind == "not":
        patterns = [
            rf'-"{value}"',
            rf"-{value}\b",
            rf"\b(?:not|without)\s+{value}",
            rf"{value}\s*(?:말고|제외|빼고)",
        ]
    elif chip.kind == "tag":
        patterns = [rf"#{value}\b", rf"\btag:{value}\b"]
    else:
        return text
    for pattern in patterns:
        text = re.sub(pattern, " ", text, count=1, flags=re.IGNORECASE)
    return re.sub(r"\s+", " ", re.sub(r"(\s*,\s*)+", ", ", text)).strip(" ,")


class SearchBar(QLineEdit):
    """A ``QLineEdit`` that announces a query once typing pauses.

    Args:
        debounce_ms: quiet time after the last keystroke before ``queryChanged``.
        parent: the Qt parent.

    Signals:
        queryChanged(str): the settled query text (stripped; empty means "show the library").
        submitted(str): Enter was pressed on a non-empty query: worth remembering as recent.
    """

    queryChanged = Signal(str)
    submitted = Signal(str)

    def __init__(self, debounce_ms: int = 300, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("searchBar")
        self.setClearButtonEnabled(True)
        self.setMinimumHeight(34)
        icon = icon_file("search")
        if icon is not None:
            self.addAction(QIcon(str(icon)), QLineEdit.ActionPosition.LeadingPosition)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(debounce_ms)
        self._timer.timeout.connect(self._settle)
        self._last = ""
        self._recent = QStringListModel(self)
        completer = QCompleter(self._recent, self)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        completer.activated.connect(self._completed)
        self.setCompleter(completer)
        self.textEdited.connect(lambda _text: self._timer.start())
        self.returnPressed.connect(self._enter)

    def set_recent(self, queries: Sequence[str]) -> None:
        self._recent.setStringList(list(queries)[:MAX_RECENT])

    def recent(self) -> list[str]:
        return self._recent.stringList()

    def set_text_silently(self, text: str) -> None:
        """Show ``text`` without asking for a search (e.g. after "Find similar")."""
        self._timer.stop()
        self.setText(text)
        self._last = text.strip()

    def _settle(self) -> None:
        text = self.text().strip()
        if text != self._last:
            self._last = text
            self.queryChanged.emit(text)

    def _enter(self) -> None:
        self._timer.stop()
        text = self.text().strip()
        self._last = text
        self.queryChanged.emit(text)  # Enter always runs, even the same query again
        if text:
            self.submitted.emit(text)

    def _completed(self, text: str) -> None:
        self.setText(text)
        self._enter()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        """Override QLineEdit.keyPressEvent: Esc clears the query (and shows the library)."""
        popup = self.completer().popup() if self.completer() else None
        escape = event.key() == Qt.Key.Key_Escape and not (popup and popup.isVisible())
        if escape and self.text():
            self.clear()
            self._timer.stop()
            self._settle()
            event.accept()
            return
        super().keyPressEvent(event)


def remember(recent: Sequence[str], query: str) -> list[str]:
    """The recent list with ``query`` moved to the front, duplicates (any case) removed."""
    rest = [q for q in recent if q.casefold() != query.casefold()]
    return [query, *rest][:MAX_RECENT]
