"""A synthetic news corpus with known figures, for chaos runs and benchmarks.

Incidents are planned first (a place, a day, a kind, a true count), then reported
by several outlets in Arabic or English with differing counts and qualifiers;
some articles add a province's running toll, some are published twice under the
same URL (duplicates) or copied by a mirror site under another URL (republications).
Every page is a full HTML document padded to a requested size; a share of the
Arabic ones are encoded windows-1256. Same ``n`` and ``seed``: same corpus, byte for byte.

Incident grouping in the aggregator depends on arrival order in two cases, which
the plan avoids so that two runs of one corpus must agree: incidents of one block
at one place less than three days apart (the matching window is one day), and a
corpus spanning more than the aggregator's seven-day horizon (a late report of an
incident older than that starts a new one). So incidents come in "weeks" of slots:
each place on days 0, 3 and 6, once per variant (children killed, adults killed,
people injured; victims groups that never match each other); a corpus larger than
one week's slots (about 1,000 articles) moves on to another week ten days later.
"""

from __future__ import annotations

import html as htmlmod
import itertools
import random
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from tools import templates as t

BASE_DAY = datetime(2026, 10, 1, 6, 0, tzinfo=UTC)
SLOT_DAYS = (0, 3, 6)
WEEK_DAYS = 10
VARIANTS = (("killed", ("children",)), ("killed", ("people", "civilians")), ("injured", ("people",)))
DUPLICATE_RATE = 0.06
REPUBLICATION_RATE = 0.06
TOLL_RATE = 0.2
CP1256_RATE = 0.4
ARABIC_INDIC = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")


@dataclass(frozen=True, slots=True)
class ExpectedFigure:
    """A figure an article states, as generated."""

    kind: str
    count: int
    qualifier: str
    victims: str
    scope: str  # "incident" or "cumulative"
    place: str
    country: str


@dataclass(frozen=True, slots=True)
class Expected:
    """What an article was generated from."""

    incident_key: str  # "<country>|<place>|<day>|<kind>"
    figures: tuple[ExpectedFigure, ...]
    duplicate_of: str | None = None  # same URL and bytes as an earlier article
    republication_of: str | None = None  # URL of the article this one copies


@dataclass(frozen=True, slots=True)
class GeneratedArticle:
    """One page of the corpus."""

    url: str
    lang: str
    published: str
    html: bytes
    title: str
    expected: Expected
    charset: str = "utf-8"
    site: str = ""  # the outlet's name, as its pages give it in og:site_name


@dataclass(slots=True)
class _Story:
    """The text of one report before it is dressed as a page."""

    lang: str
    title: str
    paragraphs: list[str]
    figures: list[ExpectedFigure] = field(default_factory=list)


def _number(n: int, lang: str, rng: random.Random) -> str:
    if lang == "en" and n < len(t.EN_WORDS) and rng.random() < 0.4:
        return t.EN_WORDS[n]
    if lang == "ar" and rng.random() < 0.25:
        return str(n).translate(ARABIC_INDIC)
    return f"{n:,}" if lang == "en" else str(n)


def _fill(template: str, rng: random.Random, lang: str, qualifier: str, n: int, **kw: str) -> str:
    q = (t.QUALIFIER_EN if lang == "en" else t.QUALIFIER_AR)[qualifier]
    text = template.format(q=q, Q=q.capitalize(), n=_number(n, lang, rng), **kw)
    return text[0].upper() + text[1:]


def _victims_ar(victims: str, n: int) -> str:
    plural, singular = t.VICTIMS_AR[victims]
    return plural if n <= 10 else singular


def _lead(rng: random.Random, lang: str, place: t.Place, kind: str, count: int, victims: str) -> str:
    qualifier = rng.choice(("exact", "exact", "at_least", "more_than"))
    if lang == "en":
        pool: tuple[str, ...] = t.KILLED_EN if kind == "killed" else t.INJURED_EN
        template = rng.choice(pool)
        if qualifier == "more_than" and template.startswith("{Q}"):
            # The extractor reads a sentence-initial "More" as the place Mora (reported to the lead);
            # kept out so that incidents do not merge by accident and runs stay comparable.
            qualifier = "at_least"
        where = {"place": place.en, "country": place.country_en, "source": rng.choice(t.SOURCES_EN)}
        return qualifier + "\t" + _fill(template, rng, lang, qualifier, count, v=victims, **where)
    pool = t.KILLED_AR if kind == "killed" else t.INJURED_AR
    where = {"place": place.ar, "country": place.country_ar, "source": rng.choice(t.SOURCES_AR)}
    v = _victims_ar(victims, count)
    return qualifier + "\t" + _fill(rng.choice(pool), rng, lang, qualifier, count, v=v, **where)


