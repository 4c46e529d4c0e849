"""The contributor → staff → public journey, and two staff changing one status, in Chromium; and
the accessibility audit of the signed-in pages. The first two journeys run in each of the site's
languages (issue 17): the language is chosen once, by ?lang= on the first page, and kept by the
cookie from then on."""

import re

import pytest
from django.test import Client
from django.utils import translation
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import Select, WebDriverWait

from gcm_tracker.tracker.enums import ReviewState
from gcm_tracker.tracker.models import FollowUpAction, Recommendation, Stakeholder
from tests.factories import PASSWORD, ContributorFactory, FollowUpActionFactory, StaffFactory

from .conftest import DESKTOP, PHONE, axe_violations, set_viewport, sign_in_as

pytestmark = pytest.mark.django_db(transaction=True)

SLUG = "border-governance-2020"
LANGUAGES = ["en", "fr", "ru", "zh-hans"]


def _in(language: str, text: str) -> str:
    """`text` as the interface says it in `language` (its catalogue)."""
    with translation.override(language):
        return translation.gettext(text)


def _page_language(driver) -> str:
    return driver.find_element(By.TAG_NAME, "html").get_attribute("lang")


def _fill(driver, name, value):
    # Within a form: the page's <meta name="description"> must not be taken for a field.
    field = driver.find_element(By.CSS_SELECTOR, f"form [name='{name}']")
    field.clear()
    field.send_keys(value)


def _click(driver, selector):
    driver.find_element(By.CSS_SELECTOR, selector).click()


def _choose(driver, field, text):
    """Type into a chooser's combobox and take the first option (tests/browser/test_choosers.py
    tries it with the keyboard only)."""
    box = driver.find_element(By.ID, f"id_{field}_q")
    box.send_keys(text)
    WebDriverWait(driver, 10).until(
        lambda d: d.find_elements(By.CSS_SELECTOR, f"#id_{field}_listbox [role=option]")
    )
    box.send_keys(Keys.ARROW_DOWN, Keys.ENTER)


def _wait_for_path(driver, path):
    WebDriverWait(driver, 10).until(lambda d: d.current_url.split("?")[0].endswith(path))


def _sign_in_with_form(driver, base, username, language="en"):
    driver.get(f"{base}/accounts/login/?lang={language}")
    _fill(driver, "username", username)
    _fill(driver, "password", PASSWORD)
    _click(driver, "form.stacked-form button[type=submit]")
    _wait_for_path(driver, "/workspace/")


def _sign_out(driver):
    _click(driver, ".account-nav button")
    # Signed out once the header offers to sign in again (every path ends with "/").
    WebDriverWait(driver, 10).until(
        lambda d: d.find_elements(By.CSS_SELECTOR, ".account-nav a[href='/accounts/login/']")
    )


@pytest.mark.parametrize("language", LANGUAGES)
def test_contributor_logs_an_action_staff_publish_it_the_public_see_it(
    browser, seeded_live_server, language
):
    base = seeded_live_server.url
    tag = {"zh-hans": "zh-Hans"}.get(language, language)
    organisation = Stakeholder.objects.get(slug="international-detention-coalition")
    ContributorFactory(username="carla", organisation=organisation)
    StaffFactory(username="sam")
    set_viewport(browser, DESKTOP)

    _sign_in_with_form(browser, base, "carla", language)
    browser.get(f"{base}/workspace/actions/new/")
    assert _page_language(browser) == tag
    _fill(browser, "title", "Community alternatives to detention pilot")
    _fill(browser, "description", "Case management for 40 families released from detention.")
    _choose(browser, "recommendations", f"{SLUG}-87")
    _choose(browser, "countries", "THA")
    Select(browser.find_element(By.NAME, "action_type")).select_by_value("service_delivery")
    Select(browser.find_element(By.NAME, "progress")).select_by_value("ongoing")
    browser.execute_script("document.getElementsByName('start_date')[0].value = '2021-04-01'")
    _fill(browser, "evidence_urls", "https://example.org/pilot")
    _click(browser, "button[name=submit]")
    # The form's own address is /workspace/actions/new/: wait for the saved action's page.
    WebDriverWait(browser, 10).until(
        lambda d: re.search(r"/workspace/actions/\d+/$", d.current_url)
    )
    action = FollowUpAction.objects.get()
    assert action.review_state == ReviewState.SUBMITTED
    assert [r.reference for r in action.recommendations.all()] == [f"{SLUG}-87"]
    assert [c.iso3 for c in action.countries.all()] == ["THA"]
    _sign_out(browser)

    _sign_in_with_form(browser, base, "sam", language)
    browser.get(f"{base}/workspace/review/")
    assert _page_language(browser) == tag
    browser.find_element(By.LINK_TEXT, "Community alternatives to detention pilot").click()
    _click(browser, "#id_confirm")
    _click(browser, "button[name=publish]")
    _wait_for_path(browser, "/workspace/review/")
    _sign_out(browser)

    browser.get(f"{base}/recommendations/{SLUG}-87/")
    assert _page_language(browser) == tag
    titles = [h.text for h in browser.find_elements(By.CSS_SELECTOR, ".card h3")]
    assert titles[0] == "Community alternatives to detention pilot"
    action.refresh_from_db()
    assert action.review_state == ReviewState.PUBLISHED


