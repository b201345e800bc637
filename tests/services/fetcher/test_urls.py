from __future__ import annotations

import pytest

from services.fetcher.urls import UrlError, canonical_url, check_http_url, host_of, is_tracking, origin_of
from tests.cases import Case, case_name, load_cases

CASES = load_cases("fetcher_urls.jsonl", needs=("text",))


@pytest.mark.parametrize("case", CASES, ids=case_name)
def test_canonical_url(case: Case) -> None:
    assert canonical_url(case.text) == case.expected


def test_canonical_url_is_idempotent() -> None:
    for case in CASES:
        once = canonical_url(case.text)
        assert canonical_url(once) == once


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "ftp://x.example/a",
        "gopher://x.example/",
        "javascript:alert(1)",
        "/relative/path",
        "http://",
        "https://user:secret@x.example/a",
        "http://x.example:99999/",
    ],
)
def test_only_plain_http_urls_pass(url: str) -> None:
    with pytest.raises(UrlError):
        check_http_url(url)


def test_tracking_parameters() -> None:
    assert is_tracking("utm_campaign") and is_tracking("UTM_Source") and is_tracking("fbclid")
    assert not is_tracking("id") and not is_tracking("page")


def test_host_and_origin() -> None:
    assert host_of("https://A.example:8443/x") == "a.example:8443"
    assert host_of("https://a.example/x") == "a.example"
    assert origin_of("HTTPS://A.example:8443/x?y") == "https://a.example:8443"
