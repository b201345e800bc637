"""The one scoring module (SCHEMA.md "Scoring"): used by ``make eval``, the regression test and the benchmark.

Per article, each gold figure in order takes the first unused prediction with the same kind,
count and scope. Precision, recall and F1 are micro-averaged over all figures; among matched
pairs, agreement on victims, location and subset_of is reported as an accuracy each.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from rapidfuzz import fuzz

from services.extractor.arabic_words import LATIN_ARTICLES

FUZZY_MIN = 80  # SCHEMA.md: two names are the same place at fuzz.ratio >= 80
_APOSTROPHES = re.compile(r"['`\u2018\u2019\u02bb\u02bc\u02be\u02bf]")
_ARTICLE = re.compile(rf"^(?:{'|'.join(sorted(LATIN_ARTICLES, key=len, reverse=True))})[\s\-]+")
_SPACES = re.compile(r"[\s\-]+")


def normalise_place(name: str) -> str:
    """Case-folded, without diacritics, apostrophes, a leading article, spaces or hyphens."""
    text = unicodedata.normalize("NFKD", name.casefold())
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = _APOSTROPHES.sub("", text).strip()
    text = _ARTICLE.sub("", text)
    return _SPACES.sub("", text)


def same_place(predicted: str | None, gold: str | None, gold_in: Iterable[str] = ()) -> bool:
    """Whether a predicted location names the gold one (or one of the places containing it)."""
    if predicted is None or gold is None:
        return predicted is None and gold is None
    p = normalise_place(predicted)
    for name in (gold, *gold_in):
        g = normalise_place(name)
        if p == g or fuzz.ratio(p, g) >= FUZZY_MIN:
            return True
    return False


def _key(fig: Mapping[str, Any]) -> tuple[Any, Any, Any]:
    return (fig.get("kind"), fig.get("count"), fig.get("scope"))


def match_figures(gold: Sequence[Mapping[str, Any]], pred: Sequence[Mapping[str, Any]]) -> dict[int, int]:
    """Gold index -> prediction index: each gold figure in order takes the first unused equal prediction."""
    used: set[int] = set()
    pairs: dict[int, int] = {}
    for gi, g in enumerate(gold):
        for pi, p in enumerate(pred):
            if pi not in used and _key(p) == _key(g):
                pairs[gi] = pi
                used.add(pi)
                break
    return pairs


@dataclass
class Tally:
    """Counts behind the scores of one group of articles."""

    gold: int = 0
    pred: int = 0
    matched: int = 0
    victims_ok: int = 0
    location_ok: int = 0
    subset_ok: int = 0

    def add(self, other: Tally) -> None:
        """Add another tally into this one."""
        for name in ("gold", "pred", "matched", "victims_ok", "location_ok", "subset_ok"):
            setattr(self, name, getattr(self, name) + getattr(other, name))

    def scores(self) -> dict[str, float]:
        """precision, recall, f1 and the three accuracies over matched pairs."""
        p = self.matched / self.pred if self.pred else 0.0
        r = self.matched / self.gold if self.gold else 0.0
        f1 = 2 * p * r / (p + r) if p + r else 0.0
        m = self.matched or 1
        return {
            "precision": round(p, 4),
            "recall": round(r, 4),
            "f1": round(f1, 4),
            "victims_acc": round(self.victims_ok / m, 4) if self.matched else 0.0,
            "location_acc": round(self.location_ok / m, 4) if self.matched else 0.0,
            "subset_acc": round(self.subset_ok / m, 4) if self.matched else 0.0,
        }


@dataclass
class Report:
    """Scores overall and by language, and every error for people to read."""

    total: Tally = field(default_factory=Tally)
    by_lang: dict[str, Tally] = field(default_factory=dict)
    errors: list[dict[str, Any]] = field(default_factory=list)


# The error classes ``make eval-real`` groups by, in the order it prints them.
ERROR_CLASSES = ("missed", "false", "scope", "kind", "place", "victims", "subset")


def score_article(
    article_id: str,
    gold: Sequence[Mapping[str, Any]],
    pred: Sequence[Mapping[str, Any]],
    errors: list[dict[str, Any]],
) -> Tally:
    """Tally one article and append its errors, each of one of ``ERROR_CLASSES``.

    An unmatched gold figure and an unmatched prediction with the same count are one error, not
    two: a wrong scope when their kinds agree, a wrong kind when their scopes agree.
    """
    pairs = match_figures(gold, pred)
    tally = Tally(gold=len(gold), pred=len(pred), matched=len(pairs))
    for gi, pi in pairs.items():
        g, p = gold[gi], pred[pi]
        if p.get("victims") == g.get("victims"):
            tally.victims_ok += 1
        else:
            errors.append(_error(article_id, "victims", g, p))
        if same_place(p.get("location"), g.get("location"), g.get("location_in") or ()):
            tally.location_ok += 1
        else:
            errors.append(_error(article_id, "place", g, p))
        g_parent, p_parent = g.get("subset_of"), p.get("subset_of")
        if (g_parent is None and p_parent is None) or (
            g_parent is not None and pairs.get(g_parent) == p_parent and p_parent is not None
        ):
            tally.subset_ok += 1
        else:
            errors.append(_error(article_id, "subset", g, p))
    missed = [g for gi, g in enumerate(gold) if gi not in pairs]
    matched_pred = set(pairs.values())
    unmatched = [p for pi, p in enumerate(pred) if pi not in matched_pred]
    for g in missed:
        near, what = _near_miss(g, unmatched)
        if near is not None:
            unmatched.remove(near)
        errors.append(_error(article_id, what, g, near))
    errors.extend(_error(article_id, "false", None, p) for p in unmatched)
    return tally


def _near_miss(
    gold: Mapping[str, Any], unmatched: Sequence[Mapping[str, Any]]
) -> tuple[Mapping[str, Any] | None, str]:
    """The unmatched prediction that states the gold figure's count with another scope or kind."""
    same_count = [p for p in unmatched if p.get("count") == gold.get("count")]
    for p in same_count:
        if p.get("kind") == gold.get("kind"):
            return p, "scope"
    for p in same_count:
        if p.get("scope") == gold.get("scope"):
            return p, "kind"
    return None, "missed"


