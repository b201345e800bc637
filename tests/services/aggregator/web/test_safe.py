"""Reading values off an open topic: only web addresses become links, no cell becomes a formula."""

from __future__ import annotations

import pytest

from services.aggregator.web.safe import coordinate, integer, spreadsheet_cell, text, web_url


@pytest.mark.parametrize(
    "url", ["https://wire.example/a?b=1#c", "http://127.0.0.1:8080/x", "HTTPS://WIRE.EXAMPLE/"]
)
def test_web_addresses_are_links(url: str) -> None:
    assert web_url(url) == url


@pytest.mark.parametrize(
    "url",
    ["javascript:alert(1)", "data:text/html,x", "vbscript:x", "//wire.example/a", "https:///nohost",
     "https://a.example/\nx", "https://a.example/ x", "http://[::1", None, 5, "", "https://a.example/" + "a" * 3000],
)  # fmt: skip
def test_anything_else_is_not(url: object) -> None:
    assert web_url(url) is None


@pytest.mark.parametrize("cell", ["=1+1", "+1", "-1", "@A1", "\t=1", "\r=1"])
def test_formula_starts_are_neutralised(cell: str) -> None:
    assert spreadsheet_cell(cell) == "'" + cell


def test_plain_text_is_left_alone_and_types_are_checked() -> None:
    assert spreadsheet_cell("Idlib = 12") == "Idlib = 12"
    assert integer(True) is None and integer(3) == 3 and integer("3") is None
    assert (
        coordinate(float("inf"), 90) is None and coordinate(91, 90) is None and coordinate(-3.5, 180) == -3.5
    )
    assert text(["x"]) == "" and text("a" * 500) == "a" * 300
