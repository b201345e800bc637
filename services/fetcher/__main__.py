"""``python -m services.fetcher [worker | publish PATH... | fetch URL... | sources FILE]``."""

from __future__ import annotations

import sys

USAGE = "usage: python -m services.fetcher [worker | publish PATH... | fetch URL... | sources [FILE] [--delete NAME...]]"


def main(argv: list[str]) -> int:
    """Dispatch to a command or the worker."""
    command, rest = (argv[0], argv[1:]) if argv else ("worker", [])
    if command == "publish":
        from services.fetcher.publish import main as publish_main

        return publish_main(rest)
    if command == "fetch":
        from services.fetcher.oneshot import fetch_main

        return fetch_main(rest)
    if command == "sources":
        from services.fetcher.oneshot import sources_main

        return sources_main(rest)
    if command == "worker" and not rest:
        from services.fetcher.app import main as worker_main

        worker_main()
        return 0
    print(USAGE, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
