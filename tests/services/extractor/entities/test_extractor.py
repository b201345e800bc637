"""The public API: offsets, ordering, JSON, caching and user actor files."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

from services.extractor.entities import EntityExtractor, gazetteer
from services.extractor.entities.keys import arabic_key, latin_skeleton, transliterate
from services.extractor.entities.model import DateMention, PlaceMention
from tests.services.extractor.entities.conftest import CACHE

TEXT = "قال المرصد إن غارات للطيران الروسي قتلت أربعة بريف إدلب الجنوبي يوم أمس، وقصفت قوات النظام والميادين."


def test_offsets_point_into_the_original_text(extractor: EntityExtractor) -> None:
    ents = extractor.extract(TEXT, "ar", "2024-05-02")
    every = [*ents.places, *ents.actors, *ents.people, *ents.organisations, *ents.dates]
    assert every
    for m in every:
        assert TEXT[m.start : m.end] == m.surface
    assert [p.name for p in ents.places] == ["Idlib", "Mayadin"]
    assert ents.places[0].qualifier == "southern countryside"
    assert [a.actor_id for a in ents.actors] == ["sohr", "russia", "syrian_government"]
    assert ents.dates[0].iso == "2024-05-01"


def test_lists_are_sorted_and_json_able(extractor: EntityExtractor) -> None:
    ents = extractor.extract(TEXT, "ar", "2024-05-02")
    data = json.loads(json.dumps(ents.to_dict(), ensure_ascii=False))
    assert set(data) == {"places", "actors", "people", "organisations", "dates"}
    for items in data.values():
        starts = [m["start"] for m in items]
        assert starts == sorted(starts)


def test_gazetteer_is_cached_on_disk() -> None:
    # Caches of older resource versions may linger in a developer's tree: the current one must be there.
    files = {f.name for f in CACHE.glob("gazetteer-*.pkl")}
    assert f"gazetteer-{gazetteer.cache_key()}.pkl" in files


def test_extra_actor_file_adds_actors_without_code(tmp_path: Path) -> None:
    extra = tmp_path / "mine.yaml"
    extra.write_text(
        "- id: lions_brigade\n  name: Lions Brigade\n  kind: armed_group\n"
        "  aliases:\n    en: [Lions Brigade]\n    ar: [لواء الأسود]\n"
        "- id: islamic_state\n  aliases:\n    en: [the caliphate fighters]\n",
        encoding="utf-8",
    )
    ex = EntityExtractor.load(CACHE, extra_actor_files=[extra])
    ents = ex.extract("اشتبك لواء الأسود مع the caliphate fighters", "ar")
    assert [(a.actor_id, a.name) for a in ents.actors] == [
        ("lions_brigade", "Lions Brigade"),
        ("islamic_state", "Islamic State"),
    ]


def test_a_place_in_an_actor_name_is_kept_only_for_the_actor_own_country(tmp_path: Path) -> None:
    text = "The Homs Relief Committee counted the wounded at the camp."

    def places_with(entry: str) -> list[tuple[str, str | None]]:
        extra = tmp_path / "relief.yaml"
        extra.write_text(entry + "  aliases:\n    en: [Homs Relief Committee]\n", encoding="utf-8")
        ents = EntityExtractor.load(CACHE, extra_actor_files=[extra]).extract(text, "en")
        return [(p.name, p.in_actor) for p in ents.places]

    base = "- id: homs_relief\n  name: Homs Relief Committee\n  kind: agency\n"
    assert places_with(base + "  country: SY\n") == [("Homs", "homs_relief")]
    assert places_with(base + "  country: LB\n") == []  # the name holds a place of another country
    assert places_with(base) == []  # no country: the name is the actor's only


def test_keys_meet_across_spellings() -> None:
    assert arabic_key("الرقة") == ("رقه", True)
    assert latin_skeleton("Deir ez-Zor") == latin_skeleton("Dayr az Zawr") == latin_skeleton("Deir al-Zour")
    assert latin_skeleton(transliterate("دير الزور")) == latin_skeleton("Deir ez-Zor")


def test_ambiguous_name_follows_article_country(extractor: EntityExtractor) -> None:
    lb = extractor.extract("Shells fell on Tripoli, Lebanon's second city.", "en").places
    ly = extractor.extract("Militias clashed in Tripoli, Libya.", "en").places
    assert (lb[0].name, lb[0].country) == ("Tripoli", "LB")
    assert (ly[0].name, ly[0].country) == ("Tripoli", "LY")
    assert 0.5 <= lb[0].confidence <= 1.0


def test_mentions_go_on_the_wire_whole(extractor: EntityExtractor) -> None:
    """The flat dict of a mention is its whole record: no field holds a value that would need copying."""
    text = "Two people died in Homs on Tuesday, Syrian Observatory director Rami Abdulrahman said."
    ents = extractor.extract(text, "en", "2024-05-02T10:00:00")
    mentions = [*ents.places, *ents.actors, *ents.people, *ents.organisations, *ents.dates]
    assert {type(m) for m in mentions} >= {PlaceMention, DateMention}
    for mention in mentions:
        assert mention.to_dict() == dataclasses.asdict(mention)
        assert all(v is None or isinstance(v, (int, float, str)) for v in mention.to_dict().values())
