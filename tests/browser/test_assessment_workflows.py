"""Country assessments in Chromium: a contributor submits their organisation's assessment and
staff publish it; and the accessibility audit of every new workspace page at 1280 and 320 px."""

import pytest
from django.test import Client
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
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
    # The results arrive with the next page: wait for it rather than race its load.
    WebDriverWait(browser, 30).until(lambda d: d.find_elements(By.LINK_TEXT, f"{SLUG}-87"))
    browser.find_element(By.LINK_TEXT, f"{SLUG}-87").click()
    # The country's chooser: type, take the first match (the script removed its Search button).
    browser.find_element(By.ID, "id_country_q").send_keys("Thai")
    WebDriverWait(browser, 10).until(
        lambda d: d.find_elements(By.CSS_SELECTOR, "#id_country_listbox [role=option]")
    )
    browser.find_element(By.ID, "id_country_q").send_keys(Keys.ARROW_DOWN, Keys.ENTER)
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
    title = Recommendation.objects.get(reference=f"{SLUG}-87").label
    browser.find_element(By.LINK_TEXT, f"{title} in Thailand").click()
    _click(browser, "#id_confirm")
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


def _audit_current_page(driver):
    results = {}
    for name, size in [("desktop", DESKTOP), ("phone", PHONE)]:
        set_viewport(driver, size)
        overflow = driver.execute_script(
            "return document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        results[name] = (axe_violations(driver), overflow)
    return results


def test_import_preview_with_errors_has_no_accessibility_violations(
    browser, seeded_live_server, tmp_path
):
    csv_file = tmp_path / "report.csv"
    csv_file.write_text(
        "reference,ISO3,status,effective date,source title,source link,summary\n"
        f"{SLUG}-87,THA,Substantial progress,2024-04-01,Voluntary review,"
        "https://example.org/review,A law ends detention of children.\n"
        f"{SLUG}-999,THA,Almost,2024-04-01,Voluntary review,,Unknown paragraph.\n",
        encoding="utf-8",
    )
    sign_in_as(browser, seeded_live_server.url, StaffFactory(username="sam"))
    set_viewport(browser, DESKTOP)
    browser.get(f"{seeded_live_server.url}/workspace/official/import/")
    browser.find_element(By.CSS_SELECTOR, "input[type=file]").send_keys(str(csv_file))
    _click(browser, "form.stacked-form button[type=submit]")
    WebDriverWait(browser, 10).until(lambda d: d.find_elements(By.CSS_SELECTOR, "tr.has-error"))

    assert _audit_current_page(browser) == {"desktop": ([], 0), "phone": ([], 0)}
    assert Assessment.objects.count() == 0


def test_official_conflict_page_has_no_accessibility_violations(browser, seeded_live_server):
    url = f"/workspace/official/{SLUG}-87/THA/"
    sign_in_as(browser, seeded_live_server.url, StaffFactory(username="second"))
    set_viewport(browser, DESKTOP)
    browser.get(seeded_live_server.url + url)  # the second staff member opens the form…
    other = Client()
    other.force_login(StaffFactory(username="first"))  # …while the first records the cell
    saved = other.post(
        url,
        {
            "status": "not_started",
            "summary": "No plan yet.",
            "source_title": "Reply to ESCAP",
            "effective_date": "2023-01-10",
            "version": "",
        },
    )
    assert saved.status_code == 302

    Select(browser.find_element(By.NAME, "status")).select_by_value("implemented")
    _fill(browser, "summary", "Law adopted.")
    _fill(browser, "source_title", "Voluntary review 2024")
    _click(browser, "form.stacked-form button[type=submit]")
    WebDriverWait(browser, 10).until(lambda d: d.find_elements(By.CSS_SELECTOR, ".error-summary"))

    assert _audit_current_page(browser) == {"desktop": ([], 0), "phone": ([], 0)}
    assert list(Assessment.objects.values_list("status", flat=True)) == ["not_started"]
