"""The provisioned Grafana dashboards: consistent datasources, ids and variables (no Grafana needed)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.deploy.queries import (
    DASHBOARDS,
    GRAFANA_BUILTINS,
    compose,
    load_dashboard,
    panels,
    provisioned_datasources,
    queries,
    substitute,
    variable_names,
    variables_used,
)

INFINITY = "yesoreyeram-infinity-datasource"


def test_there_are_the_two_dashboards_with_distinct_uids() -> None:
    boards = {p.name: load_dashboard(p) for p in DASHBOARDS}
    assert set(boards) == {"pipeline-health.json", "casualties.json"}
    uids = [b["uid"] for b in boards.values()]
    assert len(set(uids)) == len(uids)
    assert all(b["title"].startswith("wirecount") for b in boards.values())


@pytest.mark.parametrize("path", DASHBOARDS, ids=lambda p: p.name)
def test_every_query_uses_a_provisioned_datasource_of_the_right_type(path: Path) -> None:
    provisioned = provisioned_datasources()
    board = load_dashboard(path)
    for panel in panels(board):
        ds = panel.get("datasource")
        assert ds, f"panel {panel['title']!r} names no datasource"
        assert provisioned.get(ds["uid"]) == ds["type"], f"panel {panel['title']!r}: {ds}"
    for query in queries(board):
        assert provisioned.get(query.datasource_uid) == query.datasource_type, query.name
    for variable in board.get("templating", {}).get("list", []):
        ds = variable.get("datasource")
        if ds:
            assert provisioned.get(ds["uid"]) == ds["type"], variable["name"]


@pytest.mark.parametrize("path", DASHBOARDS, ids=lambda p: p.name)
def test_panels_have_unique_ids_titles_and_fit_the_grid(path: Path) -> None:
    board = load_dashboard(path)
    every = list(board["panels"]) + [p for r in board["panels"] for p in r.get("panels", [])]
    ids = [p["id"] for p in every]
    assert len(set(ids)) == len(ids)
    for panel in panels(board):
        assert panel["title"] and panel.get("description"), panel["id"]
        assert panel["targets"], panel["title"]
        grid = panel["gridPos"]
        assert grid["x"] >= 0 and grid["x"] + grid["w"] <= 24, panel["title"]


@pytest.mark.parametrize("path", DASHBOARDS, ids=lambda p: p.name)
def test_queries_refer_only_to_defined_variables(path: Path) -> None:
    board = load_dashboard(path)
    defined = variable_names(board) | set(GRAFANA_BUILTINS)
    prometheus = [q for q in queries(board) if q.datasource_type == "prometheus"]
    assert prometheus
    for query in prometheus:
        assert query.expr.strip(), query.name
        assert variables_used(query.expr) <= defined, query.name
        assert "$" not in substitute(query.expr, variable_names(board)), query.name


def test_recent_incidents_table_reads_the_aggregator_api_through_infinity() -> None:
    board = load_dashboard(next(p for p in DASHBOARDS if p.name == "casualties.json"))
    api = [q for q in queries(board) if q.datasource_type == INFINITY]
    assert len(api) == 1
    target = api[0].target
    assert target["url"].startswith("/incidents?"), "relative to the datasource's aggregator URL"
    assert target["root_selector"] == "incidents"
    selectors = {c["selector"] for c in target["columns"]}
    assert {"kind", "victims", "place", "country", "best", "low", "high", "sources"} <= selectors


def test_grafana_installs_the_plugin_and_loads_a_dashboard_that_exists() -> None:
    env = compose()["services"]["grafana"]["environment"]
    plugin, _, version = env["GF_INSTALL_PLUGINS"].partition(" ")
    assert plugin == INFINITY and version, "pinned plugin version"
    home = Path(env["GF_DASHBOARDS_DEFAULT_HOME_DASHBOARD_PATH"]).name
    assert home in {p.name for p in DASHBOARDS}


def test_substitute_replaces_grafana_and_dashboard_variables() -> None:
    expr = 'rate(x{country=~"$country"}[$__rate_interval]) + y{kind=~"${kind}"}'
    assert substitute(expr, {"country", "kind"}) == 'rate(x{country=~".*"}[2m]) + y{kind=~".*"}'
    with pytest.raises(KeyError):
        substitute("rate(x[$nope])", set())


def _links(panel: dict[str, Any]) -> list[str]:
    config = panel["fieldConfig"]
    found = [link["url"] for link in config["defaults"].get("links", [])]
    for override in config.get("overrides", []):
        found += [link["url"] for p in override["properties"] if p["id"] == "links" for link in p["value"]]
    return found


def test_incident_and_toll_panels_link_to_the_analysts_view() -> None:
    board = load_dashboard(next(p for p in DASHBOARDS if p.name == "casualties.json"))
    assert "view" in variable_names(board)
    by_title = {p["title"]: p for p in panels(board)}
    incidents = _links(by_title["Recent incidents (aggregator API)"])
    assert "${view}/view/incidents/${__value.raw}" in incidents  # the "Incident" column holds the id
    [api] = [q for q in queries(board) if q.datasource_type == INFINITY]
    column = {c["text"]: c["selector"] for c in api.target["columns"]}
    assert column.get("Incident") == "id"
    tolls = _links(by_title["Running tolls (latest reported, never added to incidents)"])
    assert tolls == ["${view}/?country=${__field.labels.country}&kind=${__field.labels.kind}#tolls"]
    for url in incidents + tolls:
        assert variables_used(url) <= variable_names(board) | {"__value", "__field"}, url
