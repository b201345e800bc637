"""From a raw record's payload to a Python string: size limit, base64, binary sniffing, charsets.

Charset order: a byte-order mark wins; then bytes that are valid UTF-8 are read
as UTF-8 whatever is declared (random legacy bytes are almost never valid
UTF-8, while mislabelled UTF-8 pages are common); then the HTTP charset and
the ``<meta>`` charset; a page declaring Latin-1 whose bytes read as Arabic in
windows-1256 is read as windows-1256; anything else falls back to
windows-1256, the usual legacy encoding of Arabic news sites (it also keeps
the French accented letters where Latin-1 has them).
"""

from __future__ import annotations

import base64
import binascii
import codecs
import re

from services.parser import reasons
from shared.records import BadRecord

# Signatures of payloads that are certainly not HTML.
_MAGIC = (
    (b"%PDF", "PDF"),
    (b"\x89PNG", "PNG image"),
    (b"\xff\xd8\xff", "JPEG image"),
    (b"GIF8", "GIF image"),
    (b"RIFF", "RIFF media"),
    (b"PK\x03\x04", "ZIP archive"),
    (b"\x1f\x8b", "gzip data"),
    (b"\x7fELF", "executable"),
    (b"OggS", "Ogg media"),
    (b"ID3", "MP3 audio"),
    (b"wOFF", "web font"),
    (b"wOF2", "web font"),
    (b"\x00\x00\x01\x00", "icon"),
)

_TEXT_TYPES = re.compile(
    r"^\s*(text/|application/(xhtml\+xml|xml|rss\+xml|atom\+xml|json|ld\+json)|[^;]*\+xml)", re.I
)
_OCTET = re.compile(r"^\s*(application/octet-stream|binary/octet-stream)", re.I)
_META_CHARSET = re.compile(rb"<meta[^>]{0,200}?charset\s*=\s*[\"']?\s*([A-Za-z0-9_.:-]{2,40})", re.I)
_XML_DECL = re.compile(r"^\s*<\?xml[^>]*\?>", re.I)

# Labels that browsers read as windows-1252 (WHATWG Encoding Standard).
_AS_CP1252 = frozenset(
    {"iso-8859-1", "iso8859-1", "latin1", "latin-1", "l1", "ascii", "us-ascii", "windows-1252", "cp1252"}
)

# Bytes sniffed for binary content: enough to see a header, cheap on a 5 MB page.
_SNIFF_BYTES = 4096
# Share of control bytes above which a payload is not text (HTML has next to none).
_MAX_CONTROL_SHARE = 0.05
# U+FFFD share above which a decoded page is too damaged to parse.
_MAX_REPLACEMENT_SHARE = 0.02
_CONTROL_BYTES = bytes(b for b in range(32) if b not in (9, 10, 12, 13, 27))
# XML 1.0 (which lxml enforces on strings) allows only tab, LF and CR among C0 controls; a form
# feed stands between words, so it becomes a space, the rest go. A compiled class finds them
# in one C-level scan; ``str.translate`` with a table calls back per character on non-ASCII
# text (8 ms on a 110 KB real page, a third of the parser's time; the scan is 1 ms).
_XML_INCOMPATIBLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_SURROGATE = re.compile("[\ud800-\udfff]")
_ARABIC_CHAR = re.compile("[\u0600-\u06ff]")
_LATIN_SUPPLEMENT = re.compile("[\u00c0-\u00ff]")
# Enough of the page to tell mojibake, and enough accented letters that it is not a stray "é".
_MOJIBAKE_SAMPLE = 20_000
_MIN_MOJIBAKE = 20


def decode_b64(body_b64: str, max_bytes: int) -> bytes:
    """Decode ``body_b64``, refusing it before decoding when it would exceed ``max_bytes``."""
    if len(body_b64) // 4 * 3 > max_bytes + 3:
        raise BadRecord(
            reasons.TOO_LARGE, f"body of about {len(body_b64) // 4 * 3} bytes exceeds {max_bytes}"
        )
    try:
        return base64.b64decode(body_b64, validate=True)
    except (binascii.Error, ValueError) as exc:
        raise BadRecord(reasons.BAD_BASE64, f"body_b64 is not valid base64 ({exc})") from None


def check_size(size: int, max_bytes: int, what: str) -> None:
    """Reject a payload of ``size`` bytes above the limit."""
    if size > max_bytes:
        raise BadRecord(reasons.TOO_LARGE, f"{what} of {size} bytes exceeds the limit of {max_bytes}")


def check_text_size(text: str, max_bytes: int, what: str) -> None:
    """Reject text whose UTF-8 form is above the limit, encoding it only when the length leaves a doubt."""
    if len(text) * 4 <= max_bytes:
        return  # a character is at most 4 bytes
    check_size(
        len(text) if len(text) > max_bytes else len(text.encode("utf-8", "surrogatepass")), max_bytes, what
    )


