"""Stage 3a: subsets.

A part ("بينهم 7 أطفال", "including seven children", "Two of the victims", "the other 10")
points at the figure it is part of and takes its kind (and, in stage 3b, its scope). Consecutive
figures that add up exactly to the figure before them are its breakdown; the deaths that raised a
toll are part of it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from services.extractor.casualties.attach import partitive_group
from services.extractor.casualties.lexicon import Lexicon
from services.extractor.casualties.match import find_all
from services.extractor.casualties.model import Candidate, Token
from services.extractor.casualties.noun_phrase import victim_noun

_DIRECT_GAP = 3  # words allowed between a figure and the "بينهم" that opens its parts
_MAX_DEPTH = 20  # no real article nests parts deeper
_BREAKDOWN_SENTENCES = 3  # a breakdown starts within this many sentences of its total
_PART_GAP = 2  # and each part follows the one before within this many (a list, one line per place)
_INCREMENT_REACH = 4  # "after the death of three": words between the cue and the count


def _end(c: Candidate) -> int:
    q = c.qualifier_span
    return q[1] if q is not None and q[1] > c.np_end else c.np_end


def _cue_start(c: Candidate) -> int:
    for note in c.notes:
        if note.startswith("cue_start="):
            return int(note.split("=", 1)[1])
    return c.first


def _partitive_of(c: Candidate) -> int | None:
    for note in c.notes:
        if note.startswith("partitive_of="):
            return int(note.split("=", 1)[1])
    return None


def _descends_from(c: Candidate, ancestor: Candidate) -> bool:
    return _reaches(c.parent, ancestor, lambda p: p.parent)


def _reaches(
    start: Candidate | None, target: Candidate, step: Callable[[Candidate], Candidate | None]
) -> bool:
    """Whether following ``step`` from ``start`` (parents, siblings) comes to ``target``."""
    node, seen = start, 0
    while node is not None and seen < _MAX_DEPTH:
        if node is target:
            return True
        node, seen = step(node), seen + 1
    return False


def root(c: Candidate) -> Candidate:
    """The top of a chain of parts."""
    seen = 0
    while c.parent is not None and seen < _MAX_DEPTH:
        c = c.parent
        seen += 1
    return c


def _adjacent_parent(tokens: Sequence[Token], c: Candidate, before: Sequence[Candidate]) -> Candidate | None:
    start = _cue_start(c)
    for p in reversed(before):
        if p.segment != c.segment or p.sentence != c.sentence:
            return None
        words = [t for t in tokens[_end(p) + 1 : start] if t.kind != "punct"]
        return p if len(words) <= _DIRECT_GAP else None
    return None


def _latest_top(c: Candidate, before: Sequence[Candidate]) -> Candidate | None:
    same_kind = [p for p in before if p.parent is None and not p.subset_cue and p.segment == c.segment]
    if c.kind is not None:
        kind_match = [p for p in same_kind if p.kind == c.kind]
        if kind_match:
            return kind_match[-1]
    return same_kind[-1] if same_kind else None


def _antecedent(c: Candidate, before: Sequence[Candidate]) -> Candidate | None:
    """What "منهم" / "of them" refers to: the nearest larger count before it in its sentence, a part
    too ("بينهم 90 مدنيا و3 من المسلحين، وقتل 40 منهم في البلدة" points at the 90)."""
    for p in reversed(before):
        if p.segment != c.segment or p.sentence != c.sentence:
            return None
        if p.number.value > c.number.value:
            return p
    return None


def _other_fate(tokens: Sequence[Token], c: Candidate, lex: Lexicon | None, parent: Candidate) -> bool:
    """The partitive names a group of another fate than the part's own ("of the injured" who died), or
    its own verb says another fate than its antecedent's ("14 were wounded; two of them later died")."""
    if lex is None or c.kind is None:
        return False
    own_verb = c.trigger is not None and not c.inherited and c.trigger > c.number.last
    if own_verb and parent.kind is not None and parent.kind != c.kind:
        return True
    for t in tokens[c.number.last + 1 : c.np_end + 1]:
        noun = victim_noun(t, lex)
        if noun is not None and noun.casualty_kind is not None:
            return noun.casualty_kind != c.kind
    return False


def _own_other_fate(c: Candidate, parent: Candidate) -> bool:
    """The count's words give it a fate of their own, other than the figure before it."""
    return c.kind is not None and not c.inherited and parent.kind is not None and c.kind != parent.kind


