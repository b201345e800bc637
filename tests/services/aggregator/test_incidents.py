from __future__ import annotations

import copy
import itertools
from typing import Any

import pytest

from services.aggregator.documents import RETIRED, estimates
from services.aggregator.writes import AggregatorState
from tests.services.aggregator.conftest import article, figure, fold, new_state


def incidents(state: AggregatorState) -> list[dict]:
    return sorted(state.incidents.values(), key=lambda d: (d["kind"], d["best"]))


def test_three_outlets_one_incident_best_low_high(state: AggregatorState) -> None:
    fold(
        state,
        article("a", figure(14), site="one.example", published="2026-11-24T08:00:00Z"),
        article("b", figure(15), site="two.example", published="2026-11-24T10:00:00Z"),
        article(
            "c", figure(17, qualifier="at_least"), site="three.example", published="2026-11-24T12:00:00Z"
        ),
    )
    [incident] = incidents(state)
    assert (incident["best"], incident["low"], incident["high"]) == (17, 14, 17)
    assert incident["sources"] == 3
    assert [r["url"] for r in incident["reports"]] == [
        "https://one.example/a",
        "https://two.example/b",
        "https://three.example/c",
    ]
    assert all(r["evidence"] for r in incident["reports"])


def test_a_later_lower_count_does_not_undo_an_at_least() -> None:
    reports = [
        {
            "figure_id": "a:0",
            "article_id": "a",
            "count": 17,
            "qualifier": "at_least",
            "published": "2026-11-24T08:00",
        },
        {
            "figure_id": "b:0",
            "article_id": "b",
            "count": 14,
            "qualifier": "exact",
            "published": "2026-11-24T09:00",
        },
    ]
    assert estimates(reports) == (17, 14, 17)


def test_a_report_that_states_its_own_later_day_is_another_event(state: AggregatorState) -> None:
    # Five days later at the same town, the text saying when: not an update of the first strike.
    stated = figure(10, event_date="2026-11-29", date_basis="relative")
    fold(
        state,
        article("a", figure(10)),
        article("b", stated, site="b.example", published="2026-11-29T09:00:00Z"),
    )
    assert len(state.incidents) == 2


def test_a_toll_told_on_a_later_day_joins_the_event_it_reports(state: AggregatorState) -> None:
    # "the governor said on Sunday that the toll rose to 40": Sunday bounds the event, it does not
    # date it; two days after the strike it is the same event. Stated as the event's day, it is not.
    told = figure(40, event_date="2026-11-26", date_basis="said")
    fold(
        state,
        article("a", figure(10, event_date="2026-11-24", date_basis="stated")),
        article("b", told, site="b.example", published="2026-11-27T09:00:00Z"),
    )
    [incident] = incidents(state)
    assert (incident["best"], incident["low"], incident["sources"]) == (40, 10, 2)
    apart = new_state()
    fold(
        apart,
        article("a", figure(10, event_date="2026-11-24", date_basis="stated")),
        article("b", figure(40, event_date="2026-11-26", date_basis="stated"), site="b.example"),
    )
    assert len(apart.incidents) == 2


def test_same_outlet_twice_counts_as_one_source(state: AggregatorState) -> None:
    fold(state, article("a", figure(10)), article("b", figure(12), published="2026-11-24T15:00:00Z"))
    [incident] = incidents(state)
    assert incident["sources"] == 1
    assert incident["best"] == 12


def test_different_places_or_dates_or_victims_stay_apart(state: AggregatorState) -> None:
    fold(
        state,
        article("a", figure(10, place="Maarat Misrin")),
        article("b", figure(10, place="Raqqa"), site="b.example"),
        article("c", figure(10), site="c.example", published="2026-11-29T09:00:00Z"),
        article("d", figure(10, victims="combatants"), site="d.example"),
        article("e", figure(10, place=None), site="e.example"),
        article("f", figure(10, place=None), site="f.example"),
    )
    assert len(state.incidents) == 6


def test_a_village_joins_the_incident_reported_for_its_province(state: AggregatorState) -> None:
    fold(
        state,
        article("a", figure(9, place="Idlib"), site="a.example"),
        article("b", figure(11, place="Maarat Misrin"), site="b.example", published="2026-11-24T11:00:00Z"),
        article("c", figure(4, place="Raqqa"), site="c.example"),
    )
    by_place = {d["place"]: d for d in state.incidents.values()}
    assert set(by_place) == {"Maarat Misrin", "Raqqa"}  # the village name replaced the province's
    assert by_place["Maarat Misrin"]["sources"] == 2


