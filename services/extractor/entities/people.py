"""People (with stated roles) and organisations cited as sources, by patterns over the text."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from services.extractor.entities.model import ActorMention, OrgMention, PersonMention
from services.extractor.entities.resources import RESOURCE_DIR, read_lines
from shared.textnorm import NormalizedText, normalize

# Actor kinds that are organisations reporting on a conflict rather than parties to it.
ORG_KINDS = frozenset({"monitor", "agency", "news_agency", "health_authority"})
# How far before or after a mention a citation cue ("according to", "قال") may stand, in characters.
CUE_WINDOW = 30

_EN_NAME = r"[A-Z][a-z'’]+(?:-[A-Z]?[a-z'’]+)?"
_EN_LINK = r"(?:(?:al|el|bin|ibn|abu|Abu|Abdel|de|van|von)[-\s])?"
_EN_FULL_NAME = rf"{_EN_NAME}(?:\s+{_EN_LINK}{_EN_NAME}){{1,3}}"


class PeopleFinder:
    """Role words, citation cues and Arabic first names from ``<lang>/people.yaml``."""

    def __init__(self, resource_dir: Path = RESOURCE_DIR) -> None:
        en = yaml.safe_load((resource_dir / "en" / "people.yaml").read_text(encoding="utf-8"))
        ar = yaml.safe_load((resource_dir / "ar" / "people.yaml").read_text(encoding="utf-8"))
        roles_en = "|".join(sorted(map(re.escape, en["roles"]), key=len, reverse=True))
        roles_ar = "|".join(
            sorted((re.escape(normalize(r).text) for r in ar["roles"]), key=len, reverse=True)
        )
        verbs_ar = "|".join(re.escape(normalize(v).text) for v in ar["speech_verbs"])
        self.first_names_ar = {normalize(n).text for n in read_lines(resource_dir / "ar" / "first_names.txt")}
        self.cues_before = [normalize(c).text for c in en["cues_before"] + ar["cues_before"]]
        self.cues_after = [normalize(c).text for c in en["cues_after"] + ar["cues_after"]]
        self.en_role_name = re.compile(rf"\b(?P<role>(?:{roles_en}))\s+(?P<name>{_EN_FULL_NAME})")
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
            for pattern in (self.en_name_role, self.en_role_name):
                for m in pattern.finditer(text):
                    a, b = m.span("name")
                    if not any(a < e and s < b for s, e in found):
                        role = m.group("role").strip()
                        found[(a, b)] = PersonMention(a, b, text[a:b], text[a:b], role, 0.7)
        return sorted(found.values(), key=lambda p: p.start)

    def _role_then_name(
        self, found: dict[tuple[int, int], PersonMention], nt: NormalizedText, rs: int, re_: int
    ) -> None:
        """ "مدير المرصد رامي عبد الرحمن": a known first name within four words after a role word."""
        words = [
            (w.start() + re_, w.end() + re_, w.group()) for w in re.finditer(r"\S+", nt.text[re_ : re_ + 80])
        ]
        for i, (ws, _, w) in enumerate(words[:5]):
            if w in self.first_names_ar:
                end = words[i][1]
                for _s2, e2, w2 in words[i + 1 : i + 3]:
                    if w2 in self.ar_stop or w2 in self.ar_verbs or not re.fullmatch(r"[\u0621-\u064a]+", w2):
                        break
                    end = e2
                role_end = words[i - 1][1] if i else re_
                self._add_ar(found, nt, (ws, end), (rs, role_end), 0.6)
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
        name = nt.original[a:b]
        found[(a, b)] = PersonMention(a, b, name, name, nt.original[ra:rb].strip(), conf)

    def is_cited(self, text: str, start: int, end: int) -> bool:
        """True when a citation cue ("according to", "بحسب", "said") stands next to [start, end) of ``text``."""
        before = normalize(text[max(0, start - CUE_WINDOW) : start]).text
        after = normalize(text[end : end + CUE_WINDOW]).text.lstrip(" ,")
        return any(c in before for c in self.cues_before) or any(after.startswith(c) for c in self.cues_after)

    def organisations(self, text: str, actors: list[ActorMention]) -> list[OrgMention]:
        """Monitors, agencies and news agencies, plus any actor the text cites as a source."""
        out = []
        for act in actors:
            cited = self.is_cited(text, act.start, act.end)
            if act.kind in ORG_KINDS or cited:
                out.append(
                    OrgMention(act.start, act.end, act.surface, act.name, act.actor_id, cited, act.confidence)
                )
        return out
