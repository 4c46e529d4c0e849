"""/api/docs/interactive/ in headless Chromium, under the Content Security Policy the page sends:
Swagger UI renders every resource, runs a request, logs no error, asks nothing of another site and
has no axe violations."""

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support.wait import WebDriverWait

# The browser tests' Chromium fixture (skipped, or failed in CI, when Chromium is missing).
from tests.browser.conftest import DESKTOP, PHONE, axe_violations, browser, set_viewport  # noqa: F401

pytestmark = pytest.mark.django_db(transaction=True)

# Installed before any of the page's scripts run: records errors, failed loads, console errors
# and CSP violations, which Chromium would otherwise only print to its own log.
RECORD_PROBLEMS = """
window.__problems = [];
const record = (kind, text) => window.__problems.push(kind + ": " + text);
window.addEventListener(
  "error", (e) => record("error", e.message || e.target.src || e.target.href), true
);
document.addEventListener(
  "securitypolicyviolation", (e) => record("csp", e.violatedDirective + " " + e.blockedURI)
);
const consoleError = console.error;
console.error = (...args) => {
  record("console.error", args.join(" "));
  consoleError.apply(console, args);
};
"""
RESOURCES = [
    "actions",
    "assessment-submissions",
    "assessments",
    "changes",
    "consultations",
    "countries",
    "good-practices",
    "guiding-principles",
    "objectives",
    "recommendations",
    "snapshots",
    "stakeholders",
    "status-changes",
]


def _wait(driver, css, timeout=30):
    return WebDriverWait(driver, timeout).until(lambda d: d.find_elements(By.CSS_SELECTOR, css))


def _click(driver, css):
    # Through the DOM: while Swagger UI opens an operation, another element can lie over the
    # button for a moment.
    driver.execute_script("arguments[0].click();", _wait(driver, css)[0])


def test_docs_page_renders_in_chromium_without_errors_or_outside_requests(browser, live_server):  # noqa: F811
    browser.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": RECORD_PROBLEMS})

    browser.get(live_server.url + "/api/docs/interactive/")
    tags = [element.get_attribute("data-tag") for element in _wait(browser, ".opblock-tag")]
    _click(browser, "#operations-objectives-objectives_list .opblock-summary-control")
    _click(browser, ".try-out__btn")
    _click(browser, ".btn.execute")
    status = _wait(browser, ".live-responses-table tbody .response-col_status")[0].text
    problems = browser.execute_script("return window.__problems;")
    requested = browser.execute_script(
        "return performance.getEntriesByType('resource').map((entry) => entry.name);"
    )

    assert sorted(tags) == RESOURCES
    assert status == "200"
    assert problems == []
    assert [url for url in requested if not url.startswith(live_server.url + "/")] == []
    assert f"{live_server.url}/api/v1/objectives/" in requested


def test_interactive_docs_have_no_accessibility_violations(browser, live_server):  # noqa: F811
    results = {}
    for name, size in [("desktop", DESKTOP), ("phone", PHONE)]:
        set_viewport(browser, size)
        browser.get(live_server.url + "/api/docs/interactive/")
        _wait(browser, ".opblock-tag")
        # One operation open and run: its parameters, buttons and response are audited too.
        _click(browser, "#operations-objectives-objectives_list .opblock-summary-control")
        _click(browser, ".try-out__btn")
        _click(browser, ".btn.execute")
        _wait(browser, ".live-responses-table tbody .response-col_status")
        results[name] = axe_violations(browser)

    assert results == {"desktop": [], "phone": []}
