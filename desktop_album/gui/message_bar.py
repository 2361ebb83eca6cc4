"""A coloured bar above a view: a message, and a button that does something about it.

Yellow for a notice (something is not ready yet), red for a failure (it stays until dismissed).
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QWidget

NOTICE = ("#fff4ce", "#e0c060", "#3b3000")  # background, border, text
FAILURE = ("#fde7e9", "#d08080", "#5c0000")


class MessageBar(QFrame):
    """A message with one button (hidden until shown with :meth:`say`)."""

    def __init__(
        self, name: str, colours: tuple[str, str, str], button: str, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName(name)
        background, border, text = colours
        self.setStyleSheet(
            f"QFrame#{name} {{ background: {background}; border: 1px solid {border};"
            f" border-radius: 4px; }} QFrame#{name} QLabel {{ color: {text}; }}"
        )
        row = QHBoxLayout(self)
        row.setContentsMargins(8, 4, 8, 4)
        self.text = QLabel()
        self.text.setObjectName(f"{name}Text")
        self.text.setWordWrap(True)
        self.text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        row.addWidget(self.text, 1)
        self.button = QPushButton(button)
        self.button.setObjectName(f"{name}Button")
        row.addWidget(self.button, 0, Qt.AlignmentFlag.AlignTop)
        self.hide()

    def say(self, text: str) -> None:
        """Show ``text``; an empty text hides the bar."""
        self.text.setText(text)
        self.setVisible(bool(text))
