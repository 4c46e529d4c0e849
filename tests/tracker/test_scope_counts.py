"""The recommendations counted by scope and status (ScopeStatusCount) and by objective and scope
(ObjectiveScopeCount), kept by database triggers (migration 0035), equal a live count after
every kind of write: recommendations added one by one and in bulk, status and scope changes
through the services and in bulk, links added and removed, recommendations deleted; the pages
that read them count what the scope definition says."""

from urllib.parse import urlencode

import pytest
from django.db.models import Count
from django.http import QueryDict
from django.urls import reverse

from gcm_tracker.tracker import selectors
from gcm_tracker.tracker.country_selectors import escap_wide
from gcm_tracker.tracker.enums import RecommendationScope, RecommendationStatus
from gcm_tracker.tracker.filters import RecommendationFilter
from gcm_tracker.tracker.models import (
    ObjectiveScopeCount,
    Recommendation,
    RecommendationObjective,
    ScopeStatusCount,
)
from gcm_tracker.tracker.paging import DeferredJoinPaginator, kept_total
from gcm_tracker.tracker.services import recommendation_set_scope
from tests.factories import (
    ConsultationFactory,
    CountryFactory,
    ObjectiveFactory,
    RecommendationFactory,
    StaffFactory,
    set_status,
)

pytestmark = pytest.mark.django_db

ESCAP, SELECTED, REGIONAL = (
    RecommendationScope.ESCAP,
    RecommendationScope.SELECTED,
    RecommendationScope.REGIONAL,
)


def _by_scope_and_status() -> dict[tuple[str, str], int]:
    return {(row.scope, row.status): row.count for row in ScopeStatusCount.objects.exclude(count=0)}


def _by_objective_and_scope() -> dict[tuple[int, str], int]:
    return {
        (row.objective.number, row.scope): row.count
        for row in ObjectiveScopeCount.objects.select_related("objective").exclude(count=0)
    }


def _live() -> tuple[dict, dict]:
    by_status = Recommendation.objects.values_list("scope", "status").annotate(n=Count("*"))
    by_objective = RecommendationObjective.objects.values_list(
        "objective__number", "recommendation__scope"
    ).annotate(n=Count("*"))
    return (
        {(scope, status): n for scope, status, n in by_status},
        {(number, scope): n for number, scope, n in by_objective},
    )


def _kept() -> tuple[dict, dict]:
    return _by_scope_and_status(), _by_objective_and_scope()


def test_counts_follow_every_kind_of_write():
    staff = StaffFactory()
    four, thirteen = ObjectiveFactory(number=4), ObjectiveFactory(number=13)
    first = RecommendationFactory(objectives=[four, thirteen])
    second = RecommendationFactory(objectives=[thirteen])
    checkpoints = [_kept() == _live()]

    set_status(first, staff, new_status="implemented")
    checkpoints.append(_kept() == _live())
    recommendation_set_scope(
        recommendation=first,
        scope=SELECTED,
        subregions=["pacific"],
        countries=[],
        changed_by=staff,
    )
    checkpoints.append(_kept() == _live())
    Recommendation.objects.filter(pk=second.pk).update(scope=REGIONAL, status="not_started")
    checkpoints.append(_kept() == _live())
    second.objectives.add(four)
    first.objectives.remove(thirteen)
    checkpoints.append(_kept() == _live())
    consultation = ConsultationFactory()
    Recommendation.objects.bulk_create(
        Recommendation(
            consultation=consultation,
            paragraph=n,
            reference=Recommendation.reference_for(consultation, n),
            text=f"Governments should do {n}.",
        )
        for n in (1, 2, 3)
    )
    RecommendationObjective.objects.bulk_create(
        RecommendationObjective(recommendation=r, objective=four)
        for r in Recommendation.objects.filter(consultation=consultation)
    )
    checkpoints.append(_kept() == _live())
    second.delete()
    checkpoints.append(_kept() == _live())
    Recommendation.objects.filter(consultation=consultation).delete()
    checkpoints.append(_kept() == _live())

    assert checkpoints == [True] * 8
    assert _kept() == ({(SELECTED, "implemented"): 1}, {(4, SELECTED): 1})


def test_a_write_that_changes_no_scope_or_status_leaves_the_counts():
    recommendation = RecommendationFactory(objectives=[ObjectiveFactory(number=4)])

    Recommendation.objects.filter(pk=recommendation.pk).update(text="Edited text.")

    assert _kept() == ({(ESCAP, "no_information"): 1}, {(4, ESCAP): 1})


def test_readers_count_what_the_definitions_say():
    staff = StaffFactory()
    four, thirteen = ObjectiveFactory(number=4), ObjectiveFactory(number=13)
    RecommendationFactory(objectives=[four, thirteen])
    implemented = RecommendationFactory(objectives=[thirteen])
    set_status(implemented, staff, new_status="implemented")
    recommendation_set_scope(
        recommendation=RecommendationFactory(objectives=[four]),
        scope=SELECTED,
        subregions=[],
        countries=[CountryFactory(iso3="THA")],
        changed_by=staff,
    )

    wide = escap_wide()
    statuses = selectors.recommendation_statuses()

    assert (wide.total, wide.per_objective) == (2, {four.pk: 1, thirteen.pk: 2})
    assert statuses == selectors.status_breakdown(Recommendation.objects.all())
    assert statuses == {
        RecommendationStatus.NO_INFORMATION: 2,
        RecommendationStatus.NOT_STARTED: 0,
        RecommendationStatus.LIMITED: 0,
        RecommendationStatus.SUBSTANTIAL: 0,
        RecommendationStatus.IMPLEMENTED: 1,
    }


def test_unfiltered_lists_of_recommendations_are_not_counted_again():
    RecommendationFactory.create_batch(3)
    listed = selectors.recommendation_list().order_by("reference")

    assert DeferredJoinPaginator(listed, 2).count == 3
    assert kept_total(Recommendation.objects.filter(status="implemented")) is None
    assert kept_total(Recommendation.objects.distinct()) is None
    assert kept_total(Recommendation.objects.all()[:2]) is None
    assert kept_total(Recommendation.objects.none()) is None
    # Read from the kept table, not counted: a wrong table would show.
    ScopeStatusCount.objects.update(count=7)
    assert DeferredJoinPaginator(listed, 2).count == 7
    assert DeferredJoinPaginator(listed.filter(paragraph__gt=0), 2).count == 3


def test_the_list_by_statuses_alone_takes_its_length_from_the_kept_counts(client):
    for status in ("implemented", "implemented", "limited_progress", "not_started"):
        RecommendationFactory(status=status)

    def kept(form):
        filterset = RecommendationFilter(
            QueryDict(urlencode(form, doseq=True)), queryset=Recommendation.objects.all()
        )
        assert filterset.is_valid()
        return filterset.kept_count()

    assert kept({"status": ["implemented"]}) == 2
    assert kept({"status": ["implemented", "not_started"], "sort": "-updated"}) == 3
    assert kept({"status": ["no_information"]}) == 0
    assert kept({"status": ["implemented"], "q": "thing"}) is None
    # The page's length is the kept one: a kept row set wrong shows (repair_counts mends it).
    ScopeStatusCount.objects.filter(status="implemented").update(count=5)
    response = client.get(reverse("dashboards:recommendation-list"), {"status": "implemented"})
    assert response.context["page"].paginator.count == 5
