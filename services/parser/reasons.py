"""Why the parser rejects a raw article: the fixed set of dead-letter reasons.

The wiring counts dead letters by reason, so this set must stay small and
stable; ``detail`` (free text) says the specifics.
"""

from __future__ import annotations

TOO_LARGE = "too_large"  # raw HTML or text above the configured byte limit
BAD_BASE64 = "bad_base64"  # body_b64 is not valid base64
BINARY = "binary"  # an image, PDF, archive or other non-text payload
BAD_ENCODING = "bad_encoding"  # bytes that decode to text only with heavy damage
HTTP_ERROR = "http_error"  # the fetch answered with an HTTP error status (>= 400)
NO_ARTICLE = "no_article"  # a page, but not an article: an index, a listing or an error page
NO_CONTENT = "no_content"  # no body at all, or less main text than the configured minimum

REASONS = frozenset({TOO_LARGE, BAD_BASE64, BINARY, BAD_ENCODING, HTTP_ERROR, NO_ARTICLE, NO_CONTENT})
