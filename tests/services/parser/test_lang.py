"""Language from the text: "ar", "en" or an honest "und"."""

from __future__ import annotations

import pytest

from services.parser.lang import guess_language

CASES: list[tuple[str, tuple[str | None, ...], str]] = [
    ("قتل ثلاثة أشخاص وأصيب سبعة آخرون في انفجار سيارة مفخخة قرب سوق شعبي", (), "ar"),
    ("Three people were killed and seven wounded when a car bomb exploded near a market", (), "en"),
    ("Trois personnes ont été tuées et sept blessées dans l'explosion d'une voiture piégée", (), "und"),
    ("Pazar yerinin yakınında bomba yüklü bir aracın patlaması sonucu üç kişi öldü", (), "und"),
    ("سه نفر در انفجار یک خودروی بمب‌گذاری‌شده در نزدیکی بازار کشته شدند و هفت نفر زخمی شدند", (), "und"),
    ("The UN said قتل ثلاثة أشخاص في السوق and seven wounded in the blast today", (), "und"),
    ("Breaking", ("en",), "und"),
    ("١٢ ٣٤", ("ar",), "und"),
    # Arabic article quoting an English name or acronym is still Arabic.
    ("قالت منظمة Human Rights Watch إن ثلاثة أشخاص قتلوا في القصف على المدينة الليلة الماضية", (), "ar"),
    # Short Latin text: a hint tips it to English only when English words are there at all.
    ("Gunmen ambush aid convoy near Tell Abyad, seven dead in the attack, officials report", ("en",), "en"),
    ("Gunmen ambush aid convoy near Tell Abyad, seven dead in the attack, officials report", (), "und"),
]


@pytest.mark.parametrize(("text", "hints", "expected"), CASES)
def test_guess_language(text: str, hints: tuple[str | None, ...], expected: str) -> None:
    assert guess_language(text, hints)[0] == expected


def test_hint_disagreeing_with_the_text_is_reported() -> None:
    lang, warnings = guess_language("قتل ثلاثة أشخاص وأصيب سبعة آخرون في انفجار", ("en-GB",))
    assert (lang, warnings) == ("ar", ["lang_hint_mismatch"])
    assert guess_language("قتل ثلاثة أشخاص وأصيب سبعة آخرون في انفجار", ("ar_AR", None)) == ("ar", [])
