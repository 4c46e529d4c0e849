import datetime

import pytest
from django.contrib.auth.models import Permission
from django.db import connection
from django.urls import reverse

from gcm_tracker.tracker import models
from gcm_tracker.tracker.enums import RecommendationStatus as Status
from tests.factories import (
    FollowUpActionFactory,
    PublishedActionFactory,
    RecommendationFactory,
    StaffFactory,
    UserFactory,
    set_status,
)

pytestmark = pytest.mark.django_db

ADMIN_MODELS = [
    models.Objective,
    models.GuidingPrinciple,
    models.Tag,
    models.Country,
    models.Stakeholder,
    models.Consultation,
    models.Recommendation,
    models.StatusChange,
    models.GoodPractice,
    models.FollowUpAction,
]


def _url(model, view, *args):
    return reverse(f"admin:tracker_{model._meta.model_name}_{view}", args=args)


def _status_url(recommendation):
    return reverse("admin:tracker_recommendation_status", args=[recommendation.pk])


def _post_status(client, recommendation, **fields):
    data = {
        "new_status": Status.IMPLEMENTED,
        "reason": "Done.",
        "effective_date": "2021-06-30",
        "version": 0,
    }
    return client.post(_status_url(recommendation), data | fields)


@pytest.mark.parametrize("model", ADMIN_MODELS, ids=lambda m: m.__name__)
def test_admin_changelist_lists_every_seed_row(admin_client, seed, model):
    response = admin_client.get(_url(model, "changelist"))

    assert response.status_code == 200
    assert response.context["cl"].result_count == model.objects.count()


def test_admin_recommendation_changelist_counts_seed_recommendations(admin_client, seed):
    response = admin_client.get(
        _url(models.Recommendation, "changelist"), {"status": "implemented"}
    )

    # The admin does not count the whole table a second time (admin_lists).
    assert (response.context["cl"].result_count, response.context["cl"].full_result_count) == (
        0,
        None,
    )


# Queries: session, user, one per related-model filter's choices (recommendations: objective,
# principle, tag; actions: country, objective), the count, and the rows with their
# select_related joins; on PostgreSQL the unfiltered list first reads the table's estimated size
# (admin_lists), one more.
CHANGELIST_QUERIES = [
    (models.Recommendation, RecommendationFactory, 7),
    (models.FollowUpAction, FollowUpActionFactory, 6),
    (models.StatusChange, lambda: set_status(RecommendationFactory(), StaffFactory()), 4),
]


@pytest.mark.parametrize("item_count", [1, 4])
@pytest.mark.parametrize(
    ("model", "factory", "queries"), CHANGELIST_QUERIES, ids=lambda v: getattr(v, "__name__", v)
)
def test_admin_changelist_query_count_is_constant(
    admin_client, django_assert_num_queries, model, factory, queries, item_count
):
    for _ in range(item_count):
        factory()

    with django_assert_num_queries(queries + (connection.vendor == "postgresql")):
        response = admin_client.get(_url(model, "changelist"))

    assert response.context["cl"].result_count == item_count


def test_admin_recommendation_form_has_no_status_field(admin_client):
    recommendation = RecommendationFactory()

    response = admin_client.get(_url(models.Recommendation, "change", recommendation.pk))

    form_fields = set(response.context["adminform"].form.fields)
    assert {"status", "version", "status_changed_at", "reference"} & form_fields == set()
    assert {"text", "guiding_principles", "tags"} <= form_fields


def test_admin_status_form_shows_current_status_and_version(staff_client):
    recommendation = RecommendationFactory()

    response = staff_client.get(_status_url(recommendation))

    assert response.status_code == 200
    assert response.context["form"].initial == {
        "new_status": Status.NO_INFORMATION,
        "version": 0,
    }


def test_admin_status_form_changes_status_through_the_service(staff_client, staff):
    recommendation = RecommendationFactory()

    response = _post_status(
        staff_client,
        recommendation,
        new_status=Status.SUBSTANTIAL,
        reason="Law adopted in two countries.",
        evidence_url="https://example.org/law",
    )

    assert response.status_code == 302
    assert response["Location"] == _url(models.Recommendation, "change", recommendation.pk)
    change = recommendation.status_changes.get()
    assert (change.new_status, change.reason, change.effective_date, change.changed_by) == (
        Status.SUBSTANTIAL,
        "Law adopted in two countries.",
        datetime.date(2021, 6, 30),
        staff,
    )
    recommendation.refresh_from_db()
    assert (recommendation.status, recommendation.version) == (Status.SUBSTANTIAL, 1)