def sniff_binary(data: bytes, content_type: str | None) -> None:
    """Reject payloads that are not text: by declared type, magic number or control bytes."""
    if content_type and not _TEXT_TYPES.match(content_type) and not _OCTET.match(content_type):
        raise BadRecord(reasons.BINARY, f"content type {content_type.strip()[:60]!r} is not a text type")
    head = data[:_SNIFF_BYTES]
    for magic, name in _MAGIC:
        if head.startswith(magic):
            raise BadRecord(reasons.BINARY, f"payload is a {name}")
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return  # UTF-16 text is full of NUL bytes
    controls = len(head) - len(head.translate(None, _CONTROL_BYTES))
    if head and controls / len(head) > _MAX_CONTROL_SHARE:
        raise BadRecord(reasons.BINARY, f"{controls} control bytes in the first {len(head)}: not text")


def decode_bytes(data: bytes, charset: str | None) -> tuple[str, str, list[str]]:
    """Decode a page's bytes; return (text, encoding used, warnings)."""
    warnings: list[str] = []
    for bom, encoding in (
        (codecs.BOM_UTF8, "utf-8"),
        (codecs.BOM_UTF16_LE, "utf-16-le"),
        (codecs.BOM_UTF16_BE, "utf-16-be"),
    ):
        if data.startswith(bom):
            text = data[len(bom) :].decode(encoding, "replace")
            return check_damage(text), encoding, warnings
    declared = [name for name in (_codec(charset), _codec(_meta_charset(data))) if name]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    else:
        if declared and declared[0] != "utf-8" and not data.isascii():
            warnings.append("charset_mismatch")
        return text, "utf-8", warnings
    for encoding in declared:
        if encoding == "utf-8":
            continue
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if encoding == "cp1252" and _reads_as_arabic(data):
            warnings.append("charset_mismatch")
            return data.decode("cp1256"), "cp1256", warnings
        return text, encoding, warnings
    warnings.append("charset_guessed")
    return data.decode("cp1256"), "cp1256", warnings


def check_damage(text: str) -> str:
    """Reject text whose decoding left too many replacement characters."""
    bad = text.count("\ufffd")
    if bad > 20 and bad / max(len(text), 1) > _MAX_REPLACEMENT_SHARE:
        raise BadRecord(reasons.BAD_ENCODING, f"{bad} undecodable characters in {len(text)}")
    return text


def sanitise(html: str) -> str:
    """Remove what no HTML parser accepts in a string: NUL and other control characters, non-characters."""
    if _XML_INCOMPATIBLE.search(html) is None:
        return html  # nearly every page: nothing to copy
    return _XML_INCOMPATIBLE.sub(_replacement, html)


def _replacement(match: re.Match[str]) -> str:
    return " " if match.group() == "\x0c" else ""


def recover_bytes(html: str, charset: str | None) -> tuple[str, list[str]]:
    """Undo a wrong decoding upstream: lone surrogates from ``surrogateescape`` are the original bytes."""
    if not _SURROGATE.search(html):
        return html, []
    try:
        data = html.encode("utf-8", "surrogateescape")
    except UnicodeEncodeError:
        return _SURROGATE.sub("\ufffd", html), ["surrogates_replaced"]
    text, _encoding, warnings = decode_bytes(data, charset)
    return text, ["redecoded", *warnings]


def repair_mojibake(html: str) -> tuple[str, list[str]]:
    """Undo Arabic read as Latin-1 upstream ("Ø§Ù„Ù…Ø±ØµØ¯", "ÇáãÑÕÏ") by re-reading its bytes."""
    sample = html[:_MOJIBAKE_SAMPLE]
    if _ARABIC_CHAR.search(sample) or len(_LATIN_SUPPLEMENT.findall(sample)) < _MIN_MOJIBAKE:
        return html, []
    for encoding in ("cp1252", "latin-1"):
        try:
            data = html.encode(encoding)
        except UnicodeEncodeError:
            continue
        try:
            return data.decode("utf-8"), ["mojibake_repaired"]
        except UnicodeDecodeError:
            pass
        if _reads_as_arabic(data):
            return data.decode("cp1256"), ["mojibake_repaired"]
    return html, []  # a real French or Turkish page: its bytes are not UTF-8 and not Arabic


def strip_xml_declaration(html: str) -> str:
    """Drop a leading ``<?xml ... encoding=...?>``: lxml refuses it in an already decoded string."""
    html = html.lstrip("\ufeff")
    match = _XML_DECL.match(html)
    return html[match.end() :] if match else html


def _meta_charset(data: bytes) -> str | None:
    match = _META_CHARSET.search(data[:_SNIFF_BYTES])
    return match.group(1).decode("ascii", "replace") if match else None


def _codec(label: str | None) -> str | None:
    """Python's codec name for a charset label, or None if unknown."""
    if not label:
        return None
    label = label.strip().strip("\"'").lower()
    if label in _AS_CP1252:
        return "cp1252"
    try:
        name = codecs.lookup(label).name
    except LookupError:
        return None
    return "utf-8" if name in ("utf-8", "utf-8-sig") else name


def _reads_as_arabic(data: bytes) -> bool:
    """Whether most non-ASCII characters of ``data`` are Arabic letters when read as windows-1256."""
    high = [ch for ch in data.decode("cp1256") if ord(ch) > 127]
    arabic = sum(1 for ch in high if "\u0600" <= ch <= "\u06ff")
    return len(high) >= 10 and arabic / len(high) > 0.5
