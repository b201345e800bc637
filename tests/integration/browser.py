"""A real browser for the view's tests: Debian's chromium, headless, driven by Selenium through chromedriver.

Nothing is downloaded: the binary and the driver are the system's (``apt-get install chromium
chromium-driver``), Selenium is given both paths so its manager never runs, and every
background service that would reach the network is off. Without them the tests skip with
the reason, except under CI (``CI=true``), where they fail.
"""

from __future__ import annotations

import base64
import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from tests.ci import unavailable

CHROMIUM = Path(os.environ.get("WIRECOUNT_CHROMIUM", "/usr/bin/chromium"))
CHROMEDRIVER = Path(os.environ.get("WIRECOUNT_CHROMEDRIVER", "/usr/bin/chromedriver"))
FLAGS = (
    "--headless=new",
    "--no-sandbox",  # tests run as root in CI containers, where the sandbox cannot start
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-dev-shm-usage",  # containers give /dev/shm 64 MB: chromium's tabs crash in it
)
WINDOW = (1280, 900)  # a laptop screen: what the screenshots in docs/ show
MAX_SHOT_HEIGHT = 2_000  # a screenshot shows the top of a long page: enough to see what it is
# ``make screenshots`` sets this to docs/: the browser test saves the three pages there.
SCREENSHOTS = os.environ.get("WIRECOUNT_SCREENSHOTS")


def missing() -> str | None:
    """Why the browser cannot run here, or None."""
    for path, package in ((CHROMIUM, "chromium"), (CHROMEDRIVER, "chromium-driver")):
        if not os.access(path, os.X_OK):
            return f"{path} not found: apt-get install chromium chromium-driver ({package})"
    try:
        import selenium  # noqa: F401
    except ImportError:
        return "selenium is not installed (make setup)"
    return None


def require_browser() -> None:
    """Skip with the reason when there is no browser; fail under CI, where there must be one."""
    reason = missing()
    if reason is None:
        return
    unavailable(reason)


@contextmanager
def chromium() -> Iterator[Any]:
    """A headless chromium with a fresh profile, removed afterwards."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    profile = tempfile.mkdtemp(prefix="wirecount-chromium-")
    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for flag in (*FLAGS, f"--user-data-dir={profile}", f"--window-size={WINDOW[0]},{WINDOW[1]}"):
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})  # console and CSP reports, for the tests
    driver = webdriver.Chrome(service=Service(str(CHROMEDRIVER)), options=options)
    try:
        driver.set_page_load_timeout(30)
        yield driver
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)


def screenshot(driver: Any, name: str) -> None:
    """Save the whole page (not only the window) as ``<SCREENSHOTS>/<name>.png`` when screenshots are asked for."""
    if not SCREENSHOTS:
        return
    out = Path(SCREENSHOTS)
    out.mkdir(parents=True, exist_ok=True)
    size = driver.execute_cdp_cmd("Page.getLayoutMetrics", {})["cssContentSize"]
    clip = {
        "x": 0,
        "y": 0,
        "width": size["width"],
        "height": min(size["height"], MAX_SHOT_HEIGHT),
        "scale": 1,
    }
    shot = driver.execute_cdp_cmd(
        "Page.captureScreenshot", {"format": "png", "captureBeyondViewport": True, "clip": clip}
    )
    (out / f"{name}.png").write_bytes(base64.b64decode(shot["data"]))
