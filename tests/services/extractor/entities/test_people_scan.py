"""Role-first patterns tried only where a role word begins find what a full scan finds."""

from __future__ import annotations

from services.extractor.entities.people import PeopleFinder, opening_at, role_starts

TEXT = (
    "Police Spokesman Omar Haddad said two shops burned. A spokeswoman for the city council, "
    "Lina Farouk, said more. 3spokesman Ali Musa is no role; Spokesmanship Award Winner Ben Ode "
    "neither. DEPUTY COMMANDER Sami Nour and Vice-President Hana Idris spoke, as did commander-in-chief "
    "Rafi Tal and the governor, Yusuf Amin, of the province."
)


def test_the_same_matches_as_a_scan_of_every_position() -> None:
    finder = PeopleFinder()
    starts = role_starts(TEXT, finder.role_first_words)
    for pattern in (finder.en_role_name, finder.en_role_comma_name):
        full = [(m.span(), m.group("name")) for m in pattern.finditer(TEXT)]
        quick = [(m.span(), m.group("name")) for m in opening_at(pattern, TEXT, starts)]
        assert quick == full
    names = {m.group("name") for m in opening_at(finder.en_role_name, TEXT, starts)}
    assert {"Omar Haddad", "Sami Nour"} <= names
    assert "Ali Musa" not in names  # a role glued to a number is no role
