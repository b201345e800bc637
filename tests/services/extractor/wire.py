"""Figures as they go on the wire: plain JSON objects, for tests that read them by field name."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import orjson

from shared import codec


def plain(figures: Iterable[Any]) -> list[dict[str, Any]]:
    """Each record as the JSON object the topic carries."""
    return [orjson.loads(codec.dumps(f)) for f in figures]
