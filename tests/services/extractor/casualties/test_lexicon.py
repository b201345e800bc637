"""The per-language resource files and their one cached loader."""

from __future__ import annotations

import pytest
import yaml

from services.extractor.casualties.lexicon import LANGS, RESOURCE_DIR, load_lexicon, phrase_tokens
from shared.vocabulary import KINDS, VICTIMS


@pytest.mark.parametrize("lang", LANGS)
def test_every_entry_is_text(lang: str) -> None:
    # YAML reads bare "no" or "false" as booleans: every phrase must stay a string.
    for path in sorted((RESOURCE_DIR / lang).glob("*.yaml")):
        data = yaml.safe_load(path.read_text("utf-8"))
        stack = [data]
        while stack:
            item = stack.pop()
            if isinstance(item, dict):
                stack.extend(item.values())
            elif isinstance(item, list):
                assert all(isinstance(x, str) for x in item), (path.name, item)


@pytest.mark.parametrize("lang", LANGS)
def test_resources_cover_every_kind_and_category(lang: str) -> None:
    lex = load_lexicon(lang)
    kinds = {value for entries in lex.triggers.by_first.values() for _, value in entries}
    assert kinds == set(KINDS)
    categories = {noun.category for noun in lex.victims.values()}
    assert set(VICTIMS) <= categories


def test_loader_is_cached_and_rejects_unknown_languages() -> None:
    assert load_lexicon("ar") is load_lexicon("ar")
    with pytest.raises(ValueError):
        load_lexicon("xx")


def test_phrases_are_normalised_like_text() -> None:
    assert phrase_tokens("على الأقل") == ("علي", "الاقل")
    assert phrase_tokens("خلال # ساعة") == ("خلال", "#", "ساعه")
