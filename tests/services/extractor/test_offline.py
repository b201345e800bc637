"""predict and eval over gold-format JSON Lines; the regression gate on the project's own gold file."""

from __future__ import annotations

import io
from pathlib import Path

import orjson
import pytest

from services.extractor import offline, scoring
from tests.services.extractor.casualties.fakes import FakeExtractor
from tests.services.extractor.gold import FIXTURES, assert_at_least, baseline_scores, read_gold, sha256_of

GOLD = FIXTURES / "gold_small.jsonl"
# Minimum scores on gold_small.jsonl, pinned with its hash: a change to either must be deliberate.
GOLD_SHA256 = "2015bfce6a74581f5ac2bdf2ecc2ff16d22396044fc5cbb30ea78b914c306fe9"
MINIMUM = {
    "precision": 0.95,
    "recall": 0.95,
    "f1": 0.95,
    "victims_acc": 0.9,
    "location_acc": 0.9,
    "subset_acc": 0.9,
}


def test_gold_file_is_the_one_the_minimums_were_pinned_for() -> None:
    assert sha256_of(GOLD) == GOLD_SHA256


def test_regression_gate_on_project_gold() -> None:
    gold = read_gold(GOLD)
    preds = {art_id: figs for art_id, figs, _ in offline.predict(gold, FakeExtractor())}
    scores = scoring.score(gold, preds).total.scores()
    assert_at_least(scores, MINIMUM)
    assert scores["f1"] > baseline_scores(gold)["f1"]


def test_predict_writes_one_line_per_article(tmp_path: Path) -> None:
    out = io.StringIO()
    assert offline.main(["predict", "--no-entities", str(GOLD)], out) == 0
    lines = [orjson.loads(line) for line in out.getvalue().splitlines()]
    assert [line["id"] for line in lines] == [a["id"] for a in read_gold(GOLD)]
    assert all(set(line) == {"id", "casualties"} for line in lines)


def test_eval_ends_with_one_line_of_json_scores() -> None:
    out = io.StringIO()
    assert offline.main(["eval", "--no-entities", "--gold", str(GOLD)], out) == 0
    text = out.getvalue().splitlines()
    assert text[0].split()[:6] == ["gold", "/", "lang", "gold", "pred", "match"]
    assert any(line.startswith("baseline") for line in text)
    last = orjson.loads(text[-1])
    assert set(last) == {"precision", "recall", "f1", "victims_acc", "location_acc", "subset_acc"}
    assert last["f1"] >= MINIMUM["f1"]


def test_module_entry_dispatches_offline_commands() -> None:
    from services.extractor.__main__ import main

    assert main(["nonsense"]) == 2
    assert main(["eval", "--no-entities", "--gold", str(GOLD), "--max-errors", "0"]) == 0


def _gold_line(art_id: str, lang: str, text: str, figures: list[dict[str, object]]) -> str:
    return orjson.dumps({"id": art_id, "lang": lang, "text": text, "casualties": figures}).decode()


def test_eval_over_a_folder_scores_each_file_and_groups_errors_by_class(tmp_path: Path) -> None:
    figure = {
        "kind": "killed",
        "count": 9,
        "scope": "incident",
        "victims": "people",
        "location": None,
        "subset_of": None,
    }
    (tmp_path / "a.jsonl").write_text(
        _gold_line("a1", "en", "A car bomb killed 9 people on Monday.", [figure]) + "\n", "utf-8"
    )
    cumulative = {**figure, "count": 300, "scope": "cumulative"}
    (tmp_path / "b.jsonl").write_text(
        _gold_line("b1", "en", "Shelling killed 300 people.", [cumulative]) + "\n", "utf-8"
    )
    out = io.StringIO()
    assert offline.main(["eval", "--no-entities", "--by-class", "--gold", str(tmp_path)], out) == 0
    text = out.getvalue().splitlines()
    rows = [line.split()[0] for line in text[1:]]
    assert rows[:2] == ["a.jsonl", "b.jsonl"]
    summary = next(line for line in text if line.startswith("errors by class:"))
    assert "scope 1" in summary  # 300 read as an incident where the gold says cumulative
    assert any(line.startswith("== scope") for line in text)
    assert orjson.loads(text[-1])["recall"] == 0.5


def test_eval_of_a_missing_gold_file_is_a_clear_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert (
        offline.main(["eval", "--no-entities", "--gold", str(tmp_path / "absent.jsonl")], io.StringIO()) == 2
    )
    assert "no gold file" in capsys.readouterr().err
