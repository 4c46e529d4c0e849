"""Layout on a phone (390 px) and on a desktop (1280 px), in one browser session for every page:
the header is compact and the page never scrolls sideways on a phone, axe finds no violation at
390 px (tests/browser/test_accessibility.py and the workflow modules audit 1280 and 320 px), the
menu, filter panels and form errors behave, and Lighthouse scores accessibility 100."""

import json
import os
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from gcm_tracker.tracker.enums import ReviewState
from gcm_tracker.tracker.models import Country, Recommendation, Stakeholder
from tests.factories import (
    AssessmentSubmissionFactory,
    ContributorFactory,
    FollowUpActionFactory,
    StaffFactory,
)

from .conftest import DESKTOP, axe_violations, set_viewport, sign_in_as
from .test_accessibility import PAGES, _assess, _publish_an_action
from .test_assessment_workflows import NEW_PAGES
from .test_workflows import SIGNED_IN_PAGES

pytestmark = pytest.mark.django_db(transaction=True)

PHONE_390 = (390, 844)
HEADER_MAX_HEIGHT = 120
SLUG = "border-governance-2020"
LIGHTHOUSE = Path(__file__).parent / "node_modules" / ".bin" / "lighthouse"
LIGHTHOUSE_SCRIPT = Path(__file__).parent / "lighthouse_audit.mjs"

ALL_PAGES = [
    *(("anonymous", path) for path in PAGES),
    ("anonymous", "/api/docs/"),
    *dict.fromkeys(SIGNED_IN_PAGES + NEW_PAGES),
]


def _world():
    """The seed plus what makes every page show its cards, cells and forms; the users."""
    published = _publish_an_action()
    _assess()
    organisation = Stakeholder.objects.get(slug="udyama")
    contributor = ContributorFactory(username="carla", organisation=organisation)
    cell = {
        "recommendation": Recommendation.objects.get(reference=f"{SLUG}-87"),
        "country": Country.objects.get(iso3="THA"),
    }
    objects = {
        "action": published,
        "draft": FollowUpActionFactory(
            lead_stakeholder=organisation, review_state=ReviewState.RETURNED, review_note="Add."
        ),
        "submitted": FollowUpActionFactory(
            lead_stakeholder=organisation, review_state=ReviewState.SUBMITTED
        ),
        "returned": AssessmentSubmissionFactory(
            stakeholder=organisation,
            review_state=ReviewState.RETURNED,
            review_note="Name the law.",
            **cell,
        ),
    }
    # The assessment review page of NEW_PAGES names {submitted} too: an action's id there
    # would be wrong, so that page gets its own submission.
    assessment = AssessmentSubmissionFactory(
        stakeholder=organisation, review_state=ReviewState.SUBMITTED, **cell
    )
    users = {"anonymous": None, "contributor": contributor, "staff": StaffFactory(username="sam")}
    return users, objects, assessment


def _path(path, objects, assessment):
    ids = {name: obj.pk for name, obj in objects.items()}
    if path.startswith("/workspace/review/assessments/"):
        ids["submitted"] = assessment.pk
    return path.format(**ids)


def _as(browser, base, user, current):
    if user is current:
        return current
    if user is None:
        browser.delete_all_cookies()
    else:
        sign_in_as(browser, base, user)
    return user


def _measure(browser):
    return browser.execute_script(
        "const root = document.documentElement;"
        "const header = document.querySelector('.site-header');"
        "return [root.scrollWidth - root.clientWidth,"
        " header ? Math.ceil(header.getBoundingClientRect().height) : 0];"
    )


@pytest.mark.engine_independent
def test_every_page_on_a_phone_has_a_compact_header_no_sideways_scroll_and_no_axe_violation(
    browser, seeded_live_server
):
    base = seeded_live_server.url
    users, objects, assessment = _world()
    set_viewport(browser, PHONE_390)
    current, problems, headerless = "nobody", {}, []
    for persona, path in ALL_PAGES:
        current = _as(browser, base, users[persona], current)
        url = base + _path(path, objects, assessment)
        browser.get(url)
        overflow, header = _measure(browser)
        if not header:
            headerless.append(path)
        found = {
            "url": browser.current_url if browser.current_url != url else "",
            "overflow": overflow,
            "header too high": header > HEADER_MAX_HEIGHT,
            "axe": axe_violations(browser),
        }
        if any(found.values()):
            problems[f"{persona} {path}"] = found
    assert problems == {}
    # Every page but the API's (Swagger UI's own page) has the site's header.
    assert set(headerless) <= {"/api/docs/"}


