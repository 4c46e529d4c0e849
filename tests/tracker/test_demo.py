"""`make demo` (manage.py demo), list_organisations and create_contributor's help with slugs
(issue 15: newcomers)."""

import io
import re

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.urls import reverse

from gcm_tracker.tracker.enums import ReviewState
from gcm_tracker.tracker.models import (
    Assessment,
    FollowUpAction,
    Membership,
    Recommendation,
    StatusChange,
)
from gcm_tracker.tracker.roles import CONTRIBUTORS, STAFF

pytestmark = pytest.mark.django_db

PERSONA_LINE = re.compile(r"^  (demo-[a-z0-9-]+)\s+(\S+)\s{3}(.+)$", re.MULTILINE)


def _demo(**options) -> str:
    out = io.StringIO()
    # The suite also runs on PostgreSQL, which the demo refuses without the flag.
    call_command("demo", any_database=connection.vendor != "sqlite", stdout=out, **options)
    return out.getvalue()


def _personas(output: str) -> dict[str, tuple[str, str]]:
    return {name: (password, role) for name, password, role in PERSONA_LINE.findall(output)}


def _signs_in(client, username: str, password: str) -> bool:
    """Signs in through the sign-in form, as a person would; True if it let them in."""
    response = client.post(reverse("accounts:login"), {"username": username, "password": password})
    return response.status_code == 302 and response.url == reverse("workspace:home")


@pytest.fixture
def debug(settings):
    settings.DEBUG = True


def test_demo_is_refused_while_debug_is_off(settings, seed):
    settings.DEBUG = False

    with pytest.raises(CommandError, match="refused while DJANGO_DEBUG is off"):
        call_command("demo", any_database=True, stdout=io.StringIO())

    assert not get_user_model().objects.filter(username__startswith="demo-").exists()


@pytest.mark.skipif(connection.vendor == "sqlite", reason="the refusal is of other databases")
def test_demo_is_refused_on_another_database_without_the_flag(debug, seed):
    with pytest.raises(CommandError, match="run again with --any-database"):
        call_command("demo", stdout=io.StringIO())

    assert not get_user_model().objects.filter(username__startswith="demo-").exists()


def test_demo_creates_the_personas_and_content_and_their_passwords_sign_in(debug, seed, client):
    output = _demo()

    personas = _personas(output)
    assert {name: role for name, (_password, role) in personas.items()} == {
        "demo-staff": "staff member (admin, review queue, statuses, official assessments)",
        "demo-contributor-1": "contributor of Asia Pacific Refugee Rights Network",
        "demo-contributor-2": "contributor of Asia Pacific Mission for Migrants",
    }
    assert "Sign in at http://127.0.0.1:8000/accounts/login/" in output
    User = get_user_model()
    staff = User.objects.get(username="demo-staff")
    assert (staff.is_staff, staff.is_superuser) == (True, False)
    assert list(staff.groups.values_list("name", flat=True)) == [STAFF]
    assert sorted(
        Membership.objects.filter(user__username__startswith="demo-").values_list(
            "user__username", "stakeholder__slug"
        )
    ) == [("demo-contributor-1", "aprrn"), ("demo-contributor-2", "apmm")]
    assert set(
        User.objects.filter(groups__name=CONTRIBUTORS).values_list("username", flat=True)
    ) == {"demo-contributor-1", "demo-contributor-2"}
    assert StatusChange.objects.filter(changed_by=staff).count() == 3
    assert sorted(FollowUpAction.objects.values_list("review_state", flat=True)) == [
        ReviewState.PUBLISHED,
        ReviewState.PUBLISHED,
        ReviewState.SUBMITTED,
    ]
    assert sorted(
        (a.stakeholder.slug if a.stakeholder else "official", a.country.iso3)
        for a in Assessment.objects.select_related("stakeholder", "country")
    ) == [("aprrn", "THA"), ("official", "THA")]
    for name, (password, _role) in personas.items():
        assert _signs_in(client, name, password), name
        assert client.get(reverse("workspace:home")).status_code == 200
        client.logout()


def test_demo_again_reuses_the_accounts_with_new_passwords_and_adds_nothing(debug, seed, client):
    first = _personas(_demo())
    counts = (
        get_user_model().objects.count(),
        StatusChange.objects.count(),
        FollowUpAction.objects.count(),
        Assessment.objects.count(),
        Membership.objects.count(),
    )
    statuses = dict(Recommendation.objects.values_list("reference", "status"))

    second = _personas(_demo())

    assert first.keys() == second.keys()
    assert all(first[name][0] != second[name][0] for name in first)
    assert counts == (
        get_user_model().objects.count(),
        StatusChange.objects.count(),
        FollowUpAction.objects.count(),
        Assessment.objects.count(),
        Membership.objects.count(),
    )
    assert dict(Recommendation.objects.values_list("reference", "status")) == statuses
    assert not _signs_in(client, "demo-staff", first["demo-staff"][0])
    assert _signs_in(client, "demo-staff", second["demo-staff"][0])


def test_list_organisations_lists_slugs_and_searches(seed):
    out = io.StringIO()

    call_command("list_organisations", "refugee rights", stdout=out)

    assert out.getvalue() == "aprrn  Asia Pacific Refugee Rights Network\n"


def test_create_contributor_names_close_matches_of_an_unknown_slug(seed):
    with pytest.raises(CommandError) as refused:
        call_command("create_contributor", "amina", "amina@example.org", "aprn")

    message = str(refused.value)
    assert message.startswith("No organisation has the slug “aprn”. Did you mean: aprrn (")
    assert "aprrn (Asia Pacific Refugee Rights Network)" in message
    assert "python manage.py list_organisations [SEARCH] lists the organisations" in message
    assert not get_user_model().objects.filter(username="amina").exists()


def test_create_contributor_without_a_slug_says_where_slugs_are(seed):
    with pytest.raises(CommandError) as refused:
        call_command("create_contributor", "amina", "amina@example.org")

    assert str(refused.value).startswith(
        "Give the organisation's slug after the e-mail address. python manage.py "
        "list_organisations [SEARCH] lists the organisations and their slugs"
    )
    assert not get_user_model().objects.filter(username="amina").exists()
