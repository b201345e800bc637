"""The real-pages bench section's own parts, on a made-up pages folder (never ../shared)."""

from __future__ import annotations

import gzip
from pathlib import Path

import orjson
import pytest

from tools import bench_pages

PAGE = (
    "<html><head><title>Bridge closed after the river rose</title></head><body><article>"
    + "<p>The river rose overnight and the old bridge closed before dawn on Friday, officials said.</p>" * 6
    + "</article></body></html>"
)


def _folder(tmp_path: Path) -> Path:
    (tmp_path / "html").mkdir()
    (tmp_path / "html" / "k1.html.gz").write_bytes(gzip.compress(PAGE.encode()))
    truth = {
        "k1": {"url": "https://news.example/bridge", "articleBody": "The river rose overnight."},
        "k2": {"url": "https://news.example/missing", "articleBody": "No page file for this one."},
    }
    (tmp_path / "ground-truth.json").write_bytes(orjson.dumps(truth))
    return tmp_path


def test_pages_are_loaded_with_their_truth_and_missing_files_skipped(tmp_path: Path) -> None:
    [page] = bench_pages.load_pages(_folder(tmp_path))
    assert (page.key, page.url, page.truth) == (
        "k1",
        "https://news.example/bridge",
        "The river rose overnight.",
    )
    assert page.html == PAGE.encode()


def test_copies_are_distinct_urls_and_the_parser_reads_them() -> None:
    assert bench_pages.copy_url("https://a.example/x", 0) == "https://a.example/x"
    assert bench_pages.copy_url("https://a.example/x", 2) == "https://a.example/x?wirecount-copy=2"
    assert bench_pages.copy_url("https://a.example/x?id=1", 1) == "https://a.example/x?id=1&wirecount-copy=1"
    page = bench_pages.Page("k", "https://a.example/x", PAGE.encode(), "")
    parsed = bench_pages.parse(bench_pages.raw_of(page, 1))
    assert "old bridge closed" in parsed.text


def test_a_page_over_the_record_limit_is_not_published() -> None:
    small = bench_pages.Page("s", "https://a.example/s", PAGE.encode(), "")
    large = bench_pages.Page("l", "https://a.example/l", PAGE.encode() * 2000, "")
    assert bench_pages.publishable([small, large]) == [small]


def test_the_section_says_it_skipped_when_there_are_no_pages(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert bench_pages.section(tmp_path / "absent", tmp_path, cores=2) is None
    assert "real pages: skipped" in capsys.readouterr().out
