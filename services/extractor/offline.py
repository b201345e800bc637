"""Offline commands over gold-format JSON Lines, through the worker's own code path.

``predict [FILE]``: one ``{"id", "casualties"}`` line per article (FILE or stdin).
``eval --gold FILE|DIR...``: predict, score per SCHEMA.md, print a table per file and language, a
trivial baseline, the errors (``--by-class``: grouped), and a last line of JSON with the overall scores.
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import sys
import time
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO

import orjson

from services.extractor import scoring
from services.extractor.casualties.lexicon import LANGS, load_lexicon
from services.extractor.logic import ArticleInput, extract_article, load_entities
from shared import codec

DEFAULT_CACHE = Path(".wirecount") / "cache"  # the worker's default data dir (shared.settings) + /cache
_DIGITS = re.compile(r"(?<![\d.,])\d{1,4}(?![\d.,])")
_YEARS = range(1900, 2101)


def read_articles(lines: Iterable[str]) -> Iterator[dict[str, Any]]:
    """Articles from JSON Lines, skipping blank lines."""
    for line in lines:
        if line.strip():
            yield orjson.loads(line)


def to_input(article: Mapping[str, Any]) -> ArticleInput:
    """The extractor's input from a gold-format article (its ``casualties`` are ignored)."""
    return ArticleInput(
        article_id=str(article["id"]),
        title=article.get("title"),
        text=article.get("text") or "",
        lang=article.get("lang") or "en",
        published=article.get("published"),
    )


def predict(
    articles: Iterable[Mapping[str, Any]], entities: Any | None
) -> Iterator[tuple[str, list[dict[str, Any]], float]]:
    """(article id, predicted figures, seconds taken) per article."""
    for art in articles:
        t0 = time.perf_counter()
        result = extract_article(to_input(art), entities)
        seconds = time.perf_counter() - t0
        yield str(art["id"]), [orjson.loads(codec.dumps(f)) for f in result.casualties], seconds


def baseline(article: Mapping[str, Any]) -> list[dict[str, Any]]:
    """A trivial baseline: every number up to four digits that is no year is an incident death toll."""
    text = (article.get("title") or "") + "\n" + (article.get("text") or "")
    values = [int(m.group()) for m in _DIGITS.finditer(text)]
    return [
        {
            "kind": "killed",
            "count": v,
            "scope": "incident",
            "victims": "people",
            "location": None,
            "subset_of": None,
        }
        for v in values
        if v not in _YEARS
    ]


def _entities(args: argparse.Namespace) -> Any | None:
    return None if args.no_entities else load_entities(Path(args.cache_dir))


def run_predict(args: argparse.Namespace, out: TextIO) -> int:
    """The ``predict`` command."""
    source = open(args.file, encoding="utf-8") if args.file and args.file != "-" else sys.stdin  # noqa: SIM115
    with source:
        for art_id, figures, _ in predict(read_articles(source), _entities(args)):
            out.write(orjson.dumps({"id": art_id, "casualties": figures}).decode() + "\n")
    return 0


def _row(name: str, tally: scoring.Tally) -> str:
    s = tally.scores()
    return (
        f"{name:<24} {tally.gold:>5} {tally.pred:>5} {tally.matched:>5} {s['precision']:>6.3f} {s['recall']:>6.3f} "
        f"{s['f1']:>6.3f} {s['victims_acc']:>7.3f} {s['location_acc']:>7.3f} {s['subset_acc']:>7.3f}"
    )


_HEADER = (
    f"{'gold / lang':<24} {'gold':>5} {'pred':>5} {'match':>5} {'P':>6} {'R':>6} {'F1':>6} "
    f"{'victims':>7} {'place':>7} {'subset':>7}\n"
)


def gold_files(paths: Sequence[str]) -> list[Path]:
    """The gold files named: a file as it is, a directory as every ``*.jsonl`` in it, by name."""
    files: list[Path] = []
    for name in paths:
        path = Path(name)
        files.extend(sorted(path.glob("*.jsonl")) if path.is_dir() else [path])
    return files


@dataclass
class GoldRun:
    """One gold file scored: its report, the trivial baseline's, and the time per article."""

    name: str
    report: scoring.Report
    baseline: scoring.Report
    timings: list[float]


def score_file(path: Path, entities: Any | None) -> GoldRun:
    """Predict every article of one gold file through the worker's code path and score it."""
    gold = list(read_articles(path.read_text(encoding="utf-8").splitlines()))
    preds: dict[str, list[dict[str, Any]]] = {}
    timings: list[float] = []
    for art_id, figures, seconds in predict(gold, entities):
        preds[art_id] = figures
        timings.append(seconds)
    report = scoring.score(gold, preds)
    base = scoring.score(gold, {str(a["id"]): baseline(a) for a in gold})
    return GoldRun(path.name, report, base, timings)


