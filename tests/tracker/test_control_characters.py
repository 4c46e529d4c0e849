"""Item 12: control characters are refused in titles and other single-line fields at every input
(forms, API, services, admin), and an e-mail that cannot be sent is logged without turning a
committed workflow step into an error page."""

import logging

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse

from gcm_tracker.tracker.enums import ReviewState
from gcm_tracker.tracker.models import FollowUpAction, Stakeholder
from gcm_tracker.tracker.services import follow_up_action_create, follow_up_action_return
from tests.api.conftest import token_client
from tests.factories import (
    FollowUpActionFactory,
    StakeholderFactory,
    action_api_body,
    action_content,
    action_form_data,
)

pytestmark = pytest.mark.django_db

ONE_LINE = "Write this on one line, without line breaks, tabs or other control characters."
NO_CONTROLS = "Remove the control characters from this text (line breaks and tabs are fine)."
CRLF_TITLE = "Training\r\nBcc: everyone@example.org"


@pytest.mark.parametrize("title", [CRLF_TITLE, "Tab\tin title", "Bell\x07", "Sep\u2028arator"])
def test_item_12_service_refuses_control_characters_in_a_title(
    contributor_a, organisation_a, title
):
    with pytest.raises(ValidationError) as refused:
        follow_up_action_create(
            author=contributor_a,
            lead_stakeholder=organisation_a,
            content=action_content(title=title),
        )

    assert refused.value.message_dict == {"title": [ONE_LINE]}
    assert FollowUpAction.objects.count() == 0


def test_item_12_service_keeps_line_breaks_in_a_description_but_not_other_controls(
    contributor_a, organisation_a
):
    kept = follow_up_action_create(
        author=contributor_a,
        lead_stakeholder=organisation_a,
        content=action_content(description="First line.\r\n\tSecond line."),
    )
    with pytest.raises(ValidationError) as refused:
        follow_up_action_create(
            author=contributor_a,
            lead_stakeholder=organisation_a,
            content=action_content(description="Escape \x1b[31m"),
        )

    assert kept.description == "First line.\r\n\tSecond line."
    assert refused.value.message_dict == {"description": [NO_CONTROLS]}


def test_item_12_contributor_form_refuses_a_title_with_a_line_break(
    client, contributor_a, organisation_a
):
    client.force_login(contributor_a)

    response = client.post(
        reverse("workspace:action-create"), action_form_data(organisation_a, title=CRLF_TITLE)
    )

    assert response.status_code == 200
    assert response.context["form"].errors == {"title": [ONE_LINE]}
    assert FollowUpAction.objects.count() == 0


def test_item_12_api_refuses_a_title_with_a_line_break(contributor_a):
    response = token_client(contributor_a).post(
        "/api/v1/actions/", action_api_body(title=CRLF_TITLE), format="json"
    )

    assert (response.status_code, response.json()) == (400, {"title": [ONE_LINE]})
    assert FollowUpAction.objects.count() == 0


def test_item_12_admin_refuses_an_organisation_name_with_a_line_break(admin_client):
    stakeholder = StakeholderFactory(slug="udyama", name="Udyama")

    response = admin_client.post(
        reverse("admin:tracker_stakeholder_change", args=[stakeholder.pk]),
        {"name": "Udyama\nInjected", "slug": "udyama", "kind": stakeholder.kind},
    )

    stakeholder.refresh_from_db()
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["name"] == [ONE_LINE]
    assert stakeholder.name == "Udyama"


def test_item_12_return_reason_with_control_characters_is_refused(staff, organisation_a):
    action = FollowUpActionFactory(lead_stakeholder=organisation_a, review_state="submitted")

    with pytest.raises(ValidationError) as refused:
        follow_up_action_return(action=action, reviewer=staff, reason="No\x00pe")

    action.refresh_from_db()
    assert refused.value.message_dict == {"reason": [NO_CONTROLS]}
    assert action.review_state == ReviewState.SUBMITTED


@pytest.fixture
def submitted_with_crlf_title(organisation_a, contributor_a):
    """A title that reached the database before input refused it (or through the database)."""
    action = FollowUpActionFactory(lead_stakeholder=organisation_a, review_state="submitted")
    FollowUpAction.objects.filter(pk=action.pk).update(title=CRLF_TITLE)
    return action


def test_item_12_publishing_an_action_whose_title_holds_a_line_break_answers_302_and_mails(
    staff_client, submitted_with_crlf_title, contributor_a, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(
            reverse("workspace:review-action", args=[submitted_with_crlf_title.pk]),
            {"publish": "1", "confirm": "on"},
        )

    submitted_with_crlf_title.refresh_from_db()
    assert response["Location"] == reverse("workspace:review-queue")
    assert submitted_with_crlf_title.review_state == ReviewState.PUBLISHED
    assert [(m.subject, m.to) for m in mail.outbox] == [
        ("Published: Training Bcc: everyone@example.org", [contributor_a.email])
    ]


def test_item_12_a_mail_that_cannot_be_sent_is_logged_and_the_step_stays_done(
    staff, submitted_with_crlf_title, contributor_a, django_capture_on_commit_callbacks, caplog
):
    # An address with a line break, written straight to the database: the mail cannot be sent.
    type(contributor_a).objects.filter(pk=contributor_a.pk).update(
        email="a@example.org\nBcc: x@example.org"
    )
    api = token_client(staff)

    with (
        caplog.at_level(logging.ERROR, logger="gcm_tracker.tracker.notifications"),
        django_capture_on_commit_callbacks(execute=True),
    ):
        response = api.post(
            f"/api/v1/actions/{submitted_with_crlf_title.pk}/return/",
            {"reason": "Which country?"},
            format="json",
        )

    submitted_with_crlf_title.refresh_from_db()
    assert response.status_code == 200
    assert submitted_with_crlf_title.review_state == ReviewState.RETURNED
    assert mail.outbox == []
    assert [(r.name, r.getMessage()) for r in caplog.records] == [
        (
            "gcm_tracker.tracker.notifications",
            f"Could not send the e-mail about action {submitted_with_crlf_title.pk}; "
            "the change itself is saved.",
        )
    ]


def test_item_12_stakeholder_model_validation_refuses_control_characters():
    with pytest.raises(ValidationError) as refused:
        Stakeholder(name="A\tB", slug="a-b", kind="civil_society").full_clean()

    assert refused.value.message_dict == {"name": [ONE_LINE]}
