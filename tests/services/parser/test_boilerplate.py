"""Promo and link-box lines inside article bodies."""

from __future__ import annotations

import pytest

from services.parser.boilerplate import drop_boilerplate_lines, is_boilerplate_line

CASES: list[tuple[str, bool]] = [
    ("اقرأ أيضاً: الأرصاد تحذر من موجة أمطار جديدة", True),
    ("إقرأ ايضا: صرف تعويضات للأسر المتضررة", True),
    ("شاهد أيضاً | لحظة انهيار الجسر", True),
    ("تابعونا على تويتر وفيسبوك", True),
    ("Read also: Aid convoy reaches border crossing", True),
    ("RELATED: Ceasefire talks stall again", True),
    ("Follow us on Telegram for the latest updates", True),
    ("|---|---|---|", True),
    ("| المحافظة | قتلى | مصابون |", False),
    ("وقرأ المتحدث بياناً أعلن فيه مقتل 4 أشخاص", False),
    ("Readers sent photos of the flooded streets.", False),
    ("Click here " + "and the long paragraph goes on with real reporting " * 5, False),
]


@pytest.mark.parametrize(("line", "expected"), CASES)
def test_is_boilerplate_line(line: str, expected: bool) -> None:
    assert is_boilerplate_line(line) is expected


def test_drop_boilerplate_lines_keeps_the_rest_in_order() -> None:
    text = "First paragraph.\nRead also: Other story\nSecond paragraph."
    assert drop_boilerplate_lines(text) == "First paragraph.\nSecond paragraph."
