"""``python -m tools.chaos``: kill -9 workers while a corpus flows, then prove nothing was lost or counted twice.

1. A fault-free run: the embedded broker and every worker as real processes, the
   generated corpus published, the aggregator's answers taken as the reference.
2. A chaos run of the same corpus on a fresh pipeline: while articles flow, a
   randomly chosen worker of a randomly chosen stage is killed with SIGKILL and
   restarted, several times; among the kills, always one aggregator holding state
   and one replica killed while its group rebalances after an earlier kill.
3. Every article must be in ``articles.extracted`` or a dead-letter topic; the
   aggregator's incidents, tolls and totals must equal the reference (see
   :mod:`tools.chaos_compare` for what "equal" ignores), no figure counted twice.
4. Optionally a soak (:mod:`tools.soak`) on the chaos pipeline.

The last line printed is a one-line JSON summary; the exit code is 0 only when
nothing was lost, nothing double-counted and the answers are identical.
"""

from __future__ import annotations

import argparse
import os
import random
import signal
import statistics
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import orjson
from aiokafka.errors import KafkaError

from shared import topics
from shared.settings import load_settings
from shared.supervisor import Pipeline, WorkerProcess, metric_sum, scrape
from tools import chaos_compare as cc
from tools.chaos_io import (
    Publisher,
    aggregator_answers,
    compare_diagnoses,
    diagnose,
    group_lag,
    read_keys,
)
from tools.generator import GeneratedArticle, generate_corpus
from tools.soak import soak

REPLICAS = {"fetcher": 1, "parser": 2, "extractor": 2, "aggregator": 2}
QUICK_REPLICAS = {"fetcher": 0, "parser": 2, "extractor": 1, "aggregator": 2}
DEADLETTER_TOPICS = (topics.deadletter_of(topics.RAW), topics.deadletter_of(topics.PARSED))
PROGRESS_WAIT_S = 30.0
# Soak rate: three times the fault-free throughput (the soak's pages are smaller, so twice was
# not always above capacity), within these bounds (articles/s); the broker keeps every page in
# memory, so the top bound keeps a long soak from filling the machine.
SOAK_OVERLOAD = 3.0
SOAK_MIN_RATE, SOAK_MAX_RATE = 20.0, 150.0
KILL_SPACING_S = 12.0
AGGREGATOR_GROUP = "wirecount-aggregator"  # the faust app id (shared.worker) is its consumer group
AGGREGATOR_INPUTS = (topics.EXTRACTED, topics.AGGREGATOR_FIGURES)
STEADY_POLLS = 4  # answers unchanged this many polls (3 s apart): the aggregator is done
Log = Callable[[str], None]


@dataclass
class Kill:
    """One SIGKILL and the restart after it."""

    stage: str
    kind: str  # "random", "aggregator_with_state" or "during_rebalance"
    pid: int
    healthy_s: float = 0.0
    progress_s: float | None = None  # None: no work was waiting, nothing to measure

    @property
    def recovery_s(self) -> float:
        """Kill to a restarted, healthy worker and a stage making progress again."""
        return max(self.healthy_s, self.progress_s or 0.0)


@dataclass
class Config:
    """One chaos run's parameters."""

    articles: int = 500
    kills: int = 6
    soak_seconds: float = 0.0
    seed: int = 0
    page_bytes: tuple[int, int] = (30_000, 150_000)
    replicas: dict[str, int] = field(default_factory=lambda: dict(REPLICAS))
    workdir: Path | None = None
    timeout_s: float = 600.0
    fuzz_inputs: int = 0


def worker_env(pipeline: Pipeline) -> dict[str, str]:
    """The environment a restarted worker gets: the same broker as the rest."""
    return dict(os.environ) | {"KAFKA_BROKER": pipeline.bootstrap, "WIRECOUNT_BROKER_FLAVOUR": "tansu"}


def start_pipeline(workdir: Path, replicas: dict[str, int]) -> Pipeline:
    """Broker and workers as child processes, every worker healthy."""
    return Pipeline(load_settings({}), workdir, replicas=dict(replicas), default_ports=False).start(180.0)


def stage_consumed(pipeline: Pipeline, stage: str) -> float:
    """Messages finished so far by the running replicas of ``stage``."""
    total = 0.0
    for worker in pipeline.of(stage):
        try:
            total += metric_sum(scrape(worker.url), f"wirecount_{stage}_messages_consumed_total")
        except OSError:
            continue
    return total


