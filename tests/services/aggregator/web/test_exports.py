"""The exports, read back by the tools analysts use: csv, libhxl (HXL), the geojson package (RFC 7946)."""

from __future__ import annotations

import csv
import io

import geojson
import hxl
import pytest

from services.aggregator.query import QueryError, list_tolls, matching_incidents
from services.aggregator.web.exports import (
    csv_chunks,
    geojson_chunks,
    hxl_flag,
    incident_columns,
    incidents_csv,
    toll_columns,
    toll_rows,
)
from services.aggregator.writes import AggregatorState

COLUMNS = [
    "id",
    "event_date",
    "date_basis",
    "country",
    "admin1",
    "place",
    "place_id",
    "lat",
    "lon",
    "kind",
    "victims",
    "best",
    "low",
    "high",
    "sources",
    "reports",
    "actor",
    "first_reported",
    "last_reported",
    "source_urls",
]


def _csv(docs: AggregatorState, params: dict[str, str], *, hxl_row: bool = False) -> str:
    return "".join(incidents_csv(docs.incidents.values(), params | ({"hxl": "1"} if hxl_row else {})))


def test_one_row_per_incident_with_the_documented_columns(docs: AggregatorState) -> None:
    rows = list(csv.DictReader(io.StringIO(_csv(docs, {}))))
    assert list(rows[0]) == COLUMNS
    by_id = {d["id"]: d for d in docs.incidents.values()}
    assert [r["id"] for r in rows] == [d["id"] for d in matching_incidents(docs.incidents.values(), {})]
    for row in rows:
        doc = by_id[row["id"]]
        assert (int(row["best"]), int(row["low"]), int(row["high"])) == (doc["best"], doc["low"], doc["high"])
        assert (float(row["lat"]), float(row["lon"])) == (doc["lat"], doc["lon"])
        assert int(row["reports"]) == len(doc["reports"])
    strike = next(r for r in rows if r["place"] == "Maarat Misrin")
    assert strike["source_urls"].split(" ") == [r["url"] for r in by_id[strike["id"]]["reports"]]


def test_the_hxl_row_is_read_by_libhxl_and_passes_its_core_schema(docs: AggregatorState) -> None:
    text = _csv(docs, {"kind": "killed"}, hxl_row=True)
    data = hxl.data(io.BytesIO(text.encode()))
    tags = data.display_tags
    assert {"#date+occurred", "#country+code", "#adm1+code", "#loc+name", "#geo+lat", "#geo+lon"} <= set(tags)
    assert tags[COLUMNS.index("best")] == "#affected+killed"
    assert tags[COLUMNS.index("low")] == "#affected+killed+min"
    errors: list[object] = []
    assert hxl.schema(callback=errors.append).validate(hxl.data(io.BytesIO(text.encode()))), errors
    # A tag pattern as an HDX user writes it: the killed counts that are neither minimum nor maximum.
    killed = [int(row.get("#affected+killed-min-max")) for row in hxl.data(io.BytesIO(text.encode()))]
    assert killed == [d["best"] for d in matching_incidents(docs.incidents.values(), {"kind": "killed"})]
    without_kind = hxl.data(io.BytesIO(_csv(docs, {}, hxl_row=True).encode())).display_tags
    assert without_kind[COLUMNS.index("best")] == "#affected+best"


def test_geojson_is_a_valid_feature_collection_of_lon_lat_points(docs: AggregatorState) -> None:
    chosen = matching_incidents(docs.incidents.values(), {})
    collection = geojson.loads("".join(geojson_chunks(chosen)))
    assert isinstance(collection, geojson.FeatureCollection) and collection.is_valid, collection.errors()
    assert [f["id"] for f in collection["features"]] == [d["id"] for d in chosen]
    for feature, doc in zip(collection["features"], chosen, strict=True):
        assert feature["geometry"]["coordinates"] == [doc["lon"], doc["lat"]]
        assert feature["properties"]["best"] == doc["best"] and feature["properties"]["actor"] is None
        assert set(feature["properties"]) == set(COLUMNS)


def test_an_incident_without_coordinates_is_a_feature_with_null_geometry(docs: AggregatorState) -> None:
    doc = next(iter(docs.incidents.values())) | {"lat": None, "lon": float("nan")}
    collection = geojson.loads("".join(geojson_chunks([doc])))
    assert collection.is_valid and collection["features"][0]["geometry"] is None


def test_no_cell_can_run_as_a_formula_and_numbers_stay_numbers(docs: AggregatorState) -> None:
    doc = next(iter(docs.incidents.values()))
    hostile = doc | {"place": '=HYPERLINK("http://x.example","y")', "actor": "+1", "admin1": "@SUM(A1)",
                     "id": "-2+3", "lon": -3.5}  # fmt: skip
    [row] = list(
        csv.DictReader(io.StringIO("".join(csv_chunks(incident_columns(None), [hostile], hxl=False))))
    )
    assert row["place"].startswith("'=") and row["actor"] == "'+1" and row["admin1"] == "'@SUM(A1)"
    assert row["id"] == "'-2+3" and row["lon"] == "-3.5"


def test_a_large_export_comes_in_chunks(docs: AggregatorState) -> None:
    doc = next(iter(docs.incidents.values()))
    many = ({**doc, "id": f"inc-{i}"} for i in range(1_000))
    chunks = list(csv_chunks(incident_columns(None), many, hxl=False))
    assert len(chunks) > 4
    assert sum(c.count("\r\n") for c in chunks) == 1_001


def test_tolls_export_one_row_per_report_of_each_series(docs: AggregatorState) -> None:
    tolls = list_tolls(docs.tolls.values(), {})["tolls"]
    text = "".join(csv_chunks(toll_columns("killed"), toll_rows(tolls), hxl=True))
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[1][rows[0].index("count")] == "#affected+killed+reported"
    body = [dict(zip(rows[0], r, strict=True)) for r in rows[2:]]
    assert [int(r["count"]) for r in body] == [h["count"] for h in tolls[0]["history"]]
    assert {r["latest"] for r in body} == {"1117"}
    assert body[-1]["sentence"] == "The ministry's toll rose to 1,117."
    assert hxl.schema().validate(hxl.data(io.BytesIO(text.encode())))


@pytest.mark.parametrize("value", ["yes", "2", "true", ""])
def test_hxl_takes_only_one_or_zero(value: str) -> None:
    assert hxl_flag({"hxl": "1"}) and not hxl_flag({}) and not hxl_flag({"hxl": "0"})
    with pytest.raises(QueryError):
        hxl_flag({"hxl": value})
