from __future__ import annotations

import base64
from pathlib import Path

import pytest

from services.fetcher.logic import expand_paths, load_file, raw_from_json


def test_html_file_is_carried_as_its_bytes(tmp_path: Path) -> None:
    page = tmp_path / "a.html"
    body = "<html><body><p>مقتل خمسة</p></body></html>".encode("cp1256")
    page.write_bytes(body)
    [loaded] = list(load_file(page, entered_at=1.0))
    assert loaded.article is not None
    assert base64.b64decode(loaded.article.body_b64 or "") == body
    assert loaded.article.url == page.resolve().as_uri()
    assert loaded.article.entered_at == 1.0


def test_jsonl_errors_name_the_line(tmp_path: Path) -> None:
    path = tmp_path / "in.jsonl"
    path.write_text(
        '{"url": "https://a.example/1", "text": "Five people were killed."}\n'
        "not json\n"
        '{"url": "https://a.example/3"}\n'
        "\n"
        '{"text": 42}\n'
        '{"html": "<p>x</p>", "lang": "fr"}\n',
        encoding="utf-8",
    )
    loaded = list(load_file(path, entered_at=0.0))
    good = [x.article for x in loaded if x.article]
    errors = {x.where.rsplit(":", 1)[1]: x.error.reason for x in loaded if x.error}
    assert len(good) == 2
    assert good[1].lang is None  # only "ar"/"en" are taken as hints
    assert set(errors) == {"2", "3", "5"}
    assert "invalid JSON" in errors["2"]
    assert "neither 'html' nor 'text'" in errors["3"]
    assert "must be a string" in errors["5"]


def test_unreadable_and_empty_files_are_errors(tmp_path: Path) -> None:
    empty = tmp_path / "empty.html"
    empty.write_bytes(b"  \n")
    [missing] = list(load_file(tmp_path / "nope.html", entered_at=0))
    [blank] = list(load_file(empty, entered_at=0))
    assert missing.error is not None and "cannot read" in missing.error.reason
    assert blank.error is not None and "empty" in blank.error.reason


def test_directories_expand_to_their_articles(tmp_path: Path) -> None:
    (tmp_path / "sub").mkdir()
    for name in ("a.html", "sub/b.htm", "c.jsonl", "notes.txt"):
        (tmp_path / name).write_text("x")
    names = [p.name for p in expand_paths([tmp_path])]
    assert sorted(names) == ["a.html", "b.htm", "c.jsonl"]


def test_json_record_validation() -> None:
    with pytest.raises(ValueError, match="JSON object"):
        raw_from_json([1], where="x:1", entered_at=0)
    with pytest.raises(ValueError, match="empty"):
        raw_from_json({"text": "   "}, where="x:1", entered_at=0)


def test_publish_refuses_a_page_over_the_message_limit_by_name(tmp_path: Path) -> None:
    from services.fetcher.publish import MAX_RECORD_BYTES, collect

    (tmp_path / "huge.html").write_bytes(b"<p>" + b"x" * MAX_RECORD_BYTES + b"</p>")
    (tmp_path / "fine.html").write_bytes(b"<p>five people were killed</p>")
    articles, report = collect([tmp_path], progress=False)
    assert len(articles) == 1
    [error] = report.errors
    assert error.where.endswith("huge.html") and "message limit" in error.reason
