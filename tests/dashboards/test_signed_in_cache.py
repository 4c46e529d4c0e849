"""Issue 13: a public page's own part (title, head, content) is cached for signed-in users under
the generation, the language, the address and their permissions, and drawn in a header of their
own; what one set of permissions shows is never served to another, and a change of permissions
shows on the next view."""

import pytest
from django.contrib.auth.models import Group, Permission
from django.urls import reverse

from gcm_tracker.tracker import roles
from gcm_tracker.tracker.enums import RecommendationStatus
from gcm_tracker.tracker.models import Recommendation
from tests.factories import (
    ContributorFactory,
    CountryFactory,
    RecommendationFactory,
    StaffFactory,
    UserFactory,
    set_status,
)

pytestmark = pytest.mark.django_db

RECORD = "Record official assessment"
ASSESS = "Assess as your organisation"


@pytest.fixture
def page(db):
    CountryFactory(iso3="THA")
    recommendation = RecommendationFactory()
    return reverse("dashboards:recommendation-detail", args=[recommendation.reference])


def test_the_second_view_reads_only_the_session_and_the_user(
    client, page, django_assert_num_queries
):
    user = ContributorFactory(first_name="Ada")
    client.force_login(user)
    first = client.get(page).content.decode()

    # The session and the user; the generation (for a few seconds) and the key of the user's
    # permissions are in the cache.
    with django_assert_num_queries(2):
        second = client.get(page).content.decode()

    assert second.split("<main")[1] == first.split("<main")[1]
    assert f"<title>{Recommendation.objects.get().label} · GCM Tracker</title>" in second


def test_each_user_gets_their_own_csrf_token_in_the_header(client, page):
    def token(html):
        return html.split('name="csrfmiddlewaretoken" value="')[1].split('"')[0]

    client.force_login(ContributorFactory())
    first = client.get(page).content.decode()
    client.force_login(ContributorFactory())  # a new session, a new CSRF secret
    second = client.get(page).content.decode()

    assert "Sign out" in second
    assert token(first) != token(second)
    assert second.split("<main")[1] == first.split("<main")[1]


def test_links_of_one_set_of_permissions_are_not_served_to_another(client, page):
    client.force_login(StaffFactory())
    as_staff = client.get(page).content.decode()
    client.force_login(ContributorFactory())
    as_contributor = client.get(page).content.decode()

    assert (RECORD in as_staff, ASSESS in as_staff) == (True, False)
    assert (RECORD in as_contributor, ASSESS in as_contributor) == (False, True)


def test_a_status_change_shows_on_the_next_signed_in_view(
    client, page, staff, django_capture_on_commit_callbacks
):
    def status_line(html):
        return html.split('class="status-line">')[1].split("</p>")[0]

    client.force_login(ContributorFactory())
    assert "No information" in status_line(client.get(page).content.decode())
    recommendation = RecommendationFactory._meta.model.objects.get()

    with django_capture_on_commit_callbacks(execute=True):
        set_status(recommendation, staff, new_status=RecommendationStatus.IMPLEMENTED)

    assert "Implemented" in status_line(client.get(page).content.decode())


def _given_the_contributor_role(user):
    user.groups.add(Group.objects.get(name=roles.CONTRIBUTORS))


def _role_loses_assessing(user):
    Group.objects.get(name=roles.CONTRIBUTORS).permissions.remove(
        Permission.objects.get(codename="add_assessmentsubmission")
    )


def _made_superuser(user):
    user.is_superuser = True
    user.save()


@pytest.mark.parametrize(
    ("factory", "change", "link", "shown_before"),
    [
        (UserFactory, _given_the_contributor_role, ASSESS, False),
        (ContributorFactory, _role_loses_assessing, ASSESS, True),
        (ContributorFactory, _made_superuser, RECORD, False),
    ],
    ids=["given a role", "role loses a permission", "made superuser"],
)
def test_a_change_of_permissions_shows_in_the_links_of_the_next_view(
    client, page, django_capture_on_commit_callbacks, factory, change, link, shown_before
):
    user = factory()
    client.force_login(user)
    assert (link in client.get(page).content.decode()) == shown_before

    with django_capture_on_commit_callbacks(execute=True):
        change(user)

    assert (link in client.get(page).content.decode()) == (not shown_before)
