"""Ordinal days, month-only dates, "overnight", "earlier this week" and midnight, resolved against
publication; the sentences are written for these tests."""

from __future__ import annotations

import pyarabic.number
import pytest

from services.extractor.entities.date_words import ORDINALS_AR, ORDINALS_EN
from services.extractor.entities.dates import find_dates
from shared.textnorm import normalize


def _dates(text: str, published: str | None) -> list[tuple[str, str, bool, str]]:
    return [(d.surface, d.iso, d.relative, d.precision) for d in find_dates(normalize(text), published)]


def test_every_day_has_an_ordinal_in_both_languages() -> None:
    assert set(ORDINALS_AR.values()) == set(range(1, 32))
    assert set(ORDINALS_EN.values()) == set(range(1, 32))


@pytest.mark.parametrize("day", [*range(2, 13), *range(20, 32)])
def test_ordinal_words_agree_with_pyarabic(day: int) -> None:
    # pyarabic's nominative forms; it has no day-1 form ("الحادي") and writes 13-19 "الثالث عشرة".
    assert ORDINALS_AR[normalize(pyarabic.number.number2ordinal(day)).text] == day


@pytest.mark.parametrize(
    ("text", "published", "expected"),
    [
        ("سقط ثلاثة قتلى في الخامس من مارس.", "2024-03-20", [("الخامس من مارس", "2024-03-05", False, "day")]),
        # After publication: the year before, as dateparser reads "5 March".
        (
            "سقط ثلاثة قتلى في الخامس والعشرين من آذار.",
            "2024-03-20",
            [("الخامس والعشرين من آذار", "2023-03-25", False, "day")],
        ),
        (
            "وفي العاشر من تشرين الأول هوجمت القرية.",
            "2024-03-20",
            [("العاشر من تشرين الأول", "2023-10-10", False, "day")],
        ),
        ("أصيب عشرة في الأول من نيسان 2022.", None, [("الأول من نيسان 2022", "2022-04-01", False, "day")]),
        (
            "قضى سبعة في الحادي والعشرين من الشهر الجاري.",
            "2024-03-25",
            [("الحادي والعشرين من الشهر الجاري", "2024-03-21", True, "day")],
        ),
        (
            "قضى سبعة في الحادي و العشرين من الشهر الماضي.",
            "2024-01-25",
            [("الحادي و العشرين من الشهر الماضي", "2023-12-21", True, "day")],
        ),
        # "This month" is the text's own word: a day ahead stays ahead (the aggregator skips it).
        (
            "تجري الانتخابات في الثلاثين من الشهر الجاري.",
            "2024-03-10",
            [("الثلاثين من الشهر الجاري", "2024-03-30", True, "day")],
        ),
        (
            "يوم الثاني عشر من شهر أيار قصفت المدينة.",
            "2024-06-01",
            [("يوم الثاني عشر من شهر أيار", "2024-05-12", False, "day")],
        ),
        (
            "The convoy was hit on the twenty-first of March.",
            "2024-04-02",
            [("the twenty-first of March", "2024-03-21", False, "day")],
        ),
        (
            "Shelling resumed on the third of January, 2023.",
            None,
            [("the third of January, 2023", "2023-01-03", False, "day")],
        ),
    ],
)
def test_ordinal_days(text: str, published: str | None, expected: list[tuple[str, str, bool, str]]) -> None:
    assert _dates(text, published) == expected


