"""The compose file, Dockerfile and Prometheus files, checked without a Docker engine."""

from __future__ import annotations

import re
import subprocess

import pytest
import yaml

from shared.settings import STAGES
from tests.deploy.queries import (
    COMPOSE_FILE,
    DEPLOY,
    ENV_EXAMPLE,
    PROMETHEUS_CONFIG,
    ROOT,
    alert_rules,
    compose,
    require_tool,
    rule_files,
)

SCALABLE = STAGES  # every worker scales: the aggregator's API reads all of casualties.incidents


def test_docker_compose_v1_validates_the_file() -> None:
    # Debian's docker-compose 1.29.2 needs no engine for `config`; it also rejects the
    # top-level `name:` and `include:` keys that newer Compose would accept.
    exe = require_tool("docker-compose")
    result = subprocess.run(
        [exe, "-f", str(COMPOSE_FILE), "config", "-q"], capture_output=True, text=True, cwd=ROOT, timeout=60
    )
    assert result.returncode == 0, result.stderr


def test_no_keys_that_compose_v1_rejects() -> None:
    assert not {"name", "include", "version"} & set(compose())


def test_every_stage_is_a_service_built_from_the_one_dockerfile() -> None:
    services = compose()["services"]
    for stage in STAGES:
        service = services[stage]
        assert service["build"] == {"context": "..", "dockerfile": "deploy/Dockerfile"}
        assert service["command"] == ["python", "-m", f"services.{stage}"]
        assert service["depends_on"]["kafka"]["condition"] == "service_healthy"
        assert service["depends_on"]["topics"]["condition"] == "service_completed_successfully"
    assert {s["image"] for s in (services[stage] for stage in STAGES)} == {services["topics"]["image"]}


@pytest.mark.parametrize("stage", SCALABLE)
def test_scalable_stages_have_no_container_name_or_fixed_host_port(stage: str) -> None:
    service = compose()["services"][stage]
    assert "container_name" not in service
    for port in service.get("ports", []):
        # "ip::container" lets Docker pick a free host port for each replica.
        parts = re.sub(r"\$\{[^}]*\}", "VAR", str(port)).split(":")
        assert len(parts) == 3 and parts[1] == "", f"{stage} publishes a fixed host port: {port}"


def test_kafka_is_official_kraft_single_node_with_health_check_and_volume() -> None:
    kafka = compose()["services"]["kafka"]
    assert re.fullmatch(r"apache/kafka:\d+\.\d+\.\d+", kafka["image"])
    env = kafka["environment"]
    assert env["KAFKA_PROCESS_ROLES"] == "broker,controller"
    assert env["KAFKA_CONTROLLER_QUORUM_VOTERS"] == "1@kafka:9093"
    assert env["KAFKA_AUTO_CREATE_TOPICS_ENABLE"] == "false"
    assert "kafka:9092" in env["KAFKA_ADVERTISED_LISTENERS"]
    assert kafka["healthcheck"]["test"]
    assert any(str(v).startswith("kafka-data:") for v in kafka["volumes"])


def test_images_are_pinned_and_stateful_services_keep_data_in_volumes() -> None:
    doc = compose()
    for name, service in doc["services"].items():
        image = service.get("image", "")
        tag = image.rsplit(":", 1)[-1] if ":" in image else ""
        assert tag and tag != "latest", f"{name}: unpinned image {image!r}"
    for name, path in (("prometheus", "/prometheus"), ("grafana", "/var/lib/grafana")):
        mounts = [str(v) for v in doc["services"][name]["volumes"]]
        assert any(m.endswith(":" + path) and not m.startswith(".") for m in mounts), name
    assert {"kafka-data", "prometheus-data", "grafana-data"} <= set(doc["volumes"])


def test_topics_service_is_one_shot() -> None:
    topics = compose()["services"]["topics"]
    assert topics["restart"] == "no"
    assert "ensure_pipeline_topics" in " ".join(topics["command"])


def test_every_variable_of_the_compose_file_is_documented_in_env_example() -> None:
    used = set(re.findall(r"\$\{(\w+)(?::?-[^}]*)?\}", COMPOSE_FILE.read_text(encoding="utf-8")))
    documented = set(re.findall(r"^(\w+)=", ENV_EXAMPLE.read_text(encoding="utf-8"), re.MULTILINE))
    assert used <= documented, "add them to deploy/.env.example"
    assert documented <= used, "variables in .env.example that nothing reads"


def test_dockerfile_is_multi_stage_slim_non_root_and_builds_the_gazetteer() -> None:
    text = (DEPLOY / "Dockerfile").read_text(encoding="utf-8")
    base = re.search(r"^ARG PYTHON_IMAGE=(\S+)$", text, re.MULTILINE)
    assert base and re.fullmatch(r"python:\d+\.\d+\.\d+-slim-\w+", base.group(1))
    assert len(re.findall(r"^FROM ", text, re.MULTILINE)) == 2
    users = re.findall(r"^USER (\S+)$", text, re.MULTILINE)
    assert users and users[-1] not in ("root", "0")
    # Built where the extractor will look: the cache_dir of the same settings (WIRECOUNT_CACHE_DIR).
    assert re.search(r"^\s*WIRECOUNT_CACHE_DIR=/\S+", text, re.MULTILINE)
    assert "load_entities(load_settings().cache_dir)" in text
    assert "load_entities(settings.cache_dir)" in (ROOT / "services" / "extractor" / "app.py").read_text()
    assert "HEALTHCHECK" in text


def test_prometheus_discovers_every_replica_of_every_stage_by_dns() -> None:
    config = yaml.safe_load(PROMETHEUS_CONFIG.read_text(encoding="utf-8"))
    port = int(compose()["x-worker"]["environment"]["WIRECOUNT_WEB_PORT"])
    jobs = {job["job_name"]: job for job in config["scrape_configs"]}
    for stage in STAGES:
        (sd,) = jobs[stage]["dns_sd_configs"]
        assert sd["names"] == [stage] and sd["type"] == "A" and sd["port"] == port
    assert all(path.is_file() for path in rule_files())


def test_promtool_accepts_the_config_and_rules() -> None:
    exe = require_tool("promtool")
    result = subprocess.run(
        [exe, "check", "config", str(PROMETHEUS_CONFIG)], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "SUCCESS" in result.stdout


def test_makefile_has_the_compose_targets() -> None:
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    for target in ("up", "down", "logs"):
        assert re.search(rf"^{target}:", makefile, re.MULTILINE), target


def test_every_alert_is_explained_in_the_operations_guide() -> None:
    guide = (ROOT / "docs" / "operations.md").read_text(encoding="utf-8")
    for path in rule_files():
        for name, _ in alert_rules(path):
            assert f"| `{name}`" in guide, f"docs/operations.md: say what {name} means and what to do"


def test_mounted_sources_file_is_one_the_fetcher_accepts() -> None:
    from services.fetcher.sources import load_sources

    fetcher = compose()["services"]["fetcher"]
    mount = re.fullmatch(r"\$\{WIRECOUNT_SOURCES:-(.+)\}:(/\S+):ro", fetcher["volumes"][0])
    assert mount, fetcher["volumes"][0]
    assert fetcher["environment"]["WIRECOUNT_SOURCES_FILE"] == mount.group(2)
    assert load_sources(DEPLOY / mount.group(1), 10.0) == []