def link_subsets(tokens: Sequence[Token], cands: list[Candidate], lex: Lexicon | None = None) -> None:
    """Resolve each part's parent; a cue with nothing to attach to leaves a top-level figure."""
    for i, c in enumerate(cands):
        before = cands[:i]
        cue = c.subset_cue
        if cue is None and i > 0 and _elliptic_sibling(tokens, cands[i - 1], c):
            c.parent, c.subset_cue = cands[i - 1].parent, "sibling"
            continue
        if cue is None or cue == "increment":
            continue  # increments were linked to their toll before
        parent: Candidate | None = None
        if cue == "sibling" and c.sibling is not None:
            parent = c.sibling.parent
        elif cue in ("direct", "enum"):
            parent = _adjacent_parent(tokens, c, before)
            if parent is None and cue == "direct":
                parent = _latest_top(c, before)
        elif cue == "other":
            prior = [p for p in before if p.parent is not None and p.segment == c.segment]
            parent = prior[-1].parent if prior else _latest_top(c, before)
            if not prior and parent is not None and _own_other_fate(c, parent):
                parent = None  # "20 were killed; another 35 were wounded": more people, not a share
        elif cue == "partitive" and _partitive_of(c) is not None:
            parent = next((p for p in cands if p.segment == c.segment and p.first == _partitive_of(c)), None)
        elif cue == "partitive":
            parent = _antecedent(c, before) or _latest_top(c, before)
        else:  # "after"
            parent = _latest_top(c, before)
        if cue == "partitive" and parent is not None and _other_fate(tokens, c, lex, parent):
            parent = None  # "وفاة ثلاثة من المصابين", "14 were wounded; two of them later died"
        if parent is not None and (parent is c or _descends_from(parent, c)):
            parent = None  # "5 of the 9 victims": never a loop of parts
        c.parent = parent
        if parent is None:
            c.subset_cue = None
    for c in cands:
        if c.parent is not None:
            c.kind = root(c).kind or c.kind


def _elliptic_sibling(tokens: Sequence[Token], prev: Candidate, c: Candidate) -> bool:
    """ "وقتل 40 منهم في البلدة و25 في القرية المجاورة", "بينهم 300 جندي، و120 من الشرطة": a count
    that takes its kind from the part just before it, joined to it by "and", is another part."""
    if not c.inherited or prev.parent is None or (prev.segment, prev.sentence) != (c.segment, c.sentence):
        return False
    if c.noun is not None and tokens[c.first].clause != tokens[prev.np_end].clause:
        return False  # "...، و5 أشخاص جراء غارة": a count with its own noun past a comma is a figure anew
    start = c.qualifier_span[0] if c.qualifier_span and c.qualifier_span[0] < c.first else c.first
    return tokens[start].glued or (start > 0 and tokens[start - 1].bare_conj)


def link_toll_increments(tokens: Sequence[Token], cands: Sequence[Candidate], lex: Lexicon) -> None:
    """ "rose to 15 after three of the wounded died", "ارتفع إلى 9 بعد وفاة ثلاثة": the deaths that raised
    a toll are part of it, never added on top of it."""
    cue = lex.cues.get("increment_before")
    for prev, c in zip(cands, cands[1:], strict=False):
        if c.parent is not None or not prev.toll or prev.parent is not None:
            continue
        if (prev.segment, prev.sentence, prev.kind) != (c.segment, c.sentence, c.kind):
            continue
        start = c.qualifier_span[0] if c.qualifier_span and c.qualifier_span[0] < c.first else c.first
        lo = max(_end(prev) + 1, start - _INCREMENT_REACH)
        if c.number.value < prev.number.value and find_all(tokens, cue, lo, start):
            c.parent = prev
            c.subset_cue = "increment"


def link_breakdowns(
    cands: Sequence[Candidate], tokens: Sequence[Token] | None = None, lex: Lexicon | None = None
) -> None:
    """Figures after a total that add up to it exactly are its parts (a breakdown by place or group);
    figures of other kinds between them are skipped ("- North: 9 killed and 14 wounded. - Coast: 10
    wounded. - Centre: 12 killed and 16 wounded." breaks down both the dead and the wounded)."""
    tops = [c for c in cands if c.parent is None]
    for i, total in enumerate(tops):
        run = _breakdown_run(total, tops[i + 1 :], group=_group_reader(tokens, lex))
        if tokens is not None and run and _listed_with(tokens, total, run):
            continue  # "six soldiers, three guards and three villagers": one list, not a total and its parts
        if len(run) >= 2 and sum(c.number.value for c in run) == total.number.value:
            for c in run:
                if c.parent is None:
                    c.parent = total
                    c.subset_cue = "breakdown"


