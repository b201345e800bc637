"""The wire format: plain JSON written by orjson, registered as faust codec ``orjson``.

Records never carry faust's ``__faust`` blob (Python class paths on the wire
would tie every consumer to this code base's module names).
"""

from __future__ import annotations

from typing import Any

import orjson
from faust.serializers import codecs

CODEC_NAME = "orjson"


class OrjsonCodec(codecs.Codec):
    """JSON through orjson: several times faster than the standard library, bytes in and out."""

    def _dumps(self, obj: Any) -> bytes:
        return dumps(obj)

    def _loads(self, s: bytes) -> Any:
        return orjson.loads(s)


def register() -> None:
    """Make ``serializer="orjson"`` available to faust (idempotent)."""
    codecs.register(CODEC_NAME, OrjsonCodec())


def dumps(obj: Any) -> bytes:
    """Serialise a JSON-able object the way the pipeline does (nested records as their fields)."""
    return orjson.dumps(obj, default=_plain, option=orjson.OPT_NON_STR_KEYS)


def _plain(obj: Any) -> Any:
    """A record nested in another (a figure's place) as its JSON object."""
    represent = getattr(obj, "to_representation", None)
    if represent is None:
        raise TypeError(f"{type(obj).__name__} is not JSON serialisable")
    return represent()


register()
