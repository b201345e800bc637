"""Structured logging: one JSON object per line, one line per event."""

from __future__ import annotations

import logging
import sys
import time
from typing import Any

import orjson

# faust and aiokafka are chatty at INFO about every rebalance step.
NOISY_LOGGERS = ("aiokafka", "faust.transport", "mode")

_RESERVED = frozenset(vars(logging.LogRecord("", 0, "", 0, "", None, None)))


class JsonFormatter(logging.Formatter):
    """Render a log record as one line of JSON, with any ``extra=`` fields as keys."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "ts": round(record.created, 3),
            "level": record.levelname.lower(),
            "logger": record.name,
            "event": record.getMessage(),
        }
        for key, value in vars(record).items():
            if key not in _RESERVED and not key.startswith("_"):
                entry[key] = value
        if record.exc_info:
            entry["exc"] = self.formatException(record.exc_info)
        return orjson.dumps(entry, default=str).decode()


def configure(level: str = "info", stream: Any = None) -> None:
    """Send every logger's output as JSON lines to ``stream`` (stderr by default)."""
    handler = logging.StreamHandler(stream or sys.stderr)
    handler.setFormatter(JsonFormatter())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level.upper())
    for noisy in NOISY_LOGGERS:
        logging.getLogger(noisy).setLevel(max(logging.WARNING, root.level))


def dict_config(level: str = "info") -> dict[str, Any]:
    """The same setup as :func:`configure`, as a ``logging.config.dictConfig`` mapping (for faust)."""
    quiet = max(logging.WARNING, logging.getLevelName(level.upper()))
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"json": {"()": JsonFormatter}},
        "handlers": {"stderr": {"class": "logging.StreamHandler", "formatter": "json"}},
        "root": {"handlers": ["stderr"], "level": level.upper()},
        "loggers": {name: {"level": quiet} for name in NOISY_LOGGERS},
    }


def now() -> float:
    """Wall-clock time in seconds (one place, so records and metrics agree)."""
    return time.time()


def utc_today() -> str:
    """Today's date in UTC, ISO format."""
    return time.strftime("%Y-%m-%d", time.gmtime())
