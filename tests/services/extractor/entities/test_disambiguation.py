"""Homonyms ("there are many Tayyibahs"): article country, then nearby region, then confidence."""

from __future__ import annotations

from services.extractor.entities import EntityExtractor


def test_a_shared_village_name_does_not_pull_the_text_abroad(extractor: EntityExtractor) -> None:
    # الطيبة is also an Israeli town of 44,000; a text on Daraa must not put it in Israel.
    places = extractor.extract("سقطت قذيفة على بلدة الطيبة في ريف درعا.", "ar").places
    assert [(p.surface, p.country, p.admin1) for p in places][0] == ("الطيبة", "SY", "06")


def test_nearby_region_picks_between_homonyms_of_one_country(extractor: EntityExtractor) -> None:
    homs = extractor.extract("A mine exploded near Tayyibah, north-east of Palmyra.", "en").places
    daraa = extractor.extract("A mine exploded near Tayyibah in Daraa province.", "en").places
    assert (homs[0].name, homs[0].admin1) == ("Al-Taybah, Homs", "11")
    assert (daraa[0].name, daraa[0].admin1) == ("Al-Taybah, Daraa", "06")


def test_confidence_is_lower_without_context(extractor: EntityExtractor) -> None:
    alone = extractor.extract("Three were killed in Tayyibah.", "en").places
    placed = extractor.extract("Three were killed in Tayyibah in Daraa province.", "en").places
    assert alone and placed
    assert alone[0].confidence < placed[0].confidence
    assert placed[0].confidence >= 0.8


def test_curated_village_stays_out_of_a_text_about_another_country(extractor: EntityExtractor) -> None:
    places = extractor.extract("In Iraq, militants attacked Tayyibah.", "en").places
    assert [p.country for p in places] == ["IQ"]
