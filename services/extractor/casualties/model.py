"""Types passed between the stages of casualty extraction: tokens, numbers, candidates, figures."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class Token:
    """One word, number or punctuation mark; offsets point into the original text."""

    index: int
    text: str  # normalised (case-folded, Arabic letters unified)
    forms: frozenset[str]  # lookup keys: the text and its clitic-stripped variants
    start: int
    end: int
    kind: str  # "word" | "num" | "punct"
    sentence: int
    clause: int
    conj: bool = False  # "and", or a word with "and" glued on ("وأصيب"): the grammar decides
    glued: bool = False  # the "and" is glued on to a word of its own ("وأصيب", not "و")

    @property
    def bare_conj(self) -> bool:
        """The word is "and" itself ("و", "and"), not a word carrying it."""
        return self.conj and not self.glued


@dataclass(frozen=True, slots=True)
class NumberMention:
    """A count found in the text: tokens [first, last] and its value."""

    first: int
    last: int
    value: int
    source: str  # "digits" | "words" | "dual" | "one"
    noun_included: bool = False  # the count is a noun itself (a dual or a singular)
    high: int | None = None  # the upper end of a range ("10 to 15": value 10, high 15)


@dataclass(frozen=True, slots=True)
class VictimNoun:
    """A noun naming who a count is about."""

    category: str  # a VICTIMS value or "role"
    casualty_kind: str | None  # set for nouns that are the casualty ("قتيل", "dead")
    number: str  # "singular" | "dual" | "plural"


@dataclass(slots=True, eq=False)
class Candidate:
    """A possible casualty figure while the stages fill it in."""

    segment: str  # "title" | "body"
    number: NumberMention
    np_end: int  # last token of the count's noun phrase
    noun: VictimNoun | None
    kind: str | None = None
    trigger: int | None = None  # token index of the trigger word
    qualifier: str = "exact"
    qualifier_span: tuple[int, int] | None = None
    subset_cue: str | None = None  # "direct" | "after" | "partitive" | "other" | "sibling"
    toll: bool = False
    scope: str = "incident"
    parent: Candidate | None = None  # the figure this one is part of
    sibling: Candidate | None = None  # the count this one is coordinated with ("46 طفلا و54 مواطنة")
    victims: str = "people"
    mixed_noun: bool = False  # "أطفال ومواطنات": a count over two groups
    bare: bool = False  # no noun after the count
    inherited: bool = False  # kind taken from the figure before it (ellipsis)
    place: object | None = None  # the chosen PlaceMention
    actor: object | None = None  # the chosen ActorMention
    confidence: float = 0.8
    sentence: int = 0
    notes: list[str] = field(default_factory=list)

    @property
    def first(self) -> int:
        """First token of the count."""
        return self.number.first
