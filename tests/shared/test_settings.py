from __future__ import annotations

from pathlib import Path

import pytest

from shared.settings import DEFAULT_WEB_PORTS, load_settings


def test_defaults_mean_embedded_broker_and_four_partitions() -> None:
    settings = load_settings({})
    assert settings.kafka_broker == ""
    assert settings.flow_partitions == 4
    assert not settings.on_tansu
    assert settings.port_for("parser") == DEFAULT_WEB_PORTS["parser"]


def test_environment_overrides() -> None:
    settings = load_settings(
        {
            "KAFKA_BROKER": "kafka://kafka:9092",
            "WIRECOUNT_BROKER_FLAVOUR": "Tansu",
            "WIRECOUNT_PARTITIONS": "8",
            "WIRECOUNT_WEB_PORT": "7000",
            "WIRECOUNT_DATA_DIR": "/var/lib/wirecount",
            "WIRECOUNT_TABLE_STORE": "memory://",
        }
    )
    assert settings.kafka_broker == "kafka:9092"
    assert settings.on_tansu
    assert settings.flow_partitions == 8
    assert settings.port_for("aggregator") == 7000
    assert settings.data_dir == Path("/var/lib/wirecount")
    assert settings.table_store == "memory://"


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"WIRECOUNT_PARTITIONS": "four"}, "WIRECOUNT_PARTITIONS must be an integer"),
        ({"WIRECOUNT_TABLE_STORE": "redis://"}, "WIRECOUNT_TABLE_STORE"),
        ({"WIRECOUNT_SESSION_TIMEOUT_S": "soon"}, "must be a number"),
    ],
)
def test_bad_values_are_clear_errors(env: dict[str, str], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        load_settings(env)
