"""Exports analysts load elsewhere: incidents as CSV (optionally with HXL hashtags) and GeoJSON, tolls as CSV.

Each is a generator of text chunks over documents the query layer chose (the same filters
as ``GET /incidents``), so a large export is written as it is read, never built whole.
Text cells are neutralised against spreadsheet formulas; numbers are written only from
numbers, so a negative longitude stays a number.

HXL (the Humanitarian Exchange Language, https://hxlstandard.org) tags each column with a
hashtag row under the header; the tags are from its dictionary, as HDX datasets use them.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import orjson

from services.aggregator.query import QueryError, list_tolls, matching_incidents
from services.aggregator.web.reports import MAX_REPORTS
from services.aggregator.web.safe import coordinate, integer, spreadsheet_cell, text, web_url

ROWS_PER_CHUNK = 200  # rows written per chunk sent: a few tens of KB, few enough writes to the socket
Value = str | int | float | None
Doc = Mapping[str, Any]


@dataclass(frozen=True, slots=True)
class Column:
    """One export column: its name, its HXL hashtag, how its value is read from a document."""

    name: str
    tag: str
    read: Callable[[Doc], Value]


def _text(field: str, limit: int = 300) -> Callable[[Doc], Value]:
    return lambda d: text(d.get(field), limit)


def _int(field: str) -> Callable[[Doc], Value]:
    return lambda d: integer(d.get(field))


def _reports(doc: Doc, field: str = "reports") -> list[Any]:
    raw = doc.get(field)
    return raw[:MAX_REPORTS] if isinstance(raw, list) else []


def source_urls(doc: Doc) -> list[str]:
    """The distinct web addresses of an incident's reports, in publication order."""
    urls = (web_url(r.get("url")) for r in _reports(doc) if isinstance(r, Mapping))
    return list(dict.fromkeys(u for u in urls if u))


def incident_columns(kind: str | None) -> list[Column]:
    """The incident export's columns; with a kind filter the counts carry it (``#affected+killed``)."""
    counted = f"#affected+{kind}" if kind else "#affected"
    return [
        Column("id", "#event+id", _text("id")),
        Column("event_date", "#date+occurred", _text("event_date", 40)),
        Column("date_basis", "#meta+date_basis", _text("date_basis", 20)),
        Column("country", "#country+code", _text("country", 2)),
        Column("admin1", "#adm1+code", _text("admin1")),
        Column("place", "#loc+name", _text("place")),
        Column("place_id", "#loc+code", _int("place_id")),
        Column("lat", "#geo+lat", lambda d: coordinate(d.get("lat"), 90.0)),
        Column("lon", "#geo+lon", lambda d: coordinate(d.get("lon"), 180.0)),
        Column("kind", "#impact+type", _text("kind", 20)),
        Column("victims", "#group+type", _text("victims", 20)),
        Column("best", counted if kind else "#affected+best", _int("best")),
        Column("low", f"{counted}+min", _int("low")),
        Column("high", f"{counted}+max", _int("high")),
        Column("sources", "#meta+sources+num", _int("sources")),
        Column("reports", "#meta+reports+num", lambda d: len(_reports(d))),
        Column("actor", "#group+perpetrator+name", _text("actor")),
        Column("first_reported", "#date+reported+first", _text("first_reported", 40)),
        Column("last_reported", "#date+reported+last", _text("last_reported", 40)),
        Column("source_urls", "#meta+source+url", lambda d: " ".join(source_urls(d))),
    ]


def toll_columns(kind: str | None) -> list[Column]:
    """The toll export's columns: one row per report of each series."""
    counted = f"#affected+{kind}" if kind else "#affected"
    return [
        Column("toll_id", "#meta+id", _text("toll_id")),
        Column("country", "#country+code", _text("country", 2)),
        Column("place", "#loc+name", _text("place")),
        Column("place_id", "#loc+code", _int("place_id")),
        Column("kind", "#impact+type", _text("kind", 20)),
        Column("victims", "#group+type", _text("victims", 20)),
        Column("latest", f"{counted}+latest", _int("latest")),
        Column("published", "#date+reported", _text("published", 40)),
        Column("count", f"{counted}+reported", _int("count")),
        Column("qualifier", "#meta+qualifier", _text("qualifier", 20)),
        Column("site", "#meta+source", _text("site")),
        Column("url", "#meta+source+url", lambda d: web_url(d.get("url"))),
        Column("evidence", "#description+evidence", _text("evidence", 600)),
        Column("sentence", "#description+sentence", _text("sentence", 600)),
    ]