def _listed_with(tokens: Sequence[Token], total: Candidate, run: Sequence[Candidate]) -> bool:
    """Whether the would-be parts are the total's fellow items in one list: in its clause, or right
    after its noun with only commas or "and" between, the total naming a group of its own ("six
    soldiers, three guards ..."; "seven residents, three men and two women" is a total and its parts)."""
    if any(tokens[c.first].clause == tokens[total.first].clause for c in run):
        return True
    first = run[0]
    if first.sentence != total.sentence or total.noun is None or total.noun.category in ("people", "role"):
        return False
    gap = tokens[total.np_end + 1 : first.first]
    return all(t.kind == "punct" or t.bare_conj for t in gap)


def link_headline_breakdowns(cands: Sequence[Candidate]) -> None:
    """A headline total no body figure restates ("Ambush kills 9") whose parts open the body ("killed
    seven soldiers and two police officers") and add up to it exactly is their parent."""
    body = [c for c in cands if c.segment == "body" and c.parent is None]
    for total in (c for c in cands if c.segment == "title" and c.parent is None):
        run = _breakdown_run(total, body, segment="body", start=0)
        if len(run) >= 2 and sum(c.number.value for c in run) == total.number.value:
            for c in run:
                c.parent = total
                c.subset_cue = "breakdown"


def _group_reader(tokens: Sequence[Token] | None, lex: Lexicon | None) -> Callable[[Candidate], str | None]:
    """A figure's named group: its noun's, else the body a partitive names ("three of the police")."""
    if tokens is None or lex is None:
        return _category
    return lambda c: _category(c) or partitive_group(tokens, c, lex)


def _breakdown_run(
    total: Candidate,
    after: Sequence[Candidate],
    segment: str | None = None,
    start: int | None = None,
    group: Callable[[Candidate], str | None] | None = None,
) -> list[Candidate]:
    """The figures of the total's kind after it (in ``segment`` from sentence ``start``: the body
    after a headline), while they fit under it and each follows the one before within the reach of a
    listed breakdown."""
    run: list[Candidate] = []
    acc = 0
    last = total.sentence if start is None else start
    for c in after:
        reach = _PART_GAP if run else _BREAKDOWN_SENTENCES
        if c.segment != (segment or total.segment) or c.sentence - last > reach:
            break
        if c.kind != total.kind or c.scope != total.scope:
            continue  # the wounded, or the war's running toll, stated between the parts
        if c.number.value >= total.number.value:
            continue  # another attack's larger toll, told between the total and its parts
        if _coordinated_with(c, total):
            break  # "4 children killed with their mother": she is beside them, not one of them
        if not fits_within(c, total, group or _category):
            continue  # the police killed answering the attack on villagers: another group, told between
        run.append(c)
        acc, last = acc + c.number.value, c.sentence
        if acc >= total.number.value:
            break
    return run


# Which named groups a group named by its noun can contain ("civilians" hold children and women).
_CONTAINS = {"civilians": frozenset({"civilians", "children", "women"})}


def _category(c: Candidate) -> str | None:
    noun = c.noun
    if noun is None or noun.casualty_kind is not None or noun.category in ("people", "role"):
        return None
    return noun.category


def fits_within(
    part: Candidate, total: Candidate, group: Callable[[Candidate], str | None] | None = None
) -> bool:
    """Whether the part's named group can be inside the total's: no civilian is one of "6 children"."""
    named = group or _category
    inner, outer = named(part), named(total)
    if inner is None or outer is None:
        return True
    return inner in _CONTAINS.get(outer, frozenset({outer}))


def _coordinated_with(c: Candidate, total: Candidate) -> bool:
    """Whether ``c`` is coordinated with ``total`` through a chain of siblings."""
    return _reaches(c.sibling, total, lambda s: s.sibling)


