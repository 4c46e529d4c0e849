"""Staff name snapshots in the admin (a label on a date); others cannot."""

import datetime

import pytest
from django.urls import reverse

from gcm_tracker.tracker.enums import RecommendationStatus
from gcm_tracker.tracker.models import PublicGeneration, Snapshot
from tests.factories import ObjectiveFactory, RecommendationFactory, set_status

pytestmark = pytest.mark.django_db

ADD = "admin:tracker_snapshot_add"
FORM = {"slug": "regional-review-2024", "name": "Regional review 2024", "date": "2024-03-12"}


def test_staff_name_a_snapshot_in_the_admin(staff_client, staff):
    response = staff_client.post(reverse(ADD), FORM)

    assert response.status_code == 302
    snapshot = Snapshot.objects.get()
    assert (snapshot.slug, snapshot.name, snapshot.date, snapshot.created_by) == (
        "regional-review-2024",
        "Regional review 2024",
        datetime.date(2024, 3, 12),
        staff,
    )


def test_saving_a_snapshot_counts_and_keeps_its_distribution(
    staff_client, staff, django_capture_on_commit_callbacks
):
    objective = ObjectiveFactory(number=3)
    recommendation = RecommendationFactory(objectives=[objective])
    set_status(
        recommendation,
        staff,
        new_status=RecommendationStatus.LIMITED,
        effective_date=datetime.date(2024, 3, 1),
    )
    with django_capture_on_commit_callbacks(execute=True):
        staff_client.post(reverse(ADD), FORM)

    kept = Snapshot.objects.get().distribution
    assert kept["day"] == "2024-03-12"
    assert kept["by_objective"] == {"3": {RecommendationStatus.LIMITED: 1}}
    assert kept["by_country"] == {}
    assert kept["generation"] == PublicGeneration.objects.get().number


def test_a_snapshot_with_a_bad_date_is_refused_and_nothing_is_saved(staff_client):
    response = staff_client.post(reverse(ADD), FORM | {"date": "2024-02-30"})

    assert response.status_code == 200
    assert "Enter a valid date." in response.content.decode()
    assert not Snapshot.objects.exists()


def test_a_signed_in_user_without_the_permission_cannot_add_one(client, outsider):
    outsider.is_staff = True  # may open the admin, but has no snapshot permission
    outsider.save()
    client.force_login(outsider)

    assert client.post(reverse(ADD), FORM).status_code == 403
    assert not Snapshot.objects.exists()
