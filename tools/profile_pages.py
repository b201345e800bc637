"""``python -m tools.profile_pages``: where the parser's (or the extractor's) time goes on the real pages.

Runs the stage's function over every page under cProfile and prints the top
entries by own time (``--sort tottime``) or with callees (``cumulative``). The
pages are those of :mod:`tools.bench_pages` (``PAGES=``, else ``../shared/pages``);
without them it says so and exits 0.
"""

from __future__ import annotations

import argparse
import contextlib
import cProfile
import io
import pstats
import sys
from pathlib import Path

from services.extractor import entry as extractor_entry
from services.extractor.logic import load_entities
from shared.records import BadRecord
from shared.settings import load_settings
from tools import bench_pages


def main(argv: list[str] | None = None) -> int:
    """Profile one stage over the real pages and print its top entries."""
    parser = argparse.ArgumentParser(prog="python -m tools.profile_pages", description=__doc__)
    parser.add_argument("--pages", type=Path, default=bench_pages.default_folder())
    parser.add_argument("--stage", choices=("parse", "extract"), default="parse")
    parser.add_argument("--sort", choices=("tottime", "cumulative"), default="tottime")
    parser.add_argument("--top", type=int, default=25)
    args = parser.parse_args(argv)
    if not (args.pages / "ground-truth.json").is_file():
        print(f"profile: skipped: no ground-truth.json in {args.pages} (set PAGES=DIR)")
        return 0
    raws = [bench_pages.raw_of(p) for p in bench_pages.load_pages(args.pages)]
    parsed = []
    for raw in raws:
        try:
            parsed.append(bench_pages.parse(raw).dumps())
        except BadRecord:
            continue
    entities = load_entities(load_settings().cache_dir) if args.stage == "extract" else None
    profile = cProfile.Profile()
    profile.enable()
    if args.stage == "parse":
        for raw in raws:
            with contextlib.suppress(BadRecord):
                bench_pages.parse(raw)
    else:
        for value in parsed:
            extractor_entry.process(value, entities, now=bench_pages.NOW)
    profile.disable()
    out = io.StringIO()
    stats = pstats.Stats(profile, stream=out).strip_dirs().sort_stats(args.sort)
    stats.print_stats(args.top)
    print(out.getvalue())
    return 0


if __name__ == "__main__":
    sys.exit(main())
