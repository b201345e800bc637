"""``python -m services.extractor [worker | predict [FILE] | eval --gold FILE]``."""

from __future__ import annotations

import sys


def main(argv: list[str]) -> int:
    """Dispatch to the offline commands or the worker (faust is imported only for the worker)."""
    if argv[:1] in (["predict"], ["eval"]):
        from services.extractor import offline

        return int(offline.main(argv) or 0)
    if argv[:1] in ([], ["worker"]):
        from services.extractor.app import main as worker_main

        worker_main()
        return 0
    print("usage: python -m services.extractor [worker | predict [FILE] | eval --gold FILE]", file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
