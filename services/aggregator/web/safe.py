"""Values of documents that came off an open topic: each read as its type, or as nothing.

``follow`` checks the fields the API promises; the view also shows reports and coordinates,
which it does not check, so every read here tolerates any JSON value.
"""

from __future__ import annotations

import math
from urllib.parse import urlsplit

# Longest text shown or exported from one field: an outlet name, a place, an actor. Real ones are
# under a hundred characters; a longer value is cut rather than let one cell swallow a page.
MAX_FIELD_CHARS = 300
# Longest URL linked or exported: browsers and spreadsheets handle far more, real article URLs
# are a few hundred characters at most.
MAX_URL_CHARS = 2_000
# A spreadsheet reads a cell that starts with one of these as a formula (CSV injection, OWASP);
# tab and carriage return are on OWASP's list too: some programs strip them and read what follows.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_WEB_SCHEMES = frozenset({"http", "https"})


def text(value: object, limit: int = MAX_FIELD_CHARS) -> str:
    """``value`` when it is a string (cut to ``limit``), else ""."""
    return value[:limit] if isinstance(value, str) else ""


def integer(value: object) -> int | None:
    """``value`` when it is an integer (not a bool), else None."""
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def coordinate(value: object, bound: float) -> float | None:
    """A finite number within ``[-bound, bound]``, else None."""
    if isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value):
        return float(value) if -bound <= value <= bound else None
    return None


def web_url(value: object) -> str | None:
    """``value`` when it is an http(s) URL with a host, the only kind the view links to, else None.

    An article's URL is whatever its publisher sent: ``javascript:`` or ``data:`` must never
    become a link.
    """
    if not isinstance(value, str) or not value or len(value) > MAX_URL_CHARS:
        return None
    try:
        parts = urlsplit(value)
    except ValueError:
        return None
    if parts.scheme.lower() not in _WEB_SCHEMES or not parts.hostname:
        return None
    if any(c.isspace() or ord(c) < 0x20 for c in value):
        return None
    return value


def spreadsheet_cell(value: str) -> str:
    """A text cell no spreadsheet runs as a formula: a leading ``'`` where it would start one."""
    return "'" + value if value.startswith(FORMULA_STARTS) else value
