"""The Duplicates view: review groups of duplicates tier by tier and move the others to the trash.

Opened from View ▸ Duplicates (Ctrl+Shift+D), it takes the place of the photo grid and its
search bar (the sidebar stays; choosing a folder or album there, Esc or "Back to photos" goes
back). The groups are found on a worker with its own read-only library
(``duplicate_work.read_review``); the GUI thread only lays out what came back, a page of groups
at a time. Nothing happens to a file until the user confirms a dialog that names how many files
go and how much space that frees; the files then go through the one writer
(``IndexController.run_action`` + ``file_actions.move_to_trash``, the grid's own path), so the
library follows at once and the view is read again.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QAction, QKeySequence, QPixmap, QResizeEvent
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QStackedWidget,
    QTabBar,
    QVBoxLayout,
    QWidget,
)

from desktop_album.core import errors, file_actions
from desktop_album.core.duplicate_review import DuplicateReview
from desktop_album.core.duplicates import DuplicateGroup, DupPhoto, Tier
from desktop_album.gui.duplicate_cards import CARD_WIDTH, STYLE, GroupCard, thumbnail_key
from desktop_album.gui.duplicate_words import (
    checked_text,
    failure_report,
    folder_label,
    size_text,
    tier_explanation,
    tier_title,
)
from desktop_album.gui.duplicate_work import DuplicateWrites, ReviewRequest, read_review
from desktop_album.gui.error_words import failure_text
from desktop_album.gui.message_bar import FAILURE, NOTICE, MessageBar
from desktop_album.gui.photo_actions import ask_yes_cancel  # the grid's question
from desktop_album.gui.thumbnail_loader import ThumbnailLoader

if TYPE_CHECKING:
    from desktop_album.core.embedding import ClipModel
    from desktop_album.gui.main_window import MainWindow

GROUPS_PER_PAGE = 12  # groups laid out at once (about 70 ms for 4 photos each); "Show more"
TIERS = (Tier.EXACT, Tier.NEAR, Tier.SIMILAR)
Confirmer = Callable[[QWidget | None, str, str], bool]
GroupKey = frozenset[int]


class DuplicatesView(QWidget):
    """The Duplicates page of the main window. Build it with :func:`install_duplicates`.

    Signals:
        reviewShown(DuplicateReview): a new review is on screen (tests wait on it).
        trashDone(ActionReport): a move to the trash finished; its outcome is shown.
        closed(): the user went back to the photos.
    """

    reviewShown = Signal(object)
    trashDone = Signal(object)
    closed = Signal()

    def __init__(self, window: MainWindow, confirm: Confirmer = ask_yes_cancel) -> None:
        super().__init__()
        self.main = window  # (not "window": QWidget.window() is a method)
        self.setObjectName("duplicatesView")
        self.confirm = confirm  # tests answer the confirmation here
        self.review: DuplicateReview | None = None
        self.tier = Tier.EXACT
        self._chosen_tier = False  # the user picked a tier: keep it across refreshes
        self._keep: dict[GroupKey, int] = {}  # the user's choices, by group
        self._selected: dict[GroupKey, bool] = {}
        self._shown_groups = GROUPS_PER_PAGE
        self._columns = 0
        self.cards: list[GroupCard] = []
        self._generation = 0
        self._model_id: str | None = None
        self._model_known = False
        self._trashing = False  # from the confirmation until a review shows the result
        self._trash_read_after = 0
        self._reading = False
        self._read_again = False
        self.writes = DuplicateWrites(window.index, self)
        self.writes.trashed.connect(self._trashed)
        self.writes.prepared.connect(self._prepared)
        self.writes.failed.connect(self._write_failed)
        services = window.services
        tuning = services.tuning
        # A loader of its own (same disk cache and pool): the grid's drops its queue whenever
        # the grid shows a new result, which would strand this page's requests.
        self.loader = ThumbnailLoader(
            services.thumbnails,
            window.thumbnail_tasks,
            size=tuning.thumbnail_size,
            ram_bytes=32 << 20,
            max_in_flight=tuning.thumbnail_threads,
            parent=self,
        )
        self.loader.ready.connect(self._thumbnail_ready)
        self._refresh = QTimer(self)
        self._refresh.setSingleShot(True)
        self._refresh.setInterval(tuning.refresh_coalesce_ms)
        self._refresh.timeout.connect(self.refresh)
        self._build()
        self.action = QAction(self.tr("&Duplicates…"), window)
        self.action.setObjectName("showDuplicates")
        self.action.setShortcut(QKeySequence("Ctrl+Shift+D"))
        self.action.triggered.connect(self.open)
        window.index.libraryChanged.connect(self._library_changed)
        window.index.modelReady.connect(self._model_ready)

    # -- widgets ----------------------------------------------------------------------------

    def _build(self) -> None:
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 8, 8, 4)
        top = QHBoxLayout()
        self.back = QPushButton(self.tr("← Back to photos"))
        self.back.setObjectName("backToPhotos")
        self.back.clicked.connect(self.close_page)
        self.back.setShortcut(QKeySequence(Qt.Key.Key_Escape))
        top.addWidget(self.back)
        title = QLabel(self.tr("Duplicates"))
        title.setObjectName("duplicatesTitle")
        font = title.font()
        font.setPointSizeF(font.pointSizeF() * 1.4)
        font.setBold(True)
        title.setFont(font)
        top.addWidget(title)
        top.addStretch(1)
        self.state = QLabel()
        self.state.setObjectName("reviewState")
        top.addWidget(self.state)
        layout.addLayout(top)
        self.tiers = QTabBar()
        self.tiers.setObjectName("tierBar")
        self.tiers.setExpanding(False)
        self.tiers.setDrawBase(False)
        for tier in TIERS:
            number = self.tiers.addTab(tier_title(tier))
            self.tiers.setTabData(number, tier.value)
            self.tiers.setTabToolTip(number, tier_explanation(tier))
        self.tiers.currentChanged.connect(self._tier_chosen)
        layout.addWidget(self.tiers)
        self.explanation = QLabel()
        self.explanation.setObjectName("tierExplanation")
        self.explanation.setWordWrap(True)
        layout.addWidget(self.explanation)
        self.notice = MessageBar("duplicatesNotice", NOTICE, self.tr("Prepare them now"))
        self.notice.button.clicked.connect(self.prepare_hashes)
        self.prepare = self.notice.button
        layout.addWidget(self.notice)
        self.failures = MessageBar("trashFailures", FAILURE, self.tr("Dismiss"))
        self.failures.button.clicked.connect(self.failures.hide)
        layout.addWidget(self.failures)
        self.list = QWidget()
        self.list.setStyleSheet(STYLE)
        self.list_layout = QVBoxLayout(self.list)
        self.list_layout.setContentsMargins(0, 0, 0, 0)
        self.list_layout.setSpacing(10)
        self.group_scroll = QScrollArea()
        self.group_scroll.setObjectName("groupList")
        self.group_scroll.setWidgetResizable(True)
        self.group_scroll.setWidget(self.list)
        self.empty = QLabel()
        self.empty.setObjectName("duplicatesEmpty")
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.setWordWrap(True)
        self.empty.setMargin(40)
        self.pages = QStackedWidget()
        self.pages.addWidget(self.group_scroll)
        self.pages.addWidget(self.empty)
        layout.addWidget(self.pages, 1)
        bottom = QHBoxLayout()
        select_all = QPushButton(self.tr("Select all"))
        select_all.setObjectName("selectAllGroups")
        select_all.clicked.connect(lambda: self.select_all(True))
        select_none = QPushButton(self.tr("Select none"))
        select_none.setObjectName("selectNoGroups")
        select_none.clicked.connect(lambda: self.select_all(False))
        bottom.addWidget(select_all)
        bottom.addWidget(select_none)
        self.summary = QLabel()
        self.summary.setObjectName("selectionSummary")
        bottom.addWidget(self.summary, 1)
        self.trash_button = QPushButton()
        self.trash_button.setObjectName("trashOthers")
        self.trash_button.clicked.connect(self.trash_others)
        bottom.addWidget(self.trash_button)
        layout.addLayout(bottom)
        self._show_empty(self.tr("Looking for duplicates…"))
        self._update_summary()

    # -- opening and closing ----------------------------------------------------------------

    def open(self) -> None:
        """Show the page in the window and read the groups again."""
        stack = self.parentWidget()
        if isinstance(stack, QStackedWidget):
            stack.setCurrentWidget(self)
        self.refresh()

    def close_page(self) -> None:
        """Back to the photos (the grid and its search bar)."""
        stack = self.parentWidget()
        if isinstance(stack, QStackedWidget) and stack.currentWidget() is self:
            stack.setCurrentIndex(0)
            self.closed.emit()

    @property
    def showing(self) -> bool:
        stack = self.parentWidget()
        return isinstance(stack, QStackedWidget) and stack.currentWidget() is self

    # -- reading ----------------------------------------------------------------------------

    def refresh(self) -> None:
        """Find the groups again on a worker. One review at a time (it reads every photo): a
        refresh asked for meanwhile starts when the running one is done."""
        if self._reading:
            self._read_again = True
            return
        self._reading = True
        self._generation += 1
        generation = self._generation
        request = ReviewRequest(
            self.main.services.library_file,
            self._model_id,
            self._model_known,
            self.main.services.model_choice(),
        )
        self.state.setText(self.tr("Looking for duplicates…"))
        self.main.tasks.run_in_background(
            lambda: read_review(request),
            lambda review: self._review_read(generation, review),
            lambda exc: self._review_failed(generation, exc),
            self,
        )

    def _library_changed(self) -> None:
        if self.showing:
            self._refresh.start()

    def _model_ready(self, model: ClipModel | None) -> None:
        self._model_id = model.model_id if model is not None else None
        self._model_known = True
        if self.showing:
            self._refresh.start()

    def _read_done(self, generation: int) -> bool:
        """Bookkeeping when a review ends; False if the answer is stale."""
        self._reading = False
        if generation > self._trash_read_after:
            self._trashing = False  # this review was read after the trash: it shows it
        if self._read_again:
            self._read_again = False
            QTimer.singleShot(0, self, self.refresh)
        else:
            self.state.setText("")
        return generation == self._generation

    def _review_read(self, generation: int, review: DuplicateReview) -> None:
        if not self._read_done(generation):
            return
        first = self.review is None
        if review == self.review:  # nothing changed (a library change elsewhere): no relayout
            self._update_notice()
            self._update_summary()
            self.reviewShown.emit(review)
            return
        self.review = review
        live = {frozenset(p.id for p in g.photos) for g in review.groups}
        self._keep = {k: v for k, v in self._keep.items() if k in live}
        self._selected = {k: v for k, v in self._selected.items() if k in live}
        counts = review.counts()
        for number, tier in enumerate(TIERS):
            self.tiers.setTabText(
                number,
                self.tr("{tier} ({count})").format(tier=tier_title(tier), count=counts[tier]),
            )
        if first or not self._chosen_tier:
            # The strictest tier with groups first: exact copies are the safest to remove.
            tier = next((t for t in TIERS if counts[t]), Tier.EXACT)
            self._set_tier(tier)
        else:
            self._render(keep_scroll=True)
        self.reviewShown.emit(review)

    def _review_failed(self, generation: int, exc: BaseException) -> None:
        if not self._read_done(generation):
            return
        self._update_summary()
        kind = getattr(exc, "kind", errors.BUG)
        text = failure_text(kind, str(exc), getattr(exc, "details", {}))
        self._show_empty(self.tr("The duplicates could not be read: {error}").format(error=text))

    # -- showing ----------------------------------------------------------------------------

    def _tier_chosen(self, number: int) -> None:
        if number < 0:
            return
        self._chosen_tier = True
        self.tier = Tier(self.tiers.tabData(number))
        self._shown_groups = GROUPS_PER_PAGE
        self._render()

    def _set_tier(self, tier: Tier) -> None:
        """Show this tier (as if chosen, without counting as the user's choice)."""
        number = TIERS.index(tier)
        self.tier = tier
        self.tiers.blockSignals(True)
        self.tiers.setCurrentIndex(number)
        self.tiers.blockSignals(False)
        self._shown_groups = GROUPS_PER_PAGE
        self._render()

    def select_tier(self, tier: Tier | str) -> None:
        """Show this tier's groups (as a click on its tab)."""
        self.tiers.setCurrentIndex(TIERS.index(Tier(tier)))

    def groups(self) -> list[DuplicateGroup]:
        """The current tier's groups (all of them, also those not laid out yet)."""
        return self.review.of_tier(self.tier) if self.review else []

    def keep_of(self, group: DuplicateGroup) -> int:
        return self._keep.get(frozenset(p.id for p in group.photos), group.keep.id)

    def is_selected(self, group: DuplicateGroup) -> bool:
        key = frozenset(p.id for p in group.photos)
        return self._selected.get(key, group.tier is not Tier.SIMILAR)

    def _render(self, keep_scroll: bool = False) -> None:
        bar = self.group_scroll.verticalScrollBar()
        scroll = bar.value() if keep_scroll else 0
        self.explanation.setText(tier_explanation(self.tier))
        self._update_notice()
        self._clear_list()
        review = self.review
        if review is None:
            return
        groups = self.groups()
        if not groups:
            self._show_empty(self._empty_text(review))
            self._update_summary()
            return
        roots = [r.path for r in self.main.sidebar.roots]
        columns = self._columns = self._fitting_columns()
        for group in groups[: self._shown_groups]:
            card = GroupCard(
                group,
                self.keep_of(group),
                self.is_selected(group),
                self._thumbnail,
                lambda path: folder_label(path, roots),
                columns,
            )
            card.keepChanged.connect(self._keep_changed)
            card.selectedChanged.connect(self._selected_changed)
            self.cards.append(card)
            self.list_layout.addWidget(card)
        rest = len(groups) - self._shown_groups
        if rest > 0:
            more = QPushButton(self.tr("Show {count} more groups").format(count=rest))
            more.setObjectName("moreGroups")
            more.clicked.connect(self._show_more)
            self.list_layout.addWidget(more, 0, Qt.AlignmentFlag.AlignHCenter)
        self.list_layout.addStretch(1)
        self.pages.setCurrentWidget(self.group_scroll)
        self._update_summary()
        QTimer.singleShot(0, self, lambda: bar.setValue(scroll))  # once laid out

    def _fitting_columns(self) -> int:
        """Photos side by side that fit the list's width (a group wraps beyond that)."""
        width = self.group_scroll.viewport().width() - 30  # the group's frame and margins
        return max(2, int(width) // (CARD_WIDTH + 10))

    def resizeEvent(self, event: QResizeEvent) -> None:
        """Override QWidget.resizeEvent: lay the groups out again when fewer or more photos
        fit side by side."""
        super().resizeEvent(event)
        if self.cards and self._fitting_columns() != self._columns:
            self._render(keep_scroll=True)

    def _empty_text(self, review: DuplicateReview) -> str:
        if self.tier is Tier.SIMILAR and not review.with_model:
            return self.tr(
                "Similar shots are found by a model, and none is installed. Get one from "
                "File ▸ Models…"
            )
        headline = (
            self.tr("No duplicates found so far")
            if review.unprepared
            else self.tr("No duplicates found")
        )
        return f"<b>{headline}</b><br>{checked_text(self.tier, review.checked)}"

    def _show_empty(self, text: str) -> None:
        self.empty.setText(text)
        self.pages.setCurrentWidget(self.empty)

    def _clear_list(self) -> None:
        self.cards = []
        while self.list_layout.count():
            item = self.list_layout.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.hide()
                widget.deleteLater()

    def _show_more(self) -> None:
        self._shown_groups += GROUPS_PER_PAGE
        self._render(keep_scroll=True)

    def _update_notice(self) -> None:
        review = self.review
        lines: list[str] = []
        waiting = review.unprepared - review.missing_hashes if review is not None else 0
        if review is not None and waiting and not review.with_model and not self._model_id:
            # Photos are hashed as they are indexed, and indexing needs a model.
            lines.append(
                self.tr(
                    "{count} photos are not indexed yet: that needs a model (File ▸ Models…). "
                    "Duplicates among them are not shown."
                ).format(count=waiting)
            )
        elif review is not None and review.unprepared and (waiting or self.tier is not Tier.EXACT):
            lines.append(
                self.tr(
                    "{count} photos are still being prepared; near-duplicates may be incomplete."
                ).format(count=review.unprepared)
            )
        if review is not None and not review.with_model and self.tier is Tier.NEAR:
            lines.append(
                self.tr(
                    "No model is installed: near-duplicates are found by their perceptual hash "
                    "alone, and similar shots need a model."
                )
            )
        self.notice.say("\n".join(lines))
        can_prepare = (
            review is not None and review.missing_hashes > 0 and self._writable()
        ) and self.tier is not Tier.EXACT
        self.prepare.setVisible(can_prepare)

    def _thumbnail(self, photo: DupPhoto) -> QPixmap | None:
        return self.loader.pixmap(thumbnail_key(photo), photo.path, photo.content_hash)

    def _thumbnail_ready(self, key: str) -> None:
        """Loaded (in the loader's RAM now) or failed for good (then None: the placeholder)."""
        for card in self.cards:
            for photo_card in card.cards:
                if thumbnail_key(photo_card.photo) == key:
                    photo_card.set_pixmap(self._thumbnail(photo_card.photo))

    # -- choosing ---------------------------------------------------------------------------

    def _keep_changed(self, key: GroupKey, photo_id: int) -> None:
        self._keep[key] = photo_id
        self._update_summary()

    def _selected_changed(self, key: GroupKey, on: bool) -> None:
        self._selected[key] = on
        self._update_summary()

    def select_all(self, on: bool) -> None:
        for group in self.groups():
            self._selected[frozenset(p.id for p in group.photos)] = on
        for card in self.cards:
            card.check.setChecked(on)
        self._update_summary()

    def trash_plan(self) -> list[tuple[int, list[int]]]:
        """Per selected group: the photo kept, and the ids of the others."""
        plan: list[tuple[int, list[int]]] = []
        for group in self.groups():
            if self.is_selected(group):
                keep = self.keep_of(group)
                plan.append((keep, [p.id for p in group.photos if p.id != keep]))
        return plan

    def to_trash(self) -> list[DupPhoto]:
        """What "Move N others to trash" would move: the selected groups' photos not kept."""
        photos: list[DupPhoto] = []
        for group in self.groups():
            if self.is_selected(group):
                keep = self.keep_of(group)
                photos += [p for p in group.photos if p.id != keep]
        return photos

    def _writable(self) -> bool:
        return self.main.library_problem is None

    def _update_summary(self) -> None:
        groups = self.groups()
        chosen = [g for g in groups if self.is_selected(g)]
        photos = self.to_trash()
        self.summary.setText(
            self.tr("{selected} of {count} groups selected").format(
                selected=len(chosen), count=len(groups)
            )
            if groups
            else ""
        )
        if photos:
            self.trash_button.setText(
                self.tr("Move {count} others to trash…").format(count=len(photos))
            )
        else:
            self.trash_button.setText(self.tr("Move others to trash…"))
        self.trash_button.setEnabled(bool(photos) and not self._trashing and self._writable())
        if not self._writable():
            self.trash_button.setToolTip(
                self.tr("The library cannot be written, so no file can be moved from here.")
            )

    # -- acting -----------------------------------------------------------------------------

    def trash_others(self) -> None:
        """Ask, naming how many files and how much space; only a Yes moves anything."""
        photos = self.to_trash()
        if not photos or self._trashing:
            return
        groups = len([g for g in self.groups() if self.is_selected(g)])
        text = self.tr(
            "Move {count} photos to the trash? That frees {size}. The photo marked Keep in each "
            "of the {groups} selected groups stays where it is. The others leave the library; "
            "you can restore them from the trash."
        ).format(count=len(photos), size=size_text(sum(p.bytes for p in photos)), groups=groups)
        if not self.confirm(self, self.tr("Move duplicates to the trash"), text):
            return
        plan = self.trash_plan()
        self._trashing = True
        self._trash_read_after = sys.maxsize  # set when the trash is done
        self._update_summary()
        self.state.setText(self.tr("Moving {count} photos to the trash…").format(count=len(photos)))
        self.writes.trash(plan)

    def prepare_hashes(self) -> None:
        """Compute the missing perceptual hashes now (a write: on the writer)."""
        services = self.main.services
        self.prepare.setEnabled(False)
        self.state.setText(self.tr("Preparing photos…"))
        self.writes.prepare(services.thumbnails, services.tuning.thumbnail_size)

    def _prepared(self) -> None:
        self.prepare.setEnabled(True)
        self.refresh()

    def _trashed(self, report: file_actions.ActionReport) -> None:
        # The button stays off until a review read from now on shows what is left.
        self._trash_read_after = self._generation
        self.main.show_report(self.main.library.report_text(report), bool(report.failed))
        self.failures.say(failure_report(report, [r.path for r in self.main.sidebar.roots]))
        self.trashDone.emit(report)
        self.refresh()  # the groups resolved disappear

    def _write_failed(self, text: str) -> None:
        self._trashing = False
        self._trash_read_after = 0
        self.prepare.setEnabled(True)
        self.state.setText("")
        self.failures.say(text)
        self._update_summary()


def install_duplicates(window: MainWindow) -> DuplicatesView:
    """Put the Duplicates page beside the photos (grid and search bar) in ``window``'s splitter:
    the two share one place, one shown at a time. Returns the view; its ``action`` opens it."""
    view = DuplicatesView(window)
    photos = window.pages.parentWidget()  # the search bar, options, header and grid
    assert photos is not None
    place = QStackedWidget()
    place.setObjectName("photosOrDuplicates")
    number = window.splitter.indexOf(photos)
    sizes = window.splitter.sizes()
    # Insert, then adopt (the splitter lets go of a child taken by another parent).
    # replaceWidget would hand the old widget to Python, which deletes it with its wrapper.
    window.splitter.insertWidget(number, place)
    place.addWidget(photos)
    place.addWidget(view)
    window.splitter.setSizes(sizes)
    window.sidebar.rootSelected.connect(lambda _root: view.close_page())
    window.library.tree.folderSelected.connect(lambda *_: view.close_page())
    window.library.album_list.albumSelected.connect(lambda _album: view.close_page())
    window.library.album_list.favouritesSelected.connect(view.close_page)
    return view
