import dataclasses

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError

from gcm_tracker.tracker.enums import ReviewState
from gcm_tracker.tracker.models import FollowUpAction
from gcm_tracker.tracker.services import (
    ActionStateError,
    follow_up_action_create,
    follow_up_action_publish,
    follow_up_action_return,
    follow_up_action_submit,
    follow_up_action_update,
    follow_up_action_withdraw,
)
from tests.factories import FollowUpActionFactory, action_content

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft(contributor_a, organisation_a):
    return follow_up_action_create(
        author=contributor_a, lead_stakeholder=organisation_a, content=action_content()
    )


@pytest.fixture
def submitted(draft, contributor_a):
    return follow_up_action_submit(action=draft, author=contributor_a)


def test_follow_up_action_create_records_a_draft_with_its_content(contributor_a, organisation_a):
    content = action_content(evidence_urls=[" https://example.org/a ", "", "https://example.org/a"])

    action = follow_up_action_create(
        author=contributor_a, lead_stakeholder=organisation_a, content=content
    )

    assert (action.review_state, action.created_by, action.lead_stakeholder) == (
        ReviewState.DRAFT,
        contributor_a,
        organisation_a,
    )
    assert list(action.recommendations.all()) == content.recommendations
    assert list(action.countries.all()) == content.countries
    assert [e.url for e in action.evidence.all()] == ["https://example.org/a"]
    assert [(h.history_type, h.history_user) for h in action.history.all()] == [
        ("+", contributor_a)
    ]


def test_follow_up_action_create_for_another_organisation_is_refused(contributor_a, organisation_b):
    with pytest.raises(PermissionDenied):
        follow_up_action_create(
            author=contributor_a, lead_stakeholder=organisation_b, content=action_content()
        )

    assert FollowUpAction.objects.count() == 0


@pytest.mark.parametrize(
    ("overrides", "errors"),
    [
        ({"title": "  "}, {"title": ["Give the action a title."]}),
        (
            {"recommendations": []},
            {"recommendations": ["Choose at least one recommendation it is about."]},
        ),
        ({"countries": []}, {"countries": ["Choose at least one country where it took place."]}),
        (
            {"evidence_urls": ["javascript:alert(1)"]},
            {
                "evidence_urls": [
                    "“javascript:alert(1)” is not a web address starting with http:// or https://."
                ]
            },
        ),
        ({"action_type": "sabotage"}, {"action_type": ["Choose a type of action."]}),
    ],
)
def test_follow_up_action_create_with_bad_content_writes_nothing(
    contributor_a, organisation_a, overrides, errors
):
    with pytest.raises(ValidationError) as refused:
        follow_up_action_create(
            author=contributor_a,
            lead_stakeholder=organisation_a,
            content=action_content(**overrides),
        )

    assert refused.value.message_dict == errors
    assert FollowUpAction.objects.count() == 0


def test_follow_up_action_end_date_before_start_is_refused(contributor_a, organisation_a):
    content = action_content()
    content = dataclasses.replace(content, end_date=content.start_date.replace(year=2020))

    with pytest.raises(ValidationError) as refused:
        follow_up_action_create(
            author=contributor_a, lead_stakeholder=organisation_a, content=content
        )

    assert refused.value.message_dict == {
        "end_date": ["The end date cannot be before the start date."]
    }


def test_follow_up_action_update_changes_a_draft(draft, contributor_a):
    follow_up_action_update(
        action=draft,
        author=contributor_a,
        content=action_content(title="Renamed"),
        expected_version=draft.version,
    )

    draft.refresh_from_db()
    assert (draft.title, draft.review_state, draft.version) == ("Renamed", ReviewState.DRAFT, 1)


def test_follow_up_action_update_by_another_organisation_is_refused(draft, contributor_b):
    with pytest.raises(PermissionDenied):
        follow_up_action_update(
            action=draft,
            author=contributor_b,
            content=action_content(title="Hijacked"),
            expected_version=draft.version,
        )

    draft.refresh_from_db()
    assert draft.title == "Training of border officials"


def test_follow_up_action_update_of_submitted_action_is_refused(submitted, contributor_a):
    with pytest.raises(ActionStateError):
        follow_up_action_update(
            action=submitted,
            author=contributor_a,
            content=action_content(title="Late edit"),
            expected_version=submitted.version,
        )

    submitted.refresh_from_db()
    assert submitted.title == "Training of border officials"