def kill_and_restart(pipeline: Pipeline, victim: WorkerProcess, kind: str, busy: bool) -> Kill:
    """SIGKILL ``victim``, start a replacement, time until it is healthy and the stage moves again."""
    kill = Kill(victim.stage, kind, victim.process.pid)
    os.kill(victim.process.pid, signal.SIGKILL)
    killed_at = time.monotonic()
    victim.process.wait(10)
    replacement = pipeline.spawn(victim.stage, worker_env(pipeline))
    pipeline.wait_healthy(replacement, killed_at + 180)
    kill.healthy_s = time.monotonic() - killed_at
    if busy:
        before = stage_consumed(pipeline, victim.stage)
        deadline = time.monotonic() + PROGRESS_WAIT_S
        while time.monotonic() < deadline:
            if stage_consumed(pipeline, victim.stage) > before:
                kill.progress_s = time.monotonic() - killed_at
                break
            time.sleep(0.25)
    return kill


def kill_plan(rng: random.Random, kills: int, replicas: dict[str, int]) -> list[str]:
    """The kinds of kill to make, in order: the two required ones among random ones."""
    plan = ["random"] * kills
    if kills >= 1:
        plan[0] = "aggregator_with_state"
    if kills >= 2 and any(n >= 2 for n in replicas.values()):
        plan[1] = "during_rebalance"
    rng.shuffle(plan)
    return plan


def choose_victim(pipeline: Pipeline, rng: random.Random, kind: str) -> WorkerProcess:
    """A worker to kill: an aggregator, a replica of a multi-replica stage, or any worker."""
    if kind == "aggregator_with_state":
        return rng.choice(pipeline.of("aggregator"))
    stages = sorted({w.stage for w in pipeline.workers if w.process.poll() is None})
    if kind == "during_rebalance":
        stages = [s for s in stages if len(pipeline.of(s)) >= 2]
    return rng.choice(pipeline.of(rng.choice(stages)))


def make_kills(
    pipeline: Pipeline, publisher: Publisher, cfg: Config, rng: random.Random, log: Log
) -> list[Kill]:
    """Make the planned kills spread over the publication (waiting for state before the aggregator's)."""
    done: list[Kill] = []
    plan = kill_plan(rng, cfg.kills, cfg.replicas)
    for i, kind in enumerate(plan):
        target = (i + 1) * cfg.articles // (len(plan) + 1)
        while publisher.sent < target and not publisher.done:
            time.sleep(0.2)
        if kind == "aggregator_with_state":
            wait_for_state(pipeline)
        victim = choose_victim(pipeline, rng, kind)
        busy = not publisher.done
        if kind == "during_rebalance":
            # First kill one replica; its replacement joining starts a rebalance ...
            first = kill_and_restart(pipeline, victim, "random", busy)
            done.append(first)
            log(f"kill {len(done)}: {first.stage} pid {first.pid}, healthy after {first.healthy_s:.1f} s")
            # ... and while the group rebalances, kill another replica of the same stage.
            others = [w for w in pipeline.of(victim.stage) if w.process.pid != victim.process.pid]
            victim = rng.choice(others[:-1] or others)
        kill = kill_and_restart(pipeline, victim, kind, busy)
        done.append(kill)
        progress = "-" if kill.progress_s is None else f"{kill.progress_s:.1f} s"
        log(
            f"kill {len(done)} ({kind}): {kill.stage} pid {kill.pid}, healthy {kill.healthy_s:.1f} s, moving {progress}"
        )
    return done


def wait_for_state(pipeline: Pipeline, timeout_s: float = 120.0) -> None:
    """Block until the aggregator holds at least one incident, so a kill loses real state."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        try:
            if pipeline.api("/incidents?limit=1")["total"] > 0:
                return
        except (OSError, ValueError, KeyError, IndexError):
            pass
        time.sleep(0.5)


def article_account(pipeline: Pipeline, ids: set[str]) -> dict[str, int]:
    """Where every article went, read from the topics themselves."""
    extracted = read_keys(pipeline.bootstrap, topics.EXTRACTED)
    dead: set[str] = set()
    for topic in DEADLETTER_TOPICS:
        dead |= read_keys(pipeline.bootstrap, topic)
    return cc.account(ids, extracted, dead)


def wait_for_articles(pipeline: Pipeline, ids: set[str], timeout_s: float) -> dict[str, int]:
    """Poll the topics until every article is out or dead-lettered, or time runs out."""
    deadline = time.monotonic() + timeout_s
    while True:
        acc = article_account(pipeline, ids)
        if acc["lost"] == 0 or time.monotonic() > deadline:
            return acc
        time.sleep(2.0)


def aggregator_lag(pipeline: Pipeline) -> int:
    """Records of the aggregator's input topics its consumer group has not committed (-1: unknown)."""
    try:
        return group_lag(pipeline.bootstrap, AGGREGATOR_GROUP, AGGREGATOR_INPUTS)
    except (TimeoutError, OSError, KafkaError):
        return -1


