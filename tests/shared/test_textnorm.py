"""Normalisation for matching, its offset map and the map's wire encoding."""

from __future__ import annotations

import random
import re

import pytest

from shared.textnorm import NormalizedText, normalize, script_ratio, strip_invisible

CASES: list[tuple[str, str]] = [
    ("قُتِلَ عنصرانِ", "قتل عنصران"),  # diacritics
    ("مقتـــل", "مقتل"),  # tatweel
    ("أحمد إبراهيم آمنة ٱلقرية", "احمد ابراهيم امنه القريه"),  # alef forms, taa marbuta
    ("مستشفى", "مستشفي"),  # alef maqsura
    ("٣٥ قتيلا و۱۲ جريحا", "35 قتيلا و12 جريحا"),  # Arabic-Indic and Persian digits
    ("\u200fمقتل\u200e \u202bستة\u202c", "مقتل سته"),  # bidi marks
    ("Two  aid\n\nworkers\t missing ", "two aid workers missing"),  # whitespace, case
    ("Dayr āz Zawr", "dayr az zawr"),  # Latin accents
    ("قال: «نحن بخير»؟", 'قال: "نحن بخير"?'),  # Arabic punctuation
]


@pytest.mark.parametrize(("text", "expected"), CASES)
def test_normalize(text: str, expected: str) -> None:
    assert normalize(text).text == expected


@pytest.mark.parametrize(("text", "expected"), CASES)
def test_offsets_point_at_the_source_character(text: str, expected: str) -> None:
    norm = normalize(text)
    assert len(norm.offsets) == len(norm.text)
    assert list(norm.offsets) == sorted(set(norm.offsets))
    for i, ch in enumerate(norm.text):
        if ch != " ":
            assert normalize(text[norm.offsets[i]]).text == ch


def test_span_in_normalised_text_maps_to_exact_original_span() -> None:
    original = "وأُصيب ١٤ آخرين بجروحٍ، بعضهم في حالة حرجة"
    norm = normalize(original)
    start = norm.text.index("14 اخرين")
    span = norm.span_to_original(start, start + len("14 اخرين"))
    assert original[span[0] : span[1]] == "١٤ آخرين"
    assert norm.original_slice(start, start + 2) == "١٤"


def test_span_across_shadda_and_a_bidi_mark_maps_back_to_the_original() -> None:
    original = "قُتِلَ ١٤ شخصاً\u200f في الرقّة"
    norm = normalize(original)
    start = norm.text.index("الرقه")
    assert norm.original_slice(start, start + len("الرقه")) == "الرقّة"
    digits = norm.text.index("14")
    assert norm.original_slice(digits, digits + 2) == "١٤"


def test_span_from_original_is_the_inverse() -> None:
    original = "قُتِلَ  ثلاثةُ أشخاص"
    norm = normalize(original)
    a = original.index("ثلاثةُ")
    ns, ne = norm.span_from_original(a, a + len("ثلاثةُ"))
    assert norm.text[ns:ne] == "ثلاثه"


@pytest.mark.parametrize("text", [t for t, _ in CASES] + ["", "abc", "  x  ", "ـــ", "a\u200bb\u200bc"])
def test_runs_round_trip(text: str) -> None:
    norm = normalize(text)
    runs = norm.to_runs()
    assert NormalizedText.from_runs(norm.text, text, runs) == norm


def test_runs_are_compact() -> None:
    text = "Plain English text with single spaces only. " * 50
    assert normalize(text).to_runs() == [[0, 0]]
    # A run starts after the collapsed space and after each dropped diacritic.
    assert normalize("أحمد  قُتِلَ").to_runs() == [[0, 0], [5, 6], [6, 8], [7, 10]]


@pytest.mark.parametrize(
    "runs",
    [
        [],  # nothing for a non-empty text
        [[1, 0]],  # does not start at 0
        [[0, 0], [2, 1]],  # goes backwards in the original
        [[0, 0], [0, 5]],  # empty run
        [[0, 10]],  # past the end of the original
        [[0]],  # not a pair
    ],
)
def test_from_runs_rejects_bad_runs(runs: list[list[int]]) -> None:
    with pytest.raises(ValueError):
        NormalizedText.from_runs("abc", "abcdef", runs)


def test_strip_invisible_and_script_ratio() -> None:
    assert strip_invisible("\ufeff\u200fنص\u200c") == "نص"
    assert script_ratio("مقتل 6 people") == (4, 6)


def test_span_keeps_the_diacritics_of_its_last_letter() -> None:
    original = "جثث 11 مهاجراً، فجر"
    norm = normalize(original)
    start = norm.text.index("مهاجرا")
    assert norm.original_slice(start, start + len("مهاجرا")) == "مهاجراً"
    assert norm.original_slice(0, 3) == "جثث"


# Characters that exercise every rule: Arabic letters and marks, digits, invisible marks, spaces, Latin.
_ALPHABET = "اأإآٱبةهىيئؤءـًٌٍَُِّْٰ٠١٩۰۹\u200b\u200f\u202b\ufeff \n\t\u00a0aBcİéÉ.,؟،\U0001d165"


def test_fast_path_agrees_with_the_character_by_character_definition() -> None:
    from shared.textnorm import _normalize_by_char

    rng = random.Random(5)
    for _ in range(400):
        text = "".join(rng.choice(_ALPHABET) for _ in range(rng.randrange(0, 40)))
        for lowercase in (True, False):
            assert normalize(text, lowercase=lowercase) == _normalize_by_char(text, lowercase), repr(text)


def test_text_with_a_lone_surrogate_still_normalises() -> None:
    norm = normalize("a\udfff  B")
    assert norm.text == "a\udfff b"
    assert norm.offsets == (0, 1, 2, 4)


def test_many_spans_map_as_each_one_does() -> None:
    text = "قُتِلَ ثلاثةٌ\u200f في الغارة،  and 12 were\u00a0hurt — مهاجراً."
    nt = normalize(text)
    spans = [(m.start(), m.end()) for m in re.finditer(r"\w+|[^\w\s]", nt.text)]
    assert len(spans) > 8
    assert nt.spans_to_original(spans) == [nt.span_to_original(a, b) for a, b in spans]
    assert nt.spans_to_original([(len(nt.text), len(nt.text) + 1)]) == [(len(text), len(text))]
