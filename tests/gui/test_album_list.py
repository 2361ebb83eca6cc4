"""The sidebar's albums: Favourites and albums as filters, their menu, photos dropped on them."""

from __future__ import annotations

from PySide6.QtCore import QMimeData, QPointF, Qt
from PySide6.QtGui import QDragEnterEvent, QDragMoveEvent, QDropEvent
from PySide6.QtWidgets import QApplication

from desktop_album.core.albums import Album
from desktop_album.gui.album_list import FAVOURITES, AlbumList
from desktop_album.gui.photo_model import PHOTO_IDS_MIME, PhotoListModel, photo_ids_from
from desktop_album.gui.records import PhotoRow

ALBUMS = [Album(3, "Family", 12, 0.0), Album(4, "제주 여행", 1, 0.0)]


def make_list(qtbot, **dialogs) -> AlbumList:
    albums = AlbumList(
        ask_name=dialogs.get("ask_name", lambda parent, title, current: "Trip 2025"),
        confirm=dialogs.get("confirm", lambda parent, text: True),
        ask_folder=dialogs.get("ask_folder", lambda parent, title: "/backup/family"),
    )
    qtbot.addWidget(albums)
    albums.set_albums(ALBUMS, favourites=5)
    return albums


def test_entries_and_selection(qtbot) -> None:
    albums = make_list(qtbot)
    assert [albums.item(i).text() for i in range(albums.count())] == [
        "Favourites  (5)",
        "Family  (12)",
        "제주 여행  (1)",
    ]
    with qtbot.waitSignal(albums.albumSelected, timeout=1000) as chosen:
        albums.select(4)
    assert chosen.args == [4]
    with qtbot.waitSignal(albums.favouritesSelected, timeout=1000):
        albums.select(FAVOURITES)
    albums.select(3)
    albums.set_albums([*ALBUMS, Album(9, "New", 0, 0.0)], favourites=6)  # a refresh keeps it
    assert albums.current_id() == 3


def test_menu_asks_then_emits(qtbot) -> None:
    albums = make_list(qtbot)
    menu = albums.menu_for(3)
    named = {a.objectName(): a for a in menu.actions()}
    expectations = [
        ("newAlbum", albums.createRequested, ["Trip 2025"]),
        ("rename", albums.renameRequested, [3, "Trip 2025"]),
        ("export", albums.exportRequested, [3, "/backup/family"]),
        ("delete", albums.deleteRequested, [3]),
    ]
    for name, signal, args in expectations:
        with qtbot.waitSignal(signal, timeout=1000) as emitted:
            named[name].trigger()
        assert emitted.args == args
    # Favourites cannot be renamed or deleted.
    assert [a.objectName() for a in albums.menu_for(FAVOURITES).actions()] == ["newAlbum"]


def test_cancelled_dialogs_do_nothing(qtbot) -> None:
    albums = make_list(
        qtbot,
        ask_name=lambda parent, title, current: None,
        confirm=lambda parent, text: False,
        ask_folder=lambda parent, title: None,
    )
    heard: list[object] = []
    for signal in (albums.createRequested, albums.deleteRequested, albums.exportRequested):
        signal.connect(lambda *args: heard.append(args))
    albums.create_album()
    albums.delete_album(3)
    albums.export_album(3)
    assert heard == []


def _drag(albums: AlbumList, mime: QMimeData, album_id: int) -> bool:
    pos = QPointF(albums.visualItemRect(albums.item_for(album_id)).center())
    args = (
        Qt.DropAction.CopyAction,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    try:
        enter = QDragEnterEvent(pos, *args)  # Qt 6.12+; the QPoint form is deprecated
    except TypeError:
        enter = QDragEnterEvent(pos.toPoint(), *args)
    QApplication.sendEvent(albums.viewport(), enter)
    if not enter.isAccepted():
        return False
    try:
        move = QDragMoveEvent(pos, *args)
    except TypeError:
        move = QDragMoveEvent(pos.toPoint(), *args)
    QApplication.sendEvent(albums.viewport(), move)
    if not move.isAccepted():
        return False
    QApplication.sendEvent(albums.viewport(), QDropEvent(pos, *args))
    return True


def test_photos_dragged_from_the_grid_drop_onto_an_album(qtbot) -> None:
    albums = make_list(qtbot)
    albums.show()
    qtbot.waitExposed(albums)
    model = PhotoListModel()
    model.set_rows([PhotoRow(i, f"/p/{i}.jpg", 1, None, None, 1, 1, "h", False) for i in (7, 8, 9)])
    mime = model.mimeData([model.index(2, 0), model.index(0, 0)])
    assert model.mimeTypes() == [PHOTO_IDS_MIME]
    assert photo_ids_from(mime) == [7, 9]
    with qtbot.waitSignal(albums.photosDropped, timeout=1000) as dropped:
        assert _drag(albums, mime, 4)
    assert dropped.args == [[7, 9], 4]
    with qtbot.waitSignal(albums.photosDropped, timeout=1000) as favourite:
        assert _drag(albums, model.mimeData([model.index(1, 0)]), FAVOURITES)
    assert favourite.args == [[8], FAVOURITES]
    files = QMimeData()
    files.setText("not photos")
    assert not _drag(albums, files, 3)
