"""The aggregator's HTTP API against its own OpenAPI description (schemathesis), over the embedded broker.

An aggregator alone is started, extracted articles are sent to its input topic
so there are incidents and tolls to serve, then schemathesis generates requests
from ``/openapi.json`` and runs every check: undocumented status codes, bodies
that do not match their schema, and any 5xx are failures.
"""

from __future__ import annotations

import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import orjson
import pytest

from services.aggregator.openapi import OPENAPI
from shared import codec, topics
from shared.supervisor import http_get
from tests.conftest import produce
from tests.pipelines import own_pipeline
from tests.services.aggregator.conftest import article, figure

pytestmark = pytest.mark.integration

# Enough for every operation and parameter to be tried several ways, small enough for CI (about a minute).
MAX_EXAMPLES = 40


def _articles() -> list[bytes]:
    items = [
        article("s1", figure(12), figure(30, kind="injured"), site="one.example"),
        article("s2", figure(14, place="Saraqib"), site="two.example"),
        article("s3", figure(1117, place="Khan Younis", scope="cumulative"), site="three.example"),
        article("s4", figure(5, place="Raqqa", victims="children", actor="Unknown"), site="one.example"),
    ]
    return [codec.dumps(a) for a in items]


@pytest.fixture(scope="module")
def api(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The base URL of a lone aggregator that has incidents and a toll to serve."""
    replicas = {"fetcher": 0, "parser": 0, "extractor": 0, "aggregator": 1}
    with own_pipeline(tmp_path_factory.mktemp("api"), replicas) as running:
        values = _articles()
        produce(running.bootstrap, topics.EXTRACTED, [(None, v) for v in values])
        url = running.of("aggregator")[0].url
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if running.api("/incidents")["total"] >= 3 and running.api("/tolls")["total"] >= 1:
                break
            time.sleep(0.2)
        else:
            raise TimeoutError("the aggregator did not build the incidents in time")
        yield url


def _request(url: str, method: str) -> tuple[int, bytes]:
    request = urllib.request.Request(url, method=method, data=b"{}" if method in ("POST", "PUT") else None)
    try:
        with urllib.request.urlopen(request, timeout=5) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read()


def test_the_served_description_is_the_one_in_the_code(api: str) -> None:
    status, body = http_get(api + "/openapi.json")
    assert status == 200
    assert orjson.loads(body) == orjson.loads(orjson.dumps(OPENAPI))


def test_schemathesis_finds_no_failure(api: str, tmp_path: Path) -> None:
    command = [
        str(Path(sys.executable).with_name("schemathesis")),
        "run",
        api + "/openapi.json",
        "--checks",
        "all",
        "--max-examples",
        str(MAX_EXAMPLES),
        "--workers",
        "1",
        "--phases",
        "examples,coverage,fuzzing",
        "--seed",
        "1",
        "--generation-database",
        "none",
        "--report",
        "har",
        "--report-har-path",
        str(tmp_path / "exchanges.har"),
        "--no-color",
    ]
    done = subprocess.run(command, capture_output=True, text=True, timeout=240, cwd=tmp_path)
    assert done.returncode == 0, done.stdout[-6000:] + done.stderr[-2000:]
    # Every exchange schemathesis made: none may leak a stack trace.
    entries = orjson.loads((tmp_path / "exchanges.har").read_bytes())["log"]["entries"]
    assert len(entries) > 100
    leaks = [e["request"]["url"] for e in entries if "Traceback" in str(e["response"]["content"].get("text"))]
    assert leaks == []


@pytest.mark.parametrize(
    "path",
    [
        "/incidents?limit=0",
        "/incidents?limit=100000",
        "/incidents?offset=-1",
        "/incidents?place_id=abc",
        "/incidents?since=2026-13-01",
        "/incidents?country=%E2%80%AESY",
        "/totals?group_by=sites",
        "/tolls?kind=sad",
        "/incidents?min_sources=" + "9" * 100,
        "/incidents.csv?kind=sad",
        "/incidents.csv?hxl=yes",
        "/incidents.geojson?since=2026-13-01",
        "/tolls.csv?country=Syria",
    ],
)
def test_bad_parameters_are_400_with_a_message_and_no_trace(api: str, path: str) -> None:
    status, body = _request(api + path, "GET")
    assert status == 400, body
    doc = orjson.loads(body)
    assert isinstance(doc["error"], str) and doc["error"]
    assert b"Traceback" not in body


@pytest.mark.parametrize("method", ["POST", "PUT", "DELETE", "PATCH"])
@pytest.mark.parametrize(
    "path",
    ["/incidents", "/totals", "/tolls", "/incidents/x", "/openapi.json", "/incidents.csv", "/incidents.geojson",
     "/tolls.csv", "/", "/view/incidents/x", "/view/tolls/x", "/view/style.css"],
)  # fmt: skip
def test_the_api_is_read_only(api: str, path: str, method: str) -> None:
    status, body = _request(api + path, method)
    assert status == 405, (status, body[:200])
    assert b"Traceback" not in body


def test_a_page_is_bounded(api: str) -> None:
    status, body = _request(api + "/incidents?limit=500", "GET")
    assert status == 200 and orjson.loads(body)["limit"] == 500
    assert _request(api + "/incidents?limit=501", "GET")[0] == 400
