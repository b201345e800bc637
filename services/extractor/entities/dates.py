"""Dates: absolute and relative expressions resolved against the publication date.

A normalisation layer turns each expression into a canonical English phrase ("yesterday", "2 days
ago", "Thursday", "5 October 2017") which dateparser 1.5.0 then resolves. The layer exists because
dateparser returns None for "الخميس الماضي", "أول أمس", "منذ ثلاثة أيام" and Levantine month
names, and because for a bare weekday equal to the base's own weekday it goes back a week, where
news means the same day ("on Thursday" in a Thursday article); weekdays are therefore resolved here.

Ordinal days ("الخامس من مارس", "the fifth of March", "الحادي والعشرين من الشهر الجاري"; word lists in
``resources/{ar,en}/ordinal_days.tsv``), month-only dates ("in January", "last March", "كانون الثاني
الماضي") and "earlier this week" are resolved here too. A mention's ``precision`` says how much of
``iso`` the text states: "day"; "month" (``iso`` is the month's first day); "week" (``iso`` is the
Monday of the publication's week). A date without a year is read in the past like dateparser's
"5 March": the latest such month or day not after publication, except under "this month" / "الشهر
الجاري", which keep the publication's month.
"""

from __future__ import annotations

import datetime as dt
import re

import dateparser

from services.extractor.entities.model import DateMention
from services.extractor.entities.resources import RESOURCE_DIR, read_tsv
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


def _ordinals(lang: str) -> dict[str, int]:
    """Normalised ordinal day word -> day number, from ``resources/<lang>/ordinal_days.tsv``."""
    rows = read_tsv(RESOURCE_DIR / lang / "ordinal_days.tsv")
    return {_n(row["word"]): int(row["day"]) for row in rows}


ORDINALS_AR = _ordinals("ar")
ORDINALS_EN = _ordinals("en")


def _ordinal_key(word: str) -> str:
    """The word list's spelling of a matched ordinal: "-" between English parts, " و" in Arabic ones."""
    if word.isascii():
        return re.sub(r"[\s-]+", "-", word)
    return re.sub(r"\s+", " ", re.sub(r"\s+و\s*", " و", word))


def _ordinal_alternation(words: dict[str, int]) -> str:
    # Longest first, so "الحادي والعشرين" wins over "الحادي"; spacing around "و" and "-" varies in text.
    escaped = (re.escape(w) for w in sorted(words, key=len, reverse=True))
    return "|".join(
        e.replace(r"\ و", r"\s+و\s*").replace(r"\ ", r"\s+").replace(r"\-", r"[\s-]+") for e in escaped
    )


