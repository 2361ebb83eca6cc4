"""The Duplicates view, used as a person would: open it from the View menu, look at each tier,
choose what to keep, and move the others to the trash (or not) through the one writer."""

from __future__ import annotations

import errno
import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QLocale, Qt
from PySide6.QtWidgets import QApplication, QPushButton

from desktop_album.core import file_actions
from desktop_album.core.duplicates import EXPLANATIONS, Tier
from desktop_album.core.library import Library
from desktop_album.core.settings import Settings
from desktop_album.gui.duplicate_cards import GroupCard, PhotoCard
from desktop_album.gui.duplicates_view import DuplicatesView
from desktop_album.gui.main_window import MainWindow
from desktop_album.gui.translations import install_translators
from tests.dup_corpus import ReviewSet, make_review_set
from tests.gui.helpers import drop, wait_indexed
from tests.trash import use_temporary_trash

TIMEOUT = 60_000
PHOTOS = 11  # 2 exact + 2 near + 3 burst + 4 distinct


@pytest.fixture
def review_set(tmp_path: Path) -> ReviewSet:
    return make_review_set(tmp_path / "photos" / "Dups")


@pytest.fixture
def window(make_window, settings: Settings, review_set: ReviewSet, qtbot) -> MainWindow:
    window = make_window(settings)
    qtbot.waitUntil(lambda: window.model_status.available, timeout=TIMEOUT)
    assert drop(window, [review_set.folder])
    wait_indexed(qtbot, window, PHOTOS)
    return window


def open_view(window: MainWindow, qtbot) -> DuplicatesView:
    """View ▸ Duplicates…, and wait for the groups."""
    view = window.duplicates
    action = next(
        a
        for a in window.menuBar().actions()[1].menu().actions()
        if a.objectName() == "showDuplicates"
    )
    with qtbot.waitSignal(view.reviewShown, timeout=TIMEOUT):
        action.trigger()
    assert view.showing and view.isVisible()
    return view


def shown_tier(view: DuplicatesView, tier: Tier) -> list[GroupCard]:
    view.select_tier(tier)
    return view.cards


def names(card: GroupCard) -> list[str]:
    return sorted(Path(p.photo.path).name for p in card.cards)


def kept(card: GroupCard) -> PhotoCard:
    (photo,) = [p for p in card.cards if p.keep_button.isChecked()]
    return photo


def in_library(window: MainWindow) -> list[str]:
    library = Library.open_reader(window.services.library_file)
    try:
        rows = library.conn.execute("SELECT path FROM photos WHERE status = 'ok'").fetchall()
    finally:
        library.close()
    return sorted(Path(r[0]).name for r in rows)


def files(folder: Path) -> set[str]:
    return {str(p.relative_to(folder)) for p in folder.rglob("*.jpg")}


