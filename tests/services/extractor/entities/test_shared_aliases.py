"""Aliases several actors share ("civil defence", "the health ministry"): read by the text's country."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from services.extractor.entities import EntityExtractor
from services.extractor.entities.actors import SHARED_CONFIDENCE, ActorDictionary

_IRAQ_CIVIL_DEFENCE = """\
- id: iraq_civil_defence
  name: Iraqi Civil Defence
  kind: agency
  country: IQ
  aliases:
    en: [Iraqi Civil Defence]
  shared:
    en: [civil defence, civil defence teams]
    ar: [الدفاع المدني]
"""


def _actor_ids(ex: EntityExtractor, text: str, lang: str) -> list[tuple[str, str]]:
    return [(a.surface, a.actor_id) for a in ex.extract(text, lang).actors]


@pytest.mark.parametrize(
    ("text", "lang", "actor_id"),
    [
        ("انتشلت طواقم الدفاع المدني جثتين بعد قصف منزل في خان يونس.", "ar", "palestinian_civil_defence"),
        (
            "Civil defence crews pulled four bodies from a house in Khan Younis.",
            "en",
            "palestinian_civil_defence",
        ),
        ("قال الدفاع المدني إن غارة على معرة النعمان في ريف إدلب أصابت سوقا.", "ar", "white_helmets"),
        ("Civil defence workers searched the rubble in Idlib after the raid.", "en", "white_helmets"),
        (
            "أخمد الدفاع المدني حريقا سببته غارة على بلدة في قضاء صور جنوب لبنان.",
            "ar",
            "lebanese_civil_defence",
        ),
        (
            "The civil defence said three rescuers were hurt in the strike near Tyre, Lebanon.",
            "en",
            "lebanese_civil_defence",
        ),
        ("The civil defence in El Fasher said shelling set the market alight.", "en", "sudan_civil_defence"),
        ("انتشل الدفاع المدني في صنعاء ثلاث جثث من تحت أنقاض مبنى.", "ar", "yemen_civil_defence"),
    ],
)
def test_civil_defence_is_the_one_of_the_texts_country(
    extractor: EntityExtractor, text: str, lang: str, actor_id: str
) -> None:
    actors = extractor.extract(text, lang).actors
    assert [a.actor_id for a in actors] == [actor_id], [a.to_dict() for a in actors]
    assert actors[0].confidence == SHARED_CONFIDENCE


def test_bare_health_ministry_follows_the_country(extractor: EntityExtractor) -> None:
    text = "قالت وزارة الصحة إن الغارة على النبطية في جنوب لبنان قتلت أربعة."
    assert _actor_ids(extractor, text, "ar") == [("وزارة الصحة", "lebanon_health_ministry")]
    text = "Five people were killed in Deir al-Balah, the health ministry said."
    assert _actor_ids(extractor, text, "en") == [("health ministry", "gaza_health_ministry")]


def test_the_country_named_most_wins(extractor: EntityExtractor) -> None:
    text = (
        "Civil defence teams in Aleppo and Idlib recovered six bodies; "
        "a similar strike hit Gaza last week, Syrian monitors in Homs said."
    )
    assert [a.actor_id for a in extractor.extract(text, "en").actors][0] == "white_helmets"


def test_no_country_drops_the_shared_alias(extractor: EntityExtractor) -> None:
    assert _actor_ids(extractor, "قال الدفاع المدني إن ثلاثة جرحوا.", "ar") == []
    assert _actor_ids(extractor, "The health ministry said nine were killed.", "en") == []


def test_a_country_with_no_variant_drops_it(extractor: EntityExtractor) -> None:
    # Iraq has no civil defence entry: "civil defence" there is none of the shipped ones.
    assert _actor_ids(extractor, "Civil defence teams in Mosul found two bodies.", "en") == []


def test_specific_names_keep_full_confidence(extractor: EntityExtractor) -> None:
    actors = extractor.extract("قال الدفاع المدني الفلسطيني إن ثلاثة جرحوا.", "ar").actors
    assert [(a.actor_id, a.confidence) for a in actors] == [("palestinian_civil_defence", 0.9)]


def test_a_user_file_adds_a_country_variant(extractor: EntityExtractor, tmp_path: Path) -> None:
    extra = tmp_path / "my_actors.yaml"
    extra.write_text(_IRAQ_CIVIL_DEFENCE, encoding="utf-8")
    ex = replace(extractor, actors=ActorDictionary.load([extra]))
    assert _actor_ids(ex, "Civil defence teams in Mosul found two bodies.", "en") == [
        ("Civil defence teams", "iraq_civil_defence")
    ]
    assert _actor_ids(ex, "انتشل الدفاع المدني جثتين في الموصل.", "ar") == [
        ("الدفاع المدني", "iraq_civil_defence")
    ]
    # The shipped variants still hold in their countries.
    assert _actor_ids(ex, "Civil defence teams in Idlib found two bodies.", "en") == [
        ("Civil defence teams", "white_helmets")
    ]


def test_a_shared_alias_needs_a_country_per_actor(tmp_path: Path) -> None:
    extra = tmp_path / "bad.yaml"
    extra.write_text(
        "- id: somebody\n  name: Somebody\n  kind: agency\n  shared:\n    en: [civil defence]\n",
        encoding="utf-8",
    )
    with pytest.raises(ValueError, match="civil defence"):
        ActorDictionary.load([extra])
