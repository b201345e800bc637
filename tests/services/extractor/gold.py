"""What the regression gates on the project's gold files share: reading a gold file, its hash (the
minimums are pinned with it), the check of scores against minimums, and the trivial baseline."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from services.extractor import offline, scoring

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"


def read_gold(path: Path) -> list[dict[str, Any]]:
    """The articles of a gold file, as the offline commands read them."""
    return list(offline.read_articles(path.read_text("utf-8").splitlines()))


def sha256_of(path: Path) -> str:
    """The hash a gate's minimums are pinned with: an edit of the file must be deliberate."""
    return hashlib.sha256(path.read_bytes()).hexdigest()


def assert_at_least(scores: Mapping[str, float], minimum: Mapping[str, float], *where: str) -> None:
    """Every score named in ``minimum`` reaches it; a failure names ``where``, the score and all scores."""
    for name, floor in minimum.items():
        assert scores[name] >= floor, (*where, name, scores)


def baseline_scores(gold: list[dict[str, Any]]) -> dict[str, float]:
    """The trivial baseline's total scores on ``gold``: the extractor must do better."""
    return scoring.score(gold, {str(a["id"]): offline.baseline(a) for a in gold}).total.scores()
