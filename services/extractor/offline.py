"""Offline commands over gold-format JSON Lines, through the worker's own code path.

``predict [FILE]``: one ``{"id", "casualties"}`` line per article (FILE or stdin).
``eval --gold FILE``: predict, score per SCHEMA.md, print a table by language, a trivial
baseline, the errors, and a last line of JSON with the overall scores.
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import sys
import time
from collections.abc import Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any, TextIO

import orjson

from services.extractor import scoring
from services.extractor.casualties.lexicon import LANGS, load_lexicon
from services.extractor.logic import ArticleInput, extract_article, load_entities

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
        yield str(art["id"]), result.casualties, time.perf_counter() - t0


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
        f"{name:<10} {tally.gold:>5} {tally.pred:>5} {tally.matched:>5} {s['precision']:>6.3f} {s['recall']:>6.3f} "
        f"{s['f1']:>6.3f} {s['victims_acc']:>7.3f} {s['location_acc']:>7.3f} {s['subset_acc']:>7.3f}"
    )


def print_report(
    report: scoring.Report, base: scoring.Report, timings: Sequence[float], out: TextIO, max_errors: int
) -> None:
    """The human-readable part of ``eval``: table, baseline, timing and errors."""
    out.write(
        f"{'lang':<10} {'gold':>5} {'pred':>5} {'match':>5} {'P':>6} {'R':>6} {'F1':>6} {'victims':>7} {'place':>7} {'subset':>7}\n"
    )
    for lang in sorted(report.by_lang):
        out.write(_row(lang, report.by_lang[lang]) + "\n")
    out.write(_row("all", report.total) + "\n")
    out.write(_row("baseline", base.total) + "  (every number is a death toll)\n")
    if timings:
        ms = [t * 1000 for t in timings]
        out.write(
            f"time per article: median {statistics.median(ms):.1f} ms, max {max(ms):.1f} ms, n={len(ms)}\n"
        )
    shown = report.errors[:max_errors]
    out.write(f"errors: {len(report.errors)} (showing {len(shown)})\n")
    for err in shown:
        out.write(orjson.dumps(err).decode() + "\n")


def run_eval(args: argparse.Namespace, out: TextIO) -> int:
    """The ``eval`` command; the last line printed is the JSON of the overall scores."""
    gold = list(read_articles(Path(args.gold).read_text(encoding="utf-8").splitlines()))
    preds: dict[str, list[dict[str, Any]]] = {}
    timings: list[float] = []
    for lang in LANGS:
        load_lexicon(lang)  # loaded once per process: keep it out of the per-article timings
    for art_id, figures, seconds in predict(gold, _entities(args)):
        preds[art_id] = figures
        timings.append(seconds)
    report = scoring.score(gold, preds)
    base = scoring.score(gold, {str(a["id"]): baseline(a) for a in gold})
    print_report(report, base, timings, out, args.max_errors)
    out.write(orjson.dumps(report.total.scores()).decode() + "\n")
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
    sub.choices["eval"].add_argument("--gold", required=True, help="gold-format JSON Lines")
    sub.choices["eval"].add_argument("--max-errors", type=int, default=200, help="errors to print")
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
