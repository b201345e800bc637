"""Fuzz every stage's pure entry point with hostile and generated input; count crashes and hangs.

``python -m tools.fuzz --inputs N --seed S`` prints one JSON line. A *crash* is
any exception other than :class:`shared.records.BadRecord` (which the worker
dead-letters with its reason), or an output that cannot be serialised and read
back as its record type; a *hang* is a message over the per-message time
limit. After every hostile case, and after every ``GOOD_EVERY``-th rejected
generated input, a good input must still be processed normally.
"""

from __future__ import annotations

import argparse
import base64
import signal
import sys
import threading
import time
import zlib
from collections import Counter
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import orjson
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import seed as hypothesis_seed

from shared import codec
from shared.records import BadRecord, WireRecord, from_payload
from tools.fuzz_targets import Target, all_targets

# Shares of the generated inputs per stage: the stages with the most logic get the most.
WEIGHTS = {
    "parser": 0.25,
    "extractor": 0.21,
    "aggregator.route": 0.14,
    "aggregator.merge": 0.16,
    "aggregator.view": 0.04,
    "view.pages": 0.03,  # the analyst's pages and exports over hostile documents
    "view.query": 0.02,  # and over hostile query strings
    "fetcher.listing": 0.07,
    "fetcher.sources": 0.03,
    "fetcher.found": 0.02,
    "fetcher.publish_line": 0.03,
}
TIME_LIMIT_S = 30.0  # half the worker's 60 s limit: a hang here is a hang there with margin
GOOD_EVERY = 50
# The merge step's state is reset this often, so matching cost stays per-window as in a real stream.
RESET_EVERY = 2_000
MAX_REPORTED = 20
DEFAULT_CACHE = Path(".wirecount/cache")


class Hang(BaseException):
    """Raised by the alarm when one message runs past the time limit (BaseException: never swallowed)."""


@dataclass
class StageReport:
    """What happened to one target's inputs."""

    inputs: int = 0
    accepted: int = 0
    rejected: int = 0
    crashes: int = 0
    hangs: int = 0
    good_after_bad: int = 0
    max_seconds: float = 0.0
    seconds: float = 0.0
    reasons: Counter[str] = field(default_factory=Counter)

    def as_dict(self) -> dict[str, Any]:
        """JSON-able summary."""
        out = {k: v for k, v in self.__dict__.items() if k != "reasons"}
        out["max_seconds"] = round(self.max_seconds, 3)
        out["seconds"] = round(self.seconds, 1)
        return out | {"reasons": dict(sorted(self.reasons.items()))}


