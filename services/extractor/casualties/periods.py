"""Where a text names a period or a campaign: what makes a figure a running toll.

Three kinds of wording, each looked up in a token range:
- a period cue ("since", "this year", "خلال الشهر", "منذ بدء"), unless it is a span too short for a
  running toll ("past 24 hours", "منذ فجر اليوم");
- a span of dates or days ("between 10 and 14 March", "from 2019 to 2021", "on Friday and
  Saturday", "يومي الخميس والجمعة"), or a whole month ("during May", "خلال شهر نيسان"): a toll over
  several days;
- a campaign noun ("the war", "the insurgency", "العدوان"): a toll over a campaign, when it is the
  figure's own cause (its clause), never a noun somewhere else in the sentence.
"""

from __future__ import annotations

from collections.abc import Sequence

from services.extractor.casualties.lexicon import Lexicon
from services.extractor.casualties.match import find_all, match_at
from services.extractor.casualties.model import Token

# "from 2 May to 9 May", "from March to the end of April": the second date of a span stands this close
# after its joining word.
SPAN_REACH = 4
# A day of the month is a number no larger than this; a year a number in this range.
LAST_DAY = 31
FIRST_YEAR, LAST_YEAR = 1900, 2100
# "العدوان الإرهابي الغاشم الذي استهدف": a campaign noun's adjectives stand between it and the
# relative clause that makes it one attack; two of them at most.
ONE_ATTACK_REACH = 2


def cancelled(tokens: Sequence[Token], lo: int, hi: int, lex: Lexicon, cancel: str) -> set[int]:
    """Token indexes inside a match of ``cancel`` in tokens[lo:hi]."""
    return {k for s, n, _ in find_all(tokens, lex.cues.get(cancel), lo, hi) for k in range(s, s + n)}


def without(tokens: Sequence[Token], lo: int, hi: int, lex: Lexicon, cue: str, cancel: str) -> bool:
    """Whether ``cue`` occurs in tokens[lo:hi] outside every match of ``cancel``."""
    gone = cancelled(tokens, lo, hi, lex, cancel)
    return any(
        not gone.intersection(range(s, s + n)) for s, n, _ in find_all(tokens, lex.cues.get(cue), lo, hi)
    )


def period_in(tokens: Sequence[Token], lo: int, hi: int, lex: Lexicon) -> bool:
    """A period of several days named in tokens[lo:hi]: a period cue that is no short span, or a
    span of dates."""
    return (
        without(tokens, lo, hi, lex, "period", "not_period")
        or date_span_in(tokens, lo, hi, lex)
        or month_in(tokens, lo, hi, lex)
    )


def campaign_in(tokens: Sequence[Token], lo: int, hi: int, lex: Lexicon) -> bool:
    """A war, an offensive or an insurgency named in tokens[lo:hi], unless a relative clause makes
    the noun one attack ("the aggression that struck the school")."""
    return any(
        not _one_attack(tokens, s + n, lex) for s, n, _ in find_all(tokens, lex.cues.get("campaign"), lo, hi)
    )


def _one_attack(tokens: Sequence[Token], after: int, lex: Lexicon) -> bool:
    """A relative clause of one strike ("الذي استهدف", "that hit") right after a campaign noun, past
    its adjectives."""
    for k in range(after, min(after + ONE_ATTACK_REACH + 1, len(tokens))):
        if tokens[k].sentence != tokens[after - 1].sentence:
            return False
        if _is(tokens, k, lex, "one_attack"):
            return True
    return False


def _is(tokens: Sequence[Token], k: int, lex: Lexicon, cue: str) -> bool:
    return 0 <= k < len(tokens) and match_at(tokens, k, lex.cues.get(cue)) is not None


def _date_at(tokens: Sequence[Token], k: int, lex: Lexicon) -> str | None:
    """What kind of date token k is: "month", "weekday", "day" (of the month), "year", or None."""
    if not 0 <= k < len(tokens):
        return None
    tok = tokens[k]
    if tok.kind == "num" and tok.text.isdigit():
        value = int(tok.text)
        if 1 <= value <= LAST_DAY:
            return "day"
        return "year" if FIRST_YEAR <= value <= LAST_YEAR else None
    if _is(tokens, k, lex, "months"):
        return "month"
    if _is(tokens, k, lex, "weekdays"):
        return "weekday"
    return None


def _date_run(tokens: Sequence[Token], k: int, lex: Lexicon) -> tuple[int, set[str]]:
    """The end of the run of date tokens from k ("8 July 2024") and the kinds of date in it."""
    kinds: set[str] = set()
    while (kind := _date_at(tokens, k, lex)) is not None:
        kinds.add(kind)
        k += 1
    return k, kinds


def _second_date(tokens: Sequence[Token], join: int, lex: Lexicon) -> set[str]:
    """The kinds of date in the run that closes a span after its joining word ("to the end of April")."""
    for m in range(join + 1, min(join + 1 + SPAN_REACH, len(tokens))):
        if _date_at(tokens, m, lex) is not None:
            return _date_run(tokens, m, lex)[1]
    return set()


def _weekday_pair(tokens: Sequence[Token], k: int, lex: Lexicon) -> bool:
    """ "Friday and Saturday", "الخميس والجمعة": a weekday joined to another."""
    if not _is(tokens, k, lex, "weekdays"):
        return False
    nxt = k + 1
    if _is(tokens, nxt, lex, "weekdays"):  # its "and" glued to it
        return tokens[nxt].text != tokens[k].text
    return _is(tokens, nxt, lex, "span_join") and _is(tokens, nxt + 1, lex, "weekdays")


def date_span_in(tokens: Sequence[Token], lo: int, hi: int, lex: Lexicon) -> bool:
    """A span of several days in tokens[lo:hi]: two weekdays joined ("on Friday and Saturday"), or two
    dates joined after a span opener ("between 10 and 14 March", "from March to April")."""
    for k in range(max(lo, 0), min(hi, len(tokens))):
        if _weekday_pair(tokens, k, lex):
            return True
        if not _is(tokens, k, lex, "span_open"):
            continue
        end, first = _date_run(tokens, k + 1, lex)
        if not first or not _is(tokens, end, lex, "span_join"):
            continue
        second = _second_date(tokens, end, lex)
        if not second:
            continue
        # Bare numbers make a span of dates only beside a month or with years ("between 10 and 14
        # March", "from 2019 to 2021"), never "between 10 and 15 people".
        if "month" in first | second:
            return True
        if "year" in first and "year" in second:
            return True
    return False


def month_in(tokens: Sequence[Token], lo: int, hi: int, lex: Lexicon) -> bool:
    """A whole month as the time of a figure: "during May", "throughout March", "خلال شهر نيسان" (with no day
    of the month, which would make it one day)."""
    for k in range(max(lo, 0), min(hi, len(tokens))):
        if not _is(tokens, k, lex, "month_open"):
            continue
        m = k + 1
        hit = match_at(tokens, m, lex.cues.get("month_words"))
        if hit is not None:
            m += hit[0]
        if _date_at(tokens, m, lex) == "month" and _date_at(tokens, m + 1, lex) != "day":
            return True
    return False