def test_admin_status_form_without_reason_writes_nothing(staff_client):
    recommendation = RecommendationFactory()

    response = _post_status(staff_client, recommendation, reason="")

    assert response.status_code == 200
    assert response.context["form"].errors == {"reason": ["This field is required."]}
    assert recommendation.status_changes.count() == 0


def test_admin_status_form_refuses_future_date_with_service_message(staff_client):
    recommendation = RecommendationFactory()
    tomorrow = datetime.date.today() + datetime.timedelta(days=2)  # noqa: DTZ011 - any zone

    response = _post_status(staff_client, recommendation, effective_date=tomorrow.isoformat())

    assert response.context["form"].errors == {
        "effective_date": ["The effective date cannot be in the future."]
    }
    assert recommendation.status_changes.count() == 0


def test_admin_status_form_from_stale_version_answers_409_with_current_status(staff_client):
    recommendation = RecommendationFactory()
    colleague = StaffFactory(username="colleague")
    set_status(recommendation, colleague, new_status=Status.NOT_STARTED, reason="No plan yet.")

    response = _post_status(staff_client, recommendation)

    assert response.status_code == 409
    conflict = response.context["conflict"]
    assert (conflict.current.status, conflict.last_change.changed_by) == (
        Status.NOT_STARTED,
        colleague,
    )
    assert response.context["form"]["version"].value() == 1
    assert list(recommendation.status_changes.values_list("new_status", flat=True)) == [
        Status.NOT_STARTED
    ]
    assert "Set to “Not started” by colleague" in response.content.decode()


def test_admin_status_form_needs_the_set_status_permission(client):
    clerk = UserFactory(username="clerk", is_staff=True)
    clerk.user_permissions.add(Permission.objects.get(codename="view_recommendation"))
    client.force_login(clerk)
    recommendation = RecommendationFactory()

    response = _post_status(client, recommendation)

    assert response.status_code == 403
    assert recommendation.status_changes.count() == 0


def test_admin_status_history_is_view_only(admin_client, status_change):
    response = admin_client.get(_url(models.StatusChange, "change", status_change.pk))

    assert response.status_code == 200
    assert (
        response.context["has_change_permission"],
        response.context["has_delete_permission"],
    ) == (
        False,
        False,
    )


@pytest.mark.parametrize(
    ("view", "data"),
    [("change", {"reason": "rewritten"}), ("delete", {"post": "yes"})],
)
def test_admin_status_history_cannot_be_changed_or_deleted(admin_client, status_change, view, data):
    response = admin_client.post(_url(models.StatusChange, view, status_change.pk), data)

    assert response.status_code == 403
    assert models.StatusChange.objects.get(pk=status_change.pk).reason == "Pilot programme started."


def test_admin_status_history_cannot_be_added(admin_client):
    response = admin_client.get(_url(models.StatusChange, "add"))

    assert response.status_code == 403


def test_admin_refuses_to_delete_objective_that_recommendations_use(admin_client, seed):
    objective = models.Objective.objects.get(number=13)

    response = admin_client.post(_url(models.Objective, "delete", objective.pk), {"post": "yes"})

    assert response.status_code == 200
    assert len(response.context["protected"]) == 6
    assert models.Objective.objects.filter(number=13).exists()


def test_admin_cannot_delete_a_published_action(admin_client):
    action = PublishedActionFactory()

    response = admin_client.post(_url(models.FollowUpAction, "delete", action.pk), {"post": "yes"})

    assert response.status_code == 403
    assert models.FollowUpAction.objects.filter(pk=action.pk).count() == 1


def test_admin_gives_a_new_sub_item_its_own_reference_and_keeps_it(admin_client):
    recommendation = RecommendationFactory()
    consultation = recommendation.consultation
    objective = recommendation.objectives.first() or models.Objective.objects.first()

    added = admin_client.post(
        _url(models.GoodPractice, "add"),
        {
            "consultation": consultation.pk,
            "paragraph": 12,
            "sub_item": "b",
            "text": "A practice.",
            "objectives": [objective.pk],
            "created_at_0": "2021-03-01",
            "created_at_1": "10:00:00",
        },
    )
    practice = models.GoodPractice.objects.get()
    response = admin_client.get(_url(models.GoodPractice, "change", practice.pk))

    assert added.status_code == 302
    assert (practice.reference, practice.paragraph_label) == (f"{consultation.slug}-12-b", "12(b)")
    assert {"paragraph", "sub_item"} & set(response.context["adminform"].form.fields) == set()
