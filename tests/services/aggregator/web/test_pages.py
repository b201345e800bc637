"""The view's pages, rendered from documents the real aggregator logic built, parsed back as HTML."""

from __future__ import annotations

import lxml.html
import pytest

from services.aggregator.query import QueryError, list_incidents
from services.aggregator.web.pages import error_page, incident_page, index_page, toll_page
from services.aggregator.writes import AggregatorState
from tests.services.aggregator.web.conftest import HOSTILE


def _tree(page: str) -> lxml.html.HtmlElement:
    return lxml.html.document_fromstring(page)


def _incident(docs: AggregatorState, place: str) -> dict:
    return next(d for d in docs.incidents.values() if d["place"] == place)


def test_the_index_lists_what_the_api_answers_newest_first(docs: AggregatorState) -> None:
    tree = _tree(index_page(docs.incidents.values(), docs.tolls.values(), {}))
    rows = tree.cssselect("#incidents tbody tr")
    api = list_incidents(docs.incidents.values(), {})["incidents"]
    assert [r.cssselect("td")[0].text for r in rows] == [d["event_date"] for d in api]
    assert [r.cssselect("td.best")[0].text for r in rows] == [str(d["best"]) for d in api]
    links = [a.get("href") for a in tree.cssselect("a.incident-link")]
    assert links == [f"/view/incidents/{d['id']}" for d in api]
    first = rows[0].text_content()
    assert "12–17" in first and "Maarat Misrin" in first and "SY" in first


def test_running_tolls_are_listed_apart_and_never_in_the_incidents(docs: AggregatorState) -> None:
    tree = _tree(index_page(docs.incidents.values(), docs.tolls.values(), {}))
    assert "1,117" in tree.cssselect("#tolls")[0].text_content()
    assert "1,117" not in tree.cssselect("#incidents")[0].text_content()
    assert [a.get("href") for a in tree.cssselect("a.toll-link")] == [f"/view/tolls/{next(iter(docs.tolls))}"]


def test_filters_and_paging_are_the_apis(docs: AggregatorState) -> None:
    page = index_page(docs.incidents.values(), docs.tolls.values(), {"place": "raqqa", "limit": "1"})
    tree = _tree(page)
    assert [r.cssselect("td")[0].text for r in tree.cssselect("#incidents tbody tr")] == ["2026-11-22"]
    assert tree.cssselect("input[name=place]")[0].get("value") == "raqqa"
    assert tree.cssselect("#export-csv")[0].get("href") == "/incidents.csv?place=raqqa"
    assert tree.cssselect("#export-hxl")[0].get("href") == "/incidents.csv?place=raqqa&hxl=1"
    older = _tree(index_page(docs.incidents.values(), docs.tolls.values(), {"limit": "1"}))
    assert older.cssselect("a[rel=next]")[0].get("href") == "/?limit=1&offset=1"
    assert older.cssselect("a[rel=prev]") == []


@pytest.mark.parametrize("params", [{"kind": "sad"}, {"limit": "0"}, {"since": "soon"}, {"country": "Syria"}])
def test_a_bad_parameter_is_the_apis_error(docs: AggregatorState, params: dict[str, str]) -> None:
    with pytest.raises(QueryError) as raised:
        index_page(docs.incidents.values(), docs.tolls.values(), params)
    with pytest.raises(QueryError) as api:
        list_incidents(docs.incidents.values(), params)
    assert str(raised.value) == str(api.value)
    page = _tree(error_page(400, "Bad request", str(raised.value)))
    assert page.cssselect("#error")[0].text == str(api.value)


def test_each_report_shows_its_sentence_with_the_figures_span_marked(docs: AggregatorState) -> None:
    doc = _incident(docs, "Maarat Misrin")
    tree = _tree(incident_page(doc))
    cards = tree.cssselect("#reports article.report")
    assert len(cards) == len(doc["reports"]) == 3
    for card, report in zip(cards, doc["reports"], strict=True):
        quote = card.cssselect("blockquote.evidence")[0]
        assert quote.text_content() == report["sentence"]
        assert [m.text for m in quote.cssselect("mark")] == [report["evidence"]]
        assert card.cssselect("a.source")[0].get("href") == report["url"]
        assert report["site"] in card.cssselect(".site")[0].text_content()
    assert tree.cssselect("#coordinates")[0].text == "35.9900, 36.6900"
    estimate = tree.cssselect("#estimate")[0].text_content()
    assert "best 17" in estimate and "low 12" in estimate and "high 17" in estimate


def test_article_text_is_shown_as_text_and_never_becomes_markup(docs: AggregatorState) -> None:
    page = incident_page(_incident(docs, "Raqqa"))
    tree = _tree(page)
    assert tree.cssselect("script") == [] and tree.cssselect("img") == []
    assert not [e for e in tree.iter() if any(name.startswith("on") for name in e.attrib)]
    assert HOSTILE in tree.cssselect("blockquote.evidence")[0].text_content()
    assert HOSTILE in tree.cssselect(".site")[0].text_content()
    assert tree.cssselect("a.source") == []  # its "URL" has markup in its host: not a web address


def test_a_javascript_url_is_never_a_link(docs: AggregatorState) -> None:
    doc = _incident(docs, "Raqqa")
    for url in ("javascript:alert(1)", "data:text/html,<b>x</b>", "JAVASCRIPT://x.example/%0aalert(1)"):
        report = doc["reports"][0] | {"url": url}
        tree = _tree(incident_page(doc | {"reports": [report]}))
        assert tree.cssselect("a.source") == [], url


def test_a_later_smaller_count_is_explained_as_raised_to_the_earlier_floor(docs: AggregatorState) -> None:
    doc = _incident(docs, "Maarat Misrin")
    later = doc["reports"][1] | {"published": "2026-11-25T08:00:00Z", "count": 14, "figure_id": "a9:0",
                                 "article_id": "a9", "qualifier": "exact"}  # fmt: skip
    text = _tree(incident_page(doc | {"reports": [*doc["reports"], later]})).cssselect("#explanation")[0]
    assert "says 14" in text.text_content() and "at least 17" in text.text_content()


def test_malformed_reports_render_without_failing(docs: AggregatorState) -> None:
    doc = _incident(docs, "Maarat Misrin")
    odd = [None, 3, {"count": "x", "sentence": 7, "start": "a"}, {"evidence": "killed 2", "sentence": "zz"}]
    tree = _tree(incident_page(doc | {"reports": odd, "lat": "north", "breakdown": {"children": True}}))
    assert len(tree.cssselect("article.report")) == 2
    assert tree.cssselect("#coordinates")[0].text == "not known"


def test_a_tolls_chart_links_each_point_to_its_report(docs: AggregatorState) -> None:
    doc = next(iter(docs.tolls.values()))
    tree = _tree(toll_page(doc))
    points = tree.cssselect("svg#toll-chart a.point")
    assert len(points) == len(doc["history"]) == 2
    for point in points:
        target = point.get("href").removeprefix("#")
        card = tree.get_element_by_id(target)
        assert card.cssselect("a.source")[0].get("href").startswith("https://")
    ys = [float(c.get("cy")) for c in tree.cssselect("svg circle")]
    assert ys[1] < ys[0]  # 1,100 then 1,117: the later point is higher up
    assert tree.cssselect("svg polyline")
