"""Dates: absolute and relative expressions resolved against the publication date.

A normalisation layer turns each expression into a canonical English phrase ("yesterday", "2 days
ago", "Thursday", "5 October 2017") which dateparser 1.5.0 then resolves. The layer exists because
dateparser returns None for "الخميس الماضي", "أول أمس", "منذ ثلاثة أيام" and Levantine month
names, and because for a bare weekday equal to the base's own weekday it goes back a week, where
news means the same day ("on Thursday" in a Thursday article); weekdays are therefore resolved here.
"""

from __future__ import annotations

import datetime as dt
import re

import dateparser

from services.extractor.entities.model import DateMention
from shared.textnorm import NormalizedText, normalize


def _n(word: str) -> str:
    return normalize(word).text


WEEKDAYS_EN = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
WEEKDAYS_AR = {
    _n(w): i for i, w in enumerate(["الاثنين", "الثلاثاء", "الأربعاء", "الخميس", "الجمعة", "السبت", "الأحد"])
}
WEEKDAYS_AR |= {_n("الإثنين"): 0}
MONTHS_EN = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
]
_MONTHS_AR_LIST = [
    ("يناير", "كانون الثاني"), ("فبراير", "شباط"), ("مارس", "آذار"), ("أبريل", "نيسان"), ("مايو", "أيار"),
    ("يونيو", "حزيران"), ("يوليو", "تموز"), ("أغسطس", "آب"), ("سبتمبر", "أيلول"), ("أكتوبر", "تشرين الأول"),
    ("نوفمبر", "تشرين الثاني"), ("ديسمبر", "كانون الأول"),
]  # fmt: skip
MONTHS_AR = {_n(name): i for i, pair in enumerate(_MONTHS_AR_LIST) for name in pair}
MONTHS_AR |= {_n("ابريل"): 3, _n("اغسطس"): 7, _n("اكتوبر"): 9, _n("يونيه"): 5, _n("يوليه"): 6}
NUMBER_WORDS = {
    "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10,
    _n("يومين"): 2, _n("ثلاثة"): 3, _n("ثلاث"): 3, _n("أربعة"): 4, _n("أربع"): 4, _n("خمسة"): 5, _n("خمس"): 5,
    _n("ستة"): 6, _n("ست"): 6, _n("سبعة"): 7, _n("سبع"): 7, _n("ثمانية"): 8, _n("تسعة"): 9, _n("عشرة"): 10,
}  # fmt: skip

_B = r"(?<![\w])"  # word start (the text is normalised, so \w covers both scripts)
_E = r"(?![\w])"
_AR_GLUE = r"(?:[وفب]|وب)?"
_MON_EN = "|".join(m for m in MONTHS_EN) + "|jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec"
_MON_AR = "|".join(sorted(map(re.escape, MONTHS_AR), key=len, reverse=True))
_WD_AR = "|".join(map(re.escape, WEEKDAYS_AR))
_NUM = r"\d{1,2}|" + "|".join(map(re.escape, NUMBER_WORDS))

_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    ("iso", re.compile(_B + r"(?P<y>\d{4})-(?P<m>\d{2})-(?P<d>\d{2})" + _E)),
    (
        "dmy",
        re.compile(
            _B
            + rf"(?P<d>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<mon>{_MON_EN})\.?(?:,?\s+(?P<y>\d{{4}}))?"
            + _E
        ),
    ),
    (
        "mdy",
        re.compile(
            _B + rf"(?P<mon>{_MON_EN})\.?\s+(?P<d>\d{{1,2}})(?:st|nd|rd|th)?(?:,?\s+(?P<y>\d{{4}}))?" + _E
        ),
    ),
    (
        "dmy_ar",
        re.compile(
            _B
            + _AR_GLUE
            # "5 آذار/مارس 2024": Levantine and international month names side by side
            + rf"(?P<x>(?P<d>\d{{1,2}})\s+(?:من\s+)?(?:شهر\s+)?(?P<mon>{_MON_AR})(?:\s*/\s*(?:{_MON_AR}))?"
            + r"(?:\s+(?:عام\s+|سنه\s+)?(?P<y>\d{4}))?)"
            + _E
        ),
    ),
    # "05/03/2024", "5.3.2024": day first, as written in Arabic and most non-US English sources.
    ("numeric", re.compile(_B + r"(?P<d>\d{1,2})[/.](?P<m>\d{1,2})[/.](?P<y>\d{4})" + _E)),
    ("ago", re.compile(_B + rf"(?P<n>{_NUM})\s+days?\s+ago" + _E)),
    (
        "ago_ar",
        re.compile(
            _B + _AR_GLUE + rf"(?P<x>(?:منذ|قبل)\s+(?:(?P<n>{_NUM})\s+(?:ايام|يوما)|(?P<two>يومين)))" + _E
        ),
    ),
    (
        "before_yesterday",
        re.compile(_B + _AR_GLUE + r"(?P<x>the\s+day\s+before\s+yesterday|اول\s+(?:من\s+)?امس)" + _E),
    ),
    (
        "yesterday",
        re.compile(
            _B
            + _AR_GLUE
            + r"(?P<x>yesterday|last\s+night|(?:(?:يوم|مساء|صباح|ليل|ليله|فجر|ظهر|عصر)\s+)?(?:امس|الامس|البارحه))"
            + _E
        ),
    ),
    (
        "today",
        re.compile(
            _B
            + _AR_GLUE
            + r"(?P<x>today|this\s+morning|tonight|(?:صباح|مساء|فجر|ظهر|عصر|ظهيره)\s+اليوم|اليوم|الليله)"
            + _E
        ),
    ),
    (
        "weekday",
        re.compile(
            _B
            + rf"(?:(?:early|late)\s+(?:on\s+)?|on\s+|(?P<last>last)\s+)?(?P<wd>{'|'.join(WEEKDAYS_EN)})(?:\s+(?:night|morning|evening|afternoon))?"
            + _E
        ),
    ),
    (
        "weekday_ar",
        re.compile(
            _B
            + _AR_GLUE
            + rf"(?P<x>(?:(?:فجر|صباح|مساء|ليله|ليل|ظهر|عصر|نهار)\s+)?(?:يوم\s+)?(?P<wd>{_WD_AR})(?:\s+(?P<last>الماضي|الفائت|المنصرم))?)"
            + _E
        ),
    ),
]
_RELATIVE = {"ago", "ago_ar", "before_yesterday", "yesterday", "today", "weekday", "weekday_ar"}