def test_each_tier_shows_its_groups_and_the_suggested_keep(
    window: MainWindow, review_set: ReviewSet, qtbot
) -> None:
    view = open_view(window, qtbot)
    tabs = [view.tiers.tabText(i) for i in range(view.tiers.count())]
    assert tabs == ["Exact copies (1)", "Near-duplicates (1)", "Similar shots (1)"]
    assert view.tiers.currentIndex() == 0  # the strictest tier with groups first

    (exact,) = shown_tier(view, Tier.EXACT)
    assert view.explanation.text() == EXPLANATIONS[Tier.EXACT]  # the CLI's sentence
    assert names(exact) == ["beach.jpg", "beach.jpg"]
    assert {str(Path(p.photo.path).parent.name) for p in exact.cards} == {"Dups", "Backup"}
    assert kept(exact).badge.text() == "Keep"
    assert kept(exact).keep_button.text() == "Suggested: the original (the older file)"
    assert kept(exact).photo.path == str(review_set.exact[0].resolve())  # not the backup
    assert exact.check.isChecked()

    (near,) = shown_tier(view, Tier.NEAR)
    assert view.explanation.text() == EXPLANATIONS[Tier.NEAR]
    assert names(near) == ["sunset (messenger).jpg", "sunset.jpg"]
    keep = kept(near)
    assert Path(keep.photo.path).name == "sunset.jpg"
    assert keep.keep_button.text() == "Suggested: largest resolution"
    assert "800 × 600" in keep.details.text() and "560 × 420" not in keep.details.text()
    other = next(p for p in near.cards if p is not keep)
    assert other.badge.text() == "To trash" and not other.badge.isHidden()
    assert other.folder.text().endswith("Dups")
    assert (
        next(p for p in exact.cards if "Backup" in p.photo.path)
        .folder.text()
        .endswith("Dups/Backup")
    )

    (similar,) = shown_tier(view, Tier.SIMILAR)
    assert view.explanation.text() == EXPLANATIONS[Tier.SIMILAR]
    assert names(similar) == ["burst_0.jpg", "burst_1.jpg", "burst_2.jpg"]
    assert not similar.check.isChecked()  # similar shots are a matter of taste: not preselected
    assert not view.trash_button.isEnabled()
    assert all("other_" not in n for c in view.cards for n in names(c))
    assert not view.notice.isVisible()

    qtbot.waitUntil(lambda: not view.loader.busy, timeout=TIMEOUT)
    assert all(
        p.image.pixmap() is not None and not p.image.pixmap().isNull() for p in similar.cards
    )

    view.back.click()
    assert not view.showing and window.grid.isVisible()


def test_changing_keep_and_cancelling_leaves_every_file(
    window: MainWindow, review_set: ReviewSet, tmp_path: Path, monkeypatch, qtbot
) -> None:
    trash = use_temporary_trash(monkeypatch, tmp_path / "user")
    asked: list[str] = []
    view = open_view(window, qtbot)
    view.confirm = lambda parent, title, text: asked.append(text) and False
    (near,) = shown_tier(view, Tier.NEAR)
    small = next(p for p in near.cards if p.photo.path.endswith("(messenger).jpg"))
    qtbot.mouseClick(small, Qt.MouseButton.LeftButton)  # a click on the photo keeps it
    assert kept(near) is small and small.keep_button.text() == "Your choice"
    assert small.badge.text() == "Keep"
    assert view.trash_button.text() == "Move 1 others to trash…"
    before = files(review_set.folder)
    view.trash_button.click()
    assert len(asked) == 1
    size = os.path.getsize(review_set.near[0]) / 1000
    assert "Move 1 photos to the trash?" in asked[0] and f"{size:.1f} kB" in asked[0]
    assert files(review_set.folder) == before
    assert not trash.exists() or not any(trash.rglob("*.jpg"))
    assert len(in_library(window)) == PHOTOS
    assert view.keep_of(near.group) == small.photo.id  # the choice stays


def test_confirming_moves_exactly_the_others_and_they_leave_the_library(
    window: MainWindow, review_set: ReviewSet, tmp_path: Path, monkeypatch, qtbot
) -> None:
    trash = use_temporary_trash(monkeypatch, tmp_path / "user")
    view = open_view(window, qtbot)
    view.confirm = lambda parent, title, text: True
    (near,) = shown_tier(view, Tier.NEAR)
    small = next(p for p in near.cards if p.photo.path.endswith("(messenger).jpg"))
    small.keep_button.click()  # keep the small copy: the large original goes
    with qtbot.waitSignal(view.trashDone, timeout=TIMEOUT) as done:
        view.trash_button.click()
    assert [Path(o.path).name for o in done.args[0].done] == ["sunset.jpg"]
    assert sorted(p.name for p in (trash / "files").iterdir()) == ["sunset.jpg"]
    assert not review_set.near[0].exists() and review_set.near[1].exists()
    qtbot.waitUntil(lambda: view.review.counts()[Tier.NEAR] == 0, timeout=TIMEOUT)
    assert "sunset.jpg" not in in_library(window)
    assert len(in_library(window)) == PHOTOS - 1
    assert view.tiers.tabText(1) == "Near-duplicates (0)"
    assert "No duplicates found" in view.empty.text()
    assert not view.failures.isVisible()
    assert "1 photos moved to the trash." in window.statusBar().currentMessage()

    # Then every exact copy but the kept one, from the Exact tier (preselected there).
    (exact,) = shown_tier(view, Tier.EXACT)
    keep = kept(exact).photo.path
    with qtbot.waitSignal(view.trashDone, timeout=TIMEOUT):
        view.trash_button.click()
    qtbot.waitUntil(lambda: view.review.counts()[Tier.EXACT] == 0, timeout=TIMEOUT)
    assert Path(keep).exists()
    assert len(list((trash / "files").iterdir())) == 2
    qtbot.waitUntil(lambda: len(window.photos.ids()) == PHOTOS - 2, timeout=TIMEOUT)


