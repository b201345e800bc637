"""Run the whole pipeline on one machine: broker, topics, one process per worker.

``make run`` uses it (``python -m services``, which hands it the fetcher's
publisher); so do the end-to-end tests and the benchmarks, so what a newcomer
runs is what the tests prove. Without ``KAFKA_BROKER`` it starts the embedded
broker and stops it last.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

import orjson
from prometheus_client.parser import text_string_to_metric_families

from shared import topics
from shared.admin import ensure_pipeline_topics
from shared.broker import EmbeddedBroker, free_port, wait_for_port
from shared.settings import DEFAULT_WEB_PORTS, STAGES, Settings

PR_SET_PDEATHSIG = 1  # from <sys/prctl.h>
# How often wait_idle() looks: a tenth of a second is under 1 % of any timed run here.
IDLE_POLL_S = 0.1


def _die_with_parent() -> None:
    """In the child: get SIGTERM if the supervisor dies, so no worker outlives it."""
    # Not on Linux: Ctrl-C and stop() still end the workers.
    with contextlib.suppress(OSError):
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGTERM)


@dataclass
class WorkerProcess:
    """One worker process started by the supervisor."""

    stage: str
    port: int
    process: subprocess.Popen[bytes]
    log_path: Path

    @property
    def url(self) -> str:
        """Base URL of its HTTP endpoints."""
        return f"http://127.0.0.1:{self.port}"


def http_get(url: str, timeout_s: float = 5.0) -> tuple[int, bytes]:
    """GET ``url``; the status and body, also for error statuses."""
    try:
        with urllib.request.urlopen(url, timeout=timeout_s) as response:
            return int(response.status), response.read()
    except urllib.error.HTTPError as exc:
        return int(exc.code), exc.read()


Samples = dict[tuple[str, tuple[tuple[str, str], ...]], float]


def scrape(url: str) -> Samples:
    """Samples of a /metrics page, keyed by (name, sorted labels)."""
    _, body = http_get(url + "/metrics")
    samples = {}
    for family in text_string_to_metric_families(body.decode()):
        for s in family.samples:
            samples[(s.name, tuple(sorted(s.labels.items())))] = s.value
    return samples


def metric_sum(
    samples: Mapping[tuple[str, tuple[tuple[str, str], ...]], float], name: str, **labels: str
) -> float:
    """Sum of the samples of ``name`` whose labels include ``labels``."""
    want = set(labels.items())
    return sum(v for (n, lab), v in samples.items() if n == name and want <= set(lab))


def _total(snapshot: list[Samples | None], name: str, **labels: str) -> float:
    """A metric summed over the replicas of one snapshot that answered."""
    return sum(metric_sum(s, name, **labels) for s in snapshot if s is not None)


@dataclass
class Pipeline:
    """The broker (embedded unless configured) and the workers, as child processes."""

    settings: Settings
    workdir: Path
    replicas: dict[str, int] = field(default_factory=lambda: dict.fromkeys(STAGES, 1))
    extra_env: dict[str, str] = field(default_factory=dict)
    broker: EmbeddedBroker | None = None
    workers: list[WorkerProcess] = field(default_factory=list)
    bootstrap: str = ""
    # Tests set False so they never collide with a pipeline already running here.
    default_ports: bool = True

    def start(self, timeout_s: float = 90.0) -> Pipeline:
        """Start broker and workers; return once every worker answers /health."""
        logs_dir = self.workdir / "logs"
        logs_dir.mkdir(parents=True, exist_ok=True)
        env = dict(os.environ) | self.extra_env
        if self.settings.kafka_broker:
            self.bootstrap = self.settings.kafka_broker
        else:
            self.broker = EmbeddedBroker(log_path=logs_dir / "broker.log").start()
            self.bootstrap = self.broker.bootstrap
            env["WIRECOUNT_BROKER_FLAVOUR"] = "tansu"
        env["KAFKA_BROKER"] = self.bootstrap
        ensure_pipeline_topics(self.settings, self.bootstrap)
        for stage in STAGES:
            for _ in range(self.replicas.get(stage, 0)):
                self.spawn(stage, env)
        deadline = time.monotonic() + timeout_s
        for worker in self.workers:
            self.wait_healthy(worker, deadline)
        return self

    def spawn(self, stage: str, env: Mapping[str, str]) -> WorkerProcess:
        """Start one more worker of ``stage``."""
        port = self._port_for(stage)
        log_path = self.workdir / "logs" / f"{stage}-{port}.log"
        child_env = dict(env) | {
            "WIRECOUNT_WEB_PORT": str(port),
            "WIRECOUNT_DATA_DIR": str(self.workdir / "data"),
        }
        with open(log_path, "ab") as out:
            process = subprocess.Popen(
                [sys.executable, "-m", f"services.{stage}"],
                stdout=out,
                stderr=subprocess.STDOUT,
                env=child_env,
                start_new_session=True,
                preexec_fn=_die_with_parent,
            )
        worker = WorkerProcess(stage, port, process, log_path)
        self.workers.append(worker)
        return worker

    def _port_for(self, stage: str) -> int:
        taken = {w.port for w in self.workers}
        default = DEFAULT_WEB_PORTS[stage]
        if not self.default_ports:
            return free_port()
        try:
            wait_for_port("127.0.0.1", default, 0.05)
        except TimeoutError:
            if default not in taken:
                return default
        return free_port()

    def wait_healthy(self, worker: WorkerProcess, deadline: float) -> None:
        """Block until ``worker`` answers /health with 200, or raise."""
        while time.monotonic() < deadline:
            if worker.process.poll() is not None:
                raise RuntimeError(
                    f"{worker.stage} exited with {worker.process.returncode}; see {worker.log_path}"
                )
            try:
                if http_get(worker.url + "/health", 1.0)[0] == 200:
                    return
            except OSError:
                pass
            time.sleep(0.2)
        raise TimeoutError(f"{worker.stage} did not become healthy; see {worker.log_path}")

    def of(self, stage: str) -> list[WorkerProcess]:
        """The running workers of ``stage``."""
        return [w for w in self.workers if w.stage == stage and w.process.poll() is None]

    def snapshot(self, stage: str) -> list[Samples | None]:
        """One scrape of every running replica of ``stage`` (None where it did not answer)."""
        samples: list[Samples | None] = []
        for worker in self.of(stage):
            try:
                samples.append(scrape(worker.url))
            except OSError:
                samples.append(None)
        return samples

    def stage_metric(self, stage: str, name: str, **labels: str) -> float:
        """A metric summed over every replica of ``stage`` that answers."""
        return _total(self.snapshot(stage), name, **labels)

    def idle_after(self, published: int) -> bool:
        """True once ``published`` raw articles went through every stage (or a dead-letter topic).

        The stages are scraped in flow order and only while the earlier ones are done: a scrape
        costs the worker and the caller a few milliseconds of CPU each, and while articles flow the
        parser's count alone says "not yet" (scraping every stage at each poll took about 7 % of a
        2-core machine from the pipeline being measured)."""
        parser = self.snapshot("parser")
        parsed_out = _total(parser, "wirecount_parser_messages_produced_total", topic=topics.PARSED)
        if _total(parser, "wirecount_parser_messages_consumed_total", topic=topics.RAW) < published:
            return False
        extractor = self.snapshot("extractor")
        extract_out = _total(extractor, "wirecount_extractor_messages_produced_total", topic=topics.EXTRACTED)
        if _total(extractor, "wirecount_extractor_messages_consumed_total", topic=topics.PARSED) < parsed_out:
            return False
        aggregator = self.snapshot("aggregator")
        agg = "wirecount_aggregator_messages_"
        figures_out = _total(aggregator, agg + "produced_total", topic=topics.AGGREGATOR_FIGURES)
        incidents_out = _total(aggregator, agg + "produced_total", topic=topics.INCIDENTS)
        # Every replica's view reads every incident update, whoever produced it; one that
        # does not answer counts as behind.
        views_behind = any(
            s is None or metric_sum(s, agg + "consumed_total", topic=topics.INCIDENTS) < incidents_out
            for s in aggregator
        )
        return (
            _total(aggregator, agg + "consumed_total", topic=topics.EXTRACTED) >= extract_out
            and _total(aggregator, agg + "consumed_total", topic=topics.AGGREGATOR_FIGURES) >= figures_out
            and not views_behind
        )

    def wait_idle(self, published: int, timeout_s: float = 120.0) -> None:
        """Block until :meth:`idle_after` holds, or raise TimeoutError."""
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            if self.idle_after(published):
                return
            time.sleep(IDLE_POLL_S)
        raise TimeoutError(f"the pipeline did not finish {published} articles within {timeout_s} s")

    def api(self, path: str) -> Any:
        """GET ``path`` from the (first) aggregator's API, decoded."""
        _, body = http_get(self.of("aggregator")[0].url + path)
        return orjson.loads(body)

    def stop(self, timeout_s: float = 15.0) -> None:
        """Stop every worker (SIGTERM, then SIGKILL), then the embedded broker."""
        for worker in self.workers:
            if worker.process.poll() is None:
                worker.process.send_signal(signal.SIGTERM)
        deadline = time.monotonic() + timeout_s
        for worker in self.workers:
            try:
                worker.process.wait(max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                worker.process.kill()
                worker.process.wait()
        if self.broker is not None:
            self.broker.stop()

    def __enter__(self) -> Pipeline:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


def _print_summary(pipeline: Pipeline, published: int) -> None:
    incidents = pipeline.api("/incidents?limit=20")
    print(f"\n{published} article(s) went through the pipeline: {incidents['total']} incident(s).")
    print(f"  {'kind':<9} {'victims':<11} {'place':<22} {'best':>6} {'low':>6} {'high':>6} {'sources':>7}")
    for row in incidents["incidents"]:
        place = (row.get("place") or "?")[:22]
        print(
            f"  {row['kind']:<9} {row['victims']:<11} {place:<22} "
            f"{row['best']:>6} {row['low']:>6} {row['high']:>6} {row['sources']:>7}"
        )
    tolls = pipeline.api("/tolls")["tolls"]
    if tolls:
        print("Running tolls (never added to incidents):")
        for toll in tolls:
            print(
                f"  {toll['kind']:<9} {toll['victims']:<11} {(toll.get('place') or '?')[:22]:<22} {toll['latest']:>6}"
            )
    aggregator = pipeline.of("aggregator")[0]
    print(f"\nAPI:      {aggregator.url}/incidents  /totals?group_by=country,kind  /tolls  /openapi.json")
    print(
        f"view:     {aggregator.url}/   (incidents, their evidence, running tolls; exports: /incidents.csv)"
    )
    for worker in pipeline.workers:
        print(f"metrics:  {worker.url}/metrics   ({worker.stage}, pid {worker.process.pid})")
    broker = pipeline.broker.process if pipeline.broker else None
    where = f"(embedded, pid {broker.pid})" if broker else "(external)"
    print(f"broker:   {pipeline.bootstrap}   {where}")
    print(f"logs:     {pipeline.workdir / 'logs'}")


class PublishSummary(Protocol):
    """What a publisher says it did: how many articles it sent, and what it could not send."""

    @property
    def published(self) -> int: ...

    @property
    def errors(self) -> Sequence[object]: ...


# Sends the articles in some files or folders to the running pipeline (the fetcher's
# ``publish``); given by the caller, so this ground floor imports no stage.
Publisher = Callable[[list[Path], Settings], PublishSummary]


def main(publish: Publisher, argv: list[str] | None = None) -> int:
    """``make run``: run the pipeline, publish examples with ``publish``, keep running."""
    import argparse

    from shared import logs
    from shared.settings import load_settings

    parser = argparse.ArgumentParser(prog="python -m services", description=__doc__)
    parser.add_argument("--publish", type=Path, nargs="*", default=[], help="files or folders to publish")
    parser.add_argument("--workdir", type=Path, default=Path(".wirecount"), help="logs and table data")
    parser.add_argument(
        "--exit-when-done", action="store_true", help="stop once the published articles flowed"
    )
    args = parser.parse_args(argv)
    logs.configure("warning")
    settings = load_settings()
    pipeline = Pipeline(settings, args.workdir)
    stop = False

    def on_signal(signum: int, frame: object) -> None:
        nonlocal stop
        stop = True
        raise KeyboardInterrupt

    # SIGINT too: a shell starting us in the background would otherwise leave Ctrl-C ignored.
    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    try:
        print("starting broker and workers ...", flush=True)
        pipeline.start()
        published = 0
        if args.publish:
            env_settings = load_settings(
                {**os.environ, "KAFKA_BROKER": pipeline.bootstrap}
                | ({"WIRECOUNT_BROKER_FLAVOUR": "tansu"} if pipeline.broker else {})
            )
            report = publish(args.publish, env_settings)
            for error in report.errors:
                print(f"error: {error}", file=sys.stderr)
            published = report.published
            pipeline.wait_idle(published)
        _print_summary(pipeline, published)
        if not args.exit_when_done:
            print("\nrunning; Ctrl-C stops everything", flush=True)
            while not stop:
                for worker in pipeline.workers:
                    if worker.process.poll() is not None:
                        print(f"{worker.stage} exited ({worker.process.returncode}); see {worker.log_path}")
                        return 1
                time.sleep(1.0)
    except KeyboardInterrupt:
        print("\nstopping ...", flush=True)
    finally:
        pipeline.stop()
        print("stopped: " + ", ".join(f"{w.stage} pid {w.process.pid}" for w in pipeline.workers), flush=True)
    return 0
