"""``make eval-incidents``: real multi-outlet reporting through the real pipeline, scored as incidents.

Starts the embedded broker and the four workers (:class:`shared.supervisor.Pipeline`, in a fresh
work folder so no earlier incident is read back), publishes every report of a clusters file with
the publish CLI, waits until all of them went through every stage, reads every incident from the
API (``GET /incidents`` for the ids, ``GET /incidents/{id}`` for each document) and scores them
with :mod:`tools.incident_score`. The clusters and expected files default to
``../shared/incidents/``; when they are absent it says so and exits 0 (the project does not ship them).
The last line printed is the JSON summary.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any
from urllib.parse import quote

import orjson

from shared.settings import load_settings
from shared.supervisor import Pipeline
from tools import incident_score

DEFAULT_CLUSTERS = Path("../shared/incidents/clusters-dev.jsonl")
DEFAULT_EXPECTED = Path("../shared/incidents/clusters-dev.expected.json")
PAGE = 500  # the API's largest page
# Every report goes through four workers; a few dozen real pages take seconds, a cold start
# (the gazetteer index built on first use) about a minute.
IDLE_TIMEOUT_S = 300.0


def read_reports(path: Path) -> list[dict[str, Any]]:
    """The reports of a clusters file (JSON Lines)."""
    return [orjson.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def publish_records(reports: Sequence[Mapping[str, Any]]) -> Iterator[bytes]:
    """The reports as publish-CLI records: url, text, title, published, lang."""
    for r in reports:
        record = {k: r.get(k) for k in ("url", "text", "title", "published", "lang")}
        yield orjson.dumps({k: v for k, v in record.items() if v is not None})


def publish_with_cli(records_path: Path, bootstrap: str) -> None:
    """Publish a JSON Lines file with ``python -m services.fetcher publish``, as a user would."""
    env = dict(os.environ) | {"KAFKA_BROKER": bootstrap, "WIRECOUNT_BROKER_FLAVOUR": "tansu"}
    done = subprocess.run(
        [sys.executable, "-m", "services.fetcher", "publish", str(records_path)],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        raise RuntimeError(f"publish failed ({done.returncode}): {done.stdout[-500:]} {done.stderr[-500:]}")


def all_incidents(pipeline: Pipeline) -> list[dict[str, Any]]:
    """Every incident document, each as ``GET /incidents/{id}`` serves it."""
    ids: list[str] = []
    offset = 0
    while True:
        page = pipeline.api(f"/incidents?limit={PAGE}&offset={offset}")
        ids += [str(doc["id"]) for doc in page["incidents"]]
        offset += PAGE
        if offset >= int(page["total"]):
            break
    return [pipeline.api(f"/incidents/{quote(i, safe='')}") for i in ids]


def run_pipeline(reports: Sequence[Mapping[str, Any]], workdir: Path) -> list[dict[str, Any]]:
    """Publish the reports through a fresh pipeline and return every incident document."""
    records_path = workdir / "reports.jsonl"
    records_path.write_bytes(b"\n".join(publish_records(reports)) + b"\n")
    settings = load_settings({k: v for k, v in os.environ.items() if k != "KAFKA_BROKER"})
    with Pipeline(settings, workdir, default_ports=False) as pipeline:
        publish_with_cli(records_path, pipeline.bootstrap)
        pipeline.wait_idle(len(reports), timeout_s=IDLE_TIMEOUT_S)
        return all_incidents(pipeline)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the evaluation; 0 when it ran or skipped, 2 on a bad argument."""
    parser = argparse.ArgumentParser(
        prog="python -m tools.eval_incidents", description=__doc__.split("\n\n")[0]
    )
    parser.add_argument("--clusters", type=Path, default=DEFAULT_CLUSTERS, help="reports with their cluster")
    parser.add_argument("--expected", type=Path, default=DEFAULT_EXPECTED, help="each event's expected toll")
    parser.add_argument("--answer", type=Path, help="also write every incident document here (JSON)")
    args = parser.parse_args(argv)
    missing = [str(p) for p in (args.clusters, args.expected) if not p.is_file()]
    if missing:
        print(
            f"eval-incidents: skipped: {', '.join(missing)} not found (the real clusters live beside a "
            "checkout, in ../shared/incidents; set CLUSTERS= and EXPECTED=)"
        )
        return 0
    reports = read_reports(args.clusters)
    expected = orjson.loads(args.expected.read_bytes())
    print(f"publishing {len(reports)} report(s) of {args.clusters} through the pipeline ...", flush=True)
    with tempfile.TemporaryDirectory(prefix="wirecount-eval-incidents-") as tmp:
        documents = run_pipeline(reports, Path(tmp))
    if args.answer:
        args.answer.write_bytes(orjson.dumps(documents, option=orjson.OPT_INDENT_2))
    events, pairs = incident_score.score(reports, expected, documents)
    for line in incident_score.table(events, pairs):
        print(line)
    print(orjson.dumps(incident_score.summary(events, pairs)).decode())
    return 0


if __name__ == "__main__":
    sys.exit(main())
