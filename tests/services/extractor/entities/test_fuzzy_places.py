"""The transliteration pass: Arabic names of villages GeoNames has only in Latin script.

The villages are real GeoNames entries without an Arabic name (Tremseh in Syria, Al Mahabishah in
Yemen, Ad Dujayl in Iraq, Kutum in Sudan); the sentences are written for these tests.
"""

from __future__ import annotations

from services.extractor.entities import EntityExtractor, PlaceMention
from services.extractor.entities.fuzzy_places import MIN_RATIO, SOURCE, skeleton_keys
from services.extractor.entities.keys import latin_skeleton
from shared.textnorm import normalize


def _places(extractor: EntityExtractor, text: str) -> list[PlaceMention]:
    return extractor.extract(text, "ar").places


def _by_name(places: list[PlaceMention]) -> dict[str, PlaceMention]:
    return {p.name: p for p in places}


def test_skeleton_of_the_arabic_spelling_meets_the_latin_one() -> None:
    def words(name: str) -> list[str]:
        return normalize(name).text.split()

    assert latin_skeleton("Tremseh") in skeleton_keys(words("التريمسة"))
    assert latin_skeleton("Ad Dujayl") in skeleton_keys(words("الدجيل"))
    # Ayn dropped or splitting the word, as GeoNames' apostrophes do.
    assert latin_skeleton("Ma‘arrat Misrin") in skeleton_keys(words("معرة مصرين"))
    # Taa marbuta of a construct is a t ("Nahiyat").
    assert latin_skeleton("Nahiyat Bahar") in skeleton_keys(words("ناحية بحار"))


def test_syrian_village_found_from_its_arabic_spelling(extractor: EntityExtractor) -> None:
    places = _by_name(_places(extractor, "قصفت المدفعية بلدة التريمسة في ريف حماة الشمالي مساء أمس."))
    tremseh = places["Tremseh"]
    assert (tremseh.country, tremseh.admin1, tremseh.geonameid) == ("SY", "10", 9847679)
    assert tremseh.source == SOURCE
    assert tremseh.lat is not None and tremseh.lon is not None
    # Less sure than a name the gazetteer knows in Arabic.
    assert 0.55 <= tremseh.confidence <= 0.7 < places["Hama"].confidence


def test_yemeni_and_iraqi_villages(extractor: EntityExtractor) -> None:
    ye = _by_name(_places(extractor, "قتل مدنيان في قصف على قرية المحابشة بمحافظة حجة."))
    assert ye["Al Mahabishah"].country == "YE"
    assert ye["Al Mahabishah"].source == SOURCE
    iq = _by_name(_places(extractor, "انفجرت عبوة ناسفة في ناحية الدجيل بمحافظة صلاح الدين."))
    assert iq["Ad Dujayl"].country == "IQ"
    assert iq["Ad Dujayl"].admin1 == "18"


def test_restricted_to_the_countries_of_the_text(extractor: EntityExtractor) -> None:
    # Kutum is in Sudan: an article on Chad does not find it, one on Darfur does.
    chad = _places(extractor, "وصل لاجئون من مدينة كتم إلى أبشي في تشاد.")
    assert "Kutum" not in {p.name for p in chad}
    sudan = _places(extractor, "وصل نازحون من مدينة كتم إلى الفاشر في شمال دارفور.")
    assert "Kutum" in {p.name for p in sudan}
    # A text naming no place at all gives the pass no country: nothing is guessed.
    assert _places(extractor, "قتل شخصان في قرية التريمسة.") == []


def test_spelling_below_the_similarity_threshold_is_not_matched(extractor: EntityExtractor) -> None:
    # "ترامس" has Tremseh's skeleton (t-r-m-s) but reads "trams": a ratio of 73, under the threshold.
    assert MIN_RATIO > 73
    places = _places(extractor, "قصفت المدفعية بلدة ترامس في ريف حماة.")
    assert [p.name for p in places] == ["Hama"]


def test_ordinary_words_after_a_settlement_word_are_not_places(extractor: EntityExtractor) -> None:
    for text in (
        "دمرت الغارات قرية صغيرة في ريف حماة.",
        "تحولت بلدة كاملة في ريف إدلب إلى مدينة أشباح.",
        "أقيم مخيم عشوائي قرب مدينة حلب.",
    ):
        assert all(p.source != SOURCE for p in _places(extractor, text)), text


def test_known_names_are_not_read_again(extractor: EntityExtractor) -> None:
    places = _places(extractor, "قصفت قوات النظام بلدة سراقب في ريف إدلب.")
    assert [(p.name, p.source) for p in places] == [("Saraqib", "geonames"), ("Idlib", "geonames")]


def test_span_points_into_the_original_text(extractor: EntityExtractor) -> None:
    # Diacritics and a tatweel are dropped by normalisation; the span must still cover them.
    text = "قُصفت بلدةُ التّريمســة بريف حماة، وقرية المحابشة في اليمن."
    places = _places(extractor, text)
    for p in places:
        assert text[p.start : p.end] == p.surface
    tremseh = _by_name(places)["Tremseh"]
    assert tremseh.surface == "التّريمســة"
    mahabishah = _by_name(places)["Al Mahabishah"]
    assert mahabishah.surface == "المحابشة"
    assert [p.start for p in places] == sorted(p.start for p in places)


def test_names_listed_after_a_plural_settlement_word(extractor: EntityExtractor) -> None:
    places = _places(extractor, "نزح السكان من بلدات الفاشر وكتم، ومليط في شمال دارفور.")
    assert [(p.name, p.source) for p in places] == [
        ("El Fasher", "geonames"),
        ("Kutum", SOURCE),
        ("Mellit", SOURCE),
        ("North Darfur", "geonames"),
    ]
    # After a singular settlement word, what follows "و" is not read as a second name.
    single = _places(extractor, "نزح السكان من بلدة كبكابية ومليط في شمال دارفور.")
    assert "Mellit" not in {p.name for p in single}
