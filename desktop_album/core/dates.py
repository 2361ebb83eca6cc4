"""Dates in words, English and Korean, found in search text: "2023", "작년 여름", "last month".

``parse_dates`` takes the search bar's text and returns the date range one phrase names, the
phrase as typed (for a removable filter chip) and the text left for the model. Local rules only:
regular expressions and calendar arithmetic, no network, no language model. Today is a parameter,
so tests and the window's "today" agree.

Rules worth knowing:
- Seasons are the northern hemisphere's meteorological ones: spring March-May, summer June-August,
  autumn September-November, winter December-February. "winter 2021" / "2021년 겨울" is the winter
  that starts in December 2021 and ends in February 2022.
- "last summer" / "지난 여름" is the latest summer that has ended; "this summer" / "올 여름" the one
  of this year (for winter: the one in progress, else the one starting this December).
- A bare month ("July", "7월") is the latest such month that has begun. "May" and "March" alone
  are English words too, so they need a year ("May 2021").
- A bare season ("summer", "겨울") stays text: the model knows what summer looks like.
- "last week" is the previous Monday-Sunday week; "last month" the previous calendar month.
- A bare number is a date only as a year from 1900 to 2099 standing alone: "7 dogs", "iphone 12"
  and "1920x1080" stay text.
- Only one date phrase is taken (the longest; the first of equals); any other stays text.

Parsing never raises: anything it cannot read as a date is left in the text.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

_MIN_YEAR, _MAX_YEAR = 1900, 2099


@dataclass(frozen=True)
class DateRange:
    """Days from ``start`` to ``end``, both included; ``None`` is open-ended."""

    start: date | None
    end: date | None

    def __post_init__(self) -> None:
        if self.start and self.end and self.start > self.end:
            raise ValueError(f"empty date range {self.start} .. {self.end}")

    def contains(self, day: date) -> bool:
        return (self.start is None or day >= self.start) and (self.end is None or day <= self.end)

    def intersect(self, other: DateRange) -> DateRange | None:
        starts = [d for d in (self.start, other.start) if d is not None]
        ends = [d for d in (self.end, other.end) if d is not None]
        start, end = (max(starts) if starts else None), (min(ends) if ends else None)
        if start and end and start > end:
            return None
        return DateRange(start, end)


@dataclass(frozen=True)
class DateParse:
    """What ``parse_dates`` found: the range (or None), the phrase as typed, the rest."""

    range: DateRange | None
    phrase: str | None
    text: str


# -- calendar helpers -------------------------------------------------------------------------


def _year(y: int) -> DateRange:
    return DateRange(date(y, 1, 1), date(y, 12, 31))


def _month(y: int, m: int) -> DateRange:
    return DateRange(date(y, m, 1), date(y, m, calendar.monthrange(y, m)[1]))


def _months(y: int, m: int, count: int) -> DateRange:
    """``count`` months starting at (y, m)."""
    last = (m - 1) + count - 1
    ey, em = y + last // 12, last % 12 + 1
    return DateRange(date(y, m, 1), date(ey, em, calendar.monthrange(ey, em)[1]))


SEASON_START = {"spring": 3, "summer": 6, "autumn": 9, "winter": 12}


def season(y: int, name: str) -> DateRange:
    """The meteorological season ``name`` that starts in year ``y``."""
    return _months(y, SEASON_START[name], 3)


def _latest_season(name: str, today: date, ended: bool) -> DateRange:
    """The latest season of that name that has ended (``ended``) or at least begun."""
    for y in range(today.year, today.year - 3, -1):
        span = season(y, name)
        assert span.start is not None and span.end is not None
        if (span.end < today) if ended else (span.start <= today):
            return span
    return season(today.year - 1, name)  # pragma: no cover - the loop always finds one


def _this_season(name: str, today: date) -> DateRange:
    if name == "winter" and today.month <= 2:
        return season(today.year - 1, name)
    return season(today.year, name)


def _latest_month(m: int, today: date) -> DateRange:
    return _month(today.year if m <= today.month else today.year - 1, m)


def _day(d: date) -> DateRange:
    return DateRange(d, d)


def _shift_months(y: int, m: int, delta: int) -> tuple[int, int]:
    index = y * 12 + (m - 1) + delta
    return index // 12, index % 12 + 1


# -- vocabulary -------------------------------------------------------------------------------

_EN_MONTHS = {
    "january": 1, "jan": 1, "february": 2, "feb": 2, "march": 3, "mar": 3, "april": 4,
    "apr": 4, "may": 5, "june": 6, "jun": 6, "july": 7, "jul": 7, "august": 8, "aug": 8,
    "september": 9, "sept": 9, "sep": 9, "october": 10, "oct": 10, "november": 11, "nov": 11,
    "december": 12, "dec": 12,
}  # fmt: skip
# Month names that may stand alone: whole names that are not also common English words.
_EN_BARE_MONTHS = {n for n in _EN_MONTHS if len(n) > 4 and n != "march"} | {"june", "july"}
_EN_SEASONS = {"spring": "spring", "summer": "summer", "autumn": "autumn", "fall": "autumn",
               "winter": "winter"}  # fmt: skip
_KO_SEASONS = {"봄": "spring", "여름": "summer", "가을": "autumn", "겨울": "winter"}

_MONTH_EN = "|".join(sorted(_EN_MONTHS, key=len, reverse=True))
_BARE_MONTH_EN = "|".join(sorted(_EN_BARE_MONTHS, key=len, reverse=True))
_SEASON_EN = "spring|summer|autumn|fall|winter"
_SEASON_KO = "봄|여름|가을|겨울"
_YEAR = r"(?:19|20)\d\d"
# Korean particles that may follow a date word: "작년에", "2023년의", "여름부터".
_KO_TAIL = r"(?:에서|에는|부터|까지|에|의|엔|쯤|경)?"
# A phrase starts and ends at a word edge (Hangul counts as a word character).
_START = r"(?<![\w.:/-])"
_END = r"(?![\w.:/-]|-\d)"

# Korean relative years, and English relative years with their offset from this year.
_KO_YEARS = {"올해": 0, "올": 0, "금년": 0, "이번": 0, "작년": -1, "지난해": -1, "재작년": -2}
_KO_YEAR = r"(?:(?P<y>" + _YEAR + r")\s*년\s*도?|(?P<ry>올해|금년|작년|지난해|재작년))"
_EN_YEARS = {"this year": 0, "last year": -1, "the year before last": -2}

_Handler = Callable[[re.Match[str], date], DateRange | None]


def _year_of(match: re.Match[str], today: date) -> int:
    if match.group("y"):
        return int(match.group("y"))
    return today.year + _KO_YEARS[match.group("ry")]


def _ago(amount: int, unit: str, today: date) -> DateRange | None:
    if amount > 200:
        return None
    if unit in ("day", "일"):
        return _day(today - timedelta(days=amount))
    if unit in ("week", "주"):
        monday = today - timedelta(days=today.weekday() + 7 * amount)
        return DateRange(monday, monday + timedelta(days=6))
    if unit in ("month", "달", "개월"):
        return _month(*_shift_months(today.year, today.month, -amount))
    if today.year - amount < _MIN_YEAR:
        return None
    return _year(today.year - amount)


def _week(today: date, offset: int) -> DateRange:
    monday = today - timedelta(days=today.weekday()) + timedelta(weeks=offset)
    return DateRange(monday, monday + timedelta(days=6))


def _relative_month(today: date, offset: int) -> DateRange:
    return _month(*_shift_months(today.year, today.month, offset))


_RELATIVE: dict[str, Callable[[date], DateRange]] = {
    "today": lambda t: _day(t),
    "yesterday": lambda t: _day(t - timedelta(days=1)),
    "this week": lambda t: _week(t, 0),
    "last week": lambda t: _week(t, -1),
    "this month": lambda t: _relative_month(t, 0),
    "last month": lambda t: _relative_month(t, -1),
    "this year": lambda t: _year(t.year),
    "last year": lambda t: _year(t.year - 1),
    "the year before last": lambda t: _year(t.year - 2),
    "오늘": lambda t: _day(t),
    "어제": lambda t: _day(t - timedelta(days=1)),
    "그저께": lambda t: _day(t - timedelta(days=2)),
    "그제": lambda t: _day(t - timedelta(days=2)),
    "이번주": lambda t: _week(t, 0),
    "지난주": lambda t: _week(t, -1),
    "저번주": lambda t: _week(t, -1),
    "이번달": lambda t: _relative_month(t, 0),
    "지난달": lambda t: _relative_month(t, -1),
    "저번달": lambda t: _relative_month(t, -1),
}


def _relative(match: re.Match[str], today: date) -> DateRange | None:
    key = (
        re.sub(r"\s+", "", match.group("rel").lower())
        if _is_korean(match.group("rel"))
        else (re.sub(r"\s+", " ", match.group("rel").lower()))
    )
    return _RELATIVE[key](today)


def _is_korean(text: str) -> bool:
    return any("\uac00" <= ch <= "\ud7a3" for ch in text)


def _range(a: int, b: int) -> DateRange | None:
    return DateRange(date(a, 1, 1), date(b, 12, 31)) if a <= b else None


def _iso(match: re.Match[str], _today: date) -> DateRange | None:
    y, m = int(match.group("y")), int(match.group("m"))
    if not 1 <= m <= 12:
        return None
    if match.group("d") is None:
        return _month(y, m)
    try:
        return _day(date(y, m, int(match.group("d"))))
    except ValueError:
        return None


def _en_season_year(match: re.Match[str], _today: date) -> DateRange:
    return season(int(match.group("y")), _EN_SEASONS[match.group("s").lower()])


def _en_season_relative(match: re.Match[str], today: date) -> DateRange:
    name = _EN_SEASONS[match.group("s").lower()]
    if match.group("w").lower() == "this":
        return _this_season(name, today)
    return _latest_season(name, today, ended=True)


def _en_month_year(match: re.Match[str], _today: date) -> DateRange:
    return _month(int(match.group("y")), _EN_MONTHS[match.group("m").lower()])


def _en_month_bare(match: re.Match[str], today: date) -> DateRange:
    return _latest_month(_EN_MONTHS[match.group("m").lower()], today)


def _ko_year_season(match: re.Match[str], today: date) -> DateRange:
    return season(_year_of(match, today), _KO_SEASONS[match.group("s")])


def _ko_relative_season(match: re.Match[str], today: date) -> DateRange:
    name = _KO_SEASONS[match.group("s")]
    if match.group("w") in ("지난", "저번"):
        return _latest_season(name, today, ended=True)
    return _this_season(name, today)


def _ko_year_month(match: re.Match[str], today: date) -> DateRange | None:
    m = int(match.group("m"))
    return _month(_year_of(match, today), m) if 1 <= m <= 12 else None


def _ko_month(match: re.Match[str], today: date) -> DateRange | None:
    m = int(match.group("m"))
    return _latest_month(m, today) if 1 <= m <= 12 else None


def _ko_year(match: re.Match[str], today: date) -> DateRange:
    return _year(_year_of(match, today))


def _since(match: re.Match[str], _today: date) -> DateRange:
    return DateRange(date(int(match.group("y")), 1, 1), None)


def _before(match: re.Match[str], _today: date) -> DateRange:
    return DateRange(None, date(int(match.group("y")) - 1, 12, 31))


def _year_range(match: re.Match[str], _today: date) -> DateRange | None:
    return _range(int(match.group("a")), int(match.group("b")))


def _plain_year(match: re.Match[str], _today: date) -> DateRange:
    return _year(int(match.group("y")))


def _ago_match(match: re.Match[str], today: date) -> DateRange | None:
    unit = match.group("u").lower().rstrip("s")
    return _ago(int(match.group("n")), unit, today)


def _rule(pattern: str, korean: bool = False) -> re.Pattern[str]:
    tail = _KO_TAIL if korean else ""
    return re.compile(_START + "(?:" + pattern + ")" + tail + _END, re.IGNORECASE)


_RULES: list[tuple[re.Pattern[str], _Handler]] = [
    # ranges
    (_rule(rf"(?P<a>{_YEAR})\s*년?\s*(?:-|–|~|〜|부터)\s*(?P<b>{_YEAR})\s*년?(?:도)?", True),
     _year_range),
    (_rule(rf"(?:from\s+|between\s+)?(?P<a>{_YEAR})\s+(?:to|until|through|and)\s+(?P<b>{_YEAR})"),
     _year_range),
    (_rule(rf"(?:since|after|from)\s+(?P<y>{_YEAR})"), _since),
    (_rule(rf"before\s+(?P<y>{_YEAR})"), _before),
    (_rule(rf"(?P<y>{_YEAR})\s*년\s*(?:이후|부터)"), _since),
    (_rule(rf"(?P<y>{_YEAR})\s*년\s*(?:이전|전)"), _before),
    # full dates and year-months in digits
    (_rule(rf"(?P<y>{_YEAR})[-/.](?P<m>\d{{1,2}})(?:[-/.](?P<d>\d{{1,2}}))?"), _iso),
    # seasons
    (_rule(rf"(?P<s>{_SEASON_EN})\s+(?:of\s+)?(?P<y>{_YEAR})"), _en_season_year),
    (_rule(rf"(?P<y>{_YEAR})\s+(?P<s>{_SEASON_EN})"), _en_season_year),
    (_rule(rf"(?P<w>last|this|past)\s+(?P<s>{_SEASON_EN})"), _en_season_relative),
    (_rule(rf"{_KO_YEAR}\s*(?P<s>{_SEASON_KO})", True), _ko_year_season),
    (_rule(rf"(?P<w>지난|저번|올|이번)\s*(?P<s>{_SEASON_KO})", True), _ko_relative_season),
    # months
    (_rule(rf"(?P<m>{_MONTH_EN})\.?,?\s+(?:of\s+)?(?P<y>{_YEAR})"), _en_month_year),
    (_rule(rf"(?P<y>{_YEAR})\s+(?P<m>{_MONTH_EN})"), _en_month_year),
    (_rule(rf"(?:in\s+)?(?P<m>{_BARE_MONTH_EN})"), _en_month_bare),
    (_rule(rf"{_KO_YEAR}\s*(?P<m>\d{{1,2}})\s*월", True), _ko_year_month),
    (_rule(r"(?P<m>\d{1,2})\s*월", True), _ko_month),
    # relative
    (_rule(r"(?P<rel>today|yesterday|(?:this|last)\s+(?:week|month|year)|the\s+year\s+before\s+last)"),
     _relative),
    (_rule(r"(?P<rel>오늘|어제|그저께|그제|(?:이번|지난|저번)\s*(?:주|달))", True), _relative),
    (_rule(r"(?P<n>\d{1,3})\s+(?P<u>days?|weeks?|months?|years?)\s+ago"), _ago_match),
    (_rule(r"(?P<n>\d{1,3})\s*(?P<u>일|주|달|개월|년)\s*전", True), _ago_match),
    # years
    (_rule(_KO_YEAR, True), _ko_year),
    (_rule(rf"(?:in\s+)?(?P<y>{_YEAR})"), _plain_year),
]  # fmt: skip


def parse_dates(text: str, today: date | None = None) -> DateParse:
    """Find one date phrase in ``text``: its range, the phrase as typed, and the rest.

    Args:
        text: what was typed in the search bar.
        today: the day relative phrases count from (default: the computer's today).

    Returns:
        ``DateParse(range, phrase, text)``; ``range`` and ``phrase`` are None when no phrase was
        found, and ``text`` is then the input, stripped.
    """
    try:
        return _parse(text, today or date.today())
    except Exception:  # never let a date rule break a search: the words stay text
        return DateParse(None, None, (text or "").strip())


def _parse(text: str, today: date) -> DateParse:
    best: tuple[int, int, DateRange] | None = None
    for pattern, handler in _RULES:
        for match in pattern.finditer(text):
            start, end = match.span()
            if best is not None and (end - start, -start) <= (best[1] - best[0], -best[0]):
                continue
            try:
                found = handler(match, today)
            except (ValueError, OverflowError, KeyError):
                found = None
            if found is not None:
                best = (start, end, found)
    if best is None:
        return DateParse(None, None, text.strip())
    start, end, found = best
    rest = _tidy(text[:start] + " " + text[end:])
    return DateParse(found, text[start:end].strip(), rest)


def _tidy(text: str) -> str:
    """Collapse the hole a removed phrase leaves: spaces, and a dangling comma."""
    text = re.sub(r"\s+", " ", text).strip()
    text = re.sub(r"\s+([,.!?])", r"\1", text)
    return text.strip(" ,")


def parse_date_argument(value: str) -> DateRange:
    """A command-line date: ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``; the whole period it names.

    Raises:
        ValueError: anything else (the CLI reports it as a usage error).
    """
    match = re.fullmatch(r"(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?", value.strip())
    if match is None:
        raise ValueError(f"not a date: {value!r} (use YYYY, YYYY-MM or YYYY-MM-DD)")
    y = int(match.group(1))
    if match.group(2) is None:
        return _year(y)
    m = int(match.group(2))
    if not 1 <= m <= 12:
        raise ValueError(f"no month {m} in {value!r}")
    if match.group(3) is None:
        return _month(y, m)
    return _day(date(y, m, int(match.group(3))))
