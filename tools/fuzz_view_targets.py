"""Fuzz targets for the analyst's view: its pages and exports over hostile documents and hostile queries.

A render must not fail, and what it renders must stay safe: no element or attribute that runs
script, no link but to this server or an http(s) address, no spreadsheet cell that starts a
formula, GeoJSON that parses. A page that breaks any of these is counted as a crash.
"""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlencode

import lxml.html
import orjson
from hypothesis import strategies as st

from services.aggregator import entry as aggregator
from services.aggregator.query import QueryError
from services.aggregator.view import IncidentView
from services.aggregator.web.exports import incidents_csv, incidents_geojson, tolls_csv
from services.aggregator.web.pages import FILTERS, PAGING, incident_page, index_page, toll_page
from services.aggregator.web.safe import FORMULA_STARTS
from shared.records import BadRecord
from shared.vocabulary import KINDS
from tools import fuzz_values as v
from tools.fuzz_strategies import any_text, messages, mutated
from tools.fuzz_targets import NOW, TODAY, Target, _extracted_base, _generic_hostile, _json, _record_hostile

# Elements and attribute prefixes that run or load something: none may come out of article text.
_ACTIVE_TAGS = frozenset(
    {"script", "img", "iframe", "object", "embed", "link", "style", "svg:script", "base"}
)
_OWN_LINKS = ("/", "#", "?", "http://", "https://")
_OWN_ELEMENTS = {"link": 1}  # the stylesheet link in every page's head


class UnsafeOutput(AssertionError):
    """A render that would let article text act in a browser or a spreadsheet."""


def check_page(page: str) -> None:
    """Raise UnsafeOutput when ``page`` holds markup that runs, or a link to anything but the web."""
    tree = lxml.html.document_fromstring(page.replace("\x00", "\ufffd"))
    seen: dict[str, int] = {}
    for element in tree.iter():
        tag = str(element.tag).lower()
        if tag in _ACTIVE_TAGS:
            seen[tag] = seen.get(tag, 0) + 1
        for name, value in element.attrib.items():
            if name.lower().startswith("on") or name.lower() == "style":
                raise UnsafeOutput(f"attribute {name!r} on <{tag}>")
            if name.lower() in ("href", "src", "action") and not value.startswith(_OWN_LINKS):
                raise UnsafeOutput(f"{name}={value[:80]!r}")
    if seen != _OWN_ELEMENTS:
        raise UnsafeOutput(f"active elements {seen}")


def check_csv(text: str) -> None:
    """Raise UnsafeOutput for a cell a spreadsheet would run as a formula (numbers may be negative)."""
    for row in csv.reader(io.StringIO(text)):
        for cell in row:
            if cell.startswith(FORMULA_STARTS):
                try:
                    float(cell)
                except ValueError:
                    raise UnsafeOutput(f"formula cell {cell[:60]!r}") from None


def check_geojson(text: str) -> None:
    """Raise UnsafeOutput unless ``text`` is a FeatureCollection of points or null geometries."""
    collection = orjson.loads(text)
    if collection.get("type") != "FeatureCollection":
        raise UnsafeOutput("not a FeatureCollection")
    for feature in collection["features"]:
        geometry = feature["geometry"]
        if geometry is not None and not all(math.isfinite(x) for x in geometry["coordinates"]):
            raise UnsafeOutput(f"geometry {geometry}")


def _exports(view: IncidentView, params: dict[str, str]) -> None:
    check_csv("".join(incidents_csv(view.incidents.values(), params)))
    check_geojson("".join(incidents_geojson(view.incidents.values(), params)))
    check_csv("".join(tolls_csv(view.tolls.values(), params)))


def _base_record(cache_dir: Path) -> dict[str, Any]:
    article = _extracted_base(cache_dir)
    event = aggregator.route(v.dumps(article), today=TODAY)[0]
    [record] = aggregator.merge(v.dumps(_json(event)), aggregator.memory_state(), window_days=1, now=NOW)
    return _json(record)


