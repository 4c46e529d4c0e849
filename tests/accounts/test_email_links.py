"""Links in e-mails carry the address the site is used at (issue 15): the request's scheme, host
and port when a request sends them, DJANGO_SITE_URL otherwise; never a fixed 127.0.0.1:8000."""

import io
import re

import pytest
from django.core import mail
from django.core.management import call_command

from gcm_tracker.tracker.enums import AccountRequestState
from gcm_tracker.tracker.models import AccountRequest

pytestmark = pytest.mark.django_db

SET_PASSWORD_LINK = re.compile(r"^(\S+)/accounts/password/reset/[^/\s]+/[^/\s]+/$", re.MULTILINE)


def test_account_approved_in_the_admin_links_to_the_address_of_the_request(
    client, django_user_model, organisation_a, settings, django_capture_on_commit_callbacks
):
    settings.ALLOWED_HOSTS = ["tracker.example.org"]
    settings.SITE_URL = "https://elsewhere.example.org"
    admin = django_user_model.objects.create_superuser("admin", "admin@example.org", "x" * 12)
    client.force_login(admin)
    request = AccountRequest.objects.create(
        name="Amina",
        email="amina@example.org",
        organisation_name="Organisation A",
        stakeholder=organisation_a,
    )

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/admin/tracker/accountrequest/",
            {"action": "approve", "_selected_action": [request.pk]},
            HTTP_HOST="tracker.example.org:8006",
        )

    assert response.status_code == 302
    request.refresh_from_db()
    assert request.state == AccountRequestState.APPROVED
    assert [m.to for m in mail.outbox] == [["amina@example.org"]]
    assert SET_PASSWORD_LINK.search(mail.outbox[0].body)[1] == "http://tracker.example.org:8006"


def test_account_made_by_a_command_links_to_the_site_url(
    organisation_a, settings, django_capture_on_commit_callbacks
):
    settings.SITE_URL = "http://127.0.0.1:8006/"

    with django_capture_on_commit_callbacks(execute=True):
        call_command(
            "create_contributor", "ravi", "ravi@example.org", "organisation-a", stdout=io.StringIO()
        )

    assert SET_PASSWORD_LINK.search(mail.outbox[0].body)[1] == "http://127.0.0.1:8006"
