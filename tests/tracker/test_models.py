"""Invariants the database itself keeps: protected references, append-only history, constraints."""

import pytest
from django.db import DatabaseError, IntegrityError, connection, transaction
from django.db.models import ProtectedError

from gcm_tracker.tracker.enums import RecommendationStatus as Status
from gcm_tracker.tracker.enums import ReviewState
from gcm_tracker.tracker.models import (
    Consultation,
    Country,
    Objective,
    Recommendation,
    StatusChange,
)
from tests.factories import (
    CountryFactory,
    FollowUpActionFactory,
    ObjectiveFactory,
    RecommendationFactory,
)

pytestmark = pytest.mark.django_db


def test_objective_of_a_recommendation_cannot_be_deleted():
    objective = ObjectiveFactory(number=13)
    RecommendationFactory(objectives=[objective])

    with pytest.raises(ProtectedError):
        objective.delete()

    assert Objective.objects.filter(number=13).exists()


def test_country_of_an_action_cannot_be_deleted():
    country = CountryFactory(iso3="THA")
    FollowUpActionFactory(countries=[country])

    with pytest.raises(ProtectedError):
        country.delete()

    assert Country.objects.filter(iso3="THA").exists()


def test_consultation_with_recommendations_cannot_be_deleted():
    recommendation = RecommendationFactory()

    with pytest.raises(ProtectedError):
        recommendation.consultation.delete()

    assert Consultation.objects.filter(pk=recommendation.consultation_id).exists()


def test_recommendation_with_actions_cannot_be_deleted():
    recommendation = RecommendationFactory()
    FollowUpActionFactory(recommendations=[recommendation])

    with pytest.raises(ProtectedError):
        recommendation.delete()

    assert Recommendation.objects.filter(pk=recommendation.pk).exists()


def test_unreferenced_objective_can_be_deleted():
    ObjectiveFactory(number=2)

    Objective.objects.filter(number=2).delete()

    assert not Objective.objects.filter(number=2).exists()


def test_status_history_row_cannot_be_updated(status_change):
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        StatusChange.objects.filter(pk=status_change.pk).update(reason="rewritten")

    assert StatusChange.objects.get(pk=status_change.pk).reason == "Pilot programme started."


def test_status_history_row_cannot_be_deleted_on_postgresql(status_change):
    if connection.vendor != "postgresql":
        pytest.skip("SQLite blocks updates only (see migration 0002)")

    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        StatusChange.objects.filter(pk=status_change.pk).delete()

    assert StatusChange.objects.filter(pk=status_change.pk).count() == 1


def test_recommendation_with_history_cannot_be_deleted(status_change):
    with pytest.raises(ProtectedError):
        status_change.recommendation.delete()


@pytest.mark.parametrize(
    ("model_update", "constraint"),
    [
        (
            lambda r, _: Recommendation.objects.filter(pk=r.pk).update(status="done"),
            "tracker_recommendation_status_valid",
        ),
        (
            lambda r, _: Recommendation.objects.filter(pk=r.pk).update(text=""),
            "tracker_recommendation_has_text",
        ),
        (
            lambda r, user: StatusChange.objects.create(
                recommendation=r,
                old_status=Status.LIMITED,
                new_status=Status.LIMITED,
                reason="same",
                effective_date=r.consultation.date,
                changed_by=user,
            ),
            "tracker_statuschange_is_change",
        ),
        (
            lambda r, _: FollowUpActionFactory(
                recommendations=[r], review_state=ReviewState.RETURNED, review_note=""
            ),
            "tracker_action_returned_has_reason",
        ),
    ],
)
def test_database_constraints_refuse_invalid_rows(staff, model_update, constraint):
    recommendation = RecommendationFactory()

    with pytest.raises(IntegrityError, match=constraint), transaction.atomic():
        model_update(recommendation, staff)


def test_hardening_1_only_models_with_an_identifying_key_have_a_natural_key():
    """Issue 14, item 1: a model without a natural key has no natural_key() (serializers then
    refer to its rows by id), and every natural key names at least one field."""
    from django.apps import apps

    with_key = sorted(
        model.__name__
        for model in apps.get_app_config("tracker").get_models()
        if hasattr(model, "natural_key")
    )

    assert with_key == [
        "Consultation",
        "Country",
        "GoodPractice",
        "GuidingPrinciple",
        "Objective",
        "Recommendation",
        "RecommendationObjective",
        "RecommendationScopeArea",
        "Snapshot",
        "Stakeholder",
        "Tag",
    ]
    assert all(apps.get_model("tracker", name).natural_key_fields for name in with_key)


def test_natural_keys_of_two_rows_differ_and_find_each_row():
    first, second = RecommendationFactory(), RecommendationFactory()

    keys = [first.natural_key(), second.natural_key()]

    assert keys[0] != keys[1]
    assert [Recommendation.objects.get_by_natural_key(*key) for key in keys] == [first, second]