@pytest.mark.parametrize("language", LANGUAGES)
def test_staff_get_from_a_recommendation_to_a_saved_status_in_three_actions(
    browser, seeded_live_server, language
):
    base = seeded_live_server.url
    set_viewport(browser, PHONE)
    sign_in_as(browser, base, StaffFactory(username="sam"))

    # 1: open the recommendation (in a language: a shared address)
    browser.get(f"{base}/recommendations/{SLUG}-87/?lang={language}")
    # 2: follow "Change status", as the page says it
    browser.find_element(By.LINK_TEXT, _in(language, "Change status")).click()
    Select(browser.find_element(By.NAME, "new_status")).select_by_value("limited_progress")
    _fill(browser, "reason", "Pilot started.")  # 3: fill in the form and save it
    _click(browser, "form.stacked-form button[type=submit]")
    _wait_for_path(browser, f"/recommendations/{SLUG}-87/")

    assert browser.find_element(By.CSS_SELECTOR, ".messages").text == _in(language, "Status saved.")
    assert Recommendation.objects.get(reference=f"{SLUG}-87").status == "limited_progress"


def test_second_staff_member_saving_a_stale_status_gets_the_conflict_page(
    browser, seeded_live_server
):
    base = seeded_live_server.url
    first, second = StaffFactory(username="first"), StaffFactory(username="second")
    url = f"/workspace/recommendations/{SLUG}-26/status/"
    set_viewport(browser, DESKTOP)
    sign_in_as(browser, base, second)
    browser.get(base + url)  # the second staff member opens the form…

    other = Client()
    other.force_login(first)  # …while the first saves a change
    saved = other.post(
        url,
        {
            "new_status": "limited_progress",
            "reason": "Pilot started.",
            "effective_date": "2021-03-01",
            "version": 0,
        },
    )
    assert saved.status_code == 302

    Select(browser.find_element(By.NAME, "new_status")).select_by_value("implemented")
    _fill(browser, "reason", "Fully done.")
    _click(browser, "form.stacked-form button[type=submit]")
    WebDriverWait(browser, 10).until(lambda d: d.find_elements(By.CSS_SELECTOR, ".error-summary"))

    heading = browser.find_element(By.CSS_SELECTOR, ".error-summary h2").text
    assert heading == "Someone else changed this status while you were editing"
    assert list(
        Recommendation.objects.get(reference=f"{SLUG}-26").status_changes.values_list(
            "new_status", flat=True
        )
    ) == ["limited_progress"]


SIGNED_IN_PAGES = [
    ("anonymous", "/accounts/login/"),
    ("anonymous", "/accounts/request/"),
    ("anonymous", "/accounts/password/reset/"),
    ("contributor", "/workspace/"),
    ("contributor", "/accounts/api-token/"),
    ("contributor", "/workspace/actions/new/"),
    ("contributor", "/workspace/actions/{draft}/"),
    ("contributor", "/workspace/actions/{draft}/edit/"),
    ("staff", "/workspace/"),
    ("staff", "/workspace/review/"),
    ("staff", "/workspace/review/{submitted}/"),
    ("staff", f"/workspace/recommendations/{SLUG}-26/status/"),
]


@pytest.mark.parametrize(("persona", "path"), SIGNED_IN_PAGES)
def test_account_and_workspace_pages_have_no_accessibility_violations(
    browser, seeded_live_server, persona, path
):
    organisation = Stakeholder.objects.get(slug="udyama")
    contributor = ContributorFactory(username="carla", organisation=organisation)
    objects = {
        "draft": FollowUpActionFactory(
            lead_stakeholder=organisation,
            review_state=ReviewState.RETURNED,
            review_note="Add the report.",
        ),
        "submitted": FollowUpActionFactory(
            lead_stakeholder=organisation, review_state=ReviewState.SUBMITTED
        ),
    }
    user = {"contributor": contributor, "staff": StaffFactory(username="sam")}.get(persona)
    if user:
        sign_in_as(browser, seeded_live_server.url, user)
    url = seeded_live_server.url + path.format(**{k: v.pk for k, v in objects.items()})

    results = {}
    for name, size in [("desktop", DESKTOP), ("phone", PHONE)]:
        set_viewport(browser, size)
        browser.get(url)
        overflow = browser.execute_script(
            "return document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        # The page itself, not the sign-in page it would redirect to without a session.
        results[name] = (browser.current_url, axe_violations(browser), overflow)

    assert results == {"desktop": (url, [], 0), "phone": (url, [], 0)}
