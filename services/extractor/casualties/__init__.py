"""Casualty figure extraction: counts of killed, injured, captured and missing people in news text.

Stages, each testable alone: ``candidates`` (counts, read with ``noun_phrase``), ``kinds`` (trigger
words), ``scope`` (subsets, running tolls), ``attach`` and ``places`` (victims, actor, place),
``policy`` (overlaps and restatements). Language data lives in ``resources/<lang>/*.yaml``.
"""

from services.extractor.casualties.pipeline import extract_figures

__all__ = ["extract_figures"]
