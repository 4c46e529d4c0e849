"""The pages of issue 17's acceptance in French, Russian and Simplified Chinese, on a phone: axe
finds no violation at 390 px, and neither at 390 nor at 320 px does a longer French or Russian
word, or Chinese type, push the page sideways or the header past its height. One browser
session per language; the matrix is filtered to one objective to keep axe quick."""

import pytest
from selenium.webdriver.common.by import By

from gcm_tracker.tracker.models import Stakeholder
from tests.factories import ContributorFactory
from tests.i18n.catalogues import compile_catalogues

from .conftest import axe_violations, set_viewport, sign_in_as
from .test_layout import HEADER_MAX_HEIGHT, PHONE_390, _measure

pytestmark = pytest.mark.django_db(transaction=True)

SLUG = "border-governance-2020"
PHONE_320 = (320, 640)
PAGES = ["/", f"/recommendations/{SLUG}-87/", "/matrix/?objective=13"]
ACTION_FORM = "/workspace/actions/new/"


@pytest.fixture(scope="module", autouse=True)
def _compiled_catalogues():
    compile_catalogues()


@pytest.mark.parametrize("language", ["fr", "ru", "zh-hans"])
def test_pages_in_each_language_on_a_phone(browser, seeded_live_server, language):
    base = seeded_live_server.url
    contributor = ContributorFactory(
        username="carla", organisation=Stakeholder.objects.get(slug="udyama")
    )
    problems = {}

    def audit(path, *, axe):
        browser.get(f"{base}{path}{'&' if '?' in path else '?'}lang={language}")
        found = {"lang": browser.find_element(By.TAG_NAME, "html").get_attribute("lang")}
        for width in (PHONE_390, PHONE_320):
            set_viewport(browser, width)
            overflow, header = _measure(browser)
            found[width[0]] = (overflow, header <= HEADER_MAX_HEIGHT)
        set_viewport(browser, PHONE_390)
        found["axe"] = axe_violations(browser) if axe else []
        problems[path] = found

    for path in PAGES:
        audit(path, axe=True)
    sign_in_as(browser, base, contributor)
    audit(ACTION_FORM, axe=True)

    tag = {"zh-hans": "zh-Hans"}.get(language, language)
    expected = {"lang": tag, 390: (0, True), 320: (0, True), "axe": []}
    assert problems == dict.fromkeys([*PAGES, ACTION_FORM], expected)