_B = r"(?<![\w])"  # word start (the text is normalised, so \w covers both scripts)
_E = r"(?![\w])"
_AR_GLUE = r"(?:[وفب]|وب)?"
_MON_EN = "|".join(m for m in MONTHS_EN) + "|jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec"
_MON_AR = "|".join(sorted(map(re.escape, MONTHS_AR), key=len, reverse=True))
_WD_AR = "|".join(map(re.escape, WEEKDAYS_AR))
_NUM = r"\d{1,2}|" + "|".join(map(re.escape, NUMBER_WORDS))
_FULL_MON_EN = "|".join(MONTHS_EN)  # month-only dates: "mar", "dec" alone are too often other words
_ORD_AR = _ordinal_alternation(ORDINALS_AR)
_ORD_EN = _ordinal_alternation(ORDINALS_EN)
_WD_EN = "|".join(WEEKDAYS_EN)
_YEAR_AR = r"(?:\s+(?:من\s+)?(?:عام\s+|سنه\s+|العام\s+)?(?P<y>(?:19|20)\d\d))"
_NOT_NEXT_AR = r"(?!\s+(?:المقبل|القادم))"  # "مارس المقبل": next March, not a past date

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
    # "the fifth of March", "الخامس من آذار", "الحادي والعشرين من الشهر الجاري": never without a month
    # after "of"/"من", so "the first of many" and "الخامس من المصابين" are no dates.
    (
        "ordinal_en",
        re.compile(
            _B
            + rf"(?P<x>(?:the\s+)?(?P<ord>{_ORD_EN})\s+of\s+(?P<mon>{_FULL_MON_EN})(?:,?\s+(?P<y>\d{{4}}))?)"
            + _E
        ),
    ),
    (
        "ordinal_ar",
        re.compile(
            # "تشرين الأول من ...", "كانون الثاني من ...": a month's name, not a day
            r"(?<!تشرين\s)(?<!كانون\s)"
            + _B
            + _AR_GLUE
            + rf"(?P<x>(?:(?:يوم|ليله|فجر|صباح|مساء)\s+)?(?P<ord>{_ORD_AR})\s+من\s+"
            + rf"(?:(?:شهر\s+)?(?P<mon>{_MON_AR})(?:\s*/\s*(?:{_MON_AR}))?{_YEAR_AR}?"
            + r"|الشهر(?:\s+(?:(?P<this>الجاري|الحالي)|(?P<last>الماضي|المنصرم|الفائت)))?))"
            + _E
            + _NOT_NEXT_AR
        ),
    ),
    ("ago", re.compile(_B + rf"(?P<n>{_NUM})\s+days?\s+ago" + _E)),
    (
        "ago_ar",
        re.compile(
            _B + _AR_GLUE + rf"(?P<x>(?:منذ|قبل)\s+(?:(?P<n>{_NUM})\s+(?:ايام|يوما)|(?P<two>يومين)))" + _E
        ),
    ),
    # Midnight opens the publication day ("بعد منتصف الليل", "shortly after midnight"); "before
    # midnight" closes the day before.
    (
        "midnight_before",
        re.compile(
            _B
            + _AR_GLUE
            + r"(?P<x>(?:(?:shortly|just)\s+)?before\s+midnight|(?:قبيل|قبل)\s+منتصف\s+(?:الليل|الليله)(?:\s+الماضي|\s+الماضيه)?)"
            + _E
        ),
    ),
    (
        "midnight",
        re.compile(
            _B
            + _AR_GLUE
            + r"(?P<x>(?:(?:shortly|just)\s+)?(?:after|past|at|around)\s+midnight|(?:(?:بعد|عند|حوالي|نحو)\s+)?منتصف\s+(?:الليل|الليله)(?:\s+الماضي|\s+الماضيه)?)"
            # "midnight on Friday", "منتصف ليل الخميس": the weekday says the day
            + rf"(?!\s+(?:on\s+)?(?:{_WD_EN}))"
            + _E
        ),
    ),
    (
        "this_week",
        re.compile(
            _B
            + _AR_GLUE
            + r"(?P<x>(?:earlier|early)\s+(?:this|in\s+the)\s+week"
            + r"|(?:في\s+)?وقت\s+سابق\s+من\s+(?:هذا\s+)?الاسبوع(?:\s+(?:الجاري|الحالي))?"
            + r"|(?:مطلع|بدايه|اوائل)\s+(?:هذا\s+)?الاسبوع(?:\s+(?:الجاري|الحالي))?)"
            + _E
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
            + r"(?P<x>yesterday|last\s+night|(?:(?:يوم|مساء|صباح|ليل|ليله|فجر|ظهر|عصر)\s+)?(?:امس|الامس|البارحه)"
            + r"|(?:خلال\s+)?(?:الليله|ليله)\s+(?:الماضيه|الفائته|المنصرمه)"
            # "overnight" in a report is the night before it; "an overnight curfew" is no date, and
            # "overnight on Friday" / "overnight into Saturday" leave the day to the weekday.
            + rf"|(?<!\ban\s)overnight(?!\s+(?:on\s+|into\s+|to\s+)?(?:{_WD_EN}|today|tonight)))"
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
# Month-only dates last, after every pattern that states a day in the same words ("5 March").
_PATTERNS += [
    (
        "month_en",
        re.compile(
            _B
            + r"(?P<x>(?:(?P<prep>in|during|since|earlier\s+in|later\s+in)\s+)?"
            + r"(?:(?P<mod>early|late|mid|the\s+(?:end|beginning|start|middle)\s+of)[\s-]+)?"
            + rf"(?:(?P<last>last)\s+|(?P<this>this)\s+)?(?P<mon>{_FULL_MON_EN})(?:,?\s+(?:of\s+)?(?P<y>(?:19|20)\d\d))?)"
            + _E
            + r"(?!\s+(?:\d|next))"
        ),
    ),
    (
        "month_ar",
        re.compile(
            _B
            + r"(?P<prep>[وف]?(?:في|خلال|منذ|طيله|طوال)\s+)?"
            + r"(?P<x>(?:(?P<mod>[وفب]?(?:مطلع|اوائل|اواسط|منتصف|اواخر|نهايه|بدايه))\s+)?(?:(?P<sh>شهر)\s+)?"
            + rf"(?P<mon>{_MON_AR})(?:\s*/\s*(?:{_MON_AR}))?"
            + rf"(?:\s+(?P<last>الماضي|المنصرم|الفائت)|\s+(?P<this>الجاري|الحالي)|{_YEAR_AR})?)"
            + _E
            + _NOT_NEXT_AR
        ),
    ),
    (
        "month_rel",
        re.compile(
            _B
            + r"(?P<x>(?P<last>last\s+month|(?:الشهر|شهر)\s+(?:الماضي|المنصرم|الفائت))"
            + r"|(?P<this>(?:earlier\s+|early\s+|late\s+)?this\s+month|(?:الشهر|شهر)\s+(?:الجاري|الحالي)))"
            + _E
        ),
    ),
]
_RELATIVE = {"ago", "ago_ar", "before_yesterday", "yesterday", "today", "weekday", "weekday_ar"}
_RELATIVE |= {"midnight", "midnight_before", "this_week", "month_rel"}
# Without one of these groups a month name alone is no date: "مارس" is also "he practised", "May" a verb.
_MONTH_CONTEXT = ("prep", "mod", "sh", "last", "this", "y")


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
    if kind in ("ordinal_en", "ordinal_ar"):
        nth = (ORDINALS_EN if kind == "ordinal_en" else ORDINALS_AR)[_ordinal_key(g["ord"])]
        name = g["mon"] if kind == "ordinal_en" else MONTHS_EN[MONTHS_AR[g["mon"]]]
        return f"{nth} {name} {g['y'] or ''}".strip()
    if kind == "midnight_before":
        return "yesterday"
    if kind == "midnight":
        return "today"
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


def _months_back(base: dt.datetime, n: int) -> dt.date:
    """First day of the month ``n`` (0 or 1) months before the publication's."""
    year, month = divmod(base.year * 12 + base.month - 1 - n, 12)
    return dt.date(year, month + 1, 1)


def _month_index(kind: str, name: str) -> int:
    """1-12 for a matched month name."""
    return (MONTHS_EN.index(name) if kind == "month_en" else MONTHS_AR[name]) + 1


def month_start(kind: str, g: dict[str, str | None], base: dt.datetime | None) -> dt.date | None:
    """First day of a month-only date: the latest such month not after publication ("last March"
    in March is a year back, like "last Thursday"); "this March" / "مارس الجاري" the publication's year."""
    month = _month_index(kind, str(g["mon"]))
    if g.get("y"):
        return dt.date(int(str(g["y"])), month, 1)
    if base is None:
        return None
    back = month >= base.month if g.get("last") else not g.get("this") and month > base.month
    return dt.date(base.year - back, month, 1)


def day_of_current_month(g: dict[str, str | None], base: dt.datetime | None) -> dt.date | None:
    """Day of "الحادي والعشرين من الشهر الجاري": that day of the publication's month (of the month before
    under "الماضي"). A day after publication stays: the text says this month (a date ahead)."""
    if base is None:
        return None
    first = _months_back(base, 1 if g.get("last") else 0)
    try:
        return first.replace(day=ORDINALS_AR[_ordinal_key(str(g["ord"]))])
    except ValueError:  # "الحادي والثلاثين" of a 30-day month
        return None


def _resolved(kind: str, m: re.Match[str], base: dt.datetime | None) -> tuple[dt.date, str] | None:
    """The date of a match and its precision ("day", "week" or "month"), or None if it is none."""
    g = m.groupdict()
    if kind in ("month_en", "month_ar"):
        if not any(g.get(k) for k in _MONTH_CONTEXT) or (g["mon"] == "may" and not (g["prep"] or g["y"])):
            return None  # "the last may be" is no date
        start = month_start(kind, g, base)
        return (start, "month") if start else None
    if kind == "month_rel":
        return (_months_back(base, 1 if g["last"] else 0), "month") if base else None
    if kind == "this_week":
        return ((base - dt.timedelta(days=base.weekday())).date(), "week") if base else None
    if kind == "ordinal_ar" and not g["mon"]:
        day = day_of_current_month(g, base)
    else:
        day = resolve(canonical(kind, m), base)
    return (day, "day") if day else None


def _is_relative(kind: str, m: re.Match[str]) -> bool:
    """Resolved against publication: the relative kinds, and month words without a year or name."""
    g = m.groupdict()
    if kind == "ordinal_ar":
        return not g["mon"]
    if kind in ("month_en", "month_ar"):
        return not g["y"] and bool(g["last"] or g["this"])
    return kind in _RELATIVE


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
            found = _resolved(kind, m, base)
            if found is None:
                continue
            day, precision = found
            taken.append((s, e))
            a, b = nt.span_to_original(s, e)
            out.append(DateMention(a, b, nt.original[a:b], day.isoformat(), _is_relative(kind, m), precision))
    return sorted(out, key=lambda d: d.start)
