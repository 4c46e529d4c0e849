"""A real headless Chromium (Debian's chromium and chromium-driver) driven by Selenium, with
axe-core (installed by `make test` from tests/browser/package.json) for accessibility audits.

Where Chromium, its driver or axe-core is missing, every browser test is skipped with a message
that says which and how to install it. CI installs all three and sets REQUIRE_BROWSER=1, which
turns that skip into a failure.
"""

import io
import os
import shutil
import tempfile
import threading
import time
from pathlib import Path

import pytest
from django.core.management import call_command

AXE = Path(__file__).parent / "node_modules" / "axe-core" / "axe.min.js"
WCAG_21_A_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
# Chromium must not reach out to Google's services: this machine's network is closed.
CHROMIUM_FLAGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-extensions",
]
DESKTOP = (1280, 900)
PHONE = (320, 640)


def _missing() -> str | None:
    if not (shutil.which("chromium") and shutil.which("chromedriver")):
        return "Chromium not found: install Debian's chromium and chromium-driver"
    if not AXE.exists():
        return "axe-core not found: run `npm ci --prefix tests/browser` (make test does)"
    return None


def _wait_for_request_threads(timeout=5.0):
    """Wait until the live server has finished every connection the browser opened: its request
    threads touch the database connection when they end, which must happen within the test."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not any("process_request_thread" in t.name for t in threading.enumerate()):
            return
        time.sleep(0.05)


@pytest.fixture
def browser(live_server):
    """A fresh Chromium per test, quit before the live server lets go of the database."""
    missing = _missing()
    if missing and os.environ.get("REQUIRE_BROWSER") == "1":
        pytest.fail(f"browser tests required (REQUIRE_BROWSER=1) but {missing}")
    if missing:
        pytest.skip(f"browser tests skipped: {missing}")
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    os.environ["SE_OFFLINE"] = "true"  # never let Selenium Manager download anything
    options = webdriver.ChromeOptions()
    options.binary_location = shutil.which("chromium")
    profile = tempfile.mkdtemp(prefix="gcm-chromium-")
    for flag in [*CHROMIUM_FLAGS, f"--user-data-dir={profile}"]:
        options.add_argument(flag)
    driver = webdriver.Chrome(options=options, service=Service(shutil.which("chromedriver")))
    driver.set_page_load_timeout(30)
    yield driver
    driver.quit()
    _wait_for_request_threads()
    shutil.rmtree(profile, ignore_errors=True)


def set_viewport(driver, size):
    width, height = size
    driver.execute_cdp_cmd(
        "Emulation.setDeviceMetricsOverride",
        {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": width < 600},
    )


@pytest.fixture
def seeded_live_server(live_server):
    call_command("load_seed", stdout=io.StringIO())
    return live_server


def axe_violations(driver) -> list[str]:
    """Run axe-core on the current page against WCAG 2.1 A and AA; one line per violation."""
    driver.execute_script(AXE.read_text(encoding="utf-8"))
    # The matrix holds about 1,500 cells: axe needs longer than Selenium's default 30 s there on
    # a busy machine.
    driver.set_script_timeout(180)
    return driver.execute_async_script(
        """
        const [tags, done] = arguments;
        axe.run(document, {runOnly: {type: "tag", values: tags}})
          .then(r => done(r.violations.map(v =>
              v.id + ": " + v.help + " [" + v.nodes.map(n => n.target.join(" ")).join(", ") + "]")))
          .catch(e => done(["axe failed: " + e]));
        """,
        WCAG_21_A_AA,
    )


def sign_in_as(driver, server_url, user):
    """Give the browser a signed-in session for `user` (the sign-in form has its own test)."""
    from django.conf import settings
    from django.test import Client

    client = Client()
    client.force_login(user)
    driver.get(server_url + "/static/img/favicon.svg")  # a page of the site, to set its cookie
    driver.delete_all_cookies()
    driver.add_cookie(
        {
            "name": settings.SESSION_COOKIE_NAME,
            "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
            "path": "/",
        }
    )
