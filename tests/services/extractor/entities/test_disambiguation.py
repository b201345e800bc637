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


def test_a_world_city_named_as_written_beats_a_home_village_with_its_other_name(
    extractor: EntityExtractor,
) -> None:
    # An Iranian village bears "Baghdad" only as an other name: in a report on Iran it is still Iraq's capital.
    places = extractor.extract("Officials in Shiraz, Iran, recalled a meeting in Baghdad.", "en").places
    assert [(p.surface, p.country) for p in places if p.surface == "Baghdad"] == [("Baghdad", "IQ")]


def test_a_home_city_bearing_the_main_name_keeps_it_against_a_larger_capital(
    extractor: EntityExtractor,
) -> None:
    places = extractor.extract("Shelling hit Tripoli and Beirut in Lebanon.", "en").places
    assert [p.country for p in places] == ["LB", "LB", "LB"]


def test_a_region_word_inside_the_name_makes_it_the_region(extractor: EntityExtractor) -> None:
    # "قطاع غزة" is the Gaza Strip, though the city has it as an other name; "غزة" alone stays the city.
    strip = extractor.extract("وصلت المساعدات إلى قطاع غزة.", "ar").places
    city = extractor.extract("وصلت المساعدات إلى مدينة غزة.", "ar").places
    assert [p.feature for p in strip] == ["admin1"]
    assert [p.feature for p in city] == ["city"]


def test_a_town_inside_a_name_given_with_a_role_is_the_persons(extractor: EntityExtractor) -> None:
    # "Bahram" is an Iranian town and a given name: after a role word it opens the minister's name.
    places = extractor.extract("Iran's Roads Minister Bahram Farahani said 6 died in Tabriz.", "en").places
    assert [p.name for p in places] == ["Iran", "Tabriz"]


def test_a_text_naming_no_country_is_about_the_one_its_towns_point_to_most(
    extractor: EntityExtractor,
) -> None:
    # "بأنه" (that it) is also an Iranian town: beside Homs it must not make the text one on Iran,
    # which would let "عسكري" (military) be read as an Iranian village.
    text = "وذكر مصدر عسكري بأنه جرى قصف مستودع في حمص."
    places = extractor.extract(text, "ar").places
    assert [(p.name, p.country) for p in places if p.country == "IR"] == []
    assert ("Homs", "SY") in [(p.name, p.country) for p in places]
