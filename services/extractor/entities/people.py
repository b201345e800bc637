"""People (with stated roles) and organisations cited as sources, by patterns over the text."""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_left
from collections.abc import Iterator
from pathlib import Path

import yaml

from services.extractor.arabic_words import CONJUNCTIONS
from services.extractor.entities.model import ActorMention, OrgMention, PersonMention
from services.extractor.entities.resources import RESOURCE_DIR, read_lines
from shared.textnorm import NormalizedText, normalize

# Actor kinds that are organisations reporting on a conflict rather than parties to it.
ORG_KINDS = frozenset({"monitor", "agency", "news_agency", "health_authority"})
# Text read around a mention for citation cues, in characters (the cue test itself counts words).
CUE_WINDOW = 80
# Words allowed between a cue and the mention: "according to the Britain-based Syrian Observatory",
# but not "قال المتحدث باسم الجيش محمد العلي إن قوات النظام" (the speaker cited is someone else).
CUE_GAP = 3
_WORD = re.compile(r"\w+")
# A cue does not reach across a sentence or clause end ("The army said; the Afghan Taliban ...").
_CLAUSE_END = re.compile(r"[.;!?\n\u061b\u061f]")
# Arabic conjunctions glued to a cue word ("وقال", "فيما قال" aside).
_AR_GLUE = CONJUNCTIONS
# Words that open a kunya ("أبو محمد الحلبي"), kept with the given name after them.
_KUNYA = frozenset({"ابو", "ام"})

_EN_NAME = r"[A-Z][a-z'’]+(?:-[A-Z]?[a-z'’]+)?"
_EN_LINK = r"(?:(?:al|el|bin|ibn|abu|Abu|Abdel|de|van|von)[-\s])?"
_EN_FULL_NAME = rf"{_EN_NAME}(?:\s+{_EN_LINK}{_EN_NAME}){{1,3}}"


_LETTERS = re.compile(r"[^\W\d_]+")


def role_starts(text: str, first_words: frozenset[str]) -> list[int]:
    """Where a word that opens some role begins ("deputy", "spokesman"), in text order."""
    return [w.start() for w in _LETTERS.finditer(text) if w.group().lower() in first_words]


def opening_at(pattern: re.Pattern[str], text: str, starts: list[int]) -> Iterator[re.Match[str]]:
    """``pattern.finditer(text)`` for a pattern that opens with a role word after ``\\b``, tried only
    at ``starts`` (:func:`role_starts`): the same matches, without trying a long alternation of roles
    at every position of a long page (two such patterns were a sixth of the entity step).

    A match starts where a run of letters starts (``\\b`` before a letter), and that run is the role's
    first word: the role is followed by a space, a hyphen or a comma, never by another letter."""
    end = 0
    for start in starts:
        if start < end:
            continue
        m = pattern.match(text, start)
        if m is not None:
            yield m
            end = m.end()


