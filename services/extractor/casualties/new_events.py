"""Whether a count states a figure of its own rather than restating an earlier one: the restatement
policy (``policy.merge_restatements``) reads the note left here."""

from __future__ import annotations

from collections.abc import Sequence

from services.extractor.casualties.lexicon import Lexicon
from services.extractor.casualties.match import find_all
from services.extractor.casualties.model import Candidate, Token

NEW_EVENT = "new_event"  # a note: the count states an event or an increment of its own
# "In a separate attack on a village near the border on Monday, two ...": a sentence opening
# another event names it within about this many words before its count.
_NEW_EVENT_REACH = 30


def mark_new_event(tokens: Sequence[Token], cand: Candidate, start: int, lex: Lexicon) -> None:
    """Notes for the restatement policy: a count in a sentence that opens another event ("In a
    separate attack, two ...") or that adds to an earlier one ("two more officers died") states a
    figure of its own, however like an earlier one it is."""
    sentence = tokens[start].sentence
    lo = start
    while lo > 0 and start - lo < _NEW_EVENT_REACH and tokens[lo - 1].sentence == sentence:
        lo -= 1
    if find_all(tokens, lex.cues.get("separate_event"), lo, start):
        cand.notes.append(NEW_EVENT)
    if find_all(tokens, lex.cues.get("increment_words"), cand.number.last + 1, cand.np_end + 1):
        cand.notes.append(NEW_EVENT)
