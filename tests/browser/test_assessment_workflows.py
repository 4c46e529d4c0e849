"""Country assessments in Chromium: a contributor submits their organisation's assessment and
staff publish it; and the accessibility audit of every new workspace page at 1280 and 320 px."""

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select, WebDriverWait

from gcm_tracker.tracker.enums import AssessmentVoice, ReviewState
from gcm_tracker.tracker.models import (
    Assessment,
    AssessmentSubmission,
    Country,
    Recommendation,
    Stakeholder,
)
from tests.factories import AssessmentSubmissionFactory, ContributorFactory, StaffFactory

from .conftest import DESKTOP, PHONE, axe_violations, set_viewport, sign_in_as
from .test_workflows import _click, _fill, _sign_in_with_form, _sign_out, _wait_for_path

pytestmark = pytest.mark.django_db(transaction=True)

SLUG = "border-governance-2020"


def test_contributor_submits_an_assessment_staff_publish_it(browser, seeded_live_server):
    base = seeded_live_server.url
    organisation = Stakeholder.objects.get(slug="international-detention-coalition")
    ContributorFactory(username="carla", organisation=organisation)
    StaffFactory(username="sam")
    set_viewport(browser, DESKTOP)

    _sign_in_with_form(browser, base, "carla")
    browser.get(f"{base}/workspace/")
    browser.find_element(By.LINK_TEXT, "Assess a recommendation for a country").click()
    # The page's own search form, not the site's search in the header (also named "q").
    browser.find_element(By.CSS_SELECTOR, "form.stacked-form [name='q']").send_keys("87")
    _click(browser, "form.stacked-form[role=search] button[type=submit]")
    browser.find_element(By.LINK_TEXT, f"{SLUG}-87").click()
    Select(browser.find_element(By.NAME, "country")).select_by_value("THA")
    _click(browser, "form:not([role=search]).stacked-form button[type=submit]")
    _wait_for_path(browser, f"/workspace/assessments/new/{SLUG}-87/THA/")
    Select(browser.find_element(By.NAME, "status")).select_by_value("limited_progress")
    _fill(browser, "summary", "Two provinces place children in community care.")
    _fill(browser, "source_title", "Shadow report 2024")
    browser.execute_script("document.getElementsByName('effective_date')[0].value = '2024-02-15'")
    _click(browser, "button[name=submit]")
    WebDriverWait(browser, 10).until(
        lambda d: d.find_elements(By.CSS_SELECTOR, ".badge.review-submitted")
    )
    submission = AssessmentSubmission.objects.get()
    assert submission.review_state == ReviewState.SUBMITTED
    _sign_out(browser)

    _sign_in_with_form(browser, base, "sam")
    browser.get(f"{base}/workspace/review/")
    browser.find_element(By.LINK_TEXT, f"{SLUG}-87 in Thailand").click()
    _click(browser, "button[name=publish]")
    _wait_for_path(browser, "/workspace/review/")

    assert list(
        Assessment.objects.values_list("voice", "stakeholder__slug", "country__iso3", "status")
    ) == [
        (
            AssessmentVoice.CIVIL_SOCIETY,
            "international-detention-coalition",
            "THA",
            "limited_progress",
        )
    ]


NEW_PAGES = [
    ("contributor", "/workspace/"),
    ("contributor", "/workspace/assessments/new/?q=detention"),
    ("contributor", f"/workspace/assessments/new/?recommendation={SLUG}-87"),
    ("contributor", f"/workspace/assessments/new/{SLUG}-87/THA/"),
    ("contributor", "/workspace/assessments/{returned}/"),
    ("contributor", "/workspace/assessments/{returned}/edit/"),
    ("contributor", "/workspace/assessments/{returned}/withdraw/"),
    ("staff", "/workspace/"),
    ("staff", "/workspace/review/"),
    ("staff", "/workspace/review/assessments/{submitted}/"),
    ("staff", f"/workspace/official/?recommendation={SLUG}-87"),
    ("staff", f"/workspace/official/{SLUG}-87/THA/"),
    ("staff", "/workspace/official/import/"),
    ("staff", "/workspace/official/by-objective/?country=THA&objective=13"),
]


@pytest.mark.parametrize(("persona", "path"), NEW_PAGES)
def test_assessment_pages_have_no_accessibility_violations(
    browser, seeded_live_server, persona, path
):
    organisation = Stakeholder.objects.get(slug="udyama")
    contributor = ContributorFactory(username="carla", organisation=organisation)
    cell = {
        "recommendation": Recommendation.objects.get(reference=f"{SLUG}-87"),
        "country": Country.objects.get(iso3="THA"),
    }
    objects = {
        "returned": AssessmentSubmissionFactory(
            stakeholder=organisation,
            review_state=ReviewState.RETURNED,
            review_note="Name the law.",
            **cell,
        ),
        "submitted": AssessmentSubmissionFactory(
            stakeholder=organisation,
            review_state=ReviewState.SUBMITTED,
            source_url="https://example.org/report",
            source_title="Shadow report",
            **cell,
        ),
    }
    user = {"contributor": contributor, "staff": StaffFactory(username="sam")}[persona]
    sign_in_as(browser, seeded_live_server.url, user)
    url = seeded_live_server.url + path.format(**{k: v.pk for k, v in objects.items()})

    results = {}
    for name, size in [("desktop", DESKTOP), ("phone", PHONE)]:
        set_viewport(browser, size)
        browser.get(url)
        overflow = browser.execute_script(
            "return document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        results[name] = (browser.current_url, axe_violations(browser), overflow)

    assert results == {"desktop": (url, [], 0), "phone": (url, [], 0)}
