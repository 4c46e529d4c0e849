"""Item 18: links (evidence, websites, report links) must be URIs by RFC 3986, as the API schema's
`format: uri` promises: `"`, `<`, `>`, spaces and non-ASCII letters must come percent-encoded.
Refused alike by the services (web forms and API), the admin and the account-request form."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from gcm_tracker.tracker.models import (
    AccountRequest,
    ActionEvidence,
    FollowUpAction,
    Recommendation,
    StatusChange,
)
from gcm_tracker.tracker.services import follow_up_action_create
from tests.api.conftest import token_client
from tests.factories import (
    RecommendationFactory,
    StakeholderFactory,
    action_api_body,
    action_content,
    action_form_data,
    set_status,
)

pytestmark = pytest.mark.django_db

BAD = 'https://example.org/report"<script>'


def _message(url: str) -> str:
    return (
        f"“{url}” has characters a web address cannot hold as they are: encode spaces, quotes, "
        "< and > and letters outside ASCII (for example %20 for a space)."
    )


@pytest.mark.parametrize("url", [BAD, "https://example.org/café", "https://example.org/a%2"])
def test_item_18_action_service_refuses_links_that_are_not_uris(contributor_a, organisation_a, url):
    with pytest.raises(ValidationError) as refused:
        follow_up_action_create(
            author=contributor_a,
            lead_stakeholder=organisation_a,
            content=action_content(evidence_urls=[url]),
        )

    assert refused.value.message_dict == {"evidence_urls": [_message(url)]}
    assert (FollowUpAction.objects.count(), ActionEvidence.objects.count()) == (0, 0)


def test_item_18_encoded_links_are_accepted(contributor_a, organisation_a):
    url = "https://example.org/caf%C3%A9?q=%22x%22&lang=en#p-2"

    action = follow_up_action_create(
        author=contributor_a,
        lead_stakeholder=organisation_a,
        content=action_content(evidence_urls=[url]),
    )

    assert [e.url for e in action.evidence.all()] == [url]


def test_item_18_status_service_refuses_an_evidence_link_that_is_not_a_uri(staff):
    recommendation = RecommendationFactory()

    with pytest.raises(ValidationError) as refused:
        set_status(
            recommendation, staff, evidence_url=BAD, effective_date=datetime.date(2021, 1, 1)
        )

    assert refused.value.message_dict == {"evidence_url": [_message(BAD)]}
    assert StatusChange.objects.count() == 0


def test_item_18_contributor_form_refuses_it(client, contributor_a, organisation_a):
    client.force_login(contributor_a)

    response = client.post(
        reverse("workspace:action-create"),
        action_form_data(organisation_a, evidence_urls=f"https://example.org/ok\n{BAD}"),
    )

    assert response.status_code == 200
    assert response.context["form"].errors == {"evidence_urls": [_message(BAD)]}
    assert FollowUpAction.objects.count() == 0


def test_item_18_api_refuses_it_for_actions_and_status_changes(contributor_a, staff):
    body = action_api_body(evidence_urls=[BAD])
    recommendation = Recommendation.objects.get(reference="c-87")

    action = token_client(contributor_a).post("/api/v1/actions/", body, format="json")
    status = token_client(staff).post(
        "/api/v1/recommendations/c-87/status/",
        {
            "status": "limited_progress",
            "reason": "Plan adopted.",
            "evidence_url": BAD,
            "effective_date": "2021-06-01",
            "version": recommendation.version,
        },
        format="json",
    )

    assert (action.status_code, action.json()) == (400, {"evidence_urls": [_message(BAD)]})
    assert (status.status_code, status.json()) == (400, {"evidence_url": [_message(BAD)]})
    assert (FollowUpAction.objects.count(), StatusChange.objects.count()) == (0, 0)


def test_item_18_admin_refuses_an_organisation_website_that_is_not_a_uri(admin_client):
    stakeholder = StakeholderFactory(slug="udyama", name="Udyama")

    response = admin_client.post(
        reverse("admin:tracker_stakeholder_change", args=[stakeholder.pk]),
        {
            "name": "Udyama",
            "slug": "udyama",
            "kind": stakeholder.kind,
            "website": BAD,
            "created_at_0": "2021-01-01",
            "created_at_1": "00:00:00",
            "memberships-TOTAL_FORMS": "0",
            "memberships-INITIAL_FORMS": "0",
        },
    )

    stakeholder.refresh_from_db()
    assert response.context["adminform"].form.errors == {"website": [_message(BAD)]}
    assert stakeholder.website == ""


def test_item_18_account_request_form_refuses_it(client):
    response = client.post(
        reverse("accounts:request"),
        {
            "name": "Sita",
            "email": "sita@example.org",
            "organisation_name": "Migrant Rights Nepal",
            "organisation_website": BAD,
            "country": "",
            "message": "We run shelters.",
        },
    )

    assert response.context["form"].errors == {"organisation_website": [_message(BAD)]}
    assert AccountRequest.objects.count() == 0
