"""The daily digest tells reviewers what waits: follow-up actions and country assessments."""

import io

import pytest
from django.core import mail
from django.core.management import call_command

from gcm_tracker.tracker.enums import ReviewState
from tests.factories import (
    AssessmentSubmissionFactory,
    CountryFactory,
    FollowUpActionFactory,
    RecommendationFactory,
    StakeholderFactory,
)

pytestmark = pytest.mark.django_db


def test_digest_lists_waiting_actions_and_assessments_for_reviewers(staff, contributor_a):
    organisation = StakeholderFactory(name="Migrant Forum")
    FollowUpActionFactory(
        title="Legal clinic", lead_stakeholder=organisation, review_state=ReviewState.SUBMITTED
    )
    FollowUpActionFactory(title="Draft only", lead_stakeholder=organisation)
    recommendation = RecommendationFactory()
    AssessmentSubmissionFactory(
        recommendation=recommendation,
        country=CountryFactory(iso3="THA", name="Thailand"),
        stakeholder=organisation,
        review_state=ReviewState.SUBMITTED,
    )
    AssessmentSubmissionFactory(stakeholder=organisation)  # a draft waits for nobody
    out = io.StringIO()

    call_command("send_review_digest", stdout=out)

    assert out.getvalue().strip() == (
        "1 actions and 1 country assessments wait for review; e-mails to 1 reviewers queued."
    )
    assert [(m.to, m.subject) for m in mail.outbox] == [
        ([staff.email], "2 submissions wait for review")
    ]
    body = mail.outbox[0].body
    assert "- Legal clinic (Migrant Forum)" in body
    assert (
        f"- “{recommendation.label}” ({recommendation.reference}) in Thailand, Migrant Forum"
        in body
    )
    assert "Draft only" not in body


def test_digest_sends_nothing_when_nothing_waits(staff):
    out = io.StringIO()

    call_command("send_review_digest", stdout=out)

    assert mail.outbox == []
