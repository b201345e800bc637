"""The batch path's hook into faust: which event its tables read and write for."""

from __future__ import annotations

import contextvars
from typing import Any, cast

from faust.streams import current_event

from shared.worker import make_current


class _Event:
    """Stands in for a faust event: tables only look at the current one, by reference."""


def test_make_current_sets_what_faust_tables_read_in_this_context_only() -> None:
    event = _Event()

    def inside() -> Any:
        make_current(cast(Any, event))
        return current_event()

    # Pinned faust-streaming 0.15.3: fail loudly if an upgrade moves the context variable.
    assert contextvars.copy_context().run(inside) is event
    assert current_event() is None  # another context (another task) is not touched