def test_a_read_only_folder_is_reported_in_the_view_and_nothing_is_lost(
    window: MainWindow, review_set: ReviewSet, tmp_path: Path, monkeypatch, qtbot
) -> None:
    use_temporary_trash(monkeypatch, tmp_path / "user")
    backup = review_set.exact[1].parent
    real_send = file_actions.send2trash

    def send(path: str) -> None:
        # Root (these tests may run as root) is not stopped by permissions: say what the
        # system says to anyone else about a file in a read-only folder.
        if os.geteuid() == 0 and Path(path).parent == backup:
            raise PermissionError(errno.EACCES, "Permission denied", path)
        real_send(path)

    monkeypatch.setattr(file_actions, "send2trash", send)
    backup.chmod(stat.S_IRUSR | stat.S_IXUSR)
    try:
        view = open_view(window, qtbot)
        view.confirm = lambda parent, title, text: True
        (exact,) = shown_tier(view, Tier.EXACT)
        doomed = next(p for p in exact.cards if Path(p.photo.path).parent == backup)
        exact.set_keep(next(p for p in exact.cards if p is not doomed).photo.id)
        with qtbot.waitSignal(view.trashDone, timeout=TIMEOUT) as done:
            view.trash_button.click()
        assert [o.kind for o in done.args[0].failed] in (["permission"], ["read_only"])
        assert view.failures.isVisible()
        text = view.failures.text.text()
        assert "1 of 1 photos could not be moved" in text and "Nothing was lost" in text
        assert "Dups/Backup/beach.jpg: its folder cannot be changed" in text
        assert "Make the folder writable" in text
        assert review_set.exact[1].exists() and review_set.exact[0].exists()
        assert len(in_library(window)) == PHOTOS
        qtbot.waitUntil(lambda: not view.state.text(), timeout=TIMEOUT)  # read again
        assert view.review.counts()[Tier.EXACT] == 1
        assert view.failures.isVisible()  # stays until dismissed
    finally:
        backup.chmod(stat.S_IRWXU)


def test_photos_without_a_perceptual_hash_are_announced_and_prepared(
    window: MainWindow, qtbot
) -> None:
    library = Library(window.services.library_file)
    try:
        with library.write() as conn:
            conn.execute("UPDATE photos SET phash = NULL WHERE path LIKE '%sunset%'")
    finally:
        library.close()
    view = open_view(window, qtbot)
    shown_tier(view, Tier.NEAR)
    assert view.review.counts()[Tier.NEAR] == 0
    assert view.notice.isVisible()
    assert view.notice.text.text() == (
        "2 photos are still being prepared; near-duplicates may be incomplete."
    )
    assert "No duplicates found so far" in view.empty.text()
    assert view.prepare.isVisible()
    view.prepare.click()
    qtbot.waitUntil(
        lambda: view.review.unprepared == 0 and view.review.counts()[Tier.NEAR] == 1,
        timeout=TIMEOUT,
    )
    assert not view.notice.isVisible()


