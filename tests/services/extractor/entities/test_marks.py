"""Invisible marks (zero-width, bidi, soft hyphen, tatweel, diacritics) change no entity, and spans
still point into the original text."""

from __future__ import annotations

import pytest

from services.extractor.entities import EntityExtractor

EN = "Army spokesman Karim Haddad said on Thursday that gunmen shelled Deir ez-Zor, according to the Syrian Observatory for Human Rights."
AR = "قال المتحدث باسم الجيش محمد العلي إن قوات النظام قصفت بلدة الطيبة بريف درعا الشرقي يوم أمس، بحسب المرصد السوري لحقوق الإنسان."


def _marked(text: str, kind: str) -> str:
    if kind == "zero-width":
        return text.replace("e", "e\u200b").replace("ر", "ر\u200c")
    if kind == "bidi":
        return "\u202b" + text.replace(" ", " \u200f\u200e") + "\u202c"
    if kind == "soft-hyphen":
        return text.replace("Deir", "De\u00adir").replace("Haddad", "Had\u00addad")
    if kind == "tatweel":
        return text.replace("ق", "قـ").replace("م", "مــ")
    return text.replace("ر", "رَ").replace("م", "مّ")  # diacritics


def _summary(ents: object) -> list[tuple[str, str]]:
    return [
        (kind, getattr(m, "name", "") or getattr(m, "iso", ""))
        for kind in ("places", "actors", "people", "organisations", "dates")
        for m in getattr(ents, kind)
    ]


@pytest.mark.parametrize("kind", ["zero-width", "bidi", "soft-hyphen", "tatweel", "diacritics"])
@pytest.mark.parametrize(("text", "lang"), [(EN, "en"), (AR, "ar")])
def test_marks_change_no_entity(extractor: EntityExtractor, text: str, lang: str, kind: str) -> None:
    marked = _marked(text, kind)
    plain = extractor.extract(text, lang, "2024-03-09")
    ents = extractor.extract(marked, lang, "2024-03-09")
    assert _summary(ents) == _summary(plain)
    for m in [*ents.places, *ents.actors, *ents.people, *ents.organisations, *ents.dates]:
        assert marked[m.start : m.end] == m.surface
