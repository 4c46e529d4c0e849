"""Four eyes on account requests, as on actions and assessments: nobody approves or declines a
request of their own (sent signed in, or from their e-mail address) or one for an organisation
they are a member of. Refused with 403 and the reason, in the admin and the services; nothing
changes, not even the rest of a selection in the admin."""

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from gcm_tracker.tracker import services
from gcm_tracker.tracker.enums import AccountRequestState
from gcm_tracker.tracker.models import AccountRequest, Membership

from ..factories import StaffFactory

pytestmark = pytest.mark.django_db

CHANGELIST = "/admin/tracker/accountrequest/"
REFUSAL = (
    "You cannot approve or decline an account request of your own or for an organisation you "
    "are a member of; another member of staff must."
)


@pytest.fixture
def reviewer(db):
    return StaffFactory(username="rita", email="Rita@Example.org")


def _request(organisation, **fields):
    return AccountRequest.objects.create(
        name="Someone",
        organisation_name=organisation.name,
        stakeholder=organisation,
        message="We help migrants.",
        **{"email": "someone@example.org", **fields},
    )


def _own_requests(reviewer, organisation_a, organisation_b):
    """The three ways a request is the reviewer's own."""
    Membership.objects.create(user=reviewer, stakeholder=organisation_b)
    return {
        "sent signed in": _request(organisation_a, requested_by=reviewer),
        "same e-mail": _request(organisation_a, email=" rita@example.ORG"),
        "own organisation": _request(organisation_b),
    }


def _unchanged(*requests):
    return {
        (r.state, r.decided_by_id, r.decided_at, r.history.count())
        for r in AccountRequest.objects.filter(pk__in=[r.pk for r in requests])
    } == {(AccountRequestState.PENDING, None, None, 1)}


@pytest.mark.parametrize("action", ["approve", "decline"])
@pytest.mark.parametrize("way", ["sent signed in", "same e-mail", "own organisation"])
def test_admin_refuses_a_reviewer_their_own_request_and_the_rest_of_the_selection(
    client, reviewer, organisation_a, organisation_b, django_user_model, action, way
):
    own = _own_requests(reviewer, organisation_a, organisation_b)[way]
    other = _request(organisation_a, email="other@example.org")
    users = django_user_model.objects.count()
    client.force_login(reviewer)

    response = client.post(CHANGELIST, {"action": action, "_selected_action": [other.pk, own.pk]})

    assert response.status_code == 403
    assert REFUSAL in response.content.decode()
    assert _unchanged(own, other)
    assert (django_user_model.objects.count(), mail.outbox) == (users, [])


@pytest.mark.parametrize(
    "decide", [services.account_request_approve, services.account_request_decline]
)
def test_services_refuse_a_reviewer_their_own_request(
    reviewer, organisation_a, organisation_b, decide
):
    for own in _own_requests(reviewer, organisation_a, organisation_b).values():
        with pytest.raises(PermissionDenied, match="another member of staff must"):
            decide(account_request=own, reviewer=reviewer)
        assert _unchanged(own)


def test_another_member_of_staff_approves_it(
    client, reviewer, organisation_a, organisation_b, django_capture_on_commit_callbacks
):
    own = _own_requests(reviewer, organisation_a, organisation_b)
    client.force_login(StaffFactory(username="colleague"))

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            CHANGELIST,
            {"action": "approve", "_selected_action": [own["sent signed in"].pk]},
        )

    assert response.status_code == 302
    own["sent signed in"].refresh_from_db()
    assert own["sent signed in"].state == AccountRequestState.APPROVED


def test_the_public_form_records_who_sent_it_when_signed_in(client, reviewer):
    client.force_login(reviewer)

    response = client.post(
        reverse("accounts:request"),
        {
            "name": "Rita",
            "email": "rita.private@example.net",
            "organisation_name": "Friends of Rita",
            "organisation_website": "",
            "country": "",
            "message": "We help migrants.",
        },
    )

    assert response.status_code == 302
    assert AccountRequest.objects.get().requested_by == reviewer


def test_staff_cannot_change_the_address_a_request_was_sent_from(client, organisation_a):
    request = _request(organisation_a)
    client.force_login(StaffFactory(username="colleague"))
    change = f"{CHANGELIST}{request.pk}/change/"

    form = client.get(change)
    response = client.post(
        change,
        {
            "name": "Someone Else",
            "organisation_name": organisation_a.name,
            "stakeholder": organisation_a.pk,
            "email": "attacker@example.org",
            "message": "We help migrants.",
            "language": "en",
        },
    )

    assert 'name="email"' not in form.content.decode()
    assert response.status_code == 302
    request.refresh_from_db()
    assert (request.name, request.email) == ("Someone Else", "someone@example.org")