def test_hashes_filled_in_by_the_next_indexing_clear_the_notice_by_themselves(
    window: MainWindow, qtbot
) -> None:
    """A library from before perceptual hashes: the writer fills them in after its next job
    and the open page reads the groups again without being asked."""
    library = Library(window.services.library_file)
    try:
        with library.write() as conn:
            conn.execute("UPDATE photos SET phash = NULL WHERE path LIKE '%sunset%'")
    finally:
        library.close()
    view = open_view(window, qtbot)
    shown_tier(view, Tier.NEAR)
    assert view.notice.isVisible()
    window.index.index()  # as the hourly look or the next start would
    qtbot.waitUntil(
        lambda: view.review.unprepared == 0 and view.review.counts()[Tier.NEAR] == 1,
        timeout=TIMEOUT,
    )
    assert not view.notice.isVisible()


def test_without_a_model_similar_shots_say_they_need_one(window: MainWindow, qtbot) -> None:
    view = open_view(window, qtbot)
    with qtbot.waitSignal(view.reviewShown, timeout=TIMEOUT):
        view._model_ready(None)  # as the window hears when no model could be loaded
    assert not view.review.with_model
    shown_tier(view, Tier.SIMILAR)
    assert view.cards == []
    assert "Similar shots are found by a model" in view.empty.text()
    shown_tier(view, Tier.NEAR)
    assert "perceptual hash alone" in view.notice.text.text()
    assert view.review.counts()[Tier.EXACT] == 1  # exact copies need no model


def test_choosing_a_folder_in_the_sidebar_goes_back_to_the_photos(
    window: MainWindow, qtbot
) -> None:
    qtbot.waitUntil(
        lambda: bool(window.library.data and window.library.data.roots), timeout=TIMEOUT
    )
    root_id = window.library.data.roots[0].root_id
    view = open_view(window, qtbot)
    with qtbot.waitSignal(window.resultsShown, timeout=TIMEOUT):
        window.library.tree.select_folder(root_id, "Backup")
    assert not view.showing and window.grid.isVisible()
    assert [Path(r.path).name for r in window.photos.photos()] == ["beach.jpg"]


def test_ctrl_f_goes_back_to_the_photos_and_their_search_bar(window: MainWindow, qtbot) -> None:
    view = open_view(window, qtbot)
    window.activateWindow()
    qtbot.keyClick(window, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: not view.showing, timeout=TIMEOUT)
    assert window.search_bar.isVisible()
    qtbot.waitUntil(window.search_bar.hasFocus, timeout=TIMEOUT)


@pytest.fixture
def korean(qapp: QApplication) -> Iterator[None]:
    translators = install_translators(qapp, "ko")
    yield
    for translator in translators:
        qapp.removeTranslator(translator)
    QLocale.setDefault(QLocale(QLocale.Language.English))


def test_the_view_in_korean(korean: None, make_window, settings, review_set, qtbot) -> None:
    window = make_window(settings)
    qtbot.waitUntil(lambda: window.model_status.available, timeout=TIMEOUT)
    assert drop(window, [review_set.folder])
    wait_indexed(qtbot, window, PHOTOS)
    view = open_view(window, qtbot)
    assert view.tiers.tabText(0) == "완전히 같은 파일 (1)"
    (near,) = shown_tier(view, Tier.NEAR)
    assert kept(near).keep_button.text() == "추천: 가장 높은 해상도"
    assert view.trash_button.text() == "나머지 1장 휴지통으로 이동…"


