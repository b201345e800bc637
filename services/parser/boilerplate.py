"""Lines inside an article body that are not the article: "read also" links, app and social promos.

trafilatura keeps them when they sit in the body's own paragraphs. The lists
are data: add a phrase as it is written; it is normalised at import, so hamza
and diacritic variants ("اقرأ أيضاً" / "اقرا ايضا") match alike.
"""

from __future__ import annotations

import re

from shared.textnorm import normalize

_PREFIXES_AR = (
    "اقرأ أيضا",
    "اقرأ المزيد",
    "اقرأ كذلك",
    "شاهد أيضا",
    "طالع أيضا",
    "مواضيع ذات صلة",
    "أخبار ذات صلة",
    "ذات صلة:",
    "تابعونا على",
    "تابعوا آخر الأخبار",
    "لمتابعة آخر الأخبار",
    "للمزيد من الأخبار",
    "اشترك في قناة",
    "اشترك في النشرة",
    "حمل تطبيق",
    "اضغط هنا",
    "انقر هنا",
    "شارك هذا",
    "شارك الخبر",
)
_PREFIXES_EN = (
    "read also",
    "read more:",
    "also read",
    "see also",
    "related:",
    "related articles",
    "related stories",
    "related coverage",
    "more on this story",
    "recommended:",
    "follow us on",
    "subscribe to our",
    "sign up for our",
    "sign up to our",
    "click here",
    "download our app",
    "share this article",
    "advertisement",
)
PREFIXES = tuple(sorted({normalize(p).text for p in _PREFIXES_AR + _PREFIXES_EN}))

# Promo lines are short; a long paragraph that starts "Click here" is still prose.
_MAX_PROMO_CHARS = 200
# Table rule rows that trafilatura writes between a header and the data: "|---|---|".
_TABLE_RULE = re.compile(r"^[|\-: ]+$")


def is_boilerplate_line(line: str) -> bool:
    """Whether a line of extracted text is a promo or link box rather than article text."""
    if _TABLE_RULE.match(line):
        return True
    if len(line) > _MAX_PROMO_CHARS:
        return False
    return normalize(line).text.startswith(PREFIXES)


def drop_boilerplate_lines(text: str) -> str:
    """``text`` without its boilerplate lines."""
    return "\n".join(line for line in text.split("\n") if not is_boilerplate_line(line))
