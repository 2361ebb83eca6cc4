"""Date phrases in English and Korean: the range each names, and the text left to search."""

from __future__ import annotations

from datetime import date

import pytest

from desktop_album.core.dates import DateRange, parse_date_argument, parse_dates

TODAY = date(2024, 5, 15)  # a Wednesday, in spring
D = date

# (text, range start, range end, text left for the model)
CASES: list[tuple[str, date | None, date | None, str]] = [
    # years
    ("2023", D(2023, 1, 1), D(2023, 12, 31), ""),
    ("beach 2023", D(2023, 1, 1), D(2023, 12, 31), "beach"),
    ("sunset in 2019", D(2019, 1, 1), D(2019, 12, 31), "sunset"),
    ("2023년", D(2023, 1, 1), D(2023, 12, 31), ""),
    ("빨간 원 2023년", D(2023, 1, 1), D(2023, 12, 31), "빨간 원"),
    ("2023년에 찍은 강아지", D(2023, 1, 1), D(2023, 12, 31), "찍은 강아지"),
    ("2021년도 졸업식", D(2021, 1, 1), D(2021, 12, 31), "졸업식"),
    # months
    ("July 2022", D(2022, 7, 1), D(2022, 7, 31), ""),
    ("dog july 2022", D(2022, 7, 1), D(2022, 7, 31), "dog"),
    ("Jul 2022 party", D(2022, 7, 1), D(2022, 7, 31), "party"),
    ("February 2024", D(2024, 2, 1), D(2024, 2, 29), ""),
    ("May 2021 wedding", D(2021, 5, 1), D(2021, 5, 31), "wedding"),
    ("2020 December", D(2020, 12, 1), D(2020, 12, 31), ""),
    ("snow in December", D(2023, 12, 1), D(2023, 12, 31), "snow"),
    ("april", D(2024, 4, 1), D(2024, 4, 30), ""),
    ("2022년 7월", D(2022, 7, 1), D(2022, 7, 31), ""),
    ("2022년7월 바다", D(2022, 7, 1), D(2022, 7, 31), "바다"),
    ("7월", D(2023, 7, 1), D(2023, 7, 31), ""),
    ("3월 벚꽃", D(2024, 3, 1), D(2024, 3, 31), "벚꽃"),
    ("12월에 눈", D(2023, 12, 1), D(2023, 12, 31), "눈"),
    ("작년 7월", D(2023, 7, 1), D(2023, 7, 31), ""),
    ("올해 1월", D(2024, 1, 1), D(2024, 1, 31), ""),
    ("2022-07", D(2022, 7, 1), D(2022, 7, 31), ""),
    ("2022-07-15", D(2022, 7, 15), D(2022, 7, 15), ""),
    ("cake 2022/7/15", D(2022, 7, 15), D(2022, 7, 15), "cake"),
    # seasons
    ("summer 2021", D(2021, 6, 1), D(2021, 8, 31), ""),
    ("beach summer of 2021", D(2021, 6, 1), D(2021, 8, 31), "beach"),
    ("winter 2021", D(2021, 12, 1), D(2022, 2, 28), ""),
    ("fall 2020 leaves", D(2020, 9, 1), D(2020, 11, 30), "leaves"),
    ("2019 spring", D(2019, 3, 1), D(2019, 5, 31), ""),
    ("last summer", D(2023, 6, 1), D(2023, 8, 31), ""),
    ("last winter", D(2023, 12, 1), D(2024, 2, 29), ""),
    ("this winter", D(2024, 12, 1), D(2025, 2, 28), ""),
    ("작년 여름", D(2023, 6, 1), D(2023, 8, 31), ""),
    ("바닷가 일몰 작년 여름", D(2023, 6, 1), D(2023, 8, 31), "바닷가 일몰"),
    ("지난 겨울", D(2023, 12, 1), D(2024, 2, 29), ""),
    ("지난겨울 눈사람", D(2023, 12, 1), D(2024, 2, 29), "눈사람"),
    ("재작년 가을", D(2022, 9, 1), D(2022, 11, 30), ""),
    ("2021년 겨울", D(2021, 12, 1), D(2022, 2, 28), ""),
    ("올 봄", D(2024, 3, 1), D(2024, 5, 31), ""),
    ("지난 여름에 바다", D(2023, 6, 1), D(2023, 8, 31), "바다"),
    # relative
    ("yesterday", D(2024, 5, 14), D(2024, 5, 14), ""),
    ("cat yesterday", D(2024, 5, 14), D(2024, 5, 14), "cat"),
    ("today", D(2024, 5, 15), D(2024, 5, 15), ""),
    ("last week", D(2024, 5, 6), D(2024, 5, 12), ""),
    ("this week", D(2024, 5, 13), D(2024, 5, 19), ""),
    ("Last Month", D(2024, 4, 1), D(2024, 4, 30), ""),
    ("this month", D(2024, 5, 1), D(2024, 5, 31), ""),
    ("this year", D(2024, 1, 1), D(2024, 12, 31), ""),
    ("last year", D(2023, 1, 1), D(2023, 12, 31), ""),
    ("3 days ago", D(2024, 5, 12), D(2024, 5, 12), ""),
    ("2 years ago", D(2022, 1, 1), D(2022, 12, 31), ""),
    ("어제", D(2024, 5, 14), D(2024, 5, 14), ""),
    ("어제 먹은 케이크", D(2024, 5, 14), D(2024, 5, 14), "먹은 케이크"),
    ("그저께", D(2024, 5, 13), D(2024, 5, 13), ""),
    ("지난주", D(2024, 5, 6), D(2024, 5, 12), ""),
    ("지난 주", D(2024, 5, 6), D(2024, 5, 12), ""),
    ("이번 주", D(2024, 5, 13), D(2024, 5, 19), ""),
    ("지난달", D(2024, 4, 1), D(2024, 4, 30), ""),
    ("이번달", D(2024, 5, 1), D(2024, 5, 31), ""),
    ("올해", D(2024, 1, 1), D(2024, 12, 31), ""),
    ("올해 꽃", D(2024, 1, 1), D(2024, 12, 31), "꽃"),
    ("작년", D(2023, 1, 1), D(2023, 12, 31), ""),
    ("작년에 간 여행", D(2023, 1, 1), D(2023, 12, 31), "간 여행"),
    ("지난해", D(2023, 1, 1), D(2023, 12, 31), ""),
    ("재작년", D(2022, 1, 1), D(2022, 12, 31), ""),
    ("3년 전", D(2021, 1, 1), D(2021, 12, 31), ""),
    ("2일 전", D(2024, 5, 13), D(2024, 5, 13), ""),
    # ranges
    ("2019-2021", D(2019, 1, 1), D(2021, 12, 31), ""),
    ("2019 - 2021 trips", D(2019, 1, 1), D(2021, 12, 31), "trips"),
    ("2019~2021년", D(2019, 1, 1), D(2021, 12, 31), ""),
    ("2019년~2021년 여행", D(2019, 1, 1), D(2021, 12, 31), "여행"),
    ("2019년부터 2021년까지", D(2019, 1, 1), D(2021, 12, 31), ""),
    ("from 2019 to 2021", D(2019, 1, 1), D(2021, 12, 31), ""),
    ("between 2018 and 2020", D(2018, 1, 1), D(2020, 12, 31), ""),
    ("since 2020", D(2020, 1, 1), None, ""),
    ("before 2010", None, D(2009, 12, 31), ""),
    ("2020년 이후", D(2020, 1, 1), None, ""),
]

