"""Text people type is shown as text: script payloads in every shown field stay inert."""

import pytest
from django.urls import reverse

from gcm_tracker.tracker.enums import RecommendationStatus
from gcm_tracker.tracker.models import ActionEvidence, Tag
from tests.factories import (
    AssessmentFactory,
    CivilSocietyAssessmentFactory,
    ConsultationFactory,
    CountryFactory,
    GoodPracticeFactory,
    ObjectiveFactory,
    PublishedActionFactory,
    RecommendationFactory,
    StakeholderFactory,
    set_status,
)

pytestmark = pytest.mark.django_db

PAYLOAD = "<script>alert('x')</script><img src=x onerror=alert(1)>"
ESCAPED = "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;&lt;img src=x onerror=alert(1)&gt;"


@pytest.fixture
def hostile(staff):
    objective = ObjectiveFactory(number=13, title=PAYLOAD, short_label=PAYLOAD)
    country = CountryFactory(iso3="XSS", name=PAYLOAD, short_name=PAYLOAD)
    consultation = ConsultationFactory(
        slug="hostile", title=PAYLOAD, summary=PAYLOAD, report_title=PAYLOAD, location=PAYLOAD
    )
    stakeholder = StakeholderFactory(slug="hostile-org", name=PAYLOAD, acronym="<b>x</b>")
    recommendation = RecommendationFactory(
        consultation=consultation, text=PAYLOAD, objectives=[objective]
    )
    recommendation.tags.add(Tag.objects.create(slug="hostile", kind="theme", name=PAYLOAD))
    # A link may no longer hold < > " (item 18); ' and & are legal in a URI and special in HTML.
    set_status(recommendation, staff, reason=PAYLOAD, evidence_url="https://example.org/?q='x'&a=1")
    action = PublishedActionFactory(
        title=PAYLOAD,
        description=PAYLOAD,
        lead_stakeholder=stakeholder,
        recommendations=[recommendation],
        countries=[country],
    )
    ActionEvidence.objects.create(action=action, url="https://example.org/e", title=PAYLOAD)
    GoodPracticeFactory(
        consultation=consultation, text=PAYLOAD, objectives=[objective], countries=[country]
    )
    # Both voices, two levels apart, so the cell is on the disagreements page too.
    AssessmentFactory(
        recommendation=recommendation,
        country=country,
        status=RecommendationStatus.NOT_STARTED,
        summary=PAYLOAD,
        source_title=PAYLOAD,
    )
    CivilSocietyAssessmentFactory(
        recommendation=recommendation,
        country=country,
        stakeholder=stakeholder,
        status=RecommendationStatus.SUBSTANTIAL,
        summary=PAYLOAD,
        source_title=PAYLOAD,
    )
    return recommendation


def _pages(recommendation):
    return [
        reverse("dashboards:dashboard"),
        reverse("dashboards:recommendation-list"),
        reverse("dashboards:recommendation-detail", args=[recommendation.reference]),
        reverse("dashboards:objective-list"),
        reverse("dashboards:objective-detail", args=[13]),
        reverse("dashboards:country-list"),
        reverse("dashboards:country-detail", args=["XSS"]),
        reverse("dashboards:stakeholder-list"),
        reverse("dashboards:stakeholder-detail", args=["hostile-org"]),
        reverse("dashboards:consultation-list"),
        reverse("dashboards:consultation-detail", args=["hostile"]),
        reverse("dashboards:action-list"),
        reverse("dashboards:good-practice-list"),
        reverse("dashboards:matrix"),
        reverse("dashboards:disagreement-list"),
    ]


def test_every_public_page_escapes_user_text(client, hostile):
    unescaped, escaped = [], []
    for url in _pages(hostile):
        content = client.get(url).content.decode()
        if "<script>alert" in content or "<img src=x" in content:
            unescaped.append(url)
        if ESCAPED in content:
            escaped.append(url)

    assert unescaped == []
    assert escaped == _pages(hostile)


@pytest.mark.parametrize("name", ["feed-status-changes", "feed-actions"])
def test_feeds_escape_user_text(client, hostile, name):
    content = client.get(reverse(f"dashboards:{name}")).content.decode()

    assert "<script>" not in content
    assert "&lt;script&gt;alert" in content


def test_search_text_is_echoed_escaped(client, hostile):
    response = client.get(reverse("dashboards:recommendation-list"), {"q": PAYLOAD})

    content = response.content.decode()
    assert "<script>alert" not in content
    assert 'value="&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;' in content
