"""Bytes to text: byte-order marks, declared and undeclared charsets, binary sniffing, limits."""

from __future__ import annotations

import pytest

from services.parser import reasons
from services.parser.decoding import check_text_size, decode_b64, decode_bytes, sanitise, sniff_binary
from shared.records import BadRecord

ARABIC = "<html><body><p>انتشلت فرق خفر السواحل جثث 11 مهاجراً قبالة الساحل، وفق ما أعلنت السلطات.</p></body></html>"


@pytest.mark.parametrize(
    ("data", "charset", "encoding", "warnings"),
    [
        (b"\xef\xbb\xbf" + ARABIC.encode("utf-8"), "windows-1256", "utf-8", []),  # BOM beats the header
        (ARABIC.encode("utf-8"), None, "utf-8", []),
        (ARABIC.encode("utf-8"), "windows-1256", "utf-8", ["charset_mismatch"]),  # valid UTF-8 wins
        (ARABIC.encode("cp1256"), "windows-1256", "cp1256", []),
        (
            ARABIC.encode("cp1256"),
            "ISO-8859-1",
            "cp1256",
            ["charset_mismatch"],
        ),  # Latin-1 label, Arabic bytes
        (ARABIC.encode("cp1256"), None, "cp1256", ["charset_guessed"]),
        (ARABIC.encode("cp1256"), "no-such-charset", "cp1256", ["charset_guessed"]),
        (
            ARABIC.replace("<html>", '<html><meta charset="windows-1256">').encode("cp1256"),
            None,
            "cp1256",
            [],
        ),
        ("<p>Café crème à Paris</p>".encode("cp1252"), "iso-8859-1", "cp1252", []),
    ],
)
def test_decode_bytes(data: bytes, charset: str | None, encoding: str, warnings: list[str]) -> None:
    text, used, found = decode_bytes(data, charset)
    assert used == encoding
    assert found == warnings
    assert "خفر السواحل" in text or "Café crème" in text


def test_latin1_page_keeps_its_accents() -> None:
    text, _, _ = decode_bytes("<p>Café crème à Paris</p>".encode("cp1252"), "iso-8859-1")
    assert text == "<p>Café crème à Paris</p>"


def test_damaged_bom_page_is_bad_encoding() -> None:
    data = b"\xef\xbb\xbf" + b"<p>" + b"\xff\xfe\xfd " * 200 + b"</p>"
    with pytest.raises(BadRecord) as caught:
        decode_bytes(data, None)
    assert caught.value.reason == reasons.BAD_ENCODING


@pytest.mark.parametrize(
    ("data", "content_type"),
    [
        (b"<html><body>fine</body></html>", "text/html; charset=utf-8"),
        (b"<html><body>fine</body></html>", "application/octet-stream"),  # mislabelled HTML is common
        (b"<rss><channel/></rss>", "application/rss+xml"),
        ("<p>مرحبا</p>".encode("utf-16"), None),
    ],
)
def test_text_is_not_binary(data: bytes, content_type: str | None) -> None:
    sniff_binary(data, content_type)


def test_size_limits() -> None:
    check_text_size("x" * 100, 100, "html")
    with pytest.raises(BadRecord):
        check_text_size("x" * 101, 100, "html")
    with pytest.raises(BadRecord):
        check_text_size("ق" * 60, 100, "html")  # 60 characters, 120 bytes
    with pytest.raises(BadRecord) as caught:
        decode_b64("QUJD" * 100, 100)
    assert caught.value.reason == reasons.TOO_LARGE
    assert decode_b64("QUJD", 100) == b"ABC"


def test_sanitise_drops_what_xml_refuses_and_keeps_the_rest() -> None:
    page = "<p>a\x00b\x0cc\td\ne\rf\x1fg\ufffeh\uffffi حلب é</p>"
    assert sanitise(page) == "<p>ab c\td\ne\rfghi حلب é</p>"


def test_sanitise_returns_a_clean_page_unchanged() -> None:
    page = "<p>قتل 12 شخصا — twelve killed</p>\n"
    assert sanitise(page) is page
