from __future__ import annotations

import asyncio
import gzip
import zlib
from collections.abc import AsyncIterator

import brotli
import pytest

from services.fetcher.bodies import DecodeFailed, TooLarge, decompress, gunzip_if_gzip, read_capped

PAGE = b"<html>" + b"news " * 2000 + b"</html>"


@pytest.mark.parametrize(
    ("encoding", "data"),
    [
        (None, PAGE),
        ("identity", PAGE),
        ("gzip", gzip.compress(PAGE)),
        ("x-gzip", gzip.compress(PAGE)),
        ("deflate", zlib.compress(PAGE)),
        ("deflate", zlib.compress(PAGE)[2:-4]),  # raw deflate, as some servers send it
        ("br", brotli.compress(PAGE)),
        ("gzip, br", brotli.compress(gzip.compress(PAGE))),
    ],
)
def test_decompress(encoding: str | None, data: bytes) -> None:
    assert decompress(data, encoding, 100_000) == PAGE


@pytest.mark.parametrize("encoding", ["gzip", "deflate", "br"])
def test_bombs_stop_at_the_cap(encoding: str) -> None:
    plain = b"\0" * 20_000_000
    packed = {"gzip": gzip.compress, "deflate": zlib.compress, "br": brotli.compress}[encoding](plain)
    assert len(packed) < 100_000
    with pytest.raises(TooLarge):
        decompress(packed, encoding, 1_000_000)


def test_plain_body_over_the_cap() -> None:
    with pytest.raises(TooLarge):
        decompress(PAGE, None, 100)


def test_corrupt_and_unknown_encodings() -> None:
    with pytest.raises(DecodeFailed):
        decompress(b"not gzip at all", "gzip", 1000)
    with pytest.raises(DecodeFailed):
        decompress(PAGE, "compress", 100_000)


def test_gunzip_only_gzip_files() -> None:
    assert gunzip_if_gzip(PAGE, 100_000) == PAGE
    assert gunzip_if_gzip(gzip.compress(PAGE), 100_000) == PAGE
    with pytest.raises(TooLarge):
        gunzip_if_gzip(gzip.compress(PAGE), 100)


async def _chunks(n: int, size: int) -> AsyncIterator[bytes]:
    for _ in range(n):
        yield b"x" * size


def test_read_capped() -> None:
    assert len(asyncio.run(read_capped(_chunks(3, 10), 30))) == 30
    with pytest.raises(TooLarge):
        asyncio.run(read_capped(_chunks(4, 10), 30))
