"""Precision and recall of the entity step against an annotated gold file.

Usage: ``python -m services.extractor.entities.evaluate [GOLD] [--cache-dir DIR] [-v]``

A gold line is ``{"id", "lang", "published", "text", "places": [{"surface", "name"}], "actors":
[{"surface", "actor_id"}], "dates": [{"surface", "iso"}], "people": [{"surface"}]}``. A prediction
matches a gold item when their spans overlap and the key field agrees (places: the same place by the
casualty scorer's name rule; actors: the id; dates: the ISO date; people: the span alone).
The gold annotates an actor's name as the actor only, so a place the step keeps inside one ("Gaza"
in "Gaza health ministry", marked ``in_actor``) is not scored; the summary counts them and ``-v``
lists them.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from services.extractor.entities.extractor import EntityExtractor
from services.extractor.entities.model import Entities
from services.extractor.scoring import same_place

DEFAULT_GOLD = Path(__file__).resolve().parents[3] / "tests" / "fixtures" / "entities_gold.jsonl"
_IN_ACTOR = "places in an actor's name (unscored)"


@dataclass
class Score:
    """Counts for one entity type."""

    tp: int = 0
    predicted: int = 0
    gold: int = 0

    @property
    def precision(self) -> float:
        return self.tp / self.predicted if self.predicted else 1.0

    @property
    def recall(self) -> float:
        return self.tp / self.gold if self.gold else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


def _gold_span(text: str, surface: str) -> tuple[int, int]:
    i = text.find(surface)
    if i < 0:
        raise ValueError(f"gold surface {surface!r} not in text")
    return i, i + len(surface)


_AGREE: dict[str, Callable[[dict[str, Any], Any], bool]] = {
    "places": lambda g, p: same_place(p.name, g["name"]),
    "actors": lambda g, p: g["actor_id"] == p.actor_id,
    "dates": lambda g, p: g["iso"] == p.iso,
    "people": lambda g, p: True,
}


def score_line(line: dict[str, Any], ents: Entities, scores: dict[str, Score], misses: list[str]) -> None:
    """Add one gold line's matches to ``scores``; describe errors in ``misses``."""
    for kind, agree in _AGREE.items():
        preds = [p for p in getattr(ents, kind) if not getattr(p, "in_actor", None)]
        used: set[int] = set()
        gold = line.get(kind) or []
        scores[kind].gold += len(gold)
        scores[kind].predicted += len(preds)
        for g in gold:
            gs, ge = _gold_span(line["text"], g["surface"])
            hit = next(
                (
                    i
                    for i, p in enumerate(preds)
                    if i not in used and p.start < ge and gs < p.end and agree(g, p)
                ),
                None,
            )
            if hit is None:
                misses.append(f"{line['id']} {kind} missed: {g}")
            else:
                used.add(hit)
                scores[kind].tp += 1
        for i, p in enumerate(preds):
            if i not in used:
                misses.append(f"{line['id']} {kind} spurious: {p.surface!r} -> {getattr(p, 'name', '')}")
    for p in ents.places:
        if p.in_actor:
            misses.append(f"{line['id']} {_IN_ACTOR}: {p.surface!r} -> {p.name}")


def evaluate(ex: EntityExtractor, gold_path: Path) -> tuple[dict[str, Score], list[str], float]:
    """Scores per entity type, error descriptions, and mean seconds per text."""
    scores = {k: Score() for k in _AGREE}
    misses: list[str] = []
    lines = [json.loads(x) for x in gold_path.read_text(encoding="utf-8").splitlines() if x.strip()]
    t0 = time.perf_counter()
    for line in lines:
        ents = ex.extract(line["text"], line["lang"], line.get("published"))
        score_line(line, ents, scores, misses)
    return scores, misses, (time.perf_counter() - t0) / max(1, len(lines))


def main(argv: list[str] | None = None) -> int:
    """Print precision, recall and F1 per entity type."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("gold", nargs="?", type=Path, default=DEFAULT_GOLD)
    ap.add_argument("--cache-dir", type=Path, default=Path(".wirecount/cache"))
    ap.add_argument("-v", "--verbose", action="store_true", help="list every miss and spurious mention")
    args = ap.parse_args(argv)
    ex = EntityExtractor.load(args.cache_dir)
    scores, misses, per_text = evaluate(ex, args.gold)
    print(f"{'type':<14}{'gold':>6}{'pred':>6}{'tp':>5}{'P':>8}{'R':>8}{'F1':>8}")
    for kind, s in scores.items():
        print(
            f"{kind:<14}{s.gold:>6}{s.predicted:>6}{s.tp:>5}{s.precision:>8.3f}{s.recall:>8.3f}{s.f1:>8.3f}"
        )
    print(f"{_IN_ACTOR}: {sum(_IN_ACTOR in m for m in misses)}")
    print(f"mean extract time: {per_text * 1000:.1f} ms per sentence")
    if args.verbose:
        print("\n".join(misses))
    return 0


if __name__ == "__main__":
    sys.exit(main())