def test_generic_people_join_a_specific_group_and_take_its_name(state: AggregatorState) -> None:
    fold(state, article("a", figure(8, victims="people")), article("b", figure(8), site="b.example"))
    [incident] = incidents(state)
    assert incident["victims"] == "civilians"


def test_conflicting_actors_stay_apart(state: AggregatorState) -> None:
    fold(
        state,
        article("a", figure(5, actor="Russia")),
        article("b", figure(5, actor="US-led coalition"), site="b.example"),
        article("c", figure(5), site="c.example"),
    )
    assert len(state.incidents) == 2


def test_running_tolls_are_kept_apart_and_never_summed(state: AggregatorState) -> None:
    fold(
        state,
        article("a", figure(12), figure(1117, scope="cumulative", place="Raqqa")),
        article(
            "b",
            figure(1130, scope="cumulative", place="Raqqa"),
            site="b.example",
            published="2026-11-25T09:00:00Z",
        ),
    )
    [incident] = incidents(state)
    assert incident["best"] == 12
    [toll] = state.tolls.values()
    assert toll["latest"] == 1130
    assert [h["count"] for h in toll["history"]] == [1117, 1130]
    assert toll["sources"] == 2


def test_subsets_enrich_their_parent_and_are_not_added(state: AggregatorState) -> None:
    fold(state, article("a", figure(12), figure(3, victims="children", subset_of=0)))
    [incident] = incidents(state)
    assert incident["best"] == 12
    assert incident["breakdown"] == {"children": 3}


def test_a_detail_much_smaller_than_its_articles_toll_is_not_a_report_of_it(state: AggregatorState) -> None:
    # "40 killed ... a paramedic was also killed": the one is part of the event, not its toll.
    fold(state, article("a", figure(40), figure(1)), article("b", figure(42), site="b.example"))
    big = next(d for d in incidents(state) if d["best"] >= 40)
    assert (big["low"], big["high"]) == (40, 42)
    assert len(state.incidents) == 2


def test_an_articles_first_and_revised_tolls_are_one_incident(state: AggregatorState) -> None:
    # "at first 20 were reported dead; the toll later rose to 50": both state the event's toll.
    fold(state, article("a", figure(20), figure(50)))
    [incident] = incidents(state)
    assert (incident["best"], incident["low"], incident["high"]) == (50, 20, 50)
    assert incident["sources"] == 1


def test_the_latest_articles_largest_count_is_the_best_whatever_its_order(state: AggregatorState) -> None:
    fold(
        state,
        article("a", figure(30), published="2026-11-24T08:00:00Z"),
        article("b", figure(57), figure(45), site="b.example", published="2026-11-25T08:00:00Z"),
    )
    [incident] = incidents(state)
    assert (incident["best"], incident["low"], incident["high"]) == (57, 30, 57)


def test_of_outlets_that_give_only_the_day_the_larger_toll_is_the_latest(state: AggregatorState) -> None:
    # Two outlets dated only by the day: a toll rises through the day, whatever their ids or order.
    for first, second in (("early", "late"), ("late", "early")):
        one = new_state()
        fold(
            one,
            article("first", figure(12), site="a.example", published="2026-11-25"),
            article(first, figure(7), site="b.example", published="2026-11-26"),
            article(second, figure(40), site="c.example", published="2026-11-26"),
        )
        [incident] = incidents(one)
        assert (incident["best"], incident["low"], incident["high"]) == (40, 7, 40)


def test_redelivering_everything_changes_nothing() -> None:
    items = [
        article("a", figure(14), figure(30, kind="injured"), site="one.example"),
        article("b", figure(15), figure(900, scope="cumulative"), site="two.example"),
    ]
    once = new_state()
    fold(once, *items)
    snapshot = copy.deepcopy((once.incidents, once.tolls))
    changes = fold(once, *items, *items)
    assert (once.incidents, once.tolls) == snapshot
    assert _only_resent(changes, once)


def test_the_same_text_under_a_second_url_changes_nothing(state: AggregatorState) -> None:
    fold(state, article("a", figure(14), content_hash="same"))
    before = copy.deepcopy(state.incidents)
    changes = fold(state, article("mirror", figure(14), site="mirror.example", content_hash="same"))
    assert changes == []
    assert state.incidents == before


def test_a_re_extracted_figure_replaces_its_report(state: AggregatorState) -> None:
    fold(state, article("a", figure(14)))
    fold(state, article("a", figure(16)))
    [incident] = incidents(state)
    assert [r["count"] for r in incident["reports"]] == [16]
    assert incident["best"] == 16


