"""The main-text measure on made-up pages: shingles, per-page shares, averaging."""

from __future__ import annotations

import pytest

from tools.maintext_score import page_shares, score_pages, shingles

BODY = "the river rose overnight and the old bridge closed before dawn on friday"


def test_shingles_are_word_four_grams_with_counts() -> None:
    grams = shingles("a b c d a b c d")
    assert grams[("a", "b", "c", "d")] == 2
    assert sum(grams.values()) == 5


def test_a_short_text_is_one_shingle_and_punctuation_is_no_word() -> None:
    assert shingles("Hello, world!") == {("Hello", "world"): 1}
    assert not shingles(" ... ")


def test_identical_text_scores_one_whatever_the_spacing() -> None:
    result = score_pages([(BODY, BODY.replace(" ", "\n"))])
    assert (result.precision, result.recall, result.f1, result.accuracy) == (1.0, 1.0, 1.0, 1.0)


def test_extra_boilerplate_lowers_precision_only() -> None:
    predicted = BODY + " subscribe to our newsletter for more stories like this one"
    result = score_pages([(BODY, predicted)])
    assert result.recall == 1.0
    # 10 true shingles; the added 10 words bring 10 more, all false.
    assert result.precision == pytest.approx(10 / 20)
    assert result.accuracy == 0.0


def test_missing_text_lowers_recall_only() -> None:
    tp, fp, fn = page_shares(BODY, "the river rose overnight and the old")
    assert fp == 0.0
    assert tp == pytest.approx(4 / 10) and fn == pytest.approx(6 / 10)


def test_pages_weigh_the_same_and_an_empty_prediction_has_no_precision() -> None:
    long_truth = " ".join(f"word{i}" for i in range(400))
    result = score_pages([(BODY, BODY), (long_truth, "")])
    # Precision is undefined on the empty page: only the perfect one counts.
    assert result.precision == 1.0
    assert result.recall == pytest.approx(0.5)
    assert result.f1 == pytest.approx(2 * 0.5 / 1.5)
    assert result.pages == 2


def test_two_empty_texts_agree() -> None:
    assert score_pages([("", "")]).f1 == 1.0