def test_follow_up_action_submit_moves_draft_to_review(submitted):
    submitted.refresh_from_db()

    assert submitted.review_state == ReviewState.SUBMITTED
    assert submitted.submitted_at is not None


def test_follow_up_action_publish_makes_it_public_and_emails_the_organisation(
    submitted, staff, contributor_a, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        follow_up_action_publish(action=submitted, reviewer=staff)

    submitted.refresh_from_db()
    assert (submitted.review_state, submitted.reviewed_by) == (ReviewState.PUBLISHED, staff)
    assert submitted.published_at == submitted.reviewed_at
    assert [(m.subject, m.to) for m in mail.outbox] == [
        ("Published: Training of border officials", [contributor_a.email])
    ]


def test_follow_up_action_publish_by_contributor_is_refused(submitted, contributor_a):
    with pytest.raises(PermissionDenied):
        follow_up_action_publish(action=submitted, reviewer=contributor_a)

    submitted.refresh_from_db()
    assert submitted.review_state == ReviewState.SUBMITTED


def test_follow_up_action_publish_of_a_draft_is_refused(draft, staff):
    with pytest.raises(ActionStateError):
        follow_up_action_publish(action=draft, reviewer=staff)

    draft.refresh_from_db()
    assert draft.review_state == ReviewState.DRAFT


def test_follow_up_action_return_needs_a_reason(submitted, staff):
    with pytest.raises(ValidationError) as refused:
        follow_up_action_return(action=submitted, reviewer=staff, reason=" ")

    assert refused.value.message_dict == {
        "reason": ["Tell the authors why the action is returned."]
    }
    submitted.refresh_from_db()
    assert submitted.review_state == ReviewState.SUBMITTED


def test_follow_up_action_return_sends_it_back_with_the_reason(
    submitted, staff, contributor_a, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        follow_up_action_return(action=submitted, reviewer=staff, reason="Add the report link.")

    submitted.refresh_from_db()
    assert (submitted.review_state, submitted.review_note) == (
        ReviewState.RETURNED,
        "Add the report link.",
    )
    assert [m.subject for m in mail.outbox] == [
        "Returned for changes: Training of border officials"
    ]
    assert "Add the report link." in mail.outbox[0].body


def test_returned_action_can_be_edited_and_submitted_again(submitted, staff, contributor_a):
    follow_up_action_return(action=submitted, reviewer=staff, reason="Add the report link.")
    submitted.refresh_from_db()

    follow_up_action_update(
        action=submitted,
        author=contributor_a,
        content=action_content(),
        expected_version=submitted.version,
    )
    follow_up_action_submit(action=submitted, author=contributor_a)

    submitted.refresh_from_db()
    assert submitted.review_state == ReviewState.SUBMITTED


def test_follow_up_action_withdraw_deletes_a_draft(draft, contributor_a):
    follow_up_action_withdraw(action=draft, author=contributor_a)

    assert FollowUpAction.objects.count() == 0


def test_follow_up_action_withdraw_of_published_action_is_refused(contributor_a, organisation_a):
    published = FollowUpActionFactory(
        lead_stakeholder=organisation_a,
        review_state=ReviewState.PUBLISHED,
        published_at="2021-01-01T00:00Z",
    )

    with pytest.raises(ActionStateError):
        follow_up_action_withdraw(action=published, author=contributor_a)

    assert FollowUpAction.objects.filter(pk=published.pk).count() == 1


def test_follow_up_action_publish_updates_the_public_summary_counts(
    contributor_a, organisation_a, organisation_b, staff
):
    content = action_content(partners=[organisation_b])
    action = follow_up_action_create(
        author=contributor_a, lead_stakeholder=organisation_a, content=content
    )
    follow_up_action_submit(action=action, author=contributor_a)

    follow_up_action_publish(action=action, reviewer=staff)

    recommendation, country = content.recommendations[0], content.countries[0]
    for row in (recommendation, country, organisation_a, organisation_b):
        row.refresh_from_db()
    assert (recommendation.published_action_count, country.published_action_count) == (1, 1)
    assert (organisation_a.led_action_count, organisation_a.partner_action_count) == (1, 0)
    assert (organisation_b.led_action_count, organisation_b.partner_action_count) == (0, 1)


def test_unpublished_actions_are_not_counted(draft, contributor_a):
    follow_up_action_submit(action=draft, author=contributor_a)

    recommendation = draft.recommendations.get()
    assert recommendation.published_action_count == 0
