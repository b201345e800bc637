"""What the deploy tests read from deploy/: dashboard queries, alert expressions, provisioned datasources."""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from tests.ci import unavailable

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"
COMPOSE_FILE = DEPLOY / "docker-compose.yml"
ENV_EXAMPLE = DEPLOY / ".env.example"
PROMETHEUS_CONFIG = DEPLOY / "prometheus" / "prometheus.yml"
DASHBOARDS = sorted((DEPLOY / "grafana" / "dashboards").glob("*.json"))
DATASOURCES_FILE = DEPLOY / "grafana" / "provisioning" / "datasources" / "wirecount.yml"

# Grafana's own variables and what the tests put in their place: windows long enough to
# cover the whole test run, so a rate sees the counters' first (zero) samples.
GRAFANA_BUILTINS = {
    "__rate_interval": "2m",
    "__interval": "15s",
    "__range": "1h",
    "__range_s": "3600",
}
# A dashboard variable set to "All" becomes its allValue, ".*" in every wirecount dashboard.
ALL_VALUE = ".*"
VARIABLE = re.compile(r"\$\{(\w+)(?::\w+)?\}|\$(\w+)")


@dataclass(frozen=True)
class Query:
    """One query of one dashboard panel."""

    dashboard: str
    panel: str
    ref_id: str
    datasource_type: str
    datasource_uid: str
    target: dict[str, Any]

    @property
    def name(self) -> str:
        """``dashboard / panel / refId``, how failures are reported."""
        return f"{self.dashboard} / {self.panel} / {self.ref_id}"

    @property
    def expr(self) -> str:
        """The PromQL expression (empty for other datasources)."""
        return str(self.target.get("expr", ""))


def load_dashboard(path: Path) -> dict[str, Any]:
    """A dashboard JSON file."""
    return dict(json.loads(path.read_text(encoding="utf-8")))


def panels(dashboard: dict[str, Any]) -> Iterator[dict[str, Any]]:
    """Every panel of a dashboard, those inside collapsed rows included (rows themselves excluded)."""
    for panel in dashboard.get("panels", []):
        if panel.get("type") == "row":
            yield from panel.get("panels", [])
        else:
            yield panel


def queries(dashboard: dict[str, Any]) -> list[Query]:
    """Every query of every panel, with the datasource it runs on (the target's, else the panel's)."""
    found = []
    for panel in panels(dashboard):
        for target in panel.get("targets", []):
            ds = target.get("datasource") or panel.get("datasource") or {}
            found.append(
                Query(
                    dashboard=str(dashboard.get("title")),
                    panel=str(panel.get("title")),
                    ref_id=str(target.get("refId")),
                    datasource_type=str(ds.get("type")),
                    datasource_uid=str(ds.get("uid")),
                    target=target,
                )
            )
    return found


def variable_names(dashboard: dict[str, Any]) -> set[str]:
    """Names of the dashboard's template variables."""
    return {str(v["name"]) for v in dashboard.get("templating", {}).get("list", [])}


def variables_used(expr: str) -> set[str]:
    """Names of the ``$var`` / ``${var}`` references in ``expr``."""
    return {a or b for a, b in VARIABLE.findall(expr)}


def substitute(expr: str, variables: set[str]) -> str:
    """``expr`` as Grafana would send it with every dashboard variable at "All"."""

    def value(match: re.Match[str]) -> str:
        name = match.group(1) or match.group(2)
        if name in GRAFANA_BUILTINS:
            return GRAFANA_BUILTINS[name]
        if name in variables:
            return ALL_VALUE
        raise KeyError(f"unknown variable ${name} in {expr!r}")

    return VARIABLE.sub(value, expr)


def alert_rules(rules_file: Path) -> list[tuple[str, str]]:
    """(alert or record name, expression) of every rule in a Prometheus rule file."""
    doc = yaml.safe_load(rules_file.read_text(encoding="utf-8"))
    return [
        (str(rule.get("alert") or rule.get("record")), str(rule["expr"]))
        for group in doc["groups"]
        for rule in group["rules"]
    ]


def rule_files() -> list[Path]:
    """The rule files named by deploy/prometheus/prometheus.yml, resolved next to it."""
    config = yaml.safe_load(PROMETHEUS_CONFIG.read_text(encoding="utf-8"))
    return [PROMETHEUS_CONFIG.parent / str(name) for name in config.get("rule_files", [])]


def provisioned_datasources() -> dict[str, str]:
    """uid -> type of every provisioned Grafana datasource."""
    doc = yaml.safe_load(DATASOURCES_FILE.read_text(encoding="utf-8"))
    return {str(ds["uid"]): str(ds["type"]) for ds in doc["datasources"]}


def compose() -> dict[str, Any]:
    """The compose file, parsed (anchors and merge keys resolved by YAML)."""
    return dict(yaml.safe_load(COMPOSE_FILE.read_text(encoding="utf-8")))


def require_tool(name: str) -> str:
    """Path of the command ``name``; skips the test without it, except in CI (``CI=true``), where it fails."""
    path = shutil.which(name)
    if path:
        return path
    unavailable(f"{name} is not installed (apt-get install {name}; .ci/run installs it)")
