"""The date patterns: regular expressions over normalised text, one per kind of date expression.

Built from the word tables of ``date_words.py``; the kinds are read by ``dates.py`` (``canonical``,
and which kinds count from the publication date). Order matters: an earlier pattern's match takes
its span, so longer and more specific expressions come first, month-only dates last.
"""

from __future__ import annotations

import re

from services.extractor.arabic_words import CONJUNCTIONS, DATE_PREPOSITIONS, alternation, glued_prefixes
from services.extractor.entities.date_words import (
    MONTH_ABBREVIATIONS_EN,
    MONTHS_AR,
    MONTHS_EN,
    NUMBER_WORDS,
    ORDINALS_AR,
    ORDINALS_EN,
    WEEKDAYS_AR,
    WEEKDAYS_EN,
)


def _ordinal_alternation(words: dict[str, int]) -> str:
    # Longest first, so "الحادي والعشرين" wins over "الحادي"; spacing around "و" and "-" varies in text.
    escaped = (re.escape(w) for w in sorted(words, key=len, reverse=True))
    return "|".join(
        e.replace(r"\ و", r"\s+و\s*").replace(r"\ ", r"\s+").replace(r"\-", r"[\s-]+") for e in escaped
    )


_B = r"(?<![\w])"  # word start (the text is normalised, so \w covers both scripts)
_E = r"(?![\w])"
# A conjunction or "ب" glued to the date word ("وأمس", "بالأمس").
_AR_GLUE = alternation(glued_prefixes(DATE_PREPOSITIONS)) + "?"
_AR_GLUE_ONE = alternation(glued_prefixes(DATE_PREPOSITIONS, pairs=False)) + "?"  # one letter
_AR_CONJ = alternation(CONJUNCTIONS) + "?"
_MON_EN = "|".join(MONTHS_EN + MONTH_ABBREVIATIONS_EN)
_MON_AR = "|".join(sorted(map(re.escape, MONTHS_AR), key=len, reverse=True))
_WD_AR = "|".join(map(re.escape, WEEKDAYS_AR))
_NUM = r"\d{1,2}|" + "|".join(map(re.escape, NUMBER_WORDS))
_FULL_MON_EN = "|".join(MONTHS_EN)  # month-only dates: "mar", "dec" alone are too often other words
_ORD_AR = _ordinal_alternation(ORDINALS_AR)
_ORD_EN = _ordinal_alternation(ORDINALS_EN)
_WD_EN = "|".join(WEEKDAYS_EN)
_YEAR_AR = r"(?:\s+(?:من\s+)?(?:عام\s+|سنه\s+|العام\s+)?(?P<y>(?:19|20)\d\d))"
_NOT_NEXT_AR = r"(?!\s+(?:المقبل|القادم))"  # "مارس المقبل": next March, not a past date

PATTERNS: list[tuple[str, re.Pattern[str]]] = [
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
            + r"|الشهر(?:\s+(?:(?P<this>الجاري|الحالي)|(?P<last>الماضي|المنصرم|الفايت)))?))"
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
            + r"|(?:خلال\s+)?(?:الليله|ليله)\s+(?:الماضيه|الفايته|المنصرمه)"
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
            + rf"(?P<x>(?:(?:فجر|صباح|مساء|ليله|ليل|ظهر|عصر|نهار)\s+)?(?:يوم\s+)?(?P<wd>{_WD_AR})(?:\s+(?P<last>الماضي|الفايت|المنصرم))?)"
            + _E
        ),
    ),
]
# Month-only dates last, after every pattern that states a day in the same words ("5 March").
PATTERNS += [
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
            + rf"(?P<prep>{_AR_CONJ}(?:في|خلال|منذ|طيله|طوال)\s+)?"
            + rf"(?P<x>(?:(?P<mod>{_AR_GLUE_ONE}(?:مطلع|اوائل|اواسط|منتصف|اواخر|نهايه|بدايه))\s+)?(?:(?P<sh>شهر)\s+)?"
            + rf"(?P<mon>{_MON_AR})(?:\s*/\s*(?:{_MON_AR}))?"
            + rf"(?:\s+(?P<last>الماضي|المنصرم|الفايت)|\s+(?P<this>الجاري|الحالي)|{_YEAR_AR})?)"
            + _E
            + _NOT_NEXT_AR
        ),
    ),
    (
        "month_rel",
        re.compile(
            _B
            + r"(?P<x>(?P<last>last\s+month|(?:الشهر|شهر)\s+(?:الماضي|المنصرم|الفايت))"
            + r"|(?P<this>(?:earlier\s+|early\s+|late\s+)?this\s+month|(?:الشهر|شهر)\s+(?:الجاري|الحالي)))"
            + _E
        ),
    ),
]
# Patterns that cannot match without a word of one script: each needs a month, weekday or ordinal
# name, or "days ago" / "منذ", and those lists are all in that script. A text without a letter of the
# script is not scanned with them (a scan of a long page costs the same whether it finds anything).
ARABIC_ONLY = frozenset({"dmy_ar", "ordinal_ar", "ago_ar", "weekday_ar", "month_ar"})
LATIN_ONLY = frozenset({"dmy", "mdy", "ordinal_en", "ago", "weekday", "month_en"})
RELATIVE_KINDS = {"ago", "ago_ar", "before_yesterday", "yesterday", "today", "weekday", "weekday_ar"}
RELATIVE_KINDS |= {"midnight", "midnight_before", "this_week", "month_rel"}
# Without one of these groups a month name alone is no date: "مارس" is also "he practised", "May" a verb.
MONTH_CONTEXT = ("prep", "mod", "sh", "last", "this", "y")