def settled_state(pipeline: Pipeline, index: cc.CorpusIndex, timeout_s: float, want: Any = None) -> Any:
    """The canonical answers once every aggregator replica agrees and they stop changing (or match ``want``)."""
    deadline = time.monotonic() + timeout_s
    last: Any = None
    steady = 0
    while True:
        try:
            states = [cc.canonical_state(*aggregator_answers(w), index) for w in pipeline.of("aggregator")]
        except (OSError, ValueError, KeyError):
            states = []
        agreed = states[0] if states and all(s == states[0] for s in states) else None
        if agreed is not None and want is not None and agreed == want:
            return agreed
        # Answers unchanged mean nothing while the aggregator still has records to take: after a
        # kill its partitions wait, for a session timeout and a rebalance, and the answers stand still.
        drained = aggregator_lag(pipeline) == 0
        steady = steady + 1 if drained and agreed is not None and agreed == last else 0
        # Unchanged over several polls: the aggregator has finished, whether or not it matches.
        if steady >= STEADY_POLLS or time.monotonic() > deadline:
            return agreed if agreed is not None else (states[0] if states else last)
        last = agreed
        time.sleep(3.0)


def _publish_all(pipeline: Pipeline, corpus: list[GeneratedArticle], rate: float) -> Publisher:
    return Publisher(pipeline.bootstrap, corpus, rate).start()


def log_warnings(pipeline_dir: Path, limit: int = 20) -> list[str]:
    """The workers' warnings and errors (distinct, most frequent first): what a failed run went through."""
    counts: Counter[str] = Counter()
    for path in sorted((pipeline_dir / "logs").glob("*.log")):
        stage = path.stem.split("-")[0]
        for line in path.read_text(errors="replace").splitlines():
            if '"level":"warning"' in line or '"level":"error"' in line:
                event = line.split('"event":', 1)[-1][:200]
                counts[f"{stage}: {event}"] += 1
    return [f"{n}x {line}" for line, n in counts.most_common(limit)]


def _short(diagnosis: dict[str, Any]) -> dict[str, Any]:
    """The diagnosis without its id lists, for the log."""
    return {k: v for k, v in diagnosis.items() if not k.endswith("_ids")}


def fault_free(
    corpus: list[GeneratedArticle], cfg: Config, workdir: Path, log: Log
) -> tuple[Any, float, dict[str, Any]]:
    """The reference answers, the pipeline's throughput (articles/s) and its diagnosis, without faults."""
    index = cc.index_corpus(corpus)
    pipeline = start_pipeline(workdir / "fault-free", cfg.replicas)
    try:
        started = time.monotonic()
        publisher = _publish_all(pipeline, corpus, rate=1000.0)
        publisher.join()
        if publisher.error:
            raise RuntimeError(f"publishing failed: {publisher.error}")
        pipeline.wait_idle(len(corpus), timeout_s=cfg.timeout_s)
        throughput = len(corpus) / (time.monotonic() - started)
        log(f"fault-free run: {len(corpus)} articles in {time.monotonic() - started:.1f} s")
        acc = wait_for_articles(pipeline, index.article_ids, 30)
        if acc["lost"]:
            raise RuntimeError(f"the fault-free run itself lost articles: {acc}")
        reference = settled_state(pipeline, index, 60)
        diagnosis = diagnose(pipeline.bootstrap, pipeline.of("aggregator"))
        log(f"fault-free diagnosis: {_short(diagnosis)}")
        return reference, throughput, diagnosis
    finally:
        pipeline.stop()


def fuzz_figures(inputs: int, seed: int, log: Log) -> tuple[int, int]:
    """Inputs and crashes of a short run of :mod:`tools.fuzz` (0, 0 when asked for none)."""
    if inputs <= 0:
        return 0, 0
    from tools import fuzz  # imported late: it needs hypothesis, a dev dependency

    result = fuzz.run(inputs, seed)
    log(
        f"fuzz: {result['fuzz_inputs']} inputs, {result['fuzz_crashes']} crashes, {result['fuzz_hangs']} hangs"
    )
    return int(result["fuzz_inputs"]), int(result["fuzz_crashes"]) + int(result["fuzz_hangs"])


