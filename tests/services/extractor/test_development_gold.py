"""The regression gate on the project's development gold (tests/fixtures/gold_development.jsonl).

The file holds 40 Arabic and English articles the team wrote in the styles of wire agencies,
monitors, ministries, UN updates and military statements, annotated per SCHEMA.md. It is
development data: the team wrote it, and the rules were then fixed on all of it, so a high score
here says nothing about real reports (the real corpus, `make eval-real`, measures that). What it is
for: a regression, or an edit of the gold, fails CI until it is looked at. The minimums sit a little
below what the extractor reaches, pinned with the file's hash.

Two conventions the schema leaves open: a range ("between 10 and 15") is its low end with qualifier
``at_least`` and the high end in ``count_high``; figures are listed totals first, then parts (the
scorer pairs equal figures in order).
"""

from __future__ import annotations

import pytest

from services.extractor import offline, scoring
from services.extractor.entities import EntityExtractor
from tests.services.extractor.entities.conftest import CACHE
from tests.services.extractor.gold import FIXTURES, assert_at_least, baseline_scores, read_gold, sha256_of

GOLD = FIXTURES / "gold_development.jsonl"
GOLD_SHA256 = "aad4183c9121b4938d9fadb5d9b353f95f03107fbebe4ecd084df0096a63f4ff"
# Reached when pinned: P 1.00, R 0.98, F1 0.99, victims 0.98, place 0.86, subsets 0.97.
MINIMUM = {
    "precision": 0.96,
    "recall": 0.94,
    "f1": 0.95,
    "victims_acc": 0.95,
    "location_acc": 0.82,
    "subset_acc": 0.93,
}
# Per language (ar: F1 0.99, place 0.84; en: F1 0.99, place 0.88): neither may hide behind the other.
MINIMUM_BY_LANG = {
    "ar": {"f1": 0.95, "location_acc": 0.80},
    "en": {"f1": 0.95, "location_acc": 0.83},
}
MIN_ARTICLES_PER_LANG = 20


@pytest.fixture(scope="module")
def report() -> scoring.Report:
    """The development gold scored through the worker's own code path, with the real entity step."""
    gold = read_gold(GOLD)
    entities = EntityExtractor.load(CACHE)
    preds = {art_id: figs for art_id, figs, _ in offline.predict(gold, entities)}
    return scoring.score(gold, preds)


def test_gold_file_is_the_one_the_minimums_were_pinned_for() -> None:
    assert sha256_of(GOLD) == GOLD_SHA256


def test_gold_covers_both_languages_with_valid_figures() -> None:
    gold = read_gold(GOLD)
    for lang in ("ar", "en"):
        assert sum(a["lang"] == lang for a in gold) >= MIN_ARTICLES_PER_LANG
    for art in gold:
        figs = art["casualties"]
        for i, fig in enumerate(figs):
            assert fig["evidence"] in art["text"] or fig["evidence"] in (art["title"] or ""), (art["id"], fig)
            parent = fig["subset_of"]
            assert parent is None or (parent < len(figs) and parent != i), (art["id"], fig)


def test_regression_gate_on_development_gold(report: scoring.Report) -> None:
    assert_at_least(report.total.scores(), MINIMUM)


@pytest.mark.parametrize("lang", sorted(MINIMUM_BY_LANG))
def test_regression_gate_per_language(report: scoring.Report, lang: str) -> None:
    assert_at_least(report.by_lang[lang].scores(), MINIMUM_BY_LANG[lang], lang)


def test_extractor_beats_the_trivial_baseline(report: scoring.Report) -> None:
    assert report.total.scores()["f1"] > baseline_scores(read_gold(GOLD))["f1"] + 0.5