def test_incident_ids_are_stable() -> None:
    first, second = new_state(), new_state()
    fold(first, article("a", figure(14)))
    fold(second, article("a", figure(14)))
    assert list(first.incidents) == list(second.incidents)


def _without_ids(state: AggregatorState) -> list[dict]:
    """Incidents and tolls as an analyst reads them; ids hash the first report, so they are left out."""
    docs = [*state.incidents.values(), *state.tolls.values()]
    return sorted(({k: v for k, v in d.items() if k != "id"} for d in docs), key=repr)


def test_of_two_copies_of_a_text_the_earlier_published_is_the_report_whatever_arrives_first() -> None:
    original = article(
        "orig", figure(14), site="one.example", published="2026-11-24T08:00:00Z", content_hash="h"
    )
    mirror = article(
        "copy", figure(14), site="mirror.example", published="2026-11-24T20:00:00Z", content_hash="h"
    )
    later = article("b", figure(16), site="two.example", published="2026-11-24T12:00:00Z")
    in_order, reversed_order = new_state(), new_state()
    fold(in_order, original, later, mirror)
    changes = fold(reversed_order, mirror, later, original)
    assert changes, "the original arriving after its copy must replace the copy's report"
    assert _without_ids(in_order) == _without_ids(reversed_order)
    [incident] = reversed_order.incidents.values()
    assert [r["site"] for r in incident["reports"]] == ["one.example", "two.example"]
    assert incident["best"] == 16  # the copy published at 20:00 is not the latest report


def test_a_redelivered_copy_after_its_original_took_over_changes_nothing(state: AggregatorState) -> None:
    mirror = article(
        "copy", figure(9), site="mirror.example", published="2026-11-24T20:00:00Z", content_hash="h"
    )
    original = article(
        "orig", figure(9), site="one.example", published="2026-11-24T08:00:00Z", content_hash="h"
    )
    fold(state, mirror, original)
    before = copy.deepcopy(state.incidents)
    changes = fold(state, mirror, original)
    assert state.incidents == before
    # The original's document once, and the record retiring the copy's incident it replaced (a
    # redelivery sends again what the first apply sent: a kill may have stopped it leaving).
    assert _only_resent(changes, state) and [c.type for c in changes] == ["incident", "retired"]


def test_toll_copies_keep_the_earlier_published_whatever_arrives_first() -> None:
    def toll(article_id: str, site: str, published: str) -> Any:
        return article(
            article_id, figure(900, scope="cumulative"), site=site, published=published, content_hash="t"
        )

    original, mirror = (
        toll("orig", "one.example", "2026-11-20T08:00:00Z"),
        toll("copy", "m.example", "2026-11-21T08:00:00Z"),
    )
    first, second = new_state(), new_state()
    fold(first, original, mirror)
    fold(second, mirror, original)
    assert _without_ids(first) == _without_ids(second)
    [series] = second.tolls.values()
    assert [r["site"] for r in series["history"]] == ["one.example"]
    assert series["latest_published"] == "2026-11-20T08:00:00Z"


def test_any_arrival_order_builds_the_same_incidents() -> None:
    items = [
        article("a", figure(12, victims="people"), site="a.example", published="2026-11-24T08:00:00Z"),
        article("b", figure(14), site="b.example", published="2026-11-24T10:00:00Z", content_hash="x"),
        article("b2", figure(14), site="m.example", published="2026-11-24T10:00:00Z", content_hash="x"),
        article("c", figure(15, victims="children"), site="c.example", published="2026-11-24T11:00:00Z"),
        article("d", figure(7, place="Raqqa"), site="d.example", published="2026-11-24T09:00:00Z"),
        article("e", figure(800, scope="cumulative"), site="e.example", published="2026-11-23T09:00:00Z"),
    ]
    reference = new_state()
    fold(reference, *items)
    for shift in range(1, len(items)):
        other = new_state()
        fold(other, *reversed(items[shift:] + items[:shift]))
        assert _without_ids(other) == _without_ids(reference)


class Recorded(dict):  # type: ignore[type-arg]
    """A table that logs every write, to replay a subset of them."""

    def __init__(self, name: str, log: list[tuple[str, str, Any]]) -> None:
        super().__init__()
        self.name, self.log = name, log

    def __setitem__(self, key: str, value: Any) -> None:
        self.log.append((self.name, key, copy.deepcopy(value)))
        super().__setitem__(key, value)


def _recorded_state(log: list[tuple[str, str, Any]]) -> AggregatorState:
    return AggregatorState(*(Recorded(name, log) for name in ("figures", "blocks", "incidents", "tolls")))