# Text with no date in it: it stays as typed.
NOT_DATES = [
    "7 dogs",
    "iphone 12",
    "a red circle",
    "1920x1080 wallpaper",
    "may flowers",
    "march of the penguins",
    "summer",
    "겨울 바다",
    "사과 3개",
    "room 101",
    "12345",
    "2021-2019",
    "2023-13",
    "",
    "   ",
    "0000",
]


@pytest.mark.parametrize(("text", "start", "end", "rest"), CASES)
def test_a_date_phrase_names_its_range_and_leaves_the_rest(
    text: str, start: date | None, end: date | None, rest: str
) -> None:
    parsed = parse_dates(text, today=TODAY)
    assert parsed.range == DateRange(start, end), text
    assert parsed.text == rest
    assert parsed.phrase is not None and parsed.phrase in text


def test_the_table_is_large_enough() -> None:
    assert len(CASES) >= 60


@pytest.mark.parametrize("text", NOT_DATES)
def test_what_is_not_a_date_stays_text(text: str) -> None:
    parsed = parse_dates(text, today=TODAY)
    assert parsed.range is None and parsed.phrase is None
    assert parsed.text == text.strip()


def test_winter_in_january_is_the_one_in_progress() -> None:
    assert parse_dates("this winter", today=D(2024, 1, 10)).range == DateRange(
        D(2023, 12, 1), D(2024, 2, 29)
    )
    assert parse_dates("지난 겨울", today=D(2024, 1, 10)).range == DateRange(
        D(2022, 12, 1), D(2023, 2, 28)
    )


def test_odd_input_never_raises() -> None:
    for text in ["\x00", "2024-02-30", "99999999999 days ago", "년월", "~~~", "-2023", "🎉 2023"]:
        parse_dates(text, today=TODAY)


@pytest.mark.parametrize(
    ("value", "start", "end"),
    [
        ("2023", D(2023, 1, 1), D(2023, 12, 31)),
        ("2023-02", D(2023, 2, 1), D(2023, 2, 28)),
        ("2023-02-05", D(2023, 2, 5), D(2023, 2, 5)),
    ],
)
def test_command_line_dates(value: str, start: date, end: date) -> None:
    assert parse_date_argument(value) == DateRange(start, end)


@pytest.mark.parametrize("value", ["23", "2023-13", "July", "2023-02-30"])
def test_bad_command_line_dates_raise_value_error(value: str) -> None:
    with pytest.raises(ValueError):
        parse_date_argument(value)
