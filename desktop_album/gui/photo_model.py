"""The grid's item model: the photos of the current result, in order.

The model holds the result's photo ids, and :class:`PhotoRow` values for the rows fetched so far
(Anki's browser table does the same): a result of 100,000 photos costs a list of ids, and rows
are fetched a page at a time as they scroll into view (:attr:`PhotoListModel.rowsWanted`; the
window asks the search worker, which reads them on its thread). It never reads the disk or the
database itself. Images are not its business either: the delegate asks the thumbnail loader with
the row's thumbnail key, and the window repaints just the cells showing that image.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

from PySide6.QtCore import (
    QAbstractListModel,
    QMimeData,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
)

from desktop_album.gui.records import PhotoRow

Index = QModelIndex | QPersistentModelIndex

ROW_ROLE = Qt.ItemDataRole.UserRole + 1
ID_ROLE = Qt.ItemDataRole.UserRole + 2
PATH_ROLE = Qt.ItemDataRole.UserRole + 3
THUMBNAIL_KEY_ROLE = Qt.ItemDataRole.UserRole + 4
SCORE_ROLE = Qt.ItemDataRole.UserRole + 5
OFFLINE_ROLE = Qt.ItemDataRole.UserRole + 6

# Photos dragged out of the grid (onto an album) carry their ids, as JSON, in this format.
PHOTO_IDS_MIME = "application/x-desktop-album-photo-ids"


def photo_ids_mime(ids: Sequence[int]) -> QMimeData:
    data = QMimeData()
    data.setData(PHOTO_IDS_MIME, json.dumps([int(i) for i in ids]).encode())
    return data


def photo_ids_from(mime: QMimeData) -> list[int]:
    """The photo ids a drag carries (none when it is not photos from the grid)."""
    if not mime.hasFormat(PHOTO_IDS_MIME):
        return []
    try:
        value = json.loads(bytes(mime.data(PHOTO_IDS_MIME).data()).decode())
    except ValueError:
        return []
    return [int(i) for i in value] if isinstance(value, list) else []


PAGE = 500  # rows fetched at once


def thumbnail_key(row: PhotoRow) -> str:
    """The RAM-cache key of a row's thumbnail: its content when known, else its file."""
    return row.content_hash or f"path:{row.path}"


