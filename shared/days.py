"""Calendar days as the records carry them: ISO ``YYYY-MM-DD`` strings."""

from __future__ import annotations

from datetime import date, datetime

# No news casualty figure predates this; it also keeps date arithmetic clear of year 1.
MIN_YEAR = 1900


def iso_day(value: object) -> str | None:
    """The ISO day of an ISO date or timestamp, None for anything else (or before ``MIN_YEAR``)."""
    if not isinstance(value, str) or not value:
        return None
    try:
        day = datetime.fromisoformat(value.replace("Z", "+00:00")).date()
    except ValueError:
        try:
            day = date.fromisoformat(value[:10])
        except ValueError:
            return None
    return day.isoformat() if day.year >= MIN_YEAR else None