def run(cfg: Config, log: Log = print) -> dict[str, Any]:
    """The whole chaos run; returns the summary (see the module docstring)."""
    began = time.monotonic()
    workdir = cfg.workdir or Path(tempfile.mkdtemp(prefix="wirecount-chaos-"))
    rng = random.Random(cfg.seed)
    corpus = generate_corpus(cfg.articles, cfg.seed, page_bytes=cfg.page_bytes)
    index = cc.index_corpus(corpus)
    log(f"corpus: {len(corpus)} articles ({len(index.article_ids)} distinct ids); logs in {workdir}")
    reference, throughput, reference_diagnosis = fault_free(corpus, cfg, workdir, log)
    pipeline = start_pipeline(workdir / "chaos", cfg.replicas)
    summary: dict[str, Any] = {}
    try:
        # Slow enough that every kill lands while articles flow (a kill and its recovery take
        # ~KILL_SPACING_S), never faster than the pipeline could take them without faults.
        rate = max(2.0, min(throughput * 1.5, cfg.articles / max(1, cfg.kills * KILL_SPACING_S)))
        publisher = _publish_all(pipeline, corpus, rate)
        kills = make_kills(pipeline, publisher, cfg, rng, log)
        publisher.join()
        if publisher.error:
            raise RuntimeError(f"publishing failed: {publisher.error}")
        acc = wait_for_articles(pipeline, index.article_ids, cfg.timeout_s)
        state = settled_state(pipeline, index, cfg.timeout_s / 2, want=reference)
        recoveries = [k.recovery_s for k in kills] or [0.0]
        summary = acc | {
            "double_counted": cc.double_counted(state),
            "double_counted_fault_free": cc.double_counted(reference),
            "figures_missing": cc.missing_figures(reference, state),
            "identical": state == reference,
            "incidents": len(state["incidents"]),
            "tolls": len(state["tolls"]),
            "kills": len(kills),
            "recovery_s_median": round(statistics.median(recoveries), 1),
            "recovery_s_max": round(max(recoveries), 1),
            "throughput_per_s": round(throughput, 1),
        }
        differences = cc.differences(reference, state)
        for line in differences:
            log(line[:400])
        if differences:
            summary["differences"] = differences  # whole, in the saved summary: the log line is cut
        if state != reference:
            diagnosis = diagnose(pipeline.bootstrap, pipeline.of("aggregator"))
            summary["diagnosis"] = _short(diagnosis) | compare_diagnoses(reference_diagnosis, diagnosis)
            summary["diagnosis"]["log_warnings"] = log_warnings(workdir / "chaos")
            log(f"diagnosis: {summary['diagnosis']}")
        summary["kill_log"] = [asdict(k) | {"recovery_s": round(k.recovery_s, 1)} for k in kills]
        if cfg.soak_seconds > 0:
            # Above capacity, so lag builds up, then must drain.
            rate = min(SOAK_MAX_RATE, max(SOAK_MIN_RATE, SOAK_OVERLOAD * throughput))
            report = soak(pipeline, cfg.soak_seconds, rate=rate, log=log)
            summary |= report.summary()
    finally:
        pipeline.stop()
    inputs, crashes = fuzz_figures(cfg.fuzz_inputs, cfg.seed, log)
    summary |= {"fuzz_inputs": inputs, "fuzz_crashes": crashes}
    summary["duration_s"] = round(time.monotonic() - began)
    return summary


def passed(summary: dict[str, Any]) -> bool:
    """The run's verdict: nothing lost, nothing counted twice, answers identical (and memory flat)."""
    ok = summary.get("lost") == 0 and summary.get("double_counted") == 0 and bool(summary.get("identical"))
    ok = ok and summary.get("fuzz_crashes", 0) == 0
    return ok and summary.get("rss_flat", True) and summary.get("lag_end", 0) == 0


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point; prints the summary as the last line."""
    parser = argparse.ArgumentParser(prog="python -m tools.chaos", description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=500)
    parser.add_argument("--kills", type=int, default=6)
    parser.add_argument("--soak-seconds", type=float, default=180.0)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument(
        "--fuzz-inputs",
        type=int,
        default=100_000,
        help="tools.fuzz inputs (0: none; about 5 min per 100,000)",
    )
    parser.add_argument("--workdir", type=Path, default=None, help="logs and data (default: a temp dir)")
    parser.add_argument("--quick", action="store_true", help="120 small articles, 3 kills, no soak")
    parser.add_argument("--save", type=Path, default=Path(".wirecount/chaos-last.json"))
    args = parser.parse_args(argv)
    cfg = Config(args.articles, args.kills, args.soak_seconds, args.seed, workdir=args.workdir)
    cfg.fuzz_inputs = args.fuzz_inputs
    if args.quick:
        cfg = Config(120, 3, 0.0, args.seed, (10_000, 40_000), dict(QUICK_REPLICAS), args.workdir, 240.0)

    def log(line: str) -> None:
        print(line, file=sys.stderr, flush=True)

    summary = run(cfg, log)
    args.save.parent.mkdir(parents=True, exist_ok=True)
    args.save.write_bytes(orjson.dumps(summary, option=orjson.OPT_INDENT_2))
    short = {k: v for k, v in summary.items() if k not in ("kill_log", "differences")}
    print(orjson.dumps(short).decode(), flush=True)
    return 0 if passed(summary) else 1


if __name__ == "__main__":
    sys.exit(main())