@contextmanager
def _deadline(seconds: float) -> Iterator[None]:
    """Interrupt Python code that runs past ``seconds`` (main thread only; elapsed time is checked too)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def fire(signum: int, frame: object) -> None:
        raise Hang()

    previous = signal.signal(signal.SIGALRM, fire)
    outer = signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
        if outer[0]:  # someone else's alarm (pytest-timeout) was running: put it back
            signal.setitimer(signal.ITIMER_REAL, outer[0])


def check_outputs(outputs: Sequence[Any]) -> None:
    """Outputs must go on the wire and come back as the same record type (what the next stage reads)."""
    for out in outputs:
        if isinstance(out, WireRecord):
            wire = codec.dumps(out)
            from_payload(type(out), orjson.loads(wire))


class Runner:
    """Feeds targets and keeps the score."""

    def __init__(self, time_limit_s: float) -> None:
        self.time_limit_s = time_limit_s
        self.reports: dict[str, StageReport] = {}
        self.failures: list[dict[str, Any]] = []
        self._good_serial = 0

    def feed(self, target: Target, value: bytes, label: str) -> str:
        """Run one input; returns "ok", "rejected", "crash" or "hang"."""
        report = self.reports.setdefault(target.name, StageReport())
        report.inputs += 1
        started = time.perf_counter()
        outcome, reason = "ok", ""
        try:
            with _deadline(self.time_limit_s):
                outputs = target.call(value)
            check_outputs(outputs)
        except BadRecord as exc:
            outcome, reason = "rejected", exc.reason
        except Hang:
            outcome, reason = "hang", "alarm"
        except Exception as exc:  # the point of fuzzing: anything else is a bug to report
            outcome, reason = "crash", f"{type(exc).__name__}: {exc}"[:300]
        elapsed = time.perf_counter() - started
        report.max_seconds = max(report.max_seconds, elapsed)
        report.seconds += elapsed
        if outcome != "hang" and elapsed > self.time_limit_s:
            outcome, reason = "hang", f"{elapsed:.1f} s"
        if outcome == "ok":
            report.accepted += 1
        elif outcome == "rejected":
            report.rejected += 1
            report.reasons[reason] += 1
        else:
            self._fail(target.name, outcome, reason, label, value)
        return outcome

    def _fail(self, stage: str, kind: str, error: str, label: str, value: bytes) -> None:
        report = self.reports[stage]
        if kind == "crash":
            report.crashes += 1
        else:
            report.hangs += 1
        if len(self.failures) < MAX_REPORTED:
            head = base64.b64encode(value[:300]).decode("ascii")
            self.failures.append(
                {"stage": stage, "kind": kind, "error": error, "input": label, "head_b64": head}
            )

    def check_good(self, target: Target) -> None:
        """A good input right after a bad one must give output."""
        self._good_serial += 1
        value = target.good(self._good_serial)
        report = self.reports.setdefault(target.name, StageReport())
        try:
            with _deadline(self.time_limit_s):
                outputs = target.call(value)
            check_outputs(outputs)
            ok = bool(outputs)
        except (Exception, Hang) as exc:
            ok, error = False, f"{type(exc).__name__}: {exc}"[:300]
        else:
            error = "no output"
        if ok:
            report.good_after_bad += 1
        else:
            report.inputs += 1
            self._fail(target.name, "crash", f"good input failed after a bad one: {error}", "good", value)


def _fuzz_generated(runner: Runner, target: Target, count: int, seed: int) -> None:
    """``count`` hypothesis-generated inputs (more runs with further seeds if one stops early)."""
    fed = 0
    attempt = 0
    while fed < count and attempt < 20:

        @settings(
            max_examples=count - fed,
            database=None,
            deadline=None,
            phases=[Phase.generate],
            suppress_health_check=list(HealthCheck),
        )
        @hypothesis_seed(seed + attempt)
        @given(target.strategy)
        def drive(value: bytes) -> None:
            nonlocal fed
            if fed >= count:
                return
            fed += 1
            if target.reset is not None and fed % RESET_EVERY == 0:
                target.reset()
            outcome = runner.feed(target, value, f"generated #{fed}")
            if outcome != "ok" and fed % GOOD_EVERY == 0:
                runner.check_good(target)

        drive()
        attempt += 1


def run(
    n: int,
    seed: int = 0,
    *,
    cache_dir: Path = DEFAULT_CACHE,
    time_limit_s: float = TIME_LIMIT_S,
    poison_share: int = 1,
) -> dict[str, Any]:
    """Fuzz every stage with ``n`` inputs in all, or more when the hostile cases alone are more.

    Every hand-written hostile case runs first; ``poison_share`` k keeps one in k of the
    field-by-field poison cases (``make test`` runs a sample, ``make chaos`` all).
    """
    started = time.perf_counter()
    runner = Runner(time_limit_s)
    targets = all_targets(cache_dir)
    for target in targets:
        for label, value in target.hostile():
            if "=" in label and zlib.crc32(label.encode()) % poison_share:
                continue
            runner.feed(target, value, label)
            runner.check_good(target)
        if target.reset is not None:
            target.reset()
    hostile_total = sum(r.inputs for r in runner.reports.values())
    generated = max(0, n - hostile_total)
    shares = {t.name: round(generated * WEIGHTS.get(t.name, 0.0)) for t in targets}
    # Rounding each stage's share may lose or add an input: the heaviest stage takes the difference.
    heaviest = max(shares, key=lambda name: WEIGHTS.get(name, 0.0))
    shares[heaviest] += generated - sum(shares.values())
    for target in targets:
        _fuzz_generated(runner, target, max(0, shares[target.name]), seed)
    stages = {name: report.as_dict() for name, report in runner.reports.items()}
    return {
        "fuzz_inputs": sum(r.inputs for r in runner.reports.values()),
        "fuzz_crashes": sum(r.crashes for r in runner.reports.values()),
        "fuzz_hangs": sum(r.hangs for r in runner.reports.values()),
        "seed": seed,
        "time_limit_s": time_limit_s,
        "seconds": round(time.perf_counter() - started, 1),
        "stages": stages,
        "failures": runner.failures,
    }


def main(argv: list[str] | None = None) -> int:
    """Command line: print the summary as one JSON line; exit 1 on any crash or hang."""
    parser = argparse.ArgumentParser(prog="python -m tools.fuzz", description=__doc__.splitlines()[0])
    parser.add_argument("--inputs", type=int, default=100_000, help="inputs in all (default 100000)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--cache-dir", type=Path, default=DEFAULT_CACHE, help="gazetteer index cache")
    parser.add_argument("--time-limit", type=float, default=TIME_LIMIT_S, help="seconds per message")
    parser.add_argument("--poison-share", type=int, default=1, help="run 1 in K field poison cases")
    args = parser.parse_args(argv)
    summary = run(
        args.inputs,
        args.seed,
        cache_dir=args.cache_dir,
        time_limit_s=args.time_limit,
        poison_share=args.poison_share,
    )
    sys.stdout.write(orjson.dumps(summary).decode() + "\n")
    return 1 if summary["fuzz_crashes"] or summary["fuzz_hangs"] else 0


if __name__ == "__main__":
    raise SystemExit(main())
