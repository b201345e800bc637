from __future__ import annotations

import pytest

from services.aggregator.query import MAX_LIMIT, QueryError, list_incidents, list_tolls, totals

DOCS = [
    {
        "id": "i1",
        "kind": "killed",
        "victims": "civilians",
        "country": "SY",
        "place": "Raqqa",
        "place_id": 1,
        "actor": "Russia",
        "event_date": "2026-11-20",
        "best": 10,
        "low": 8,
        "high": 12,
        "sources": 3,
        "reports": [{}, {}],
    },
    {
        "id": "i2",
        "kind": "killed",
        "victims": "combatants",
        "country": "SY",
        "place": "Idlib",
        "place_id": 2,
        "actor": None,
        "event_date": "2026-11-22",
        "best": 4,
        "low": 4,
        "high": 4,
        "sources": 1,
        "reports": [{}],
    },
    {
        "id": "i3",
        "kind": "injured",
        "victims": "people",
        "country": "PS",
        "place": "Gaza",
        "place_id": 3,
        "actor": "Israeli army",
        "event_date": "2026-11-21",
        "best": 30,
        "low": 30,
        "high": 40,
        "sources": 2,
        "reports": [],
    },
]


def ids(body: dict) -> list[str]:
    return [d["id"] for d in body["incidents"]]


def test_filters_combine_and_lists_are_newest_first() -> None:
    assert ids(list_incidents(DOCS, {})) == ["i2", "i3", "i1"]
    assert ids(list_incidents(DOCS, {"country": "sy", "kind": "killed"})) == ["i2", "i1"]
    assert ids(list_incidents(DOCS, {"actor": "RUSSIA"})) == ["i1"]
    assert ids(list_incidents(DOCS, {"since": "2026-11-21", "until": "2026-11-21"})) == ["i3"]
    assert ids(list_incidents(DOCS, {"min_sources": "2"})) == ["i3", "i1"]
    assert ids(list_incidents(DOCS, {"place_id": "2"})) == ["i2"]
    assert ids(list_incidents(DOCS, {"victims": "people"})) == ["i3"]


def test_lists_drop_reports_and_paginate() -> None:
    body = list_incidents(DOCS, {"limit": "1", "offset": "1"})
    assert body["total"] == 3 and ids(body) == ["i3"]
    assert body["incidents"][0]["reports"] == 0


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"limit": "0"}, "limit"),
        ({"limit": str(MAX_LIMIT + 1)}, "limit"),
        ({"limit": "ten"}, "expected an integer"),
        ({"kind": "sad"}, "kind: expected one of"),
        ({"country": "Syria"}, "two-letter"),
        ({"since": "yesterday"}, "YYYY-MM-DD"),
        ({"since": "2026-11-22T00:00"}, "YYYY-MM-DD"),
        ({"until": ""}, "YYYY-MM-DD"),
        ({"country": ""}, "two-letter"),
        ({"country": "\u00e9\u00e9"}, "two-letter"),
        ({"kind": ""}, "kind: expected one of"),
        ({"limit": ""}, "expected an integer"),
        ({"limit": " 3"}, "expected an integer"),
        ({"limit": "\u0663"}, "expected an integer"),
        ({"place_id": "3_000"}, "expected an integer"),
        ({"min_sources": "9" * 100}, "min_sources"),
        ({"place": "x" * 500}, "at most"),
        ({"offset": "-1"}, "offset"),
    ],
)
def test_bad_parameters_are_clear_errors(params: dict[str, str], message: str) -> None:
    with pytest.raises(QueryError, match=message):
        list_incidents(DOCS, params)


def test_an_empty_date_range_matches_nothing() -> None:
    assert list_incidents(DOCS, {"since": "2026-11-22", "until": "2026-11-01"})["total"] == 0


def test_totals_group_by_any_fields() -> None:
    by_kind = totals(DOCS, {})
    assert by_kind["totals"][0] == {"kind": "injured", "best": 30, "low": 30, "high": 40, "incidents": 1}
    rows = totals(DOCS, {"group_by": "country,kind"})["totals"]
    assert {(r["country"], r["kind"]): r["best"] for r in rows} == {
        ("SY", "killed"): 14,
        ("PS", "injured"): 30,
    }
    days = totals(DOCS, {"group_by": "day", "country": "SY"})["totals"]
    assert {r["day"] for r in days} == {"2026-11-20", "2026-11-22"}
    assert totals(DOCS, {"group_by": "kind,kind"})["group_by"] == ["kind"]
    for bad in ("", "kind,", " kind", "kind,,day"):
        with pytest.raises(QueryError, match="group_by"):
            totals(DOCS, {"group_by": bad})
    with pytest.raises(QueryError, match="group_by"):
        totals(DOCS, {"group_by": "url"})


def test_tolls_filter_and_sort() -> None:
    tolls = [
        {"id": "t1", "kind": "killed", "country": "SY", "place": "Raqqa", "latest": 900},
        {"id": "t2", "kind": "killed", "country": "PS", "place": "Gaza", "latest": 43000},
    ]
    assert [t["id"] for t in list_tolls(tolls, {})["tolls"]] == ["t2", "t1"]
    assert [t["id"] for t in list_tolls(tolls, {"country": "sy"})["tolls"]] == ["t1"]
    with pytest.raises(QueryError):
        list_tolls(tolls, {"kind": "x"})
