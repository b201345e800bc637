"""Where the shipped language resources live, and small readers for their formats."""

from __future__ import annotations

import csv
import hashlib
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import yaml

RESOURCE_DIR = Path(__file__).resolve().parent.parent / "resources"


def read_tsv(path: Path) -> Iterator[dict[str, str]]:
    """Rows of a tab-separated file with a header line; '#' lines are comments."""
    with path.open(encoding="utf-8") as fh:
        lines = (line for line in fh if line.strip() and not line.startswith("#"))
        for row in csv.DictReader(lines, delimiter="\t", quoting=csv.QUOTE_NONE):
            yield {k: (v or "").strip() for k, v in row.items() if k is not None}


def read_lines(path: Path) -> list[str]:
    """Non-empty lines of a word list, without '#' comments."""
    out = []
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            out.append(line)
    return out


def files_digest(paths: Sequence[Path], *extra: str) -> str:
    """Short hash of file contents and extra strings: the cache key of anything built from them."""
    h = hashlib.sha256()
    for s in extra:
        h.update(s.encode())
    for p in paths:
        h.update(p.name.encode())
        h.update(p.read_bytes())
    return h.hexdigest()[:16]


def read_yaml(path: Path) -> Any:
    """The content of a YAML resource; an empty file reads as an empty mapping."""
    return yaml.safe_load(path.read_text(encoding="utf-8")) or {}
