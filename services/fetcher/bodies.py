"""Response bodies with a size cap, before and after decompression (no gzip or brotli bombs)."""

from __future__ import annotations

import zlib
from collections.abc import AsyncIterator

import brotli

# Decompress in steps of this many input bytes, so the cap is checked often.
CHUNK = 64 * 1024


class TooLarge(Exception):
    """A body over the size limit (on the wire or once decompressed)."""

    def __init__(self, limit: int) -> None:
        super().__init__(f"body larger than {limit} bytes")
        self.limit = limit


class DecodeFailed(Exception):
    """A body whose Content-Encoding cannot be undone."""


async def read_capped(chunks: AsyncIterator[bytes], limit: int) -> bytes:
    """All of ``chunks`` joined, or TooLarge as soon as they pass ``limit`` bytes."""
    parts: list[bytes] = []
    size = 0
    async for chunk in chunks:
        size += len(chunk)
        if size > limit:
            raise TooLarge(limit)
        parts.append(chunk)
    return b"".join(parts)


def _inflate(data: bytes, wbits: int, limit: int) -> bytes:
    inflater = zlib.decompressobj(wbits)
    out = bytearray()
    pending = data
    while pending:
        # max_length bounds what one call may produce: never more than the cap + 1.
        out += inflater.decompress(pending, limit + 1 - len(out))
        if len(out) > limit:
            raise TooLarge(limit)
        pending = inflater.unconsumed_tail
        if inflater.eof:
            break
    return bytes(out)


def _unbrotli(data: bytes, limit: int) -> bytes:
    decompressor = brotli.Decompressor()
    out = bytearray()
    for start in range(0, len(data), CHUNK):
        out += decompressor.process(data[start : start + CHUNK], output_buffer_limit=limit + 1)
        while len(out) <= limit and not decompressor.can_accept_more_data():
            out += decompressor.process(b"", output_buffer_limit=limit + 1)
        if len(out) > limit:
            raise TooLarge(limit)
    return bytes(out)


def decompress(data: bytes, encoding: str | None, limit: int) -> bytes:
    """``data`` with its Content-Encoding (gzip, deflate, br, or none) undone, at most ``limit`` bytes."""
    codings = [c.strip().lower() for c in (encoding or "").split(",") if c.strip()]
    try:
        # Codings are listed in the order applied: undo them last first.
        for coding in reversed(codings):
            if coding in ("gzip", "x-gzip"):
                data = _inflate(data, 16 + zlib.MAX_WBITS, limit)
            elif coding == "deflate":
                try:
                    data = _inflate(data, zlib.MAX_WBITS, limit)
                except zlib.error:  # some servers send raw deflate without the zlib header
                    data = _inflate(data, -zlib.MAX_WBITS, limit)
            elif coding == "br":
                data = _unbrotli(data, limit)
            elif coding != "identity":
                raise DecodeFailed(f"unsupported content-encoding {coding!r}")
    except (zlib.error, brotli.error) as exc:
        raise DecodeFailed(f"cannot decode {encoding}: {exc}") from None
    if len(data) > limit:
        raise TooLarge(limit)
    return data


def gunzip_if_gzip(data: bytes, limit: int) -> bytes:
    """``data`` decompressed when it starts with the gzip magic (``sitemap.xml.gz`` files), else as is."""
    if data[:2] != b"\x1f\x8b":
        return data
    try:
        return _inflate(data, 16 + zlib.MAX_WBITS, limit)
    except zlib.error as exc:
        raise DecodeFailed(f"bad gzip file: {exc}") from None
