"""Every PromQL expression of the dashboards and alert rules, run by a real Prometheus on the real pipeline.

Debian's ``prometheus`` binary scrapes the four workers (running on the embedded
broker) with the project's scrape config (DNS discovery swapped for loopback
targets, 1 s interval) and rule file. After the examples and two poison messages
went through, each dashboard query is asked of Prometheus' HTTP API: it must be
valid and return data; each alert expression must be valid and its rule healthy.
"""

from __future__ import annotations

import json
import math
import subprocess
import time
import urllib.parse
import warnings
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml

from shared import topics
from shared.broker import free_port
from shared.settings import STAGES
from shared.supervisor import Pipeline, http_get
from tests.conftest import EXAMPLES, produce
from tests.deploy.queries import (
    DASHBOARDS,
    PROMETHEUS_CONFIG,
    Query,
    alert_rules,
    load_dashboard,
    queries,
    require_tool,
    rule_files,
    substitute,
    variable_names,
)
from tests.pipelines import own_pipeline, publish_to

pytestmark = pytest.mark.integration

EXAMPLE_COUNT = 5
# Panels allowed to return no data because the metric they show is not exported yet.
# Reported by the test; remove an entry as soon as its metric lands (the test warns then).
# Entries read "<dashboard title> / <panel title>"; none pending now: every panel has its metric.
PENDING_PANELS: set[str] = set()


@dataclass
class Stack:
    """The pipeline and the Prometheus scraping it."""

    pipeline: Pipeline
    prometheus_url: str

    def api(self, path: str, **params: str) -> Any:
        """GET a Prometheus API path; the decoded JSON answer."""
        query = urllib.parse.urlencode(params)
        status, body = http_get(f"{self.prometheus_url}{path}?{query}", timeout_s=30)
        answer = json.loads(body)
        answer["http_status"] = status
        return answer

    def query(self, expr: str) -> Any:
        """Instant query at the current time."""
        return self.api("/api/v1/query", query=expr)


def adapted_config(pipeline: Pipeline, prometheus_address: str) -> dict[str, Any]:
    """deploy/prometheus/prometheus.yml with loopback targets, a 1 s interval and absolute rule paths."""
    config = yaml.safe_load(PROMETHEUS_CONFIG.read_text(encoding="utf-8"))
    config["global"]["scrape_interval"] = "1s"
    config["global"]["evaluation_interval"] = "1s"
    config["rule_files"] = [str(path) for path in rule_files()]
    for job in config["scrape_configs"]:
        if job.pop("dns_sd_configs", None) is not None:
            targets = [f"127.0.0.1:{w.port}" for w in pipeline.workers if w.stage == job["job_name"]]
            job["static_configs"] = [{"targets": targets}]
        else:
            job["static_configs"] = [{"targets": [prometheus_address]}]
    assert {job["job_name"] for job in config["scrape_configs"]} >= set(STAGES)
    return config


