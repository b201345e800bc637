from __future__ import annotations

import pytest

from shared.broker import EmbeddedBroker, free_port, tansu_binary, wait_for_port


def test_tansu_binary_ships_in_the_wheel() -> None:
    assert tansu_binary().is_file()


def test_broker_starts_answers_and_stops() -> None:
    with EmbeddedBroker() as broker:
        wait_for_port(broker.host, broker.port, 1.0)
        process = broker.process
        assert process is not None and process.poll() is None
    assert process.poll() is not None
    with pytest.raises(TimeoutError):
        wait_for_port("127.0.0.1", broker.port, 0.3)


def test_wait_for_port_times_out_on_silence() -> None:
    with pytest.raises(TimeoutError):
        wait_for_port("127.0.0.1", free_port(), 0.2)