def _fold_cut_short(before: list[Any], item: Any, kept: set[int]) -> AggregatorState:
    """State after ``before``, then ``item`` applied with only the writes numbered in ``kept`` surviving."""
    log: list[tuple[str, str, Any]] = []
    probe = _recorded_state(log)
    fold(probe, *before)
    done = len(log)
    fold(probe, item)
    state = new_state()
    fold(state, *before)
    for i, (name, key, value) in enumerate(log[done:]):
        if i in kept:
            getattr(state, name)[key] = copy.deepcopy(value)
    return state


def _writes_of(before: list[Any], item: Any) -> int:
    log: list[tuple[str, str, Any]] = []
    probe = _recorded_state(log)
    fold(probe, *before)
    done = len(log)
    fold(probe, item)
    return len(log) - done


@pytest.mark.parametrize(
    "scenario",
    [
        "new incident",
        "joins an incident",
        "original replaces its copy",
        "toll",
        "re-extracted",
        "toll re-extracted",
    ],
)
def test_redelivery_completes_a_figure_whose_writes_a_crash_cut_short(scenario: str) -> None:
    """A kill can leave any subset of one figure's table writes (separate changelog topics) behind:
    redelivering the figure must reach the state a clean apply reaches, whichever survived."""
    first = article("a", figure(10), site="a.example", published="2026-11-24T08:00:00Z", content_hash="ha")
    copy_ = article("m", figure(10), site="m.example", published="2026-11-24T20:00:00Z", content_hash="ha")
    toll = article("t", figure(900, scope="cumulative"), site="t.example", published="2026-11-24T08:00:00Z")
    later = article("b", figure(12), site="b.example", published="2026-11-24T12:00:00Z")
    before, item = {
        "new incident": ([], first),
        "joins an incident": ([first], later),
        "original replaces its copy": ([copy_], first),
        "toll": ([toll], article("u", figure(950, scope="cumulative"), site="u.example")),
        "re-extracted": ([first, later], article("a", figure(11), site="a.example", content_hash="ha")),
        "toll re-extracted": ([toll], article("t", figure(950, scope="cumulative"), site="t.example")),
    }[scenario]
    clean = new_state()
    fold(clean, *before, item, later)
    writes = _writes_of(before, item)
    assert writes >= 3
    for kept in itertools.chain.from_iterable(
        itertools.combinations(range(writes), k) for k in range(writes)
    ):
        state = _fold_cut_short(before, item, set(kept))
        fold(state, item, later)  # the redelivery, then the stream goes on
        assert _without_ids(state) == _without_ids(clean), f"writes kept: {kept}"


class Stored(dict):  # type: ignore[type-arg]
    """A table as faust's RocksDB store behaves: every read deserialises a copy, every write a record."""

    def __init__(self, log: list[str]) -> None:
        super().__init__()
        self.log = log

    def get(self, key: Any, default: Any = None) -> Any:
        return copy.deepcopy(super().get(key, default))

    def __getitem__(self, key: Any) -> Any:
        return copy.deepcopy(super().__getitem__(key))

    def __setitem__(self, key: Any, value: Any) -> None:
        self.log.append(key)
        super().__setitem__(key, copy.deepcopy(value))


def _stored_state(log: list[str]) -> AggregatorState:
    return AggregatorState(*(Stored(log) for _ in range(4)))


_TOLL_800 = figure(800, scope="cumulative")  # one toll in a text and in its copy
_MIXED = [
    article("a", figure(12, victims="people"), site="a.example", published="2026-11-24T08:00:00Z"),
    article("b2", figure(14), site="m.example", published="2026-11-24T11:00:00Z", content_hash="x"),
    article("b", figure(14), site="b.example", published="2026-11-24T10:00:00Z", content_hash="x"),
    article("c", figure(15, victims="children"), site="c.example", published="2026-11-24T11:00:00Z"),
    article("e2", _TOLL_800, site="f.example", published="2026-11-23T10:00:00Z", content_hash="t"),
    article("e", _TOLL_800, site="e.example", published="2026-11-23T09:00:00Z", content_hash="t"),
]


def test_tables_that_return_copies_build_what_dicts_build() -> None:
    log: list[str] = []
    stored, plain = _stored_state(log), new_state()
    fold(stored, *_MIXED)
    fold(plain, *_MIXED)
    assert _without_ids(stored) == _without_ids(plain)


def test_a_redelivery_of_applied_figures_writes_nothing_to_tables_that_return_copies() -> None:
    log: list[str] = []
    stored = _stored_state(log)
    fold(stored, *_MIXED)
    log.clear()
    assert _only_resent(fold(stored, *_MIXED), stored)
    assert log == []


