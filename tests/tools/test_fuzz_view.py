"""The fuzz harness's safety checks on the view's output: each catches what it is there to catch."""

from __future__ import annotations

import pytest

from tools.fuzz_view_targets import UnsafeOutput, check_csv, check_geojson, check_page

PAGE = (
    '<!doctype html><html><head><link rel="stylesheet" href="/view/style.css"></head><body>{}</body></html>'
)


@pytest.mark.parametrize(
    "body",
    [
        "<script>alert(1)</script>",
        '<img src=x onerror="alert(1)">',
        '<p onclick="x()">a</p>',
        '<a href="javascript:alert(1)">a</a>',
        '<p style="background:url(x)">a</p>',
        '<iframe src="https://a.example/"></iframe>',
    ],
)
def test_markup_that_runs_or_loads_is_caught(body: str) -> None:
    with pytest.raises(UnsafeOutput):
        check_page(PAGE.format(body))


def test_escaped_markup_and_own_links_pass() -> None:
    check_page(
        PAGE.format(
            '&lt;script&gt;x&lt;/script&gt; <a href="/view/incidents/a">a</a> <a href="https://a.example/">b</a>'
        )
    )


def test_formula_cells_are_caught_and_negative_numbers_are_not() -> None:
    check_csv("lon,place\r\n-3.5,'=1+1\r\n")
    with pytest.raises(UnsafeOutput):
        check_csv("place\r\n=1+1\r\n")


def test_geojson_must_be_a_feature_collection() -> None:
    check_geojson(
        '{"type":"FeatureCollection","features":[{"type":"Feature","geometry":null,"properties":{}}]}'
    )
    with pytest.raises(UnsafeOutput):
        check_geojson('{"type":"Feature"}')