def wait_for(check: Any, what: str, timeout_s: float = 60.0) -> Any:
    """Poll ``check`` until it returns something truthy; fail with ``what`` after ``timeout_s``."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        try:
            result = check()
        except OSError:
            result = None
        if result:
            return result
        time.sleep(0.5)
    pytest.fail(f"timed out waiting for {what}")


def publish_poison(stack: Stack, key: bytes, at_least: float) -> None:
    """Send one undecodable raw article and wait until the parser dead-lettered it."""
    produce(stack.pipeline.bootstrap, topics.RAW, [(key, b"\x00 not json")])
    wait_for(
        lambda: (
            stack.pipeline.stage_metric("parser", "wirecount_parser_deadlettered_messages_total") >= at_least
        ),
        "the parser to dead-letter a poison message",
    )


def all_targets_up(stack: Stack, expected: int) -> bool:
    """True once Prometheus scraped every worker successfully."""
    targets = stack.api("/api/v1/targets")["data"]["activeTargets"]
    workers = [t for t in targets if t["labels"]["job"] in STAGES]
    return len(workers) == expected and all(t["health"] == "up" for t in workers)


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    """Pipeline on the embedded broker, Prometheus scraping it, examples and poison published."""
    exe = require_tool("prometheus")
    workdir = tmp_path_factory.mktemp("prometheus-stack")
    pipeline = own_pipeline(workdir / "pipeline").start()
    address = f"127.0.0.1:{free_port()}"
    config_path = workdir / "prometheus.yml"
    config_path.write_text(yaml.safe_dump(adapted_config(pipeline, address)), encoding="utf-8")
    log = open(workdir / "prometheus.log", "wb")  # noqa: SIM115  (closed in finally)
    server = subprocess.Popen(
        [
            exe,
            f"--config.file={config_path}",
            f"--storage.tsdb.path={workdir / 'tsdb'}",
            f"--web.listen-address={address}",
        ],
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    running = Stack(pipeline, f"http://{address}")
    try:
        wait_for(lambda: http_get(running.prometheus_url + "/-/ready", 2)[0] == 200, "Prometheus ready")
        # Scrape every counter at zero first, so rates over the test's window see it grow.
        wait_for(lambda: all_targets_up(running, len(pipeline.workers)), "every worker scraped")
        time.sleep(2)
        publish_poison(running, b"poison-1", 1)
        # Two waves, a few scrapes apart: a labelled series is born at its first observation,
        # so only a second wave makes its rate (and the latency quantiles) above zero.
        files = sorted(EXAMPLES.iterdir())
        published = 0
        for wave in (files[:2], files[2:]):
            report = publish_to(pipeline, wave)
            assert report.published and not report.errors
            published += report.published
            pipeline.wait_idle(published + 1, timeout_s=120)
            time.sleep(2)
        assert published == EXAMPLE_COUNT
        time.sleep(2)  # a second, separate dead letter: its rate is above zero
        publish_poison(running, b"poison-2", 2)
        # Lag is exported every 5 s; let a few scrapes and rule evaluations happen.
        wait_for(
            lambda: running.query('count({__name__=~"wirecount_.+_consumer_lag_messages"})')["data"][
                "result"
            ],
            "consumer lag in Prometheus",
        )
        time.sleep(3)
        yield running
    finally:
        server.terminate()
        try:
            server.wait(15)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
        log.close()
        pipeline.stop()


def dashboard_queries() -> list[tuple[Query, set[str]]]:
    """Every Prometheus query of every dashboard, with its dashboard's variable names."""
    found = []
    for path in DASHBOARDS:
        board = load_dashboard(path)
        found += [(q, variable_names(board)) for q in queries(board) if q.datasource_type == "prometheus"]
    return found


def has_data(answer: dict[str, Any]) -> bool:
    """True when a query answer holds at least one finite value."""
    data = answer["data"]
    if data["resultType"] == "scalar":
        return math.isfinite(float(data["result"][1]))
    values = [float(s["value"][1]) for s in data["result"] if "value" in s]
    values += [float(v[1]) for s in data["result"] for v in s.get("values", [])]
    return any(math.isfinite(v) for v in values)


def test_every_dashboard_query_is_valid_and_returns_data(stack: Stack) -> None:
    empty, invalid, pending_with_data = [], [], []
    for query, variables in dashboard_queries():
        answer = stack.query(substitute(query.expr, variables))
        panel = f"{query.dashboard} / {query.panel}"
        if answer["status"] != "success":
            invalid.append(f"{query.name}: {answer.get('error')}")
        elif not has_data(answer):
            if panel not in PENDING_PANELS:
                empty.append(query.name)
        elif panel in PENDING_PANELS:
            pending_with_data.append(panel)
    assert not invalid, "invalid PromQL:\n" + "\n".join(invalid)
    assert not empty, "panels without data:\n" + "\n".join(empty)
    if pending_with_data:
        warnings.warn(f"remove from PENDING_PANELS, they have data now: {pending_with_data}", stacklevel=1)
    if PENDING_PANELS - set(pending_with_data):
        print("pending panels (no data yet):", sorted(PENDING_PANELS - set(pending_with_data)))


def test_dashboard_variables_have_values(stack: Stack) -> None:
    for path in DASHBOARDS:
        for variable in load_dashboard(path).get("templating", {}).get("list", []):
            if variable["type"] != "query":  # a textbox (the view's URL) holds what the user types
                continue
            metric, label = variable["definition"].removeprefix("label_values(").rstrip(")").split(", ")
            answer = stack.query(f"count by ({label}) ({metric})")
            assert answer["status"] == "success" and answer["data"]["result"], variable["name"]


