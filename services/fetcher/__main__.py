"""``python -m services.fetcher [publish PATH... | worker]``."""

from __future__ import annotations

import sys


def main(argv: list[str]) -> int:
    """Dispatch to the publish CLI or the worker."""
    if argv[:1] == ["publish"]:
        from services.fetcher.publish import main as publish_main

        return publish_main(argv[1:])
    if argv[:1] in ([], ["worker"]):
        from services.fetcher.app import main as worker_main

        worker_main()
        return 0
    print("usage: python -m services.fetcher [worker | publish PATH...]", file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
