"""Every public page, with the seed data, in a real browser: 0 axe violations of WCAG 2.1 A and
AA at desktop width and at 320 px, and no sideways scrolling of the page on a phone."""

import datetime

import pytest

from gcm_tracker.tracker.enums import RecommendationStatus
from gcm_tracker.tracker.models import (
    ActionEvidence,
    Country,
    Recommendation,
    Snapshot,
    Stakeholder,
)
from tests.factories import (
    ContributorFactory,
    PublishedActionFactory,
    StaffFactory,
    publish_civil_society,
    record_official,
)

from .conftest import DESKTOP, PHONE, axe_violations, set_viewport

pytestmark = pytest.mark.django_db(transaction=True)

SLUG = "border-governance-2020"
PAGES = [
    "/",
    "/recommendations/",
    "/recommendations/?objective=99",
    f"/recommendations/{SLUG}-87/",
    "/objectives/",
    "/objectives/13/",
    "/countries/",
    "/countries/THA/",
    "/stakeholders/",
    "/stakeholders/international-detention-coalition/",
    "/consultations/",
    f"/consultations/{SLUG}/",
    "/actions/",
    "/good-practices/",
    "/data/",
    "/matrix/",
    "/matrix/?objective=13&voice=official",
    "/matrix/?subregion=mars",
    "/matrix/disagreements/",
    "/countries/?sort=-share",
    "/changes/?since=2020-01-01",
    "/changes/?since=2020-01-01&show=cells",
    "/changes/?since=not-a-date",
    "/stale/",
    "/snapshots/",
    "/snapshots/review-2020/compare/now/",
]


def _publish_an_action():
    """So that action cards, country bars and counts are on the audited pages too."""
    action = PublishedActionFactory(
        title="Regional training on alternatives to detention",
        lead_stakeholder=Stakeholder.objects.get(slug="international-detention-coalition"),
        recommendations=[Recommendation.objects.get(reference=f"{SLUG}-87")],
        countries=[Country.objects.get(iso3="THA")],
        partners=[Stakeholder.objects.get(slug="unicef")],
    )
    ActionEvidence.objects.create(
        action=action, url="https://example.org/report", title="Training report"
    )


def _assess():
    """Both voices, disagreeing, on Thailand and paragraph 87: cells, flags and scorecard cards
    are on the audited pages too."""
    staff = StaffFactory(username="staff")
    recommendation = Recommendation.objects.get(reference=f"{SLUG}-87")
    thailand = Country.objects.get(iso3="THA")
    author = ContributorFactory(
        username="contributor",
        organisation=Stakeholder.objects.get(slug="international-detention-coalition"),
    )
    record_official(recommendation, thailand, staff, status=RecommendationStatus.NOT_STARTED)
    publish_civil_society(
        recommendation, thailand, author, staff, status=RecommendationStatus.IMPLEMENTED
    )


def _name_a_snapshot():
    Snapshot.objects.create(slug="review-2020", name="Review 2020", date=datetime.date(2020, 12, 1))


@pytest.mark.parametrize("path", PAGES)
def test_public_page_has_no_accessibility_violations(browser, seeded_live_server, path):
    _publish_an_action()
    _assess()
    _name_a_snapshot()
    results = {}

    for name, size in [("desktop", DESKTOP), ("phone", PHONE)]:
        set_viewport(browser, size)
        browser.get(seeded_live_server.url + path)
        width, overflow = browser.execute_script(
            "const root = document.documentElement;"
            "return [window.innerWidth, root.scrollWidth - root.clientWidth];"
        )
        results[name] = (width, axe_violations(browser), overflow)

    assert results == {"desktop": (DESKTOP[0], [], 0), "phone": (PHONE[0], [], 0)}
