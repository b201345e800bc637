"""Sentence splitting: each case is a text and the sentences expected, in order."""

from __future__ import annotations

import pytest

from shared.sentences import split_sentences

CASES: list[tuple[str, list[str]]] = [
    # English: abbreviations, initials, times, decimals, quotes.
    (
        "Shells hit at 8 a.m. as traders met Dr. Rana Kassem. Two died.",
        ["Shells hit at 8 a.m. as traders met Dr. Rana Kassem.", "Two died."],
    ),
    (
        '"We heard it," said Ahmad Y. Saleh. "People ran." Then silence.',
        ['"We heard it," said Ahmad Y. Saleh.', '"People ran."', "Then silence."],
    ),
    (
        "The U.N. office said 3.5 million need aid. Fighting resumed.",
        ["The U.N. office said 3.5 million need aid.", "Fighting resumed."],
    ),
    ("Talks ended at 5 p.m. Officials left.", ["Talks ended at 5 p.m.", "Officials left."]),
    (
        "Gen. Omar Farouk and Lt. Col. Sami Hadi met in the U.S. capital.",
        ["Gen. Omar Farouk and Lt. Col. Sami Hadi met in the U.S. capital."],
    ),
    ("It was No. 4 on the list. Who knew? Nobody!", ["It was No. 4 on the list.", "Who knew?", "Nobody!"]),
    ("See example.com/news?id=3 for more. Done.", ["See example.com/news?id=3 for more.", "Done."]),
    ("He paused... Then he spoke.", ["He paused...", "Then he spoke."]),
    (
        "A headline with no stop\nThe body starts here. It goes on.",
        ["A headline with no stop", "The body starts here.", "It goes on."],
    ),
    # Hard-wrapped copy: a line that stops mid-sentence and goes on in lower case is one sentence;
    # a line that goes on with a capital, or ends with a closer, still ends there.
    (
        "Gunmen attacked a market in a\ntown near the border, police said.\nA second blast followed",
        ["Gunmen attacked a market in a\ntown near the border, police said.", "A second blast followed"],
    ),
    ("Casualties:\nthree dead", ["Casualties:", "three dead"]),
    ("The strike hit a school\nResidents fled.", ["The strike hit a school", "Residents fled."]),
    ("(The toll rose to 12.) Officials confirmed it.", ["(The toll rose to 12.)", "Officials confirmed it."]),
    # Arabic: . ؟ ! ؛ and line breaks; a lone letter before a stop is a title (د. = Dr.).
    (
        "وثق المرصد مقتل 6 مدنيين. هل ستتوقف الهجمات؟ لا أحد يعرف!",
        ["وثق المرصد مقتل 6 مدنيين.", "هل ستتوقف الهجمات؟", "لا أحد يعرف!"],
    ),
    (
        "قال د. سامي إن الوضع سيئ؛ وأضاف أن الإمدادات توقفت.",
        ["قال د. سامي إن الوضع سيئ؛", "وأضاف أن الإمدادات توقفت."],
    ),
    (
        "العنوان الرئيسي\nالفقرة الأولى.\n\nالفقرة الثانية",
        ["العنوان الرئيسي", "الفقرة الأولى.", "الفقرة الثانية"],
    ),
    ("بلغت النسبة 2.5 بالمئة.وتابع", ["بلغت النسبة 2.5 بالمئة.وتابع"]),
    ("قتل ٣ أشخاص؟!وأصيب آخرون", ["قتل ٣ أشخاص؟!", "وأصيب آخرون"]),
    # Degenerate input.
    ("", []),
    ("   \n\n  ", []),
    ("No terminator at all", ["No terminator at all"]),
]


@pytest.mark.parametrize(("text", "expected"), CASES)
def test_split_sentences(text: str, expected: list[str]) -> None:
    spans = split_sentences(text)
    assert [text[a:b] for a, b in spans] == expected


@pytest.mark.parametrize(("text", "expected"), CASES)
def test_spans_are_ordered_trimmed_and_disjoint(text: str, expected: list[str]) -> None:
    spans = split_sentences(text)
    ends = [0]
    for a, b in spans:
        assert ends[-1] <= a < b <= len(text)
        assert not text[a].isspace() and not text[b - 1].isspace()
        ends.append(b)


def test_long_text_is_linear_enough() -> None:
    text = "The convoy left at dawn. " * 4000
    assert len(split_sentences(text)) == 4000