class PeopleFinder:
    """Role words, citation cues and Arabic first names from ``<lang>/people.yaml``."""

    def __init__(self, resource_dir: Path = RESOURCE_DIR) -> None:
        en = yaml.safe_load((resource_dir / "en" / "people.yaml").read_text(encoding="utf-8"))
        ar = yaml.safe_load((resource_dir / "ar" / "people.yaml").read_text(encoding="utf-8"))
        # Role words open sentences and titles capitalised ("Spokesman Ali Hassan", "Defence Minister X").
        roles_en = "(?i:" + "|".join(sorted(map(re.escape, en["roles"]), key=len, reverse=True)) + ")"
        roles_ar = "|".join(
            sorted((re.escape(normalize(r).text) for r in ar["roles"]), key=len, reverse=True)
        )
        verbs_ar = "|".join(re.escape(normalize(v).text) for v in ar["speech_verbs"])
        self.first_names_ar = {normalize(n).text for n in read_lines(resource_dir / "ar" / "first_names.txt")}
        self.cues_before = _by_first_word(en["cues_before"] + ar["cues_before"])
        self.cues_after = _by_first_word(en["cues_after"] + ar["cues_after"])
        # The name must not itself open with a role word: "Deputy Prime Minister X" is no "Prime Minister X".
        # Where a role can begin: the first word of each ("deputy" of "deputy commander"), lowercased.
        self.role_first_words = frozenset(_LETTERS.match(r.lower())[0] for r in en["roles"])  # type: ignore[index]
        self.en_role_name = re.compile(rf"\b(?P<role>{roles_en})\s+(?!{roles_en}\b)(?P<name>{_EN_FULL_NAME})")
        # "A spokesman for the army, Omar Farouk, said": the name in commas after the role.
        self.en_role_comma_name = re.compile(
            rf"\b(?P<role>{roles_en}(?:\s+(?:for|of|at|in|with)\s+[^,.;:\n]{{1,40}})?),\s+(?P<name>{_EN_FULL_NAME}),"
        )
        self.en_name_role = re.compile(
            rf"(?P<name>{_EN_FULL_NAME}),\s+(?:the\s+|a\s+)?(?P<role>(?:[\w-]+\s+){{0,2}}(?:{roles_en})[^,.;:\n]{{0,60}})"
        )
        word = r"[\u0621-\u064a]+"
        self.ar_name_role = re.compile(
            rf"(?:(?:{verbs_ar})\s+|^|[\n.:،,]\s*)(?P<name>{word}(?:\s+{word}){{1,2}})\s*[،,]\s*(?P<role>(?:{roles_ar})[^،,.:\n]{{0,60}})"
        )
        self.ar_role = re.compile(rf"(?<![\u0621-\u064a])(?:{roles_ar})(?![\u0621-\u064a])")
        self.ar_stop = {normalize(w).text for w in ar["name_stop"]}
        self.ar_verbs = {normalize(v).text for v in ar["speech_verbs"]}

    def people(self, text: str, lang: str) -> list[PersonMention]:
        """Named people, with the role the text gives them."""
        found: dict[tuple[int, int], PersonMention] = {}
        if lang == "ar":
            nt = normalize(text, lowercase=False)
            for m in self.ar_name_role.finditer(nt.text):
                if m.group("name").split()[0] not in self.ar_verbs:
                    self._add_ar(found, nt, m.span("name"), m.span("role"), 0.7)
            for m in self.ar_role.finditer(nt.text):
                self._role_then_name(found, nt, m.start(), m.end())
        else:
            # Matched on the normalised text (case kept) so zero-width and bidi marks do not split
            # words; spans are mapped back to the original.
            nt = normalize(text, lowercase=False)
            starts = role_starts(nt.text, self.role_first_words)
            role_first = (
                *self.en_name_role.finditer(nt.text),
                *opening_at(self.en_role_comma_name, nt.text, starts),
                *opening_at(self.en_role_name, nt.text, starts),
            )
            for m in role_first:
                a, b = nt.span_to_original(*m.span("name"))
                if not any(a < e and s < b for s, e in found):
                    ra, rb = nt.span_to_original(*m.span("role"))
                    found[(a, b)] = PersonMention(
                        a, b, text[a:b], display_name(text[a:b]), text[ra:rb].strip(), 0.7
                    )
        return sorted(found.values(), key=lambda p: p.start)

    def _role_then_name(
        self, found: dict[tuple[int, int], PersonMention], nt: NormalizedText, rs: int, re_: int
    ) -> None:
        """ "مدير المرصد رامي عبد الرحمن": a known first name within four words after a role word."""
        words = [
            (w.start() + re_, w.end() + re_, w.group()) for w in re.finditer(r"\S+", nt.text[re_ : re_ + 80])
        ]
        for i, (_, _, w) in enumerate(words[:5]):
            if w in self.first_names_ar:
                first = i - 1 if i and words[i - 1][2] in _KUNYA else i  # "أبو محمد الحلبي"
                end = words[i][1]
                for _s2, e2, w2 in words[first + 1 : first + 3]:
                    if w2 in self.ar_stop or w2 in self.ar_verbs or not re.fullmatch(r"[\u0621-\u064a]+", w2):
                        break
                    end = e2
                role_end = words[first - 1][1] if first else re_
                self._add_ar(found, nt, (words[first][0], end), (rs, role_end), 0.6)
                return
            if not re.fullmatch(r"[\u0621-\u064a]+", w):
                return

    def _add_ar(
        self,
        found: dict[tuple[int, int], PersonMention],
        nt: NormalizedText,
        span: tuple[int, int],
        role: tuple[int, int],
        conf: float,
    ) -> None:
        a, b = nt.span_to_original(*span)
        if any(a < e and s < b for s, e in found):
            return
        ra, rb = nt.span_to_original(*role)
        surface = nt.original[a:b]
        found[(a, b)] = PersonMention(a, b, surface, display_name(surface), nt.original[ra:rb].strip(), conf)

    def _cited(self, norm: str, start: int, end: int) -> bool:
        """True when a citation cue ("according to", "بحسب", "said") stands next to [start, end) of ``norm``."""
        before = tuple(_WORD.findall(_CLAUSE_END.split(norm[max(0, start - CUE_WINDOW) : start])[-1]))
        after = tuple(_WORD.findall(_CLAUSE_END.split(norm[end : end + CUE_WINDOW])[0]))
        return _cue_near_end(before, self.cues_before) or _cue_at(after, 0, self.cues_after) is not None

    def organisations(self, nt: NormalizedText, actors: list[ActorMention]) -> list[OrgMention]:
        """Monitors, agencies and news agencies, plus any actor the text (normalised once, by the caller)
        cites as a source."""
        out = []
        for act in actors:
            cited = self._cited(nt.text, bisect_left(nt.offsets, act.start), bisect_left(nt.offsets, act.end))
            if act.kind in ORG_KINDS or cited:
                out.append(
                    OrgMention(act.start, act.end, act.surface, act.name, act.actor_id, cited, act.confidence)
                )
        return out


Cues = dict[str, list[tuple[str, ...]]]


def _by_first_word(cues: list[str]) -> Cues:
    """Cue phrases as normalised word tuples, indexed by their first word."""
    out: Cues = {}
    for cue in cues:
        words = tuple(_WORD.findall(normalize(cue).text))
        if words:
            out.setdefault(words[0], []).append(words)
    return out


def _cue_at(words: tuple[str, ...], i: int, cues: Cues) -> tuple[str, ...] | None:
    """The cue starting at ``words[i]``, if any; that word may carry a glued Arabic conjunction ("وقال")."""
    if i >= len(words):
        return None
    first = words[i]
    options = cues.get(first, [])
    if first[:1] in _AR_GLUE:
        options = options + cues.get(first[1:], [])
    for cue in options:
        if words[i + 1 : i + len(cue)] == cue[1:]:
            return cue
    return None


def _cue_near_end(words: tuple[str, ...], cues: Cues) -> bool:
    """True when a cue ends at most :data:`CUE_GAP` words before the end of ``words``."""
    for i in range(len(words)):
        cue = _cue_at(words, i, cues)
        if cue is not None and i + len(cue) <= len(words) and len(words) - (i + len(cue)) <= CUE_GAP:
            return True
    return False


def display_name(surface: str) -> str:
    """A name as written, without invisible marks, tatweel or vowel signs ("مــحمّد\u200f" -> "محمد")."""
    kept = (c for c in surface if c != "\u0640" and unicodedata.category(c) not in ("Cf", "Mn"))
    return " ".join("".join(kept).split())
