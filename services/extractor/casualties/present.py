"""Counts of the people who were there, not of the people hurt.

Reports set the scene of an attack with the crowd it struck: "the bomber blew himself up in the
mosque, where some 150 people were praying", "حيث كان نحو 150 شخصا يؤدون الصلاة". The count sits in
a relative clause of place ("where", "حيث") and is followed by what the people were doing; a kill
verb just before the clause belongs to the bomber, not to them.
"""

from __future__ import annotations

from collections.abc import Sequence

from services.extractor.casualties.lexicon import Lexicon
from services.extractor.casualties.match import match_at
from services.extractor.casualties.model import Candidate, Token

# "where some 150 people were praying": between the relative word and the count stand at most a
# verb "to be" and an approximation ("حيث كان نحو 150").
_OPENER_REACH = 3
# And after the count's noun, at most an auxiliary before the activity ("were praying").
_ACTIVITY_REACH = 2


def present_crowd(tokens: Sequence[Token], c: Candidate, lex: Lexicon) -> bool:
    """Whether the count is the crowd present at the scene ("where N people were praying")."""
    openers, activities = lex.cues.get("present_before"), lex.cues.get("present_after")
    if openers is None or activities is None:
        return False
    sentence = tokens[c.first].sentence
    before = range(max(0, c.first - _OPENER_REACH), c.first)
    if not any(tokens[k].sentence == sentence and match_at(tokens, k, openers) is not None for k in before):
        return False
    after = range(c.np_end + 1, min(len(tokens), c.np_end + 1 + _ACTIVITY_REACH))
    return any(tokens[k].sentence == sentence and match_at(tokens, k, activities) is not None for k in after)
