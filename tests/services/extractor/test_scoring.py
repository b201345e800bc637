"""The one scoring module: place normalisation, matching in gold order, micro scores, accuracies."""

from __future__ import annotations

from typing import Any

import pytest

from services.extractor import scoring


def fig(kind: str = "killed", count: int = 5, scope: str = "incident", **extra: Any) -> dict[str, Any]:
    base = {
        "kind": kind,
        "count": count,
        "scope": scope,
        "victims": "people",
        "location": None,
        "subset_of": None,
    }
    return base | extra


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Al-Mayadin", "Mayadin"),
        ("Deir ez-Zor", "Deir ez Zor"),
        ("Ma'arrat al-Nu'man", "Maarrat al-Numan"),
        ("Raqqa", "Raqqah"),
        ("Ḥamāh", "Hamah"),
    ],
)
def test_same_place_after_normalisation_or_fuzzy(a: str, b: str) -> None:
    assert scoring.same_place(a, b)


def test_different_places_and_null_rules() -> None:
    assert not scoring.same_place("Idlib", "Aleppo")
    assert scoring.same_place(None, None)
    assert not scoring.same_place("Idlib", None)
    assert not scoring.same_place(None, "Idlib")


def test_location_in_accepts_a_containing_place() -> None:
    assert scoring.same_place("Afrin", "Mahmudiyah", ["Afrin"])


def test_each_gold_takes_the_first_unused_equal_prediction() -> None:
    gold = [fig(count=5), fig(count=5), fig(count=3)]
    pred = [fig(count=3), fig(count=5), fig(count=5, scope="cumulative"), fig(count=5)]
    assert scoring.match_figures(gold, pred) == {0: 1, 1: 3, 2: 0}


def test_micro_scores_and_accuracies() -> None:
    gold = [
        {
            "id": "a",
            "lang": "en",
            "casualties": [
                fig(count=10, location="Idlib"),
                fig(count=4, victims="children", subset_of=0, location="Idlib"),
            ],
        }
    ]
    preds = {"a": [fig(count=10, location="Idlib"), fig(count=4, subset_of=0), fig(kind="injured", count=7)]}
    report = scoring.score(gold, preds)
    s = report.total.scores()
    assert (s["precision"], s["recall"]) == (round(2 / 3, 4), 1.0)
    assert s["victims_acc"] == 0.5 and s["location_acc"] == 0.5 and s["subset_acc"] == 1.0
    assert {e["error"] for e in report.errors} == {"victims", "place", "false"}


def test_subset_must_point_at_the_matched_parent() -> None:
    gold = [fig(count=10), fig(count=2, subset_of=0)]
    pred = [fig(count=2, subset_of=1), fig(count=10)]
    report = scoring.score([{"id": "a", "lang": "ar", "casualties": gold}], {"a": pred})
    assert report.total.subset_ok == 2
    wrong = [fig(count=10), fig(count=2, subset_of=None)]
    report = scoring.score([{"id": "a", "lang": "ar", "casualties": gold}], {"a": wrong})
    assert report.total.subset_ok == 1


def test_scores_are_grouped_by_language() -> None:
    gold = [
        {"id": "a", "lang": "ar", "casualties": [fig()]},
        {"id": "b", "lang": "en", "casualties": [fig()]},
    ]
    report = scoring.score(gold, {"a": [fig()], "b": []})
    assert report.by_lang["ar"].scores()["f1"] == 1.0
    assert report.by_lang["en"].scores()["recall"] == 0.0


def test_a_count_read_with_the_wrong_scope_is_one_scope_error_not_a_miss_and_a_false() -> None:
    gold = [fig(count=40, scope="cumulative"), fig(count=3)]
    pred = [fig(count=40, scope="incident"), fig(count=9)]
    report = scoring.score([{"id": "a", "lang": "en", "casualties": gold}], {"a": pred})
    classes = sorted(e["error"] for e in report.errors)
    assert classes == ["false", "missed", "scope"]
    scope_error = next(e for e in report.errors if e["error"] == "scope")
    assert scope_error["gold"]["scope"] == "cumulative" and scope_error["pred"]["scope"] == "incident"
    assert report.total.matched == 0  # the classes explain errors; they do not change the scores


def test_a_count_read_with_the_wrong_kind_is_a_kind_error() -> None:
    gold = [fig(kind="injured", count=12)]
    pred = [fig(kind="killed", count=12)]
    report = scoring.score([{"id": "a", "lang": "en", "casualties": gold}], {"a": pred})
    assert [e["error"] for e in report.errors] == ["kind"]
    groups = scoring.errors_by_class(report.errors)
    assert list(groups) == list(scoring.ERROR_CLASSES)
    assert len(groups["kind"]) == 1 and not groups["missed"]
