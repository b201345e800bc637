"""Plain word lists of a language's grammar (``resources/<lang>/*.txt``: one word a line, # comments)."""

from __future__ import annotations

from pathlib import Path

from shared.textnorm import normalize

RESOURCE_DIR = Path(__file__).resolve().parents[1] / "resources"


def read_words(lang: str, name: str) -> frozenset[str]:
    """The normalised words of ``resources/<lang>/<name>``, without blank lines and comments."""
    lines = (RESOURCE_DIR / lang / name).read_text(encoding="utf-8").splitlines()
    words = (line.split("#", 1)[0].strip() for line in lines)
    return frozenset(normalize(w).text for w in words if w)