def _base(published: str | None) -> dt.datetime | None:
    if not published:
        return None
    try:
        return dt.datetime.fromisoformat(published[:19].replace("Z", ""))
    except ValueError:
        parsed = dateparser.parse(published, languages=["en"])
        return parsed.replace(tzinfo=None) if parsed else None


def canonical(kind: str, m: re.Match[str]) -> str:
    """The English phrase dateparser is given for a matched expression (the normalisation layer)."""
    g = m.groupdict()
    if kind == "iso":
        return f"{g['y']}-{g['m']}-{g['d']}"
    if kind == "numeric":
        day, month = int(g["d"]), int(g["m"])
        if month > 12 >= day:  # only month/day fits ("3/25/2024")
            day, month = month, day
        return f"{g['y']}-{month:02d}-{day:02d}"
    if kind in ("dmy", "mdy"):
        return f"{int(g['d'])} {g['mon']} {g['y'] or ''}".strip()
    if kind == "dmy_ar":
        return f"{int(g['d'])} {MONTHS_EN[MONTHS_AR[g['mon']]]} {g['y'] or ''}".strip()
    if kind in ("ago", "ago_ar"):
        n = "2" if g.get("two") else str(g["n"])
        return f"{NUMBER_WORDS.get(n, n)} days ago"
    if kind == "before_yesterday":
        return "2 days ago"
    if kind in ("yesterday", "today"):
        return kind
    wd = WEEKDAYS_EN[WEEKDAYS_AR[g["wd"]]] if kind == "weekday_ar" else g["wd"]
    return f"last {wd}" if g.get("last") else wd


def resolve(phrase: str, base: dt.datetime | None) -> dt.date | None:
    """Resolve a canonical phrase against the publication time (weekdays: latest such day not after it)."""
    last = phrase.startswith("last ")
    weekday = phrase.removeprefix("last ")
    if weekday in WEEKDAYS_EN:
        if base is None:
            return None
        back = (base.weekday() - WEEKDAYS_EN.index(weekday)) % 7
        # "last Thursday" / "الخميس الماضي" written on a Thursday is a week ago.
        return (base - dt.timedelta(days=back or (7 if last else 0))).date()
    if base is None and not re.search(r"\d{4}", phrase):
        return None
    settings = {"PREFER_DATES_FROM": "past", "RETURN_AS_TIMEZONE_AWARE": False}
    if base is not None:
        settings["RELATIVE_BASE"] = base
    parsed = dateparser.parse(phrase, languages=["en"], settings=settings)  # type: ignore[arg-type]
    return parsed.date() if parsed else None


def find_dates(nt: NormalizedText, published: str | None) -> list[DateMention]:
    """Date mentions of a normalised text, resolved; unresolvable ones (no base date) are left out."""
    base = _base(published)
    taken: list[tuple[int, int]] = []
    out: list[DateMention] = []
    for kind, pattern in _PATTERNS:
        for m in pattern.finditer(nt.text):
            s, e = m.span("x") if "x" in pattern.groupindex and m.group("x") else m.span()
            if any(s < b and a < e for a, b in taken):
                continue
            day = resolve(canonical(kind, m), base)
            if day is None:
                continue
            taken.append((s, e))
            a, b = nt.span_to_original(s, e)
            out.append(DateMention(a, b, nt.original[a:b], day.isoformat(), kind in _RELATIVE))
    return sorted(out, key=lambda d: d.start)
