"""The grid's item model: the photos of the current result, in order.

The model holds the result's photo ids, and :class:`PhotoRow` values for the rows fetched so far
(Anki's browser table does the same): a result of 100,000 photos costs a list of ids, and rows
are fetched a page at a time as they scroll into view (:attr:`PhotoListModel.rowsWanted`; the
window asks the search worker, which reads them on its thread). It never reads the disk or the
database itself. Images are not its business either: the delegate asks the thumbnail loader with
the row's thumbnail key, and the window repaints just the cells showing that image.
"""

from __future__ import annotations

import bisect
import json
from collections.abc import Iterable, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

from PySide6.QtCore import (
    QAbstractListModel,
    QDate,
    QLocale,
    QMimeData,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
)

from desktop_album.core.timeline import DAY, FOLDER, MONTH, Section
from desktop_album.gui.records import PhotoRow

Index = QModelIndex | QPersistentModelIndex

ROW_ROLE = Qt.ItemDataRole.UserRole + 1
ID_ROLE = Qt.ItemDataRole.UserRole + 2
PATH_ROLE = Qt.ItemDataRole.UserRole + 3
THUMBNAIL_KEY_ROLE = Qt.ItemDataRole.UserRole + 4
SCORE_ROLE = Qt.ItemDataRole.UserRole + 5
OFFLINE_ROLE = Qt.ItemDataRole.UserRole + 6
HEADER_ROLE = Qt.ItemDataRole.UserRole + 7  # a date header's text (None on photo rows)

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
        self._rows: list[PhotoRow | None] = []  # by photo number (headers are not photos)
        self._positions: dict[int, int] | None = None
        self._asked: set[int] = set()  # pages asked for
        self._kind = "browse"
        self._rows_by_key: dict[str, list[int]] | None = None
        self._sections: tuple[Section, ...] = ()
        self._starts: list[int] = []  # photo number each header stands before
        self._header_rows: list[int] = []  # model row of each header

    @property
    def kind(self) -> str:
        """What the rows answer: browse, text, similar_photo or similar_file."""
        return self._kind

    def set_rows(
        self,
        rows: Sequence[PhotoRow],
        kind: str = "browse",
        ids: Sequence[int] | None = None,
        sections: Sequence[Section] = (),
    ) -> None:
        """Show a result: ``ids`` in order (default: the rows'), the first ``len(rows)`` of
        them with their rows already fetched, and date headers before the photos that
        ``sections`` name (none: a plain grid)."""
        self.beginResetModel()
        self._ids = list(ids) if ids is not None else [r.id for r in rows]
        self._rows = [*rows, *([None] * (len(self._ids) - len(rows)))]
        self._positions = None
        self._asked = set()
        self._kind = kind
        self._rows_by_key = None  # built on the first thumbnail that arrives
        self._sections = tuple(sections)
        self._starts = [s.start for s in self._sections]
        self._header_rows = [s.start + n for n, s in enumerate(self._sections)]
        self.endResetModel()

    # -- model rows <-> photo numbers (headers sit between photos) ---------------------------

    def _photo_number(self, row: int) -> int:
        """The photo shown at a model row; -1 for a header row."""
        if not self._header_rows:
            return row
        before = bisect.bisect_right(self._header_rows, row)
        if before and self._header_rows[before - 1] == row:
            return -1
        return row - before

    def _model_row(self, number: int) -> int:
        return number + bisect.bisect_right(self._starts, number) if self._starts else number

    def has_headers(self) -> bool:
        return bool(self._sections)

    def is_header(self, row: int) -> bool:
        return 0 <= row < self.rowCount() and self._photo_number(row) < 0

    def headers(self) -> list[tuple[int, str]]:
        """(model row, date key) of each header: "2023-07-14", "2023-07", "2023" or ""."""
        return [(r, s.key) for r, s in zip(self._header_rows, self._sections, strict=True)]

    def first_photo_row(self) -> int:
        return self._model_row(0) if self._ids else -1

    def header_text(self, row: int) -> str:
        """A header's words in the UI's language: a day, a month or a year; or a folder."""
        section = self._sections[bisect.bisect_left(self._header_rows, row)]
        if section.granularity == FOLDER:
            return section.key  # a folder's path, as the file system names it
        if not section.key:
            return self.tr("No date")
        parts = [int(p) for p in section.key.split("-")]
        locale = QLocale()
        if section.granularity == DAY and len(parts) == 3:
            return locale.toString(QDate(*parts), QLocale.FormatType.LongFormat)
        if section.granularity == MONTH and len(parts) >= 2:
            return locale.toString(QDate(parts[0], parts[1], 1), "MMMM yyyy")
        return str(parts[0])

    def add_rows(self, rows: Sequence[PhotoRow]) -> None:
        """Fill in fetched rows (rows of ids no longer shown are ignored)."""
        positions = self._position_table()
        placed = [positions[r.id] for r in rows if r.id in positions]
        for row in rows:
            if (number := positions.get(row.id)) is not None:
                self._rows[number] = row
        self._rows_by_key = None
        if placed:
            self.rowsArrived.emit(self._model_row(min(placed)), self._model_row(max(placed)))

    def _position_table(self) -> dict[int, int]:
        if self._positions is None:
            self._positions = {photo_id: n for n, photo_id in enumerate(self._ids)}
        return self._positions

    def photo(self, row: int) -> PhotoRow | None:
        """The photo at a model row, if fetched (asks for its page when not); None for a
        header."""
        number = self._photo_number(row) if 0 <= row < self.rowCount() else -1
        if number < 0:
            return None
        found = self._rows[number]
        if found is None:
            self._want(number)
        return found

    def _want(self, number: int) -> None:
        page = number // PAGE
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
        """The model row of a photo, or -1."""
        number = self._position_table().get(photo_id, -1)
        return self._model_row(number) if number >= 0 else -1

    def rows_for_key(self, key: str) -> list[int]:
        """The model rows that show the thumbnail with this key."""
        if self._rows_by_key is None:
            table: dict[str, list[int]] = {}
            for number, row in enumerate(self._rows):
                if row is not None:
                    table.setdefault(thumbnail_key(row), []).append(self._model_row(number))
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
                index = self.index(self._model_row(number), 0)
                self.dataChanged.emit(index, index, [ROW_ROLE])

    # -- QAbstractItemModel ---------------------------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        """Override QAbstractItemModel.rowCount: a list has children only at the root."""
        return 0 if parent.isValid() else len(self._rows) + len(self._sections)

    def flags(self, index: Index) -> Qt.ItemFlag:
        """Override QAbstractItemModel.flags: headers are shown, never selected."""
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        if self.is_header(index.row()):
            return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemNeverHasChildren
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
        rows = sorted({i.row() for i in indexes if i.isValid()})
        numbers = [n for n in (self._photo_number(r) for r in rows) if 0 <= n < len(self._ids)]
        return photo_ids_mime([self._ids[n] for n in numbers])

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        """Override QAbstractItemModel.data."""
        if not index.isValid() or index.row() >= self.rowCount() or index.column() != 0:
            return None
        number = self._photo_number(index.row())
        if number < 0:  # a date header
            if role in (Qt.ItemDataRole.DisplayRole, HEADER_ROLE):
                return self.header_text(index.row())
            return None
        if role == ID_ROLE:
            return self._ids[number]
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
