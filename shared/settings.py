"""Settings, read from environment variables in this one module.

Every variable is prefixed ``WIRECOUNT_`` except ``KAFKA_BROKER``, the name
operators expect. The pure logic of each stage never reads the environment: it
gets values from a :class:`Settings` passed in by the wiring.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar, get_type_hints

STAGES = ("fetcher", "parser", "extractor", "aggregator")

# Default HTTP ports for /metrics, /health and the API, one per stage so that
# all four workers can run on one host; replicas set WIRECOUNT_WEB_PORT.
DEFAULT_WEB_PORTS = {"fetcher": 6061, "parser": 6062, "extractor": 6063, "aggregator": 6064}

N = TypeVar("N", int, float)


def _number(env: Mapping[str, str], name: str, kind: type[N], default: N) -> N:
    """``name`` read as a ``kind`` (``default`` when unset or blank); ValueError saying what it must be."""
    raw = env.get(name, "").strip()
    if not raw:
        return default
    try:
        return kind(raw)
    except ValueError as exc:
        what = "an integer" if kind is int else "a number"
        raise ValueError(f"{name} must be {what}, got {raw!r}") from exc


@dataclass(frozen=True)
class Settings:
    """Everything a worker or command can be configured with."""

    # host:port of a Kafka broker; empty means "start the embedded one".
    kafka_broker: str = ""
    # "tansu" turns on the workarounds for the embedded broker's known faults.
    broker_flavour: str = "kafka"
    flow_partitions: int = 4
    deadletter_partitions: int = 1
    web_host: str = "127.0.0.1"
    web_port: int = 0  # 0: the stage's default port
    data_dir: Path = field(default_factory=lambda: Path(".wirecount"))
    # Built once, read by every extractor: the gazetteer index (apart from per-replica table data).
    cache_dir: Path = field(default_factory=lambda: Path(".wirecount/cache"))
    # faust table store: "memory://" or "rocksdb://" (rocksdict underneath).
    table_store: str = "rocksdb://"
    log_level: str = "info"
    # Parser limits: larger raw pages are dead-lettered, not parsed.
    max_html_bytes: int = 5 * 1024 * 1024
    min_text_chars: int = 80
    # Aggregator: reports of one incident may differ by this many days in event date.
    incident_window_days: int = 1
    # Consumer-group session timeout; Tansu holds a join for half of it.
    session_timeout_s: float = 10.0
    # Fetcher: the YAML file listing feeds, and how it introduces itself.
    sources_file: Path | None = None
    user_agent: str = "wirecount/0.1 (+https://github.com/wirecount/wirecount)"
    # Fetcher politeness and safety (docs/fetcher.md). Hosts, IPs or CIDR networks the
    # fetcher may reach although they are loopback/private/link-local (empty: none).
    fetch_allow_hosts: tuple[str, ...] = ()
    fetch_timeout_s: float = 20.0
    # A raw record carries the body in base64 (4/3 larger); 750 kB stays under the
    # producer's 1 MB request limit.
    fetch_max_body_bytes: int = 750_000
    fetch_max_redirects: int = 5
    fetch_retries: int = 3
    fetch_backoff_base_s: float = 1.0
    fetch_backoff_max_s: float = 60.0
    # A Retry-After longer than this gives up on the request (the host stays paused).
    fetch_max_retry_after_s: float = 120.0
    fetch_host_concurrency: int = 2
    fetch_host_interval_s: float = 1.0
    fetch_robots_ttl_s: float = 3600.0
    # Floor of a source's poll interval: politeness against typos like "interval_s: 1".
    fetch_min_interval_s: float = 10.0
    # Pages fetched at once by one replica (over all hosts).
    fetch_concurrency: int = 4

    @property
    def on_tansu(self) -> bool:
        """True when the broker is the embedded Tansu (see DESIGN.md for its faults)."""
        return self.broker_flavour == "tansu"

    def port_for(self, stage: str) -> int:
        """The HTTP port a worker of ``stage`` listens on."""
        return self.web_port or DEFAULT_WEB_PORTS[stage]


# The numeric settings and the variable each is read from; their defaults are the fields' own.
NUMERIC_VARIABLES = {
    "flow_partitions": "WIRECOUNT_PARTITIONS",
    "deadletter_partitions": "WIRECOUNT_DEADLETTER_PARTITIONS",
    "web_port": "WIRECOUNT_WEB_PORT",
    "max_html_bytes": "WIRECOUNT_MAX_HTML_BYTES",
    "min_text_chars": "WIRECOUNT_MIN_TEXT_CHARS",
    "session_timeout_s": "WIRECOUNT_SESSION_TIMEOUT_S",
    "incident_window_days": "WIRECOUNT_INCIDENT_WINDOW_DAYS",
    "fetch_timeout_s": "WIRECOUNT_FETCH_TIMEOUT_S",
    "fetch_max_body_bytes": "WIRECOUNT_FETCH_MAX_BODY_BYTES",
    "fetch_max_redirects": "WIRECOUNT_FETCH_MAX_REDIRECTS",
    "fetch_retries": "WIRECOUNT_FETCH_RETRIES",
    "fetch_backoff_base_s": "WIRECOUNT_FETCH_BACKOFF_BASE_S",
    "fetch_backoff_max_s": "WIRECOUNT_FETCH_BACKOFF_MAX_S",
    "fetch_max_retry_after_s": "WIRECOUNT_FETCH_MAX_RETRY_AFTER_S",
    "fetch_host_concurrency": "WIRECOUNT_FETCH_HOST_CONCURRENCY",
    "fetch_host_interval_s": "WIRECOUNT_FETCH_HOST_INTERVAL_S",
    "fetch_robots_ttl_s": "WIRECOUNT_FETCH_ROBOTS_TTL_S",
    "fetch_min_interval_s": "WIRECOUNT_FETCH_MIN_INTERVAL_S",
    "fetch_concurrency": "WIRECOUNT_FETCH_CONCURRENCY",
}


def load_settings(env: Mapping[str, str] | None = None) -> Settings:
    """Build :class:`Settings` from the environment (or a mapping, in tests)."""
    env = os.environ if env is None else env
    broker = env.get("KAFKA_BROKER", "").strip()
    for prefix in ("kafka://", "tcp://"):
        broker = broker.removeprefix(prefix)
    store = env.get("WIRECOUNT_TABLE_STORE", "rocksdb://").strip()
    if store not in ("memory://", "rocksdb://"):
        raise ValueError(f"WIRECOUNT_TABLE_STORE must be memory:// or rocksdb://, got {store!r}")
    types = get_type_hints(Settings)
    numbers = {
        name: _number(env, variable, types[name], getattr(Settings, name))
        for name, variable in NUMERIC_VARIABLES.items()
    }
    return Settings(
        **numbers,
        kafka_broker=broker,
        broker_flavour=env.get("WIRECOUNT_BROKER_FLAVOUR", "kafka").strip().lower() or "kafka",
        web_host=env.get("WIRECOUNT_WEB_HOST", "127.0.0.1").strip(),
        data_dir=Path(env.get("WIRECOUNT_DATA_DIR", ".wirecount")),
        cache_dir=Path(env.get("WIRECOUNT_CACHE_DIR", "").strip() or ".wirecount/cache"),
        table_store=store,
        log_level=env.get("WIRECOUNT_LOG_LEVEL", "info").strip().lower(),
        sources_file=Path(env["WIRECOUNT_SOURCES_FILE"]) if env.get("WIRECOUNT_SOURCES_FILE") else None,
        user_agent=env.get("WIRECOUNT_USER_AGENT", "").strip() or Settings.user_agent,
        fetch_allow_hosts=tuple(
            h.strip().lower() for h in env.get("WIRECOUNT_FETCH_ALLOW_HOSTS", "").split(",") if h.strip()
        ),
    )
