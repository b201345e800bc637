"""The closed vocabularies of a casualty figure, shared by every stage that writes or reads one.

The extractor assigns them, the aggregator checks records against them and the query API offers
them as choices (in this order, which is the order the view lists them in).
"""

from __future__ import annotations

# What happened to the people a figure counts.
KINDS: tuple[str, ...] = ("killed", "injured", "captured", "missing")
# Who they were; "people" when the text does not say.
VICTIMS: tuple[str, ...] = ("people", "civilians", "children", "women", "combatants")
