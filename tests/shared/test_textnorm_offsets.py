from __future__ import annotations

from shared.textnorm import normalize


def test_spans_found_in_normalised_text_map_back_to_the_original() -> None:
    original = "قُتِلَ ١٤ شخصاً\u200f في الرقّة"
    norm = normalize(original)
    start = norm.text.index("الرقه")
    assert norm.original_slice(start, start + len("الرقه")) == "الرقّة"
    digits = norm.text.index("14")
    assert norm.original_slice(digits, digits + 2) == "١٤"
