"""Dates: absolute and relative expressions resolved against the publication date.

A normalisation layer turns each expression into a canonical English phrase ("yesterday", "2 days
ago", "Thursday", "5 October 2017") which dateparser 1.5.0 then resolves. The layer exists because
dateparser returns None for "الخميس الماضي", "أول أمس", "منذ ثلاثة أيام" and Levantine month
names, and because for a bare weekday equal to the base's own weekday it goes back a week, where
news means the same day ("on Thursday" in a Thursday article); weekdays are therefore resolved here.
The word tables are in ``date_words.py`` (data in ``resources/<lang>/dates.yaml``), the patterns in
``date_patterns.py``, the calendar arithmetic in ``date_arithmetic.py``; this module reads a match.

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

from services.extractor.entities import date_words as words
from services.extractor.entities.date_arithmetic import (
    day_of_current_month,
    month_start,
    months_back,
    publication_time,
    resolve,
    week_start,
)
from services.extractor.entities.date_patterns import (
    ARABIC_ONLY,
    LATIN_ONLY,
    MONTH_CONTEXT,
    PATTERNS,
    RELATIVE_KINDS,
)
from services.extractor.entities.model import DateMention
from shared.textnorm import NormalizedText

# A statement names its day right by its verb and subject: "the ministry said on Sunday", "addressing
# the media on Sunday", "أعلنت وزارة الصحة يوم الأحد" hold at most four words between the two.
STATEMENT_REACH = 4
# "On Sunday, the ministry said": a date opening its sentence has at most its preposition before it.
_OPENING_WORDS = 1
_CONTEXT_CHARS = 80  # enough text either side of a date to hold STATEMENT_REACH words
_SENTENCE_END = re.compile(r"[.!?؟]\s")
# A dateline opens the text: a city of up to three words (and "في"), the date, then the agency in
# brackets or slashes, or the dash before the story ("DUBAI, May 27. /TASS/.", "GAZA, June 3 (AP) -").
_DATELINE_WORDS = 4
_DATELINE_CLOSE = re.compile(r"\.?\s*[(/\-\u2013\u2014]")
_ARABIC_LETTER = re.compile("[\u0621-\u064a]")
_LATIN_LETTER = re.compile("[a-z]")  # the normalised text is lowercased
_PUNCTUATION = ",،;:\"'“”()"


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
        return f"{int(g['d'])} {words.MONTHS_EN[words.MONTHS_AR[g['mon']]]} {g['y'] or ''}".strip()
    if kind in ("ordinal_en", "ordinal_ar"):
        nth = (words.ORDINALS_EN if kind == "ordinal_en" else words.ORDINALS_AR)[words.ordinal_key(g["ord"])]
        name = g["mon"] if kind == "ordinal_en" else words.MONTHS_EN[words.MONTHS_AR[g["mon"]]]
        return f"{nth} {name} {g['y'] or ''}".strip()
    if kind == "midnight_before":
        return "yesterday"
    if kind == "midnight":
        return "today"
    if kind in ("ago", "ago_ar"):
        n = "2" if g.get("two") else str(g["n"])
        return f"{words.NUMBER_WORDS.get(n, n)} days ago"
    if kind == "before_yesterday":
        return "2 days ago"
    if kind in ("yesterday", "today"):
        return kind
    wd = words.WEEKDAYS_EN[words.WEEKDAYS_AR[g["wd"]]] if kind == "weekday_ar" else g["wd"]
    return f"last {wd}" if g.get("last") else wd


def _month_number(kind: str, name: str) -> int:
    """1-12 for a matched month name."""
    return (words.MONTHS_EN.index(name) if kind == "month_en" else words.MONTHS_AR[name]) + 1


def _resolved(kind: str, m: re.Match[str], base: dt.datetime | None) -> tuple[dt.date, str] | None:
    """The date of a match and its precision ("day", "week" or "month"), or None if it is none."""
    g = m.groupdict()
    if kind in ("month_en", "month_ar"):
        if not any(g.get(k) for k in MONTH_CONTEXT) or (g["mon"] == "may" and not (g["prep"] or g["y"])):
            return None  # "the last may be" is no date
        start = month_start(
            _month_number(kind, str(g["mon"])), g.get("y"), bool(g.get("last")), bool(g.get("this")), base
        )
        return (start, "month") if start else None
    if kind == "month_rel":
        return (months_back(base, 1 if g["last"] else 0), "month") if base else None
    if kind == "this_week":
        return (week_start(base), "week") if base else None
    if kind == "ordinal_ar" and not g["mon"]:
        day = (
            day_of_current_month(
                words.ORDINALS_AR[words.ordinal_key(str(g["ord"]))], bool(g.get("last")), base
            )
            if base
            else None
        )
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
    return kind in RELATIVE_KINDS


def find_dates(nt: NormalizedText, published: str | None) -> list[DateMention]:
    """Date mentions of a normalised text, resolved; unresolvable ones (no base date) are left out."""
    base = publication_time(published)
    taken: list[tuple[int, int]] = []
    out: list[DateMention] = []
    skipped = (ARABIC_ONLY if _ARABIC_LETTER.search(nt.text) is None else frozenset()) | (
        LATIN_ONLY if _LATIN_LETTER.search(nt.text) is None else frozenset()
    )
    for kind, pattern in PATTERNS:
        if kind in skipped:
            continue
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
            relative = _is_relative(kind, m)
            said = _statement_day(nt.text, s, e) or _dateline_day(nt.text, s, e)
            out.append(DateMention(a, b, nt.original[a:b], day.isoformat(), relative, precision, said))
    return sorted(out, key=lambda d: d.start)


def _statement_day(text: str, start: int, end: int) -> bool:
    """Whether the date tells when something was said: a word of saying shortly before it ("said on
    Sunday", "أعلنت الشرطة مساء اليوم"), right after it ("the governor on Sunday confirmed"), or
    shortly after it when the date opens its sentence ("On Sunday, the ministry said"). After an
    event's verb ("killed on Sunday, officials said") it is the event's day."""
    before = _SENTENCE_END.split(text[max(0, start - _CONTEXT_CHARS) : start])[-1].split()
    if any(_saying(w) for w in before[-STATEMENT_REACH:]):
        return True
    after = [
        w for w in _SENTENCE_END.split(text[end : end + _CONTEXT_CHARS])[0].split() if w.strip(_PUNCTUATION)
    ]
    if after and _saying(after[0]):
        return True  # "the governor on Sunday confirmed": the verb whose subject came before the date
    if len(before) > _OPENING_WORDS:
        return False
    return any(_saying(w) for w in after[:STATEMENT_REACH])


def _dateline_day(text: str, start: int, end: int) -> bool:
    """Whether the date is the dateline's ("KABUL, May 27 (Reuters) -", "نايبيداو في 15 أبريل /بنا/"):
    the day the report was filed, so its events were on that day or before it."""
    words = text[:start].split()
    if not words or len(words) > _DATELINE_WORDS or _SENTENCE_END.search(text[:start]):
        return False
    return _DATELINE_CLOSE.match(text, end) is not None


def _saying(word: str) -> bool:
    word = word.strip(_PUNCTUATION)
    if word in words.STATEMENT_WORDS:
        return True
    return word[:1] in words.GLUED_OPENERS and word[1:] in words.STATEMENT_WORDS
