"""Pages for review meetings: /changes/ (and its feed), snapshots and their comparison, /stale/."""

import datetime

import pytest
from django.urls import reverse

from gcm_tracker.tracker.enums import RecommendationStatus, Subregion
from gcm_tracker.tracker.models import Snapshot
from tests.factories import (
    CountryFactory,
    ObjectiveFactory,
    PublishedActionFactory,
    RecommendationFactory,
    record_official,
    set_status,
)

S = RecommendationStatus
D = datetime.date

pytestmark = pytest.mark.django_db


def _populate(count, staff):
    """`count` recommendations under objective 13, each moved up on 1 March 2024 and down on
    1 June 2024, each assessed in Thailand on 1 February 2024 and moved up on 1 May 2024, each
    with a published action in Thailand; snapshots on 1 April and 1 July 2024."""
    objective = ObjectiveFactory(number=13)
    thailand = CountryFactory(iso3="THA", subregion=Subregion.SOUTH_EAST_ASIA)
    for _ in range(count):
        recommendation = RecommendationFactory(objectives=[objective])
        set_status(recommendation, staff, new_status=S.SUBSTANTIAL, effective_date=D(2024, 3, 1))
        recommendation.refresh_from_db()
        set_status(recommendation, staff, new_status=S.LIMITED, effective_date=D(2024, 6, 1))
        record_official(
            recommendation, thailand, staff, status=S.NOT_STARTED, effective_date=D(2024, 2, 1)
        )
        record_official(
            recommendation, thailand, staff, status=S.IMPLEMENTED, effective_date=D(2024, 5, 1)
        )
        PublishedActionFactory(recommendations=[recommendation], countries=[thailand])
    Snapshot.objects.create(slug="spring", name="Spring review", date=D(2024, 4, 1))
    Snapshot.objects.create(slug="summer", name="Summer review", date=D(2024, 7, 1))
    return thailand


def test_changes_between_two_status_changes_lists_exactly_the_later_one(client, staff):
    _populate(1, staff)
    response = client.get(
        reverse("dashboards:changes"), {"since": "2024-04-01", "until": "2024-12-31"}
    )
    assert response.status_code == 200
    sections = {s["name"]: s for s in response.context["sections"]}
    [regional] = sections["regional"]["rows"]
    assert regional.new_status == S.LIMITED
    assert regional.effective_date == D(2024, 6, 1)
    [cell] = sections["cells"]["rows"]
    assert cell.status == S.IMPLEMENTED
    counts = response.context["counts"]
    assert (counts.regional_up, counts.regional_down, counts.cells_up, counts.cells_down) == (
        0,
        1,
        1,
        0,
    )
    assert "1 recommendation moved up" not in response.content.decode()
    assert "0 recommendations moved up, 1 down" in response.content.decode()


def test_snapshot_list_and_compare(client, staff):
    _populate(1, staff)
    response = client.get(reverse("dashboards:snapshot-list"))
    assert response.status_code == 200
    response = client.get(reverse("dashboards:snapshot-compare", args=["spring", "summer"]))
    assert response.status_code == 200
    [objective] = response.context["objectives"]
    rows = {row["status"]: (row["before"], row["after"], row["moved"]) for row in objective["rows"]}
    assert rows[S.SUBSTANTIAL] == (1, 0, -1)
    assert rows[S.LIMITED] == (0, 1, 1)
    [country] = response.context["countries"]
    rows = {row["status"]: (row["before"], row["after"], row["moved"]) for row in country["rows"]}
    assert rows[S.NOT_STARTED] == (1, 0, -1)
    assert rows[S.IMPLEMENTED] == (0, 1, 1)
    now = client.get(reverse("dashboards:snapshot-compare", args=["spring", "now"]))
    assert now.status_code == 200


def test_stale(client, staff):
    thailand = _populate(1, staff)
    response = client.get(reverse("dashboards:stale"))
    assert response.status_code == 200