def _cell(value: Value) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return spreadsheet_cell(value)
    return repr(value) if isinstance(value, float) else str(value)


def csv_chunks(columns: Sequence[Column], docs: Iterable[Doc], *, hxl: bool) -> Iterator[str]:
    """The CSV text in chunks: header, the HXL hashtag row when asked, then a row per document."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")  # RFC 4180 line ends
    writer.writerow([c.name for c in columns])
    if hxl:
        writer.writerow([c.tag for c in columns])
    for rows, doc in enumerate(docs, start=1):
        writer.writerow([_cell(c.read(doc)) for c in columns])
        if rows % ROWS_PER_CHUNK == 0:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()


def toll_rows(tolls: Iterable[Doc]) -> Iterator[Doc]:
    """Each toll's history as rows: the series' fields and one report's."""
    for toll in tolls:
        series = {k: toll.get(k) for k in ("country", "place", "place_id", "kind", "victims", "latest")}
        for report in _reports(toll, "history"):
            if isinstance(report, Mapping):
                yield {**report, **series, "toll_id": toll.get("id")}


def _feature(doc: Doc, columns: Sequence[Column]) -> bytes:
    lat, lon = coordinate(doc.get("lat"), 90.0), coordinate(doc.get("lon"), 180.0)
    # JSON has a null: a field the incident does not have is null, where the CSV has an empty cell.
    properties: dict[str, Any] = {c.name: (v if (v := c.read(doc)) != "" else None) for c in columns}
    properties["source_urls"] = source_urls(doc)
    geometry = {"type": "Point", "coordinates": [lon, lat]} if lat is not None and lon is not None else None
    # RFC 7946: a feature without a known position has a null geometry; it is still an incident.
    return orjson.dumps(
        {"type": "Feature", "id": text(doc.get("id")), "geometry": geometry, "properties": properties}
    )


def geojson_chunks(docs: Iterable[Doc]) -> Iterator[str]:
    """An RFC 7946 FeatureCollection of the incidents, in chunks (properties as the CSV's columns)."""
    columns = incident_columns(None)
    yield '{"type":"FeatureCollection","features":['
    batch: list[bytes] = []
    first = True
    for doc in docs:
        batch.append(_feature(doc, columns))
        if len(batch) == ROWS_PER_CHUNK:
            yield ("" if first else ",") + b",".join(batch).decode()
            batch, first = [], False
    if batch:
        yield ("" if first else ",") + b",".join(batch).decode()
    yield "]}"


def hxl_flag(params: Mapping[str, str]) -> bool:
    """``hxl=1`` asks for the hashtag row; ``0`` or no parameter does not."""
    raw = params.get("hxl")
    if raw not in (None, "0", "1"):
        raise QueryError("hxl: expected 1 (add the HXL hashtag row) or 0")
    return raw == "1"


# The three exports, each the query's filter then its format. Not generators themselves: a bad
# parameter raises QueryError here, before a response has started streaming.


def incidents_csv(incidents: Iterable[Doc], params: Mapping[str, str]) -> Iterator[str]:
    """``/incidents.csv``: the incidents ``params`` choose (as ``/incidents`` does), as CSV chunks."""
    chosen, hxl = matching_incidents(incidents, params), hxl_flag(params)
    return csv_chunks(incident_columns(params.get("kind")), chosen, hxl=hxl)


def incidents_geojson(incidents: Iterable[Doc], params: Mapping[str, str]) -> Iterator[str]:
    """``/incidents.geojson``: the incidents ``params`` choose, as GeoJSON chunks."""
    return geojson_chunks(matching_incidents(incidents, params))


def tolls_csv(tolls: Iterable[Doc], params: Mapping[str, str]) -> Iterator[str]:
    """``/tolls.csv``: the running tolls ``params`` choose (as ``/tolls`` does), as CSV chunks."""
    chosen, hxl = list_tolls(tolls, params)["tolls"], hxl_flag(params)
    return csv_chunks(toll_columns(params.get("kind")), toll_rows(chosen), hxl=hxl)
