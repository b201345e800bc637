"""Hostile values for the fuzz harness: JSON payloads with poisoned fields, and the byte tricks.

Everything here is written for the project (no corpus text). A payload may
carry a *raw* JSON fragment that orjson cannot write (an integer of a hundred
digits, nesting deeper than any parser allows): :func:`dumps` splices it in.
"""

from __future__ import annotations

import base64
import gzip
import zlib
from typing import Any

import orjson

RTL = "\u202e"  # RIGHT-TO-LEFT OVERRIDE: flips what a reader sees
HUNDRED_DIGITS = "1" + "0" * 99
# Bigger than the parser's size cap needs to be: 6 MB.
HUGE = 6 * 1024 * 1024
# Deeper than orjson's 1024 levels, lxml's 256 and Python's recursion limit.
DEEP = 100_000

_RAW_MARK = "\x00raw:"
_RAW_FRAGMENTS = {
    "big_int": HUNDRED_DIGITS,
    "neg_big_int": "-" + HUNDRED_DIGITS,
    "big_float": "1e308",
    "tiny_float": "5e-324",
    "deep_list": "[" * 2000 + "]" * 2000,
    "deep_object": '{"a":' * 2000 + "1" + "}" * 2000,
}


def raw(name: str) -> str:
    """A placeholder that :func:`dumps` replaces by the raw JSON fragment ``name``."""
    return _RAW_MARK + name


def dumps(payload: Any) -> bytes:
    """JSON bytes of ``payload`` with raw fragments spliced in."""
    data = orjson.dumps(payload, option=orjson.OPT_NON_STR_KEYS)
    for name, fragment in _RAW_FRAGMENTS.items():
        quoted = orjson.dumps(raw(name))
        if quoted in data:
            data = data.replace(quoted, fragment.encode())
    return data


# Values that break code which trusts a field's type or range.
POISON: list[Any] = [
    None,
    True,
    0,
    -1,
    2**63 - 1,
    -(2**63),
    1.5,
    -0.0,
    "",
    " ",
    "\x00",
    "null",
    "NaN",
    RTL + "lihcsud",
    "\u200f\u0642\u062a\u0644 " + RTL + "12",
    "\ufeff\ufffe\uffff",
    "A" * 100_000,
    HUNDRED_DIGITS,
    "99999-01-01",
    "99999-01-01T00:00:00Z",
    "0001-01-01",
    "9999-12-31T23:59:59+14:00",
    "2026-02-30",
    "-0001-01-01",
    "1970-01-01T00:00:00Z",
    "\U0001f480" * 50,
    "<script>alert(1)</script>",
    "http://127.0.0.1:1/\r\nX-Injected: 1",
    "../../../../etc/passwd",
    "http://[::1",
    [],
    [None],
    [[1, 2]],
    [{"a": 1}],
    {},
    {"iso": "99999-01-01", "start": "x", "end": None},
    raw("big_int"),
    raw("neg_big_int"),
    raw("big_float"),
    raw("tiny_float"),
    raw("deep_list"),
    raw("deep_object"),
]


def gzip_bomb(size: int = 64 * 1024 * 1024) -> bytes:
    """A gzip member that inflates to ``size`` zero bytes (about a thousandth of that on the wire)."""
    compressor = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    chunk = bytes(1024 * 1024)
    out = [compressor.compress(chunk) for _ in range(size // len(chunk))]
    return b"".join(out) + compressor.flush()


def billion_laughs() -> bytes:
    """The classic XML entity expansion, as an RSS feed."""
    entities = '<!ENTITY lol "lol">' + "".join(
        f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">' for i in range(1, 10)
    )
    return (
        f'<?xml version="1.0"?><!DOCTYPE rss [{entities}]>'
        '<rss version="2.0"><channel><title>&lol9;</title>'
        "<item><link>https://a.example/1</link><title>&lol9;</title></item></channel></rss>"
    ).encode()


def external_entity() -> bytes:
    """An Atom feed that asks for a local file through an external entity."""
    return (
        b'<?xml version="1.0"?><!DOCTYPE feed [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
        b'<feed xmlns="http://www.w3.org/2005/Atom"><entry><title>&xxe;</title>'
        b'<link href="https://a.example/x"/></entry></feed>'
    )


def nested_tags(count: int, tag: str = "div") -> str:
    """``count`` unclosed nested tags around a sentence."""
    return f"<{tag}>" * count + "A strike killed 3 people in Idlib." + f"</{tag}>" * min(count, 1000)


def b64(data: bytes) -> str:
    """Base64 text of ``data``."""
    return base64.b64encode(data).decode("ascii")


def gzipped(data: bytes) -> bytes:
    """``data`` gzip-compressed."""
    return gzip.compress(data)
