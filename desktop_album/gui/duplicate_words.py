"""The Duplicates view's words for the core's facts (tiers, keep reasons, failed files).

The English sentences of the tiers are the core's (``core.duplicates.EXPLANATIONS``, which the
CLI prints); they are repeated here as literals so that lupdate finds them, and a test keeps the
two the same.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path, PurePath

from PySide6.QtCore import QCoreApplication, QDateTime, QLocale, Qt

from desktop_album.core import errors
from desktop_album.core.duplicates import KeepReason, Tier
from desktop_album.core.file_actions import ActionReport, FileOutcome


def tier_title(tier: Tier) -> str:
    if tier is Tier.EXACT:
        return QCoreApplication.translate("Duplicates", "Exact copies")
    if tier is Tier.NEAR:
        return QCoreApplication.translate("Duplicates", "Near-duplicates")
    return QCoreApplication.translate("Duplicates", "Similar shots")


def tier_explanation(tier: Tier) -> str:
    """One line: what the tier's groups have in common (the core's sentence, translated)."""
    if tier is Tier.EXACT:
        return QCoreApplication.translate(
            "Duplicates",
            "These files are identical, byte for byte: the same photo saved more than once.",
        )
    if tier is Tier.NEAR:
        return QCoreApplication.translate(
            "Duplicates",
            "The same picture saved again: re-sent, resized, recompressed or slightly cropped.",
        )
    return QCoreApplication.translate(
        "Duplicates", "Different shots of the same scene, taken within minutes of each other."
    )


def checked_text(tier: Tier, count: int) -> str:
    """What an empty tier checked."""
    if tier is Tier.EXACT:
        text = QCoreApplication.translate(
            "Duplicates", "Checked {count} photos for identical files."
        )
    elif tier is Tier.NEAR:
        text = QCoreApplication.translate(
            "Duplicates", "Checked {count} photos for the same picture saved again."
        )
    else:
        text = QCoreApplication.translate(
            "Duplicates", "Checked {count} photos for shots of one scene taken within minutes."
        )
    return text.format(count=count)


def keep_reason_text(reason: KeepReason) -> str:
    if reason is KeepReason.RESOLUTION:
        return QCoreApplication.translate("Duplicates", "largest resolution")
    if reason is KeepReason.EXIF:
        return QCoreApplication.translate("Duplicates", "has camera data (EXIF)")
    if reason is KeepReason.EARLIEST:
        return QCoreApplication.translate("Duplicates", "taken first")
    if reason is KeepReason.LARGER_FILE:
        return QCoreApplication.translate("Duplicates", "largest file")
    if reason is KeepReason.OLDER_FILE:
        return QCoreApplication.translate("Duplicates", "the original (the older file)")
    return QCoreApplication.translate("Duplicates", "identical; shortest path")


def size_text(count: int) -> str:
    """A file size in the UI's language, in SI units (as file managers show them)."""
    return QLocale().formattedDataSize(count, 1, QLocale.DataSizeFormat.DataSizeSIFormat)


def date_text(taken_at: str | None) -> str:
    """The date taken, year first (unambiguous in every language), or "No date"."""
    if not taken_at:
        return QCoreApplication.translate("Duplicates", "No date")
    moment = QDateTime.fromString(taken_at[:19], Qt.DateFormat.ISODate)
    if not moment.isValid():
        return taken_at
    return moment.toString("yyyy-MM-dd HH:mm:ss")  # seconds: shots of a burst differ there


def folder_label(path: str, roots: Sequence[str]) -> str:
    """The photo's folder as the sidebar names it: its library folder's name, then the
    subfolders (``Pictures/KakaoTalk``); the full folder when it is in none of them."""
    folder = PurePath(path).parent
    best: PurePath | None = None
    for root in roots:
        candidate = PurePath(root)
        holds = folder == candidate or candidate in folder.parents
        if holds and (best is None or len(candidate.parts) > len(best.parts)):
            best = candidate
    if best is None:
        return str(folder)
    inside = folder.relative_to(best)
    name = best.name or str(best)
    return name if not inside.parts else str(PurePath(name, inside))


def resolution_text(width: int | None, height: int | None) -> str:
    if not width or not height:
        return QCoreApplication.translate("Duplicates", "Size unknown")
    return f"{width} × {height}"


def failure_line(outcome: FileOutcome, roots: Sequence[str] = ()) -> str:
    """One failed file: what happened and what to do (the file is where it was). With the
    library's ``roots``, the file is named with its folder (copies share names)."""
    name = Path(outcome.path).name if outcome.path else ""
    if name and roots:
        name = str(PurePath(folder_label(outcome.path, roots), name))
    kind = outcome.kind
    if kind == errors.OFFLINE:
        text = QCoreApplication.translate(
            "Duplicates",
            "{name}: its drive is not connected. Connect the drive, then try again.",
        )
    elif kind in (errors.READ_ONLY, errors.PERMISSION):
        text = QCoreApplication.translate(
            "Duplicates",
            "{name}: its folder cannot be changed (read-only, or owned by someone else). "
            "Make the folder writable, then try again.",
        )
    elif kind == errors.NOT_FOUND:
        if not name:
            return QCoreApplication.translate(
                "Duplicates", "A photo is no longer in the library; nothing to do."
            )
        text = QCoreApplication.translate(
            "Duplicates",
            "{name}: it is no longer in its folder (moved or deleted elsewhere). The library "
            "follows at its next check.",
        )
    elif kind == errors.CANCELLED:
        text = QCoreApplication.translate(
            "Duplicates",
            "{name}: left in place, because the photo kept in its group is not there now "
            "(deleted elsewhere, or its drive is unplugged). Look at the group again.",
        )
    elif kind == errors.DISK_FULL:
        text = QCoreApplication.translate(
            "Duplicates", "{name}: the disk is full. Free some space, then try again."
        )
    else:
        return QCoreApplication.translate("Duplicates", "{name}: {reason}").format(
            name=name, reason=outcome.message or kind or ""
        )
    return text.format(name=name)


def failure_report(report: ActionReport, roots: Sequence[str], shown: int = 8) -> str:
    """The files a move to the trash could not move, each with what to do ("" if none)."""
    failed = report.failed
    if not failed:
        return ""
    head = QCoreApplication.translate(
        "Duplicates",
        "{failed} of {total} photos could not be moved to the trash. Nothing was lost: they "
        "are still in their folders and in the library.",
    ).format(failed=len(failed), total=len(report.outcomes))
    lines = [failure_line(o, roots) for o in failed[:shown]]
    if len(failed) > shown:
        more = QCoreApplication.translate("Duplicates", "…and {count} more.")
        lines.append(more.format(count=len(failed) - shown))
    return "\n".join([head, *("• " + line for line in lines)])