def errors_by_class(errors: Iterable[Mapping[str, Any]]) -> dict[str, list[Mapping[str, Any]]]:
    """Errors grouped by class, every class of ``ERROR_CLASSES`` present (possibly empty)."""
    groups: dict[str, list[Mapping[str, Any]]] = {name: [] for name in ERROR_CLASSES}
    for err in errors:
        groups.setdefault(str(err["error"]), []).append(err)
    return groups


def _brief(fig: Mapping[str, Any] | None) -> dict[str, Any] | None:
    if fig is None:
        return None
    keys = ("kind", "count", "scope", "victims", "location", "subset_of", "evidence")
    return {k: fig.get(k) for k in keys}


def _error(
    article_id: str, what: str, gold: Mapping[str, Any] | None, pred: Mapping[str, Any] | None
) -> dict[str, Any]:
    return {"id": article_id, "error": what, "gold": _brief(gold), "pred": _brief(pred)}


def score(
    gold_articles: Sequence[Mapping[str, Any]], predictions: Mapping[str, Sequence[Mapping[str, Any]]]
) -> Report:
    """Score predictions ({article id: figures}) against gold articles (SCHEMA.md format)."""
    report = Report()
    for art in gold_articles:
        art_id = str(art["id"])
        tally = score_article(
            art_id, art.get("casualties") or [], predictions.get(art_id) or [], report.errors
        )
        report.total.add(tally)
        report.by_lang.setdefault(str(art.get("lang", "?")), Tally()).add(tally)
    return report
