"""Date headers: granularity by density, one header where the date changes."""

from __future__ import annotations

from desktop_album.core.timeline import DAY, MONTH, UNKNOWN, YEAR, choose_granularity, sections


def test_a_few_photos_a_day_get_day_headers() -> None:
    dates = [f"2024-05-{d:02d}T10:00:00" for d in (3, 3, 3, 2, 2, 1) for _ in range(10)]
    assert choose_granularity(dates) == DAY
    found = sections(dates)
    assert [(s.start, s.key) for s in found] == [
        (0, "2024-05-03"),
        (30, "2024-05-02"),
        (50, "2024-05-01"),
    ]


def test_many_days_become_months_then_years() -> None:
    daily = [f"2024-{m:02d}-{d:02d}" for m in range(12, 0, -1) for d in range(28, 0, -1)]
    assert choose_granularity(daily) == MONTH
    assert [s.key for s in sections(daily)][:2] == ["2024-12", "2024-11"]
    decade = [f"{y}-{m:02d}-01" for y in range(2024, 1990, -1) for m in range(12, 0, -1)]
    assert choose_granularity(decade) == YEAR
    assert len(sections(decade)) == 34


def test_photos_without_a_date_get_their_own_header_and_nothing_is_lost() -> None:
    dates = ["2023-01-02", "2023-01-02", None, None]
    found = sections(dates, DAY)
    assert [(s.start, s.key) for s in found] == [(0, "2023-01-02"), (2, UNKNOWN)]
    assert sections([]) == []