def _story(
    rng: random.Random, lang: str, place: t.Place, kind: str, count: int, victims: str, toll: int | None
) -> _Story:
    qualifier, lead = _lead(rng, lang, place, kind, count, victims).split("\t", 1)
    name = place.en if lang == "en" else place.ar
    if lang == "en":
        verb = "kills" if kind == "killed" else "wounds"
        title = f"Attack in {name} {verb} {count} {victims}"
    else:
        title = f"{'ضحايا' if kind == 'killed' else 'جرحى'} في هجوم على {name}"
    story = _Story(lang, title, [lead])
    story.figures.append(ExpectedFigure(kind, count, qualifier, victims, "incident", place.en, place.country))
    background = t.BACKGROUND_EN if lang == "en" else t.BACKGROUND_AR
    if kind == "killed" and rng.random() < 0.35:
        hurt = rng.randint(3, 40)
        pool = t.ALSO_INJURED_EN if lang == "en" else t.ALSO_INJURED_AR
        source = rng.choice(t.SOURCES_EN if lang == "en" else t.SOURCES_AR)
        story.paragraphs.append(_fill(rng.choice(pool), rng, lang, "exact", hurt, source=source))
        story.figures.append(
            ExpectedFigure("injured", hurt, "exact", "people", "incident", place.en, place.country)
        )
    story.paragraphs += rng.sample(background, 3)
    if toll is not None and place.province_en and place.province_ar:
        province = place.province_en if lang == "en" else place.province_ar
        template = t.TOLL_EN if lang == "en" else t.TOLL_AR
        story.paragraphs.append(
            template.format(n=f"{toll:,}" if lang == "en" else str(toll), province=province)
        )
        story.figures.append(
            ExpectedFigure(
                "killed", toll, "exact", "civilians", "cumulative", place.province_en, place.country
            )
        )
    return story


def _padding(rng: random.Random, lang: str, size: int) -> str:
    """Related links and a tracking script, the chrome real pages carry, about ``size`` bytes."""
    related = t.RELATED_EN if lang == "en" else t.RELATED_AR
    items = [f'<li><a href="/section/{i}">{rng.choice(related)}</a></li>' for i in range(12)]
    out = '<aside class="related"><h3>Related</h3><ul>' + "".join(items) + "</ul></aside>"
    blob = "".join(rng.choice("abcdefghijklmnopqrstuvwxyz0123456789") for _ in range(64))
    entries: list[str] = []
    used = len(out.encode()) + 60
    while used < size:
        entry = f'"{blob[len(entries) % 48 :][:16]}{len(entries)}":"{blob[: 24 + len(entries) % 40]}"'
        entries.append(entry)
        used += len(entry) + 1
    script = ",".join(entries)
    return out + f'<script type="application/json" id="tracking">{{{script}}}</script>'


def render_page(
    story: _Story, outlet: t.Outlet, url: str, published: str, size: int, rng: random.Random
) -> tuple[bytes, str]:
    """A full HTML page around ``story``, about ``size`` bytes; returns (bytes, charset)."""
    charset = "windows-1256" if story.lang == "ar" and rng.random() < CP1256_RATE else "utf-8"
    esc = htmlmod.escape
    body = "".join(f"<p>{esc(p)}</p>" for p in story.paragraphs)
    comments = t.COMMENTS_EN if story.lang == "en" else t.COMMENTS_AR
    nav = "".join(f'<li><a href="/{s}">{s}</a></li>' for s in ("world", "politics", "economy", "sport"))
    head = (
        f'<!DOCTYPE html><html lang="{story.lang}" dir="{"rtl" if story.lang == "ar" else "ltr"}"><head>'
        f'<meta charset="{charset}"><title>{esc(story.title)} | {esc(outlet.name)}</title>'
        f'<link rel="canonical" href="{url}"><meta property="og:type" content="article">'
        f'<meta property="og:site_name" content="{esc(outlet.name)}">'
        f'<meta property="og:title" content="{esc(story.title)}">'
        f'<meta property="article:published_time" content="{published}">'
        "<script>window.dataLayer=window.dataLayer||[];</script></head><body>"
        f'<header><a class="logo" href="/">{esc(outlet.name)}</a><nav><ul>{nav}</ul></nav></header>'
    )
    main = (
        f'<main><article><h1>{esc(story.title)}</h1><time datetime="{published}">{published[:10]}</time>'
        f'<div class="article-body">{body}</div></article>'
        '<section class="comments"><h3>Comments</h3>'
        + "".join(f'<div class="comment"><p>{esc(c)}</p></div>' for c in comments)
        + "</section></main>"
    )
    tail = f"<footer><p>&copy; {esc(outlet.name)}</p></footer></body></html>"
    used = len((head + main + tail).encode())
    page = head + main + _padding(rng, story.lang, size - used) + tail
    return page.encode(charset, errors="xmlcharrefreplace"), charset


