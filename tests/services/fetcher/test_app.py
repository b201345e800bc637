"""The worker's wiring, built without a broker (the behaviour is proven in tests/integration)."""

from __future__ import annotations

from pathlib import Path

import pytest

from services.fetcher.__main__ import main
from services.fetcher.app import build
from services.fetcher.sources import load_sources
from shared import topics
from shared.settings import load_settings


def test_build_wires_agents_tables_and_metrics(tmp_path: Path) -> None:
    settings = load_settings({"KAFKA_BROKER": "127.0.0.1:1", "WIRECOUNT_DATA_DIR": str(tmp_path)})
    runtime = build(settings)
    assert sorted(runtime.app.agents) == ["pages", "sources"]
    assert sorted(runtime.app.tables) == ["fetcher-seen", "fetcher-sources"]
    assert runtime.input_topic is not None and runtime.input_topic.get_topic_name() == topics.FETCH_SOURCES
    assert runtime.registry.get_sample_value("wirecount_fetcher_sources_owned") == 0.0


def test_sources_file_is_read_with_the_interval_floor(tmp_path: Path) -> None:
    path = tmp_path / "sources.yaml"
    path.write_text(
        "sources:\n  - {name: wire, url: 'https://w.example/rss', interval_s: 2}\n", encoding="utf-8"
    )
    [source] = load_sources(path, min_interval_s=30.0)
    assert source.interval_s == 30.0
    assert load_sources(None, 10.0) == []


def test_unknown_command_prints_usage(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["frobnicate"]) == 2
    assert "fetch URL" in capsys.readouterr().err


def test_fetch_without_a_broker_says_so(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("KAFKA_BROKER", raising=False)
    with pytest.raises(SystemExit, match="KAFKA_BROKER"):
        main(["fetch", "https://w.example/a"])


def test_the_shipped_example_sources_file_is_valid() -> None:
    path = Path(__file__).parents[3] / "services" / "fetcher" / "sources.example.yaml"
    sources = load_sources(path, min_interval_s=10.0)
    assert {s.kind for s in sources} == {"auto", "sitemap", "page"}
    assert {s.lang for s in sources} == {"ar", "en"}


def test_fetch_settings_come_from_the_environment() -> None:
    from services.fetcher.http import FetchConfig

    settings = load_settings(
        {
            "WIRECOUNT_FETCH_ALLOW_HOSTS": "127.0.0.1, Intranet.Example ,,10.0.0.0/8",
            "WIRECOUNT_FETCH_TIMEOUT_S": "2.5",
            "WIRECOUNT_FETCH_MAX_BODY_BYTES": "1000",
            "WIRECOUNT_FETCH_RETRIES": "0",
            "WIRECOUNT_USER_AGENT": "newsbot/2",
        }
    )
    config = FetchConfig.from_settings(settings)
    assert config.allow_hosts == ("127.0.0.1", "intranet.example", "10.0.0.0/8")
    assert (config.timeout_s, config.max_body_bytes, config.retries) == (2.5, 1000, 0)
    assert config.user_agent == "newsbot/2"
    assert FetchConfig.from_settings(load_settings({})).allow_hosts == ()
    with pytest.raises(ValueError, match="WIRECOUNT_FETCH_RETRIES"):
        load_settings({"WIRECOUNT_FETCH_RETRIES": "many"})