def test_each_failure_says_what_to_do() -> None:
    from desktop_album.core import errors
    from desktop_album.core.file_actions import FileOutcome
    from desktop_album.gui.duplicate_words import failure_line, folder_label

    def line(kind: str, path: str = "/p/a.jpg") -> str:
        return failure_line(FileOutcome(path, 1, kind=kind, message="x"))

    assert line(errors.OFFLINE) == (
        "a.jpg: its drive is not connected. Connect the drive, then try again."
    )
    assert "Make the folder writable" in line(errors.READ_ONLY)
    assert "Make the folder writable" in line(errors.PERMISSION)
    assert "Free some space" in line(errors.DISK_FULL)
    assert "moved or deleted elsewhere" in line(errors.NOT_FOUND)
    assert line(errors.NOT_FOUND, "") == "A photo is no longer in the library; nothing to do."
    assert line(errors.ENVIRONMENT) == "a.jpg: x"
    assert "the photo kept in its group is not there now" in line(errors.CANCELLED)
    roots = ["/home/me/Pictures", "/home/me/Pictures/Phone"]
    assert folder_label("/home/me/Pictures/Phone/2024/a.jpg", roots) == "Phone/2024"
    assert folder_label("/home/me/Pictures/a.jpg", roots) == "Pictures"
    assert folder_label("/elsewhere/a.jpg", roots) == "/elsewhere"


def test_the_work_function_alone_finds_the_model_from_the_settings(
    window: MainWindow, tiny_pack: Path
) -> None:
    from desktop_album.gui.duplicate_work import ReviewRequest, read_review

    services = window.services
    request = ReviewRequest(services.library_file, None, False, services.model_choice())
    review = read_review(request)  # the model not heard of yet: resolved from the settings
    assert review.with_model and review.counts()[Tier.SIMILAR] == 1
    none = read_review(ReviewRequest(services.library_file, None, True, services.model_choice()))
    assert not none.with_model and none.counts()[Tier.SIMILAR] == 0


def test_many_groups_come_a_page_at_a_time_and_select_all_counts_them_all(
    make_window, settings: Settings, qtbot
) -> None:
    from desktop_album.core.duplicate_review import DuplicateReview
    from desktop_album.core.duplicates import DuplicateGroup, DupPhoto
    from desktop_album.gui.duplicates_view import GROUPS_PER_PAGE

    window = make_window(settings, start=False)
    view = window.duplicates

    def group(n: int) -> DuplicateGroup:
        big = DupPhoto(2 * n, f"/p/{n}.jpg", 200, 100, 2000, None, False, f"h{n}", 1)
        small = DupPhoto(2 * n + 1, f"/p/{n} small.jpg", 100, 50, 500, None, False, f"s{n}", 1)
        return DuplicateGroup(Tier.NEAR, (big, small), big)

    count = GROUPS_PER_PAGE + 6
    review = DuplicateReview(tuple(group(n) for n in range(count)), 2 * count, 0, 0, True)
    view._review_read(view._generation, review)  # as the worker's answer arrives
    assert view.tier is Tier.NEAR and len(view.cards) == GROUPS_PER_PAGE
    more = view.list.findChild(QPushButton, "moreGroups")
    assert more.text() == "Show 6 more groups"
    assert view.summary.text() == f"{count} of {count} groups selected"
    assert view.trash_button.text() == f"Move {count} others to trash…"
    more.click()
    assert len(view.cards) == count
    qtbot.waitUntil(lambda: view.list.findChild(QPushButton, "moreGroups") is None)
    view.select_all(False)
    assert not any(c.check.isChecked() for c in view.cards)
    assert not view.trash_button.isEnabled()
    view.cards[3].check.setChecked(True)
    assert view.to_trash() == [view.cards[3].group.photos[1]]


def test_refreshes_asked_during_a_review_become_one_more_review(window: MainWindow, qtbot) -> None:
    view = open_view(window, qtbot)
    shown: list[object] = []
    view.reviewShown.connect(shown.append)
    for _ in range(3):  # as the library changes several times while one review runs
        view.refresh()
    qtbot.waitUntil(lambda: len(shown) == 2 and not view._reading, timeout=TIMEOUT)
    assert not view._read_again and view.state.text() == ""
    assert shown[0] == shown[1] and view.review.counts()[Tier.NEAR] == 1
