"""Issue 13: the recommendations each organisation acted on (StakeholderRecommendation) are kept
on publishing, checked and repaired by repair_counts, and give the stakeholder page its status
breakdown without reading the organisation's action links."""

import io

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from gcm_tracker.tracker import selectors, services
from gcm_tracker.tracker.enums import RecommendationStatus, ReviewState
from gcm_tracker.tracker.models import StakeholderRecommendation
from gcm_tracker.tracker.services.counts import summary_count_drift
from tests.factories import (
    FollowUpActionFactory,
    PublishedActionFactory,
    RecommendationFactory,
    StaffFactory,
    StakeholderFactory,
    set_status,
)

pytestmark = pytest.mark.django_db


def _rows():
    return sorted(
        StakeholderRecommendation.objects.values_list(
            "stakeholder__slug", "recommendation__reference", "action_count"
        )
    )


def test_publishing_counts_the_action_for_its_lead_and_each_partner_and_recommendation(staff):
    lead, partner = StakeholderFactory(slug="lead"), StakeholderFactory(slug="partner")
    first, second = RecommendationFactory(reference="r-1"), RecommendationFactory(reference="r-2")
    action = FollowUpActionFactory(
        lead_stakeholder=lead,
        recommendations=[first, second],
        review_state=ReviewState.SUBMITTED,
    )
    action.partners.add(partner)

    services.follow_up_action_publish(action=action, reviewer=staff)
    PublishedActionFactory(lead_stakeholder=lead, recommendations=[first])

    assert _rows() == [
        ("lead", "r-1", 2),
        ("lead", "r-2", 1),
        ("partner", "r-1", 1),
        ("partner", "r-2", 1),
    ]
    assert summary_count_drift() == []


def test_actions_not_published_are_not_counted():
    lead = StakeholderFactory()
    FollowUpActionFactory(lead_stakeholder=lead, review_state=ReviewState.DRAFT)
    FollowUpActionFactory(lead_stakeholder=lead, review_state=ReviewState.SUBMITTED)
    FollowUpActionFactory(
        lead_stakeholder=lead, review_state=ReviewState.RETURNED, review_note="Add evidence."
    )

    assert _rows() == []
    assert summary_count_drift() == []


def test_repair_counts_finds_and_repairs_wrong_missing_and_extra_rows():
    lead = StakeholderFactory(slug="lead")
    first, second = RecommendationFactory(reference="r-1"), RecommendationFactory(reference="r-2")
    PublishedActionFactory(lead_stakeholder=lead, recommendations=[first, second])
    PublishedActionFactory(lead_stakeholder=lead, recommendations=[first])
    StakeholderRecommendation.objects.filter(recommendation=first).update(action_count=5)
    StakeholderRecommendation.objects.filter(recommendation=second).delete()
    StakeholderRecommendation.objects.create(
        stakeholder=StakeholderFactory(slug="idle"), recommendation=first, action_count=1
    )

    with pytest.raises(CommandError, match="3 summary counts are wrong"):
        call_command("repair_counts", check=True, stdout=io.StringIO())
    out = io.StringIO()
    call_command("repair_counts", stdout=out)

    assert out.getvalue().splitlines() == [
        "StakeholderRecommendation lead r-1: was 5, now 2",
        "StakeholderRecommendation lead r-2: was 0, now 1",
        "StakeholderRecommendation idle r-1: was 1, now 0",
        "Repaired 3 summary counts.",
    ]
    assert _rows() == [("lead", "r-1", 2), ("lead", "r-2", 1)]
    assert summary_count_drift() == []


def test_breakdown_follows_status_changes_of_the_recommendations_acted_on():
    staff = StaffFactory()
    org = StakeholderFactory()
    acted_on = [RecommendationFactory() for _ in range(3)]
    RecommendationFactory()  # not acted on
    PublishedActionFactory(lead_stakeholder=org, recommendations=acted_on[:2])
    PublishedActionFactory(
        lead_stakeholder=StakeholderFactory(), partners=[org], recommendations=acted_on[1:]
    )
    set_status(acted_on[0], staff, new_status=RecommendationStatus.IMPLEMENTED)

    breakdown = selectors.stakeholder_status_breakdown(org)

    assert breakdown == {
        status: {
            RecommendationStatus.IMPLEMENTED: 1,
            RecommendationStatus.NO_INFORMATION: 2,
        }.get(status, 0)
        for status in RecommendationStatus.values
    }


@pytest.mark.parametrize("actions", [1, 3])
def test_stakeholder_page_breakdown_is_one_query_however_many_actions(
    client, django_assert_max_num_queries, actions
):
    org = StakeholderFactory(slug="org")
    for _ in range(actions):
        PublishedActionFactory(lead_stakeholder=org, recommendations=[RecommendationFactory()])

    with django_assert_max_num_queries(1) as captured:
        breakdown = selectors.stakeholder_status_breakdown(org)

    assert "tracker_actionrecommendation" not in captured.captured_queries[0]["sql"]
    assert sum(breakdown.values()) == actions
    assert client.get(reverse("dashboards:stakeholder-detail", args=["org"])).status_code == 200