class PhotoListModel(QAbstractListModel):
    """A flat list of photos; uniform items, so 100,000 rows cost nothing to lay out.

    Roles: ``ROW_ROLE`` (the PhotoRow, None while not fetched), ``ID_ROLE``, ``PATH_ROLE``,
    ``THUMBNAIL_KEY_ROLE``, ``SCORE_ROLE`` (None when browsing), ``OFFLINE_ROLE``; Display is the
    file name and ToolTip the file name with the score.

    Signals:
        rowsWanted(list[int]): ids whose rows a view needs and the model lacks (a page).
        rowsArrived(int, int): rows first..last were filled in (repaint them).
    """

    rowsWanted = Signal(object)
    rowsArrived = Signal(int, int)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._ids: list[int] = []
        self._rows: list[PhotoRow | None] = []
        self._positions: dict[int, int] | None = None
        self._asked: set[int] = set()  # pages asked for
        self._kind = "browse"
        self._rows_by_key: dict[str, list[int]] | None = None

    @property
    def kind(self) -> str:
        """What the rows answer: browse, text, similar_photo or similar_file."""
        return self._kind

    def set_rows(
        self, rows: Sequence[PhotoRow], kind: str = "browse", ids: Sequence[int] | None = None
    ) -> None:
        """Show a result: ``ids`` in order (default: the rows'), the first ``len(rows)`` of
        them with their rows already fetched."""
        self.beginResetModel()
        self._ids = list(ids) if ids is not None else [r.id for r in rows]
        self._rows = [*rows, *([None] * (len(self._ids) - len(rows)))]
        self._positions = None
        self._asked = set()
        self._kind = kind
        self._rows_by_key = None  # built on the first thumbnail that arrives
        self.endResetModel()

    def add_rows(self, rows: Sequence[PhotoRow]) -> None:
        """Fill in fetched rows (rows of ids no longer shown are ignored)."""
        positions = self._position_table()
        placed = [positions[r.id] for r in rows if r.id in positions]
        for row in rows:
            if (number := positions.get(row.id)) is not None:
                self._rows[number] = row
        self._rows_by_key = None
        if placed:
            self.rowsArrived.emit(min(placed), max(placed))

    def _position_table(self) -> dict[int, int]:
        if self._positions is None:
            self._positions = {photo_id: n for n, photo_id in enumerate(self._ids)}
        return self._positions

    def photo(self, row: int) -> PhotoRow | None:
        """The row, if fetched (asks for its page when not)."""
        if not 0 <= row < len(self._rows):
            return None
        found = self._rows[row]
        if found is None:
            self._want(row)
        return found

    def _want(self, row: int) -> None:
        page = row // PAGE
        if page in self._asked:
            return
        self._asked.add(page)
        start = page * PAGE
        self.rowsWanted.emit(
            [
                i
                for i, r in zip(
                    self._ids[start : start + PAGE], self._rows[start : start + PAGE], strict=True
                )
                if r is None
            ]
        )

    def photos(self) -> list[PhotoRow]:
        """The rows fetched so far, in order."""
        return [r for r in self._rows if r is not None]

    def ids(self) -> list[int]:
        """Every photo of the result, in order."""
        return list(self._ids)

    def row_of(self, photo_id: int) -> int:
        """The row of a photo, or -1."""
        return self._position_table().get(photo_id, -1)

    def rows_for_key(self, key: str) -> list[int]:
        """The rows that show the thumbnail with this key."""
        if self._rows_by_key is None:
            table: dict[str, list[int]] = {}
            for number, row in enumerate(self._rows):
                if row is not None:
                    table.setdefault(thumbnail_key(row), []).append(number)
            self._rows_by_key = table
        return self._rows_by_key.get(key, [])

    def thumbnail_ready(self, key: str) -> None:
        """Tell views the rows whose thumbnail just arrived changed.

        The window does not use this for the grid: in a wrapping list view every dataChanged
        lays out all rows again (60-140 ms at 100k rows); it repaints the cells instead.
        """
        for number in self.rows_for_key(key):
            index = self.index(number, 0)
            self.dataChanged.emit(index, index, [Qt.ItemDataRole.DecorationRole])

    def set_favourite(self, photo_ids: Iterable[int], favourite: bool) -> None:
        """Mark rows as favourites or not once the writer has stored it (repaints just them)."""
        wanted = set(photo_ids)
        for number, row in enumerate(self._rows):
            if row is not None and row.id in wanted and row.favourite != favourite:
                self._rows[number] = replace(row, favourite=favourite)
                index = self.index(number, 0)
                self.dataChanged.emit(index, index, [ROW_ROLE])

    # -- QAbstractItemModel ---------------------------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        """Override QAbstractItemModel.rowCount: a list has children only at the root."""
        return 0 if parent.isValid() else len(self._rows)

    def flags(self, index: Index) -> Qt.ItemFlag:
        """Override QAbstractItemModel.flags."""
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return (
            Qt.ItemFlag.ItemIsEnabled
            | Qt.ItemFlag.ItemIsSelectable
            | Qt.ItemFlag.ItemIsDragEnabled
            | Qt.ItemFlag.ItemNeverHasChildren
        )

    def mimeTypes(self) -> list[str]:
        """Override QAbstractItemModel.mimeTypes: photos dragged onto an album."""
        return [PHOTO_IDS_MIME]

    def mimeData(self, indexes: Sequence[QModelIndex]) -> QMimeData:
        """Override QAbstractItemModel.mimeData: the dragged photos' ids, in grid order."""
        rows = sorted({i.row() for i in indexes if i.isValid() and i.row() < len(self._ids)})
        return photo_ids_mime([self._ids[r] for r in rows])

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        """Override QAbstractItemModel.data."""
        if not index.isValid() or index.row() >= len(self._rows) or index.column() != 0:
            return None
        if role == ID_ROLE:
            return self._ids[index.row()]
        row = self.photo(index.row())
        if row is None:
            return None  # its page is on the way
        if role == Qt.ItemDataRole.DisplayRole:
            return Path(row.path).name
        if role == Qt.ItemDataRole.ToolTipRole:
            if row.score is None:
                return Path(row.path).name
            score = self.tr("Score: {score}").format(score=f"{row.score:.3f}")
            return f"{Path(row.path).name}\n{score}"
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return Path(row.path).name
        if role == ROW_ROLE:
            return row
        if role == PATH_ROLE:
            return row.path
        if role == THUMBNAIL_KEY_ROLE:
            return thumbnail_key(row)
        if role == SCORE_ROLE:
            return row.score
        if role == OFFLINE_ROLE:
            return row.offline
        return None
