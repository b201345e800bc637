"""``python -m services`` (``make run``): the whole pipeline on this machine, the examples published.

The supervisor (:mod:`shared.supervisor`) runs the broker and the workers; the
fetcher's ``publish`` is handed to it here, so the shared floor imports no stage.
"""

from __future__ import annotations

import sys
from pathlib import Path

from services.fetcher.publish import PublishReport, publish
from shared.settings import Settings
from shared.supervisor import main


def publish_quietly(paths: list[Path], settings: Settings) -> PublishReport:
    """Publish without a progress bar: the supervisor prints its own summary."""
    return publish(paths, settings, progress=False)


if __name__ == "__main__":
    sys.exit(main(publish_quietly))