def pages_target(cache_dir: Path) -> Target:
    """``casualties.incidents`` records into the view, then every page and export of what it holds."""
    base = _base_record(cache_dir)
    report = base["data"]["reports"][0]
    holder = {"view": IncidentView()}

    def call(value: bytes) -> Sequence[Any]:
        view = holder["view"]
        aggregator.follow(value, view)  # BadRecord: the view refuses it, as the worker does
        check_page(index_page(view.incidents.values(), view.tolls.values(), {}))
        record = orjson.loads(value)  # follow() took it: an object with an id and a type
        # The page of the document this record wrote (every page each time would grow with the view).
        if (doc := view.incidents.get(record["id"])) is not None:
            check_page(incident_page(doc))
        if (doc := view.tolls.get(record["id"])) is not None:
            check_page(toll_page(doc))
        _exports(view, {})
        return ["rendered"]

    def good(i: int) -> bytes:
        return v.dumps(base | {"id": f"good-{i}"})

    def reset() -> None:
        holder["view"] = IncidentView()

    reports = st.lists(
        mutated(report, {"evidence": any_text, "sentence": any_text, "url": any_text}), max_size=3
    )
    data = mutated(base["data"], {"reports": reports, "place": any_text, "kind": st.sampled_from(KINDS)})
    as_toll = base | {"type": "toll", "data": base["data"] | {"history": base["data"]["reports"]}}
    records = st.one_of(mutated(base, {"data": data}), mutated(as_toll, {}))

    def hostile() -> Iterator[tuple[str, bytes]]:
        yield from _generic_hostile()
        yield from _record_hostile(base)
        for name in report:
            for i, value in enumerate(v.POISON):
                doc = base["data"] | {"reports": [report | {name: value}]}
                yield f"report.{name}={i}", v.dumps(base | {"data": doc})
        formula = {"place": "=cmd|'/c calc'!A1", "actor": "@SUM(1)", "admin1": "+1", "id": "-x"}
        yield "formula_cells", v.dumps(base | {"data": base["data"] | formula})
        yield (
            "javascript_url",
            v.dumps(base | {"data": base["data"] | {"reports": [report | {"url": "javascript:x"}]}}),
        )
        yield "toll_history", v.dumps(as_toll)

    return Target("view.pages", call, good, messages(records), hostile, reset)


def query_target(cache_dir: Path) -> Target:
    """Query strings against the index page and every export, over a view holding an incident and a toll."""
    base = _base_record(cache_dir)
    view = IncidentView()
    view.apply(base)
    view.apply(base | {"id": "toll-1", "type": "toll", "data": base["data"] | {"id": "toll-1", "latest": 9,
                                                                               "history": base["data"]["reports"]}})  # fmt: skip

    def call(value: bytes) -> Sequence[Any]:
        try:
            query = value.decode("utf-8")
        except UnicodeDecodeError:
            raise BadRecord("not_utf8", "query string is not UTF-8") from None
        params = {k: x for k, x in parse_qsl(query, keep_blank_values=True) if x != ""}
        try:
            check_page(index_page(view.incidents.values(), view.tolls.values(), params))
            _exports(view, params)
        except QueryError as exc:
            raise BadRecord("bad_query", str(exc)[:200]) from None
        return ["rendered"]

    def good(i: int) -> bytes:
        return f"country=sy&kind=killed&offset={i % 3}".encode()

    names = st.sampled_from([*FILTERS, *PAGING, "hxl", "place_id", "unknown"])
    values = st.one_of(
        any_text, st.sampled_from(["SY", "killed", "civilians", "2026-11-16", "1", "0", "-1", ""])
    )
    queries = st.lists(st.tuples(names, values), max_size=6).map(lambda pairs: urlencode(pairs).encode())
    queries = st.one_of(queries, st.binary(max_size=200))

    def hostile() -> Iterator[tuple[str, bytes]]:
        yield "empty", b""
        yield "bad_percent", b"kind=%FF%FE"
        yield "rtl_country", "country=\u202eSY".encode()
        yield "huge_offset", b"offset=" + v.HUNDRED_DIGITS.encode()
        yield (
            "markup_filter",
            urlencode({"place": "<script>alert(1)</script>", "actor": '"><img src=x>'}).encode(),
        )
        yield "many_params", b"&".join(b"place=x" for _ in range(10_000))
        yield "limit_zero", b"limit=0"
        yield "hxl_word", b"hxl=yes"

    return Target("view.query", call, good, queries, hostile)


def view_targets(cache_dir: Path) -> list[Target]:
    """The view's two targets."""
    return [pages_target(cache_dir), query_target(cache_dir)]
