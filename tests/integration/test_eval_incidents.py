"""``make eval-incidents`` end to end: made-up multi-outlet reports through the real workers and broker."""

from __future__ import annotations

from pathlib import Path

import orjson
import pytest

from tools import eval_incidents

pytestmark = pytest.mark.integration

REPORTS = [
    {
        "cluster": "E1",
        "url": "https://first.example/strike",
        "lang": "en",
        "published": "2024-05-06",
        "title": "Shelling kills 12 in market",
        "text": "Artillery shells hit a crowded market in the town of Maarat al-Numan in Idlib province on Monday, killing 12 civilians, rescuers said.",
        "figures": [{"kind": "killed", "count": 12, "scope": "incident"}],
        "same_incident": True,
    },
    {
        "cluster": "E1",
        "url": "https://second.example/market",
        "lang": "en",
        "published": "2024-05-06",
        "title": "Toll from market shelling rises",
        "text": "The toll from Monday's shelling of the market in Maarat al-Numan in Idlib province rose to 15 civilians killed, medics said.",
        "figures": [{"kind": "killed", "count": 15, "scope": "incident"}],
        "same_incident": True,
    },
]
EXPECTED = {"E1": {"killed": {"low": 12, "best": 15, "high": 15}}}


def test_reports_go_through_the_pipeline_and_are_scored(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    clusters = tmp_path / "clusters.jsonl"
    clusters.write_bytes(b"\n".join(orjson.dumps(r) for r in REPORTS) + b"\n")
    expected = tmp_path / "expected.json"
    expected.write_bytes(orjson.dumps(EXPECTED))
    answer = tmp_path / "answer.json"
    code = eval_incidents.main(
        ["--clusters", str(clusters), "--expected", str(expected), "--answer", str(answer)]
    )
    assert code == 0
    out = capsys.readouterr().out.splitlines()
    summary = orjson.loads(out[-1])
    assert summary["clusters"] == 1
    documents = orjson.loads(answer.read_bytes())
    killed = [d for d in documents if d["kind"] == "killed"]
    assert killed, documents
    assert summary["clusters_in_one_incident"] == 1, out
    assert summary["low_high_exact"] == 1, out


def test_absent_clusters_are_skipped_with_a_message(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = eval_incidents.main(
        ["--clusters", str(tmp_path / "none.jsonl"), "--expected", str(tmp_path / "none.json")]
    )
    assert code == 0
    assert "skipped" in capsys.readouterr().out