def combined(runs: Sequence[GoldRun]) -> scoring.Report:
    """The reports of several gold files as one (tallies added, errors kept in file order)."""
    total = scoring.Report()
    for run in runs:
        total.total.add(run.report.total)
        for lang, tally in run.report.by_lang.items():
            total.by_lang.setdefault(lang, scoring.Tally()).add(tally)
        total.errors.extend({"gold_file": run.name, **err} for err in run.report.errors)
    return total


def print_report(runs: Sequence[GoldRun], out: TextIO, max_errors: int, by_class: bool) -> None:
    """The human-readable part of ``eval``: a table per file and language, baseline, timing, errors."""
    out.write(_HEADER)
    report = combined(runs)
    for run in runs:
        prefix = f"{run.name} " if len(runs) > 1 else ""
        for lang in sorted(run.report.by_lang):
            out.write(_row(prefix + lang, run.report.by_lang[lang]) + "\n")
    if len(runs) > 1:
        for lang in sorted(report.by_lang):
            out.write(_row("all files " + lang, report.by_lang[lang]) + "\n")
    out.write(_row("all", report.total) + "\n")
    base = scoring.Tally()
    for run in runs:
        base.add(run.baseline.total)
    out.write(_row("baseline", base) + "  (every number is a death toll)\n")
    ms = [t * 1000 for run in runs for t in run.timings]
    if ms:
        out.write(
            f"time per article: median {statistics.median(ms):.1f} ms, max {max(ms):.1f} ms, n={len(ms)}\n"
        )
    if by_class:
        _print_classes(report.errors, out, max_errors)
    else:
        shown = report.errors[:max_errors]
        out.write(f"errors: {len(report.errors)} (showing {len(shown)})\n")
        for err in shown:
            out.write(orjson.dumps(err).decode() + "\n")


def _print_classes(errors: Sequence[Mapping[str, Any]], out: TextIO, max_per_class: int) -> None:
    groups = scoring.errors_by_class(errors)
    out.write("errors by class: " + ", ".join(f"{name} {len(errs)}" for name, errs in groups.items()) + "\n")
    for name, errs in groups.items():
        if not errs:
            continue
        shown = errs[:max_per_class]
        out.write(f"== {name}: {_CLASS_MEANING.get(name, name)} ({len(errs)}, showing {len(shown)})\n")
        for err in shown:
            out.write(orjson.dumps(err).decode() + "\n")


_CLASS_MEANING = {
    "missed": "a gold figure with no prediction of its count",
    "false": "a prediction that states no gold figure",
    "scope": "the count read, as incident where it is cumulative or the reverse",
    "kind": "the count read with another kind (killed for injured...)",
    "place": "matched, but at another place",
    "victims": "matched, but about other victims",
    "subset": "matched, but part of another figure (or of none)",
}


def run_eval(args: argparse.Namespace, out: TextIO) -> int:
    """The ``eval`` command; the last line printed is the JSON of the overall scores."""
    files = gold_files(args.gold)
    missing = [str(f) for f in files if not f.is_file()]
    if missing or not files:
        sys.stderr.write(f"eval: no gold file at {', '.join(missing) or ' '.join(args.gold)}\n")
        return 2
    for lang in LANGS:
        load_lexicon(lang)  # loaded once per process: keep it out of the per-article timings
    entities = _entities(args)
    runs = [score_file(path, entities) for path in files]
    print_report(runs, out, args.max_errors, args.by_class)
    out.write(orjson.dumps(combined(runs).total.scores()).decode() + "\n")
    return 0


def build_parser() -> argparse.ArgumentParser:
    """Arguments of the offline commands."""
    parser = argparse.ArgumentParser(prog="python -m services.extractor")
    sub = parser.add_subparsers(dest="command", required=True)
    for name in ("predict", "eval"):
        cmd = sub.add_parser(name)
        cmd.add_argument(
            "--cache-dir", default=str(DEFAULT_CACHE), help="where the gazetteer index is cached"
        )
        cmd.add_argument(
            "--no-entities", action="store_true", help="skip the entity step (no places or actors)"
        )
    sub.choices["predict"].add_argument("file", nargs="?", help="gold-format JSON Lines (default: stdin)")
    sub.choices["eval"].add_argument(
        "--gold", required=True, nargs="+", help="gold-format JSON Lines files, or folders of them"
    )
    sub.choices["eval"].add_argument(
        "--max-errors", type=int, default=200, help="errors to print (per class with --by-class)"
    )
    sub.choices["eval"].add_argument(
        "--by-class", action="store_true", help="group the errors: missed, false, scope, kind, place, ..."
    )
    return parser


def main(argv: Sequence[str], out: TextIO | None = None) -> int:
    """Run ``predict`` or ``eval`` with ``argv`` (the subcommand first)."""
    args = build_parser().parse_args(list(argv))
    stream = out or sys.stdout
    try:
        return run_predict(args, stream) if args.command == "predict" else run_eval(args, stream)
    except BrokenPipeError:  # "... | head": the reader has seen enough
        if out is None:
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())  # no second error at exit
        return 0