def test_phone_menu_opens_from_its_button_and_marks_the_current_page(browser, seeded_live_server):
    set_viewport(browser, PHONE_390)
    browser.get(seeded_live_server.url + "/objectives/13/")
    link = browser.find_element(By.CSS_SELECTOR, ".menu-panel a[href='/objectives/']")
    assert not link.is_displayed()
    browser.find_element(By.CSS_SELECTOR, ".menu-toggle summary").click()
    assert link.is_displayed()
    assert link.get_attribute("aria-current") == "true"  # a page in the section
    # On a wide screen the bar shows the menu and the button is gone.
    set_viewport(browser, DESKTOP)
    browser.get(seeded_live_server.url + "/objectives/")
    bar_link = browser.find_element(By.CSS_SELECTOR, ".menu-bar a[href='/objectives/']")
    assert (bar_link.is_displayed(), bar_link.get_attribute("aria-current")) == (True, "page")
    assert not browser.find_element(By.CSS_SELECTOR, ".menu-toggle").is_displayed()
    assert _measure(browser)[1] <= 160


def test_filter_panel_is_closed_on_a_phone_unless_filters_are_in_use(browser, seeded_live_server):
    base = seeded_live_server.url

    def objective_menu_shown():
        # Not Selenium's is_displayed(), which takes every closed <details>' content as hidden.
        return browser.execute_script(
            "const menu = document.getElementById('id_objective');"
            "return menu.checkVisibility() && menu.getBoundingClientRect().height > 0;"
        )

    set_viewport(browser, PHONE_390)
    browser.get(base + "/recommendations/")
    closed = objective_menu_shown()
    browser.find_element(By.CSS_SELECTOR, ".filter-panel summary").click()
    opened = objective_menu_shown()
    browser.get(base + "/recommendations/?objective=13")
    in_use = (
        objective_menu_shown(),
        browser.find_element(By.CSS_SELECTOR, ".filter-panel summary").text,
    )
    set_viewport(browser, DESKTOP)
    browser.get(base + "/recommendations/")
    wide = objective_menu_shown()
    assert (closed, opened, in_use, wide) == (False, True, (True, "Filters (1 in use)"), True)


def test_a_form_with_errors_puts_its_error_summary_first_and_focuses_it(
    browser, seeded_live_server
):
    organisation = Stakeholder.objects.get(slug="udyama")
    sign_in_as(
        browser,
        seeded_live_server.url,
        ContributorFactory(username="carla", organisation=organisation),
    )
    browser.get(seeded_live_server.url + "/workspace/actions/new/")
    browser.find_element(By.CSS_SELECTOR, "button[name=save]").click()
    # The click returns before the answer has loaded: wait for it (on a busy machine the old page
    # was still there, without a summary).
    WebDriverWait(browser, 10).until(lambda d: d.find_elements(By.CSS_SELECTOR, ".error-summary"))
    summary = browser.find_element(By.CSS_SELECTOR, ".error-summary")
    focused = browser.switch_to.active_element
    links = [a.get_attribute("href").split("#")[1] for a in summary.find_elements(By.TAG_NAME, "a")]
    assert focused == summary
    assert summary.find_element(By.TAG_NAME, "h2").text == "Please correct the following"
    assert "id_title" in links
    # Each field linked to exists and is marked as required beside its label.
    for field_id in links:
        label = browser.find_element(By.CSS_SELECTOR, f"label[for={field_id}], #{field_id}")
        assert label
    assert browser.find_element(By.CSS_SELECTOR, "label[for=id_title] .required-mark").text == "*"


# --- Lighthouse ------------------------------------------------------------------------------