@pytest.mark.parametrize(
    ("text", "published", "expected"),
    [
        (
            "At least 40 people were killed in January.",
            "2024-05-12",
            [("in January", "2024-01-01", False, "month")],
        ),
        # A month after the publication's is last year's.
        ("Aid stopped in November.", "2024-05-12", [("in November", "2023-11-01", False, "month")]),
        ("The siege began last March.", "2024-05-12", [("last March", "2024-03-01", True, "month")]),
        # "last March" written in March: a year back, like "last Thursday" on a Thursday.
        ("The siege began last March.", "2024-03-12", [("last March", "2023-03-01", True, "month")]),
        (
            "The town fell in early February 2023.",
            None,
            [("in early February 2023", "2023-02-01", False, "month")],
        ),
        ("Clashes flared in mid-July.", "2024-09-01", [("in mid-July", "2024-07-01", False, "month")]),
        ("Some 300 died last month.", "2024-01-09", [("last month", "2023-12-01", True, "month")]),
        (
            "قتل 60 مدنيا في كانون الثاني الماضي.",
            "2024-05-12",
            [("كانون الثاني الماضي", "2024-01-01", True, "month")],
        ),
        (
            "وفي يناير/كانون الثاني نزح الآلاف.",
            "2024-05-12",
            [("يناير/كانون الثاني", "2024-01-01", False, "month")],
        ),
        ("تصاعد القصف خلال شهر آب.", "2024-05-12", [("شهر آب", "2023-08-01", False, "month")]),
        ("عاد السكان مطلع أيلول 2023.", None, [("مطلع أيلول 2023", "2023-09-01", False, "month")]),
        ("قتل 200 شخص خلال الشهر الماضي.", "2024-03-05", [("الشهر الماضي", "2024-02-01", True, "month")]),
    ],
)
def test_month_only_dates(
    text: str, published: str | None, expected: list[tuple[str, str, bool, str]]
) -> None:
    assert _dates(text, published) == expected


@pytest.mark.parametrize(
    ("text", "published", "expected"),
    [
        (
            "Airstrikes overnight killed 12 people.",
            "2024-03-07T08:00:00",
            [("overnight", "2024-03-06", True, "day")],
        ),
        ("قتل أربعة مدنيين الليلة الماضية.", "2024-03-07", [("الليلة الماضية", "2024-03-06", True, "day")]),
        ("انفجرت عبوة بعد منتصف الليل.", "2024-03-07", [("بعد منتصف الليل", "2024-03-07", True, "day")]),
        ("انفجرت عبوة قبيل منتصف الليل.", "2024-03-07", [("قبيل منتصف الليل", "2024-03-06", True, "day")]),
        (
            "A blast went off shortly after midnight.",
            "2024-03-07",
            [("shortly after midnight", "2024-03-07", True, "day")],
        ),
        # 2024-03-07 is a Thursday: the week began on Monday the 4th.
        (
            "Earlier this week, gunmen killed four farmers.",
            "2024-03-07",
            [("Earlier this week", "2024-03-04", True, "week")],
        ),
        (
            "قتل أربعة في وقت سابق من هذا الأسبوع.",
            "2024-03-07",
            [("في وقت سابق من هذا الأسبوع", "2024-03-04", True, "week")],
        ),
        # The weekday names the day.
        ("Strikes overnight into Friday killed 20.", "2024-03-09", [("Friday", "2024-03-08", True, "day")]),
    ],
)
def test_nights_and_this_week(text: str, published: str, expected: list[tuple[str, str, bool, str]]) -> None:
    assert _dates(text, published) == expected


@pytest.mark.parametrize(
    "text",
    [
        "The first of many convoys crossed at dawn.",
        "The fifth of the wounded died later.",
        "نقل الخامس من المصابين إلى المستشفى.",
        "كان العاشر من بين القتلى طفلا.",
        "مارس الجيش ضغطا على السكان.",  # "مارس": "practised", not March
        "The army may withdraw. The last may be the hardest.",
        "A march in the capital drew thousands.",
        "They imposed an overnight curfew.",
        "تجري الانتخابات في مارس المقبل.",  # next March: no past date
        "وصل الوفد في الخامس من الشهر المقبل.",
        "قال إن الجولة الأولى من المفاوضات فشلت.",
    ],
)
def test_not_dates(text: str) -> None:
    assert _dates(text, "2024-03-07") == []


def test_without_publication_date_relative_forms_are_left_out() -> None:
    text = "Airstrikes overnight and earlier this week, and in January; the fifth of this month."
    assert _dates(text, None) == []


def test_precision_is_in_the_record_dict() -> None:
    (mention,) = find_dates(normalize("Fighting raged in January."), "2024-05-12")
    assert mention.to_dict()["precision"] == "month"
    (day,) = find_dates(normalize("Fighting raged yesterday."), "2024-05-12")
    assert day.to_dict()["precision"] == "day"
