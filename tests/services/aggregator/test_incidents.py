from __future__ import annotations

import copy

from services.aggregator.incidents import AggregatorState, estimates
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
        {"figure_id": "a:0", "count": 17, "qualifier": "at_least", "published": "2026-11-24T08:00"},
        {"figure_id": "b:0", "count": 14, "qualifier": "exact", "published": "2026-11-24T09:00"},
    ]
    assert estimates(reports) == (17, 14, 17)


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


def test_two_figures_of_one_article_are_never_one_incident(state: AggregatorState) -> None:
    fold(state, article("a", figure(14), figure(3)))
    assert len(state.incidents) == 2


def test_redelivering_everything_changes_nothing() -> None:
    items = [
        article("a", figure(14), figure(30, kind="injured"), site="one.example"),
        article("b", figure(15), figure(900, scope="cumulative"), site="two.example"),
    ]
    once = new_state()
    fold(once, *items)
    snapshot = copy.deepcopy((once.incidents, once.tolls))
    changes = fold(once, *items, *items)
    assert changes == []
    assert (once.incidents, once.tolls) == snapshot


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