# Lighthouse takes 5 to 10 s a page on the CI machine: these pages, one of each layout (the
# dashboard, lists with filters, a detail page, the matrix, forms, a review page, the API docs),
# are audited at both widths on every run; LIGHTHOUSE_ALL=1 audits every page of ALL_PAGES (about
# 20 minutes), and LIGHTHOUSE_MATCH=text only the pages whose address contains it;
# LIGHTHOUSE_REPORT=file.json keeps every page's score (file-site.json, file-api-docs.json).
# The whole matrix (15 recommendations by ~60 countries, ~7,000 elements) is the heaviest page:
# Lighthouse's axe run takes about 5 s of its 60 s limit there on a quiet machine (it once held
# 1,500 cells, each with its own label, and ran out of time).
LIGHTHOUSE_PAGES = [
    ("anonymous", "/"),
    ("anonymous", "/recommendations/"),
    ("anonymous", f"/recommendations/{SLUG}-87/"),
    ("anonymous", "/objectives/"),
    ("anonymous", "/countries/THA/"),
    ("anonymous", "/matrix/"),
    ("anonymous", "/actions/"),
    ("anonymous", "/accounts/login/"),
    ("contributor", "/workspace/actions/{draft}/edit/"),
    ("staff", "/workspace/review/"),
]
API_DOCS = [("anonymous", "/api/docs/")]


def _lighthouse_missing() -> str | None:
    if not shutil.which("node"):
        return "Node.js not found: install Debian's nodejs and npm"
    if not LIGHTHOUSE.exists():
        return "Lighthouse not found: run `npm ci --prefix tests/browser` (make test does)"
    if not shutil.which("chromium"):
        return "Chromium not found: install Debian's chromium"
    return None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _session_cookie(user) -> str:
    client = Client()
    client.force_login(user)
    return f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"


@pytest.fixture
def chromium_port():
    """A headless Chromium with a debugging port for Lighthouse, stopped after the test."""
    missing = _lighthouse_missing()
    if missing and os.environ.get("REQUIRE_BROWSER") == "1":
        pytest.fail(f"Lighthouse audit required (REQUIRE_BROWSER=1) but {missing}")
    if missing:
        pytest.skip(f"Lighthouse audit skipped: {missing}")
    from .conftest import CHROMIUM_FLAGS

    port = _free_port()
    profile = tempfile.mkdtemp(prefix="gcm-lighthouse-")
    process = subprocess.Popen(
        [
            shutil.which("chromium"),
            *CHROMIUM_FLAGS,
            f"--remote-debugging-port={port}",
            f"--user-data-dir={profile}",
            "about:blank",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                break
        time.sleep(0.2)
    yield port
    process.terminate()
    process.wait(timeout=10)
    shutil.rmtree(profile, ignore_errors=True)


@pytest.mark.parametrize(
    "group",
    [
        "site",
        # The API reference (server-rendered) and Swagger UI's page.
        "api-docs",
    ],
)
@pytest.mark.engine_independent
def test_lighthouse_scores_accessibility_100_at_desktop_and_phone_widths(
    chromium_port, seeded_live_server, group
):
    base = seeded_live_server.url
    users, objects, assessment = _world()
    cookies = {name: _session_cookie(user) for name, user in users.items() if user}
    if group == "api-docs":
        pages = API_DOCS
    elif os.environ.get("LIGHTHOUSE_ALL") == "1":
        pages = [page for page in ALL_PAGES if page not in API_DOCS]
    else:
        pages = LIGHTHOUSE_PAGES
    if match := os.environ.get("LIGHTHOUSE_MATCH"):
        pages = [page for page in pages if match in page[1]]
    request = {
        "chromePort": chromium_port,
        "pages": [
            {
                "url": base + _path(path, objects, assessment),
                "width": width,
                "cookie": cookies.get(persona),
            }
            for persona, path in pages
            for width in (DESKTOP[0], PHONE_390[0])
        ],
    }
    done = subprocess.run(
        [shutil.which("node"), str(LIGHTHOUSE_SCRIPT)],
        input=json.dumps(request),
        capture_output=True,
        text=True,
        timeout=60 * len(request["pages"]),
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    results = json.loads(done.stdout)
    if report := os.environ.get("LIGHTHOUSE_REPORT"):
        # Every page's score and failures, also when all pass (for the record of a full run).
        report = Path(report)
        path = report.with_name(f"{report.stem}-{group}{report.suffix}")
        path.write_text(json.dumps(results, indent=1), encoding="utf-8")
    # Keyed by persona too: some addresses (/workspace/) are audited for two personas.
    audited = [
        (persona, path, width) for persona, path in pages for width in (DESKTOP[0], PHONE_390[0])
    ]
    assert len(results) == len(audited)
    scores = {
        key: (r["score"], r["failures"], r["error"])
        for key, r in zip(audited, results, strict=True)
    }
    assert scores == {key: (1, [], None) for key in scores}
    assert len(scores) == len(request["pages"])
