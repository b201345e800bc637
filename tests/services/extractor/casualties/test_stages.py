"""Each stage alone: tokens, candidates, kinds, subsets and scope, victims, overlap policy."""

from __future__ import annotations

from services.extractor.casualties.candidates import find_candidates
from services.extractor.casualties.grammar.ar import arabic_forms
from services.extractor.casualties.kinds import assign_kinds, link_siblings
from services.extractor.casualties.lexicon import load_lexicon
from services.extractor.casualties.model import Candidate, NumberMention
from services.extractor.casualties.pipeline import Segment, find_figures
from services.extractor.casualties.policy import merge_restatements, resolve_overlaps
from services.extractor.casualties.scope import link_breakdowns
from services.extractor.casualties.tokens import tokenize


def _figures(text: str, lang: str) -> list[Candidate]:
    lex = load_lexicon(lang)
    return find_figures(Segment("body", text, tokenize(text, lex), [], []), lex)


def test_arabic_forms_strip_clitics_article_and_tanween() -> None:
    assert {"قتلي", "القتلي"} <= arabic_forms("والقتلي")
    assert "مدني" in arabic_forms("مدنيا")
    assert "جرحي" in arabic_forms("بالجرحي")


def test_tokens_keep_original_offsets_and_clauses() -> None:
    text = "قُتِلَ ١٤ شخصاً، كما أصيب ٣٠."
    toks = tokenize(text, load_lexicon("ar"))
    assert text[toks[1].start : toks[1].end] == "١٤"
    assert toks[0].clause == toks[2].clause
    assert toks[-2].clause != toks[0].clause  # "كما" opens a new clause


def test_candidates_skip_objects_years_and_ages() -> None:
    lex = load_lexicon("en")
    text = "In 2015 the 3 strikes hit 12 houses, killing 4 people aged 70."
    values = [c.number.value for c in find_candidates(tokenize(text, lex), lex, "body")]
    assert values == [4]


def test_nearest_trigger_wins_and_owned_triggers_are_left_alone() -> None:
    lex = load_lexicon("en")
    toks = tokenize("Gunmen killed 5 and wounded 12 in the attack.", lex)
    cands = find_candidates(toks, lex, "body")
    link_siblings(toks, cands, lex)
    kinds = [(c.number.value, c.kind) for c in assign_kinds(toks, cands, lex)]
    assert kinds == [(5, "killed"), (12, "injured")]


def test_part_of_a_part_points_at_its_immediate_parent() -> None:
    figs = _figures("قتل 20 شخصا بينهم 8 أطفال ومن ضمنهم طفلة رضيعة.", "ar")
    values = {f.number.value: f for f in figs}
    assert values[8].parent is values[20]
    assert values[1].parent is values[8]


def test_breakdown_is_linked_only_when_it_adds_up() -> None:
    figs = _figures(
        "Strikes killed 9 people. 5 people were killed in one town and 4 people were killed in another.", "en"
    )
    link_breakdowns(figs)
    assert [f.parent.number.value if f.parent else None for f in figs] == [None, 9, 9]
    other = _figures(
        "Strikes killed 9 people. 5 people were killed in one town and 3 people were killed in another.", "en"
    )
    assert [f.parent for f in other] == [None, None, None]


def test_cumulative_toll_is_never_a_parent_of_an_incident() -> None:
    figs = _figures("Since the war began 500 people have been killed. On Monday 5 people were killed.", "en")
    assert [(f.scope, f.parent) for f in figs] == [("cumulative", None), ("incident", None)]


def test_mixed_part_takes_the_category_of_its_total() -> None:
    figs = _figures("قتل 10 مدنيين بينهم 6 أطفال ونساء.", "ar")
    assert [f.victims for f in figs] == ["civilians", "civilians"]


def _cand(first: int, last: int, value: int, segment: str = "body", sentence: int = 0) -> Candidate:
    c = Candidate(
        segment=segment, number=NumberMention(first, last, value, "digits"), np_end=last + 1, noun=None
    )
    c.kind, c.sentence = "killed", sentence
    return c


def test_overlap_policy_keeps_the_longer_reading() -> None:
    long, short = _cand(3, 4, 150000), _cand(3, 3, 150)
    assert resolve_overlaps([short, long]) == [long]


def test_restatement_policy_merges_title_and_body_but_not_same_sentence() -> None:
    body, title = _cand(0, 0, 12), _cand(0, 0, 12, segment="title")
    title.qualifier = "at_least"
    assert merge_restatements([title, body]) == [body]
    assert body.qualifier == "at_least"
    a, b = _cand(0, 0, 3), _cand(5, 5, 3)
    assert len(merge_restatements([a, b])) == 2  # one sentence, two groups of three


def test_two_parts_of_one_total_are_two_items_but_a_restated_part_is_one() -> None:
    total = _cand(0, 0, 9)
    first, second = _cand(10, 10, 1, sentence=1), _cand(20, 20, 1, sentence=2)
    first.parent = second.parent = total
    assert len(merge_restatements([total, first, second])) == 3  # "a civilian in X ... a civilian in Y"
    again = _cand(30, 30, 9, sentence=3)
    restated = _cand(32, 32, 1, sentence=3)
    restated.parent = again
    kept = merge_restatements([total, first, again, restated])
    assert len(kept) == 2  # the total and its part, each said twice


def test_a_person_named_at_two_places_is_two_people() -> None:
    from types import SimpleNamespace

    def one(first: int, sentence: int, town: str) -> Candidate:
        c = Candidate(segment="body", number=NumberMention(first, first, 1, "one"), np_end=first, noun=None)
        c.kind, c.sentence = "killed", sentence
        c.place = SimpleNamespace(
            name=town, country="SY", admin1="Idlib", feature="village", source="gazetteer"
        )
        return c

    assert len(merge_restatements([one(0, 0, "Town A"), one(9, 1, "Town B")])) == 2
    assert len(merge_restatements([one(0, 0, "Town A"), one(9, 1, "Town A")])) == 1