def _slug(rng: random.Random) -> str:
    return "".join(rng.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(10))


def generate_corpus(
    n: int, seed: int = 0, *, page_bytes: tuple[int, int] = (30_000, 150_000)
) -> list[GeneratedArticle]:
    """``n`` articles reporting planned incidents (see the module docstring); deterministic per seed."""
    rng = random.Random(seed)
    articles: list[GeneratedArticle] = []
    # Running tolls grow with time: a base and a daily rate per province.
    toll_base = {p.en: (rng.randint(300, 1500), rng.randint(3, 30)) for p in t.PLACES}
    for place, day, (kind, victim_groups) in _slots(rng):
        if len(articles) >= n:
            break
        victims = rng.choice(victim_groups)
        true_count = rng.randint(3, 60)
        key = f"{place.country}|{place.en}|{day.date().isoformat()}|{kind}|{victims}"
        outlets = rng.sample(t.OUTLETS, rng.randint(2, 4))
        # Distinct times: the aggregator breaks a tie in publication time by figure id, which for a
        # republished story depends on which copy arrived first.
        minutes = rng.sample(range(60, 21 * 60), len(outlets))
        for outlet, minute in zip(outlets, minutes, strict=True):
            count = max(3, true_count + rng.randint(-3, 3))
            at = day + timedelta(minutes=minute)
            published = at.isoformat().replace("+00:00", "Z")
            toll = None
            if rng.random() < TOLL_RATE:
                base, per_day = toll_base[place.en]
                toll = base + int((at - BASE_DAY).total_seconds() / 86400 * per_day)
            story = _story(rng, outlet.lang, place, kind, count, victims, toll)
            url = f"https://{outlet.host}/{day:%Y/%m/%d}/{_slug(rng)}"
            size = rng.randint(*page_bytes)
            page, charset = render_page(story, outlet, url, published, size, rng)
            expected = Expected(key, tuple(story.figures))
            article = GeneratedArticle(
                url, outlet.lang, published, page, story.title, expected, charset, outlet.name
            )
            articles.append(article)
            if rng.random() < DUPLICATE_RATE:
                articles.append(_copy(article, url, duplicate=True))
            if rng.random() < REPUBLICATION_RATE:
                mirror = next(m for m in t.MIRRORS if m.lang == outlet.lang)
                murl = f"https://{mirror.host}/{day:%Y/%m/%d}/{_slug(rng)}"
                mpage, mcharset = render_page(story, mirror, murl, published, size, rng)
                articles.append(
                    GeneratedArticle(
                        murl, outlet.lang, published, mpage, story.title,
                        Expected(key, tuple(story.figures), republication_of=url), mcharset, mirror.name,
                    )
                )  # fmt: skip
    return articles[:n]


def _slots(rng: random.Random) -> Iterator[tuple[t.Place, datetime, tuple[str, tuple[str, ...]]]]:
    """Incident slots, week after week, shuffled within a week (see the module docstring)."""
    for week in itertools.count():
        slots = [
            (place, BASE_DAY + timedelta(days=week * WEEK_DAYS + d), variant)
            for place in t.PLACES
            for d in SLOT_DAYS
            for variant in VARIANTS
        ]
        rng.shuffle(slots)
        yield from slots


def _copy(article: GeneratedArticle, url: str, *, duplicate: bool) -> GeneratedArticle:
    expected = Expected(article.expected.incident_key, article.expected.figures, duplicate_of=url)
    return GeneratedArticle(
        article.url, article.lang, article.published, article.html, article.title, expected, article.charset,
        article.site,
    )  # fmt: skip