def link_family_parts(tokens: Sequence[Token], cands: Sequence[Candidate], lex: Lexicon) -> None:
    """Link "N people from one family were also killed" to the larger toll of the same place before it."""
    family = lex.cues.get("family")
    for i, c in enumerate(cands):
        if c.parent is not None or not any(
            find_all(tokens, family, k, k + 6) and find_all(tokens, family, k, k + 6)[0][0] == k
            for k in (c.np_end + 1, c.np_end + 2)
        ):
            continue
        for p in reversed(cands[:i]):
            if p.parent is not None or p.segment != c.segment or p.sentence >= c.sentence:
                continue
            if (p.kind, p.scope) != (c.kind, c.scope) or p.number.value <= c.number.value:
                continue
            if same_place(c, p):
                c.parent = p
                c.subset_cue = "family"
                if c.victims == "people":
                    c.victims = p.victims
            break


def link_leading_breakdowns(cands: Sequence[Candidate]) -> None:
    """Figures that add up exactly to a total stated right after them are its parts: a report that
    opens on the groups ("five adults and 15 boys were found") and then sums them up ("20 bodies")."""
    for i, total in enumerate(cands):
        if total.parent is not None or total.kind is None:
            continue
        run = _leading_run(total, cands[:i])
        if len(run) >= 2 and sum(c.number.value for c in run) == total.number.value:
            for c in run:
                c.parent = total
                c.subset_cue = "breakdown"


def _leading_run(total: Candidate, before: Sequence[Candidate]) -> list[Candidate]:
    """The top-level figures of the total's kind and scope just before it, nearest first, while they
    fit under it and each is within the reach of a listed breakdown of the next."""
    run: list[Candidate] = []
    acc, nxt = 0, total.sentence
    for c in reversed(before):
        reach = _PART_GAP if run else _BREAKDOWN_SENTENCES
        if c.segment != total.segment or nxt - c.sentence > reach:
            break
        if c.kind != total.kind or c.scope != total.scope:
            continue
        if c.parent is not None or c.sentence == total.sentence:
            break  # a part of another figure, or the total's fellow in its own sentence
        if c.number.value >= total.number.value or _coordinated_with(c, total) or not fits_within(c, total):
            break
        run.append(c)
        acc, nxt = acc + c.number.value, c.sentence
        if acc >= total.number.value:
            break
    return run


def same_place(a: Candidate, b: Candidate) -> bool:
    """Whether two figures are of one place (or one of them names none)."""
    if a.place is None or b.place is None:
        return True
    return getattr(a.place, "name", None) == getattr(b.place, "name", None)


def link_restated_parts(cands: Sequence[Candidate]) -> None:
    """A part told again later on its own ("42 taken, including 27 students ... they took 27
    students") is still the part: the restatement points at the same total."""
    for i, c in enumerate(cands):
        if c.parent is not None:
            continue
        for p in cands[:i]:
            same = (p.segment, p.kind, p.scope, p.number.value) == (
                c.segment,
                c.kind,
                c.scope,
                c.number.value,
            )
            if same and p.parent is not None and p.parent is not c and same_place(c, p):
                c.parent = p.parent
                c.subset_cue = "restated"
                break


# For the stages that link parts by other signs (nesting.py).
span_end = _end
coordinated_with = _coordinated_with


def link_listed_groups(cands: Sequence[Candidate]) -> None:
    """Groups listed together in the sentence right after a larger total of their kind ("12 dead.
    Four women and seven men died at the scene.") are its parts, even when they leave some out."""
    for i, total in enumerate(cands):
        if total.parent is not None or total.kind is None:
            continue
        nxt = [c for c in cands[i + 1 :] if c.segment == total.segment and c.sentence == total.sentence + 1]
        same = [c for c in nxt if (c.kind, c.scope) == (total.kind, total.scope)]
        if len(same) < 2 or any(c.parent is not None for c in same):
            continue
        if _listed_under(same, total):
            for c in same:
                c.parent = total
                c.subset_cue = "breakdown"


def _listed_under(groups: Sequence[Candidate], total: Candidate) -> bool:
    """Whether coordinated groups (each the sibling of the one before) leave room under the total and
    can each be in it, of its place."""
    chained = all(b.sibling is a for a, b in zip(groups, groups[1:], strict=False))
    if not chained or sum(c.number.value for c in groups) >= total.number.value:
        return False
    return all(fits_within(c, total) and same_place(c, total) for c in groups)
