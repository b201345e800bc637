"""The fuzz harness on every stage's entry point: no crash, no hang, each reject with its reason.

``make test`` runs a small sample (a few thousand inputs, every hand-written
hostile case, a sixth of the field-by-field poison); ``make chaos`` runs
``tools.fuzz.run`` with 100,000. Inputs that once crashed a stage are kept
as data in ``tests/cases/fuzz_regressions.jsonl``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import orjson
import pytest

from shared.records import BadRecord
from tests.cases import Case, case_name, load_cases
from tools import fuzz
from tools.fuzz_targets import GOOD_HTML, Target, all_targets
from tools.fuzz_values import dumps

ROOT = Path(__file__).resolve().parents[2]
CACHE = ROOT / ".wirecount" / "test-cache"  # the gazetteer index the extractor tests build too
REASON = re.compile(r"[a-z][a-z0-9_]{1,30}")  # a code like "bad_base64"


@pytest.fixture(scope="module")
def summary() -> dict[str, Any]:
    return fuzz.run(2_500, seed=20261126, cache_dir=CACHE, poison_share=6)


def test_no_stage_crashes_or_hangs(summary: dict[str, Any]) -> None:
    per_stage = {name: (s["crashes"], s["hangs"]) for name, s in summary["stages"].items()}
    assert summary["fuzz_crashes"] == 0 and summary["fuzz_hangs"] == 0, (per_stage, summary["failures"])
    assert summary["fuzz_inputs"] >= 2_500


def test_every_stage_accepts_some_input_and_rejects_the_rest_with_a_reason(summary: dict[str, Any]) -> None:
    assert set(summary["stages"]) == set(fuzz.WEIGHTS)
    for name, stage in summary["stages"].items():
        assert stage["accepted"] > 0 and stage["rejected"] > 0, name
        assert sum(stage["reasons"].values()) == stage["rejected"], name
        assert [r for r in stage["reasons"] if not REASON.fullmatch(r)] == [], name


def test_a_good_input_after_a_bad_one_is_processed_normally(summary: dict[str, Any]) -> None:
    for name, stage in summary["stages"].items():
        assert stage["good_after_bad"] > 0, name
        assert stage["max_seconds"] < summary["time_limit_s"], name


def test_the_command_prints_one_json_line(capsys: pytest.CaptureFixture[str]) -> None:
    code = fuzz.main(["--inputs", "10", "--seed", "3", "--cache-dir", str(CACHE), "--poison-share", "1000"])
    line = capsys.readouterr().out.strip()
    assert "\n" not in line
    out = orjson.loads(line)
    assert code == (1 if out["fuzz_crashes"] or out["fuzz_hangs"] else 0)
    assert {"fuzz_inputs", "fuzz_crashes", "fuzz_hangs", "stages"} <= set(out)


# -- regressions: inputs fuzzing once found, as data ---------------------------------------


@pytest.fixture(scope="module")
def targets() -> dict[str, Target]:
    return {t.name: t for t in all_targets(CACHE)}


def _message(target: Target, given: Mapping[str, Any]) -> bytes:
    base = orjson.loads(target.good(0))
    if "html_insert" in given:
        base["html"] = GOOD_HTML.replace("<head>", "<head>" + given["html_insert"])
    if "data_patch" in given:
        base["data"] = base["data"] | given["data_patch"]
    if "figure_patch" in given:
        base["casualties"] = [base["casualties"][0] | given["figure_patch"]]
    return dumps(base | given.get("patch", {}))


@pytest.mark.parametrize("case", load_cases("fuzz_regressions.jsonl", needs=("given",)), ids=case_name)
def test_regression(targets: dict[str, Target], case: Case) -> None:
    target = targets[case.given["stage"]]
    expected = case.expected
    if expected.startswith("rejected:"):
        with pytest.raises(BadRecord) as caught:
            target.call(_message(target, case.given))
        assert caught.value.reason == expected.removeprefix("rejected:")
        return
    outputs = target.call(_message(target, case.given))
    fuzz.check_outputs(outputs)
    if ":" in expected:
        assert len(outputs) == int(expected.split(":")[1])
