"""extract_article: the one function the worker and the offline commands both call."""

from __future__ import annotations

from services.extractor.logic import ArticleInput, extract_article
from shared import codec
from tests.services.extractor.casualties.fakes import FakeExtractor
from tests.services.extractor.wire import plain

FIGURE_KEYS = {
    "kind", "count", "count_high", "qualifier", "victims", "location", "location_id", "country", "lat", "lon",
    "actor", "scope", "subset_of", "evidence", "start", "end", "in_title", "confidence",
    "place", "parts", "event_date", "date_basis", "sentence", "sentence_start",
}  # fmt: skip


def test_figures_carry_evidence_offsets_into_the_text() -> None:
    text = "Shelling killed 6 civilians in the village of Kafr Hamra on Sunday."
    doc = ArticleInput("a1", None, text, "en", "2026-04-12")
    out = extract_article(doc, FakeExtractor())
    (figure,) = plain(out.casualties)
    assert set(figure) == FIGURE_KEYS
    assert text[figure["start"] : figure["end"]] == figure["evidence"] == "killed 6 civilians"
    assert (figure["sentence"], figure["sentence_start"]) == (text, 0)  # the whole sentence, for its reader
    assert figure["location"] == "Kafr Hamra" and not figure["in_title"]
    assert figure["place"]["name"] == "Kafr Hamra"  # the place with its hierarchy, for merging
    assert (figure["event_date"], figure["date_basis"]) == ("2026-04-12", "published")
    assert [p["name"] for p in out.places] == ["Kafr Hamra"]
    codec.dumps(out.casualties)  # JSON-able as it goes on the wire


def test_a_figure_only_in_the_title_points_into_the_title() -> None:
    title = "Two soldiers killed in Nahrayn"
    doc = ArticleInput("a2", title, "The ministry gave no details.", "en")
    (figure,) = plain(extract_article(doc, FakeExtractor()).casualties)
    assert figure["in_title"] and title[figure["start"] : figure["end"]] == figure["evidence"]


def test_title_mentions_join_the_record_marked_and_pointing_into_the_title() -> None:
    title = "Shelling of Nahrayn leaves six dead"
    text = "Six people were killed in Kafr Hamra and Nahrayn on Sunday, medics said."
    out = extract_article(ArticleInput("a5", title, text, "en"), FakeExtractor())
    # The title first; a place in both texts is two mentions, each with its own span.
    assert [(p["name"], p["in_title"]) for p in out.places] == [
        ("Nahrayn", True),
        ("Kafr Hamra", False),
        ("Nahrayn", False),
    ]
    for place in out.places:
        assert (title if place["in_title"] else text)[place["start"] : place["end"]] == place["surface"]


def test_a_place_named_only_in_the_title_is_in_the_record() -> None:
    title = "Mortar fire on Tell Safi"
    out = extract_article(
        ArticleInput("a6", title, "Rescuers searched the rubble all night.", "en"), FakeExtractor()
    )
    assert [(p["name"], p["in_title"], p["start"]) for p in out.places] == [("Tell Safi", True, 15)]


def test_without_entities_figures_have_no_place_and_lists_are_empty() -> None:
    doc = ArticleInput("a3", None, "قتل 14 شخصا على الأقل.", "ar")
    out = extract_article(doc, None)
    assert [(f["count"], f["qualifier"], f["location"]) for f in plain(out.casualties)] == [
        (14, "at_least", None)
    ]
    assert out.places == out.actors == out.people == out.organisations == out.dates == []


def test_language_without_resources_gives_no_figures() -> None:
    doc = ArticleInput("a4", None, "Zwölf Menschen wurden getötet.", "de")
    assert plain(extract_article(doc, None).casualties) == []


def test_a_figure_carries_its_own_sentence_and_where_it_starts() -> None:
    text = "Rescuers searched all night. A strike killed 9 people in Kafr Hamra on Sunday. Medics said more."
    (figure,) = plain(
        extract_article(ArticleInput("a9", None, text, "en", "2026-04-12"), FakeExtractor()).casualties
    )
    sentence, at = figure["sentence"], figure["sentence_start"]
    assert sentence == "A strike killed 9 people in Kafr Hamra on Sunday."
    assert text[at : at + len(sentence)] == sentence
    assert sentence[figure["start"] - at : figure["end"] - at] == figure["evidence"]


def test_a_run_on_sentence_is_cut_to_a_window_around_the_figure() -> None:
    from shared.records import MAX_SENTENCE_CHARS

    text = "word, " * 400 + "a strike killed 9 people in Kafr Hamra " + "and so on, " * 400 + "."
    (figure,) = plain(
        extract_article(ArticleInput("a10", None, text, "en", "2026-04-12"), FakeExtractor()).casualties
    )
    sentence, at = figure["sentence"], figure["sentence_start"]
    assert len(sentence) <= MAX_SENTENCE_CHARS and figure["evidence"] in sentence
    assert sentence[figure["start"] - at : figure["end"] - at] == figure["evidence"]