def _as_legacy(state: AggregatorState) -> None:
    """Rewrite ``state`` as the previous version wrote it: content entries name only the document,
    reports carry neither their content key nor their event date."""
    for key, entry in list(state.figures.items()):
        if key.startswith("content:"):
            state.figures[key] = {"id": entry["id"]}
    for doc in [*state.incidents.values(), *state.tolls.values()]:
        for report in doc.get("reports", doc.get("history", [])):
            report.pop("content_key", None)
            report.pop("event_date", None)


def test_a_copy_of_a_text_counted_before_the_upgrade_is_not_counted_again(state: AggregatorState) -> None:
    fold(state, article("a", figure(14), published="2026-11-24T08:00:00Z", content_hash="same"))
    fold(state, article("t", figure(900, scope="cumulative"), content_hash="toll"))
    _as_legacy(state)
    fold(state, article("m", figure(14), site="mirror.example", content_hash="same"))
    fold(state, article("u", figure(900, scope="cumulative"), site="mirror.example", content_hash="toll"))
    [incident] = state.incidents.values()
    assert [r["article_id"] for r in incident["reports"]] == ["a"]
    [toll] = state.tolls.values()
    assert [r["article_id"] for r in toll["history"]] == ["t"]


def test_a_legacy_incident_takes_the_dates_of_reports_that_join_it(state: AggregatorState) -> None:
    fold(state, article("a", figure(14), published="2026-11-24T08:00:00Z"))
    _as_legacy(state)
    fold(state, article("b", figure(15), site="b.example", published="2026-11-25T08:00:00Z"))
    [incident] = state.incidents.values()
    assert len(incident["reports"]) == 2
    assert (incident["event_date"], incident["last_event_date"]) == ("2026-11-24", "2026-11-25")


def test_a_re_extracted_toll_figure_replaces_its_count(state: AggregatorState) -> None:
    fold(state, article("t", figure(900, scope="cumulative")))
    changes = fold(state, article("t", figure(950, scope="cumulative")))
    [toll] = state.tolls.values()
    assert [r["count"] for r in toll["history"]] == [950]
    assert toll["latest"] == 950
    assert changes


def test_a_copy_read_with_another_scope_is_not_counted_twice(state: AggregatorState) -> None:
    """Two copies of one text extracted by different extractor versions may disagree on the scope."""
    fold(state, article("a", figure(900), published="2026-11-24T08:00:00Z", content_hash="same"))
    fold(state, article("m", figure(900, scope="cumulative"), site="m.example", content_hash="same"))
    fold(
        state,
        article("n", figure(900), site="n.example", published="2026-11-24T20:00:00Z", content_hash="same"),
    )
    reports = [r for d in state.incidents.values() for r in d["reports"]]
    reports += [r for d in state.tolls.values() for r in d["history"]]
    assert len(reports) == 1


def test_a_redelivered_figure_does_not_reopen_an_incident_pruned_from_its_block(
    state: AggregatorState,
) -> None:
    old = article("old", figure(5, place="Raqqa"), published="2026-11-10T08:00:00Z")
    fold(
        state,
        old,
        article("new", figure(9), published="2026-11-18T08:00:00Z"),
        # joins "new" and moves its event date back a day: the horizon moves back to 2026-11-10
        article("early", figure(9), site="e.example", published="2026-11-17T08:00:00Z"),
        window_days=3,
    )
    assert len(state.incidents) == 2
    blocks = copy.deepcopy(state.blocks)
    assert _only_resent(fold(state, old, window_days=3), state)
    assert state.blocks == blocks


def test_a_late_copy_arriving_first_does_not_split_the_incident_its_original_belongs_to() -> None:
    # No date stated: each copy's event date is its publication day, two days apart.
    original = article("orig", figure(10), published="2026-11-24T08:00:00Z", content_hash="h")
    mirror = article("copy", figure(10), site="m.example", published="2026-11-26T08:00:00Z", content_hash="h")
    other = article("b", figure(11), site="b.example", published="2026-11-24T12:00:00Z")
    in_order, reversed_order = new_state(), new_state()
    fold(in_order, original, other, mirror)
    fold(reversed_order, mirror, other, original)
    assert len(in_order.incidents) == 1
    assert _without_ids(reversed_order) == _without_ids(in_order)


def _only_resent(changes: list[Any], state: AggregatorState) -> bool:
    """Every change is a document exactly as the state already holds it (a re-send, not a change)."""
    held = {**state.incidents, **state.tolls}
    return bool(changes) and all(
        c.doc == held[c.id] if c.type != RETIRED else c.id not in held for c in changes
    )
