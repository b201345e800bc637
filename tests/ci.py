"""What a test does when a real part it needs is not on this machine."""

from __future__ import annotations

import os
from typing import NoReturn

import pytest


def unavailable(reason: str) -> NoReturn:
    """Skip with ``reason``; under CI (``CI=true``), where ``.ci/run`` installs every part, fail."""
    if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
        pytest.fail(f"cannot run under CI: {reason}")
    pytest.skip(reason)