def test_every_alert_expression_is_valid_and_every_rule_healthy(stack: Stack) -> None:
    names = []
    for path in rule_files():
        for name, expr in alert_rules(path):
            answer = stack.query(expr)
            assert answer["status"] == "success", f"{name}: {answer.get('error')}"
            names.append(name)

    def evaluated_rules() -> list[dict[str, Any]]:
        groups = stack.api("/api/v1/rules")["data"]["groups"]
        rules = [r for g in groups for r in g["rules"]]
        done = all(not r["lastEvaluation"].startswith("0001") for r in rules)
        return rules if done and len(rules) == len(names) else []

    rules = wait_for(evaluated_rules, "every rule evaluated once", timeout_s=30)
    for rule in rules:
        assert rule["health"] == "ok", f"{rule['name']}: {rule.get('lastError')}"


def test_no_alert_fires_on_a_healthy_pipeline(stack: Stack) -> None:
    answer = stack.query('ALERTS{alertstate="firing"}')
    firing = {s["metric"]["alertname"] for s in answer["data"]["result"]}
    # Two poison messages among seven are not "rising dead letters" (at least 10 are needed).
    assert firing == set(), firing


def test_replicas_up_counts_every_worker(stack: Stack) -> None:
    answer = stack.query('sum by (job) (up{job=~"fetcher|parser|extractor|aggregator"})')
    assert {s["metric"]["job"]: float(s["value"][1]) for s in answer["data"]["result"]} == dict.fromkeys(
        STAGES, 1.0
    )


def test_consumer_lag_is_zero_once_the_pipeline_is_idle(stack: Stack) -> None:
    def caught_up() -> dict[str, float]:
        answer = stack.query('sum by (group, topic) ({__name__=~"wirecount_.+_consumer_lag_messages"})')
        lag = {
            f"{s['metric']['group']} {s['metric']['topic']}": float(s["value"][1])
            for s in answer["data"]["result"]
        }
        return lag if lag and not any(lag.values()) else {}

    lag = wait_for(caught_up, "consumer lag 0 everywhere (commits every few seconds)", timeout_s=30)
    assert "wirecount-parser articles.raw" in lag
    assert "wirecount-extractor articles.parsed" in lag


def test_recent_incidents_table_columns_exist_in_the_api(stack: Stack) -> None:
    board = load_dashboard(next(p for p in DASHBOARDS if p.name == "casualties.json"))
    (query,) = [q for q in queries(board) if q.datasource_type != "prometheus"]
    aggregator = stack.pipeline.of("aggregator")[0]
    status, body = http_get(aggregator.url + query.target["url"])
    assert status == 200
    rows = json.loads(body)[query.target["root_selector"]]
    assert rows, "the examples make incidents"
    missing = [c["selector"] for c in query.target["columns"] if c["selector"] not in rows[0]]
    assert not missing, f"columns the API does not serve: {missing}"


def test_prometheus_log_has_no_errors(stack: Stack, tmp_path_factory: pytest.TempPathFactory) -> None:
    logs = list(Path(tmp_path_factory.getbasetemp()).glob("prometheus-stack*/prometheus.log"))
    assert logs
    errors = [line for line in logs[0].read_text(errors="replace").splitlines() if "level=error" in line]
    assert not errors, errors[:5]


def test_down_alert_expressions_name_a_stopped_worker(stack: Stack) -> None:
    # Last in this module: it stops the fetcher for good.
    rules = dict(alert_rules(rule_files()[0]))
    (fetcher,) = stack.pipeline.of("fetcher")
    fetcher.process.terminate()
    fetcher.process.wait(30)

    def firing(alert: str) -> set[str]:
        answer = stack.query(rules[alert])
        return {s["metric"].get("job", "") for s in answer["data"]["result"]}

    assert wait_for(lambda: firing("WirecountWorkerDown"), "up == 0 for the stopped fetcher") == {"fetcher"}
    assert firing("WirecountStageMissing") == {"fetcher"}
