"""Main-text quality by the article-extraction benchmark's published measure, written for this project.

Per page, both texts become word 4-gram shingles (with their multiplicities);
shingles in both are true positives, extra ones false positives, missing ones
false negatives, each divided by the page's total so every page weighs the
same. Precision and recall are averaged over the pages where they are defined
(a page whose texts agree entirely scores 1 for both); F1 is their harmonic
mean. A text shorter than one shingle counts as a single shingle of all its
words. Accuracy is the share of pages whose word sequence equals the truth's.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

# Words as the published measure reads them: runs of Unicode word characters.
_WORD = re.compile(r"\w+")
# Shingle length of the published measure: long enough that a shared phrase means shared text.
SHINGLE = 4


@dataclass(frozen=True, slots=True)
class MainTextScore:
    """Averaged precision and recall, their F1, and the share of pages right word for word."""

    pages: int
    precision: float
    recall: float
    f1: float
    accuracy: float


def shingles(text: str) -> Counter[tuple[str, ...]]:
    """The word 4-grams of ``text`` with their counts; one shorter gram for a text of 1-3 words."""
    words = _WORD.findall(text)
    if not words:
        return Counter()
    if len(words) < SHINGLE:
        return Counter([tuple(words)])
    return Counter(tuple(words[i : i + SHINGLE]) for i in range(len(words) - SHINGLE + 1))


def page_shares(truth: str, predicted: str) -> tuple[float, float, float]:
    """(true positive, false positive, false negative) shares of one page's shingles; zeros when both are empty."""
    want, got = shingles(truth), shingles(predicted)
    tp = sum((want & got).values())
    fp = sum((got - want).values())
    fn = sum((want - got).values())
    total = tp + fp + fn
    if not total:
        return 0.0, 0.0, 0.0
    return tp / total, fp / total, fn / total


def score_pages(pairs: Iterable[tuple[str, str]]) -> MainTextScore:
    """Score (truth, predicted) text pairs, one per page."""
    precisions: list[float] = []
    recalls: list[float] = []
    exact = pages = 0
    for truth, predicted in pairs:
        pages += 1
        tp, fp, fn = page_shares(truth, predicted)
        exact += _WORD.findall(truth) == _WORD.findall(predicted)
        if fp == 0 and fn == 0:
            precisions.append(1.0)
            recalls.append(1.0)
            continue
        if tp + fp:
            precisions.append(tp / (tp + fp))
        if tp + fn:
            recalls.append(tp / (tp + fn))
    precision = sum(precisions) / len(precisions) if precisions else 0.0
    recall = sum(recalls) / len(recalls) if recalls else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return MainTextScore(pages, precision, recall, f1, exact / pages if pages else 0.0)
