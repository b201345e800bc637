"""The extractor never crashes or hangs on odd input, and what it returns stays well formed."""

from __future__ import annotations

import time
from typing import Any

import pytest

from services.extractor.casualties import extract_figures
from services.extractor.entities import EntityExtractor
from services.extractor.logic import ArticleInput, extract_article
from tests.services.extractor.entities.conftest import CACHE
from tests.services.extractor.wire import plain

# Generous for a shared 2-core machine: the point is "no hang" (minutes before the fixes), not speed.
BUDGET_SECONDS = 15.0
_EN = "Air strikes killed 12 civilians, including 3 children, in Saraqib on Monday, and wounded 40 others. "
_AR = "قتل 12 مدنياً بينهم 3 أطفال وأصيب 40 آخرون في قصف على مدينة سراقب بريف إدلب. "

ODD_TEXTS = {
    "empty": "",
    "blank": "  \n\n\t ",
    "only_digits": "1234567890" * 1_000,
    "many_numbers": " ".join(str(i * 7919 % 1_000_003) for i in range(20_000)),
    "hundred_digit_count": "killed " + "9" * 100 + " people and " + "1" * 100 + " civilians were wounded",
    "hundred_digit_arabic_indic": "قتل " + "٩" * 100 + " شخصا",
    "grouped_huge": "killed " + ",".join(["999"] * 40) + " people",
    "rtl_marks": "\u200f\u202bقتل\u200f 12\u200e مدنياً\u202c \u2067بينهم 3 أطفال\u2069",
    "mixed_scripts": "Strikes killed 5 قتلى و 7 جرحى in Raqqa الرقة 10 civilians ١٢ طفلا",
    "only_punctuation": ".,;:!?-«»()" * 10_000,
    "one_megabyte_en": _EN * (1_000_000 // len(_EN)),
    "one_megabyte_ar": _AR * (1_000_000 // len(_AR)),
    "no_spaces": "killed" * 50_000,
    "control_and_surrogate": "killed\x00 5\x00 people \ud800 \ufeff",
    "one_long_word": "ق" * 100_000,
    "number_words_run": " ".join(["twenty", "thousand", "and", "five", "hundred"] * 5_000),
    "and_chain": " و".join(["5"] * 20_000) + " قتلى",
    "range_chain": " to ".join(str(i) for i in range(1, 5_000)) + " people killed",
    "dozens_of_dozens": "a dozen " * 20_000 + "people were killed",
}


@pytest.fixture(scope="module")
def entities() -> EntityExtractor:
    """The real entity step (cached gazetteer), as the worker runs it."""
    return EntityExtractor.load(CACHE)


def _assert_well_formed(figures: list[dict[str, Any]], text: str, title: str | None) -> None:
    for fig in figures:
        source = (title or "") if fig["in_title"] else text
        assert source[fig["start"] : fig["end"]] == fig["evidence"], fig
        assert fig["kind"] in ("killed", "injured", "captured", "missing")
        assert isinstance(fig["count"], int) and 0 <= fig["count"] <= 10**10
        parent = fig["subset_of"]
        assert parent is None or 0 <= parent < len(figures)


@pytest.mark.parametrize("lang", ["en", "ar"])
@pytest.mark.parametrize("name", sorted(ODD_TEXTS))
def test_odd_input_neither_crashes_nor_hangs(entities: EntityExtractor, name: str, lang: str) -> None:
    text = ODD_TEXTS[name]
    title = text[:300] or None
    t0 = time.perf_counter()
    out = extract_article(ArticleInput("odd", title, text, lang), entities)
    assert time.perf_counter() - t0 < BUDGET_SECONDS, name
    _assert_well_formed(plain(out.casualties), text, title)


@pytest.mark.parametrize("name", ["many_numbers", "and_chain", "range_chain", "only_punctuation"])
def test_casualty_stages_stay_fast_without_the_length_cap(name: str) -> None:
    # Straight into the casualty stages (no entity step, no text cap): no stage may be quadratic.
    text = ODD_TEXTS[name]
    t0 = time.perf_counter()
    figures = extract_figures(text, "ar")
    assert time.perf_counter() - t0 < BUDGET_SECONDS, name
    _assert_well_formed(figures, text, None)


def test_odd_numbers_are_no_counts() -> None:
    assert extract_figures(ODD_TEXTS["hundred_digit_count"], "en") == []
    assert extract_figures(ODD_TEXTS["hundred_digit_arabic_indic"], "ar") == []
    assert extract_figures("several dozen people were killed", "en") == []


def test_marks_around_words_do_not_hide_a_figure() -> None:
    figures = extract_figures(ODD_TEXTS["rtl_marks"], "ar")
    assert [(f["kind"], f["count"], f["victims"]) for f in figures] == [
        ("killed", 12, "civilians"),
        ("killed", 3, "children"),
    ]
