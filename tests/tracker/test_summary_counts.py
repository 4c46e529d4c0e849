"""Issue 14, item 2: the summary counts stay equal to a fresh COUNT on every write path, and
`repair_counts` finds and repairs any that do not."""

import contextlib
import datetime
import io

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gcm_tracker.tracker import services
from gcm_tracker.tracker.enums import RecommendationStatus, ReviewState
from gcm_tracker.tracker.models import (
    Country,
    FollowUpAction,
    ObjectiveScopeCount,
    ObjectiveStatusCount,
    Recommendation,
    ScopeStatusCount,
    Stakeholder,
)
from gcm_tracker.tracker.services.counts import summary_count_drift
from tests.admin_forms import change_form_data
from tests.factories import (
    ContributorFactory,
    CountryFactory,
    ObjectiveFactory,
    PublishedActionFactory,
    RecommendationFactory,
    StaffFactory,
    StakeholderFactory,
    set_status,
)

pytestmark = pytest.mark.django_db


def test_hardening_2_admin_cannot_move_a_published_action_to_another_organisation(admin_client):
    """Moving a published action's lead organisation left both organisations' counts stale."""
    first, second = StakeholderFactory(), StakeholderFactory()
    action = PublishedActionFactory(lead_stakeholder=first)
    url = reverse("admin:tracker_followupaction_change", args=[action.pk])
    data = change_form_data(admin_client.get(url))

    response = admin_client.post(url, data | {"lead_stakeholder": second.pk, "title": "Renamed"})

    action.refresh_from_db()
    assert response.status_code == 302
    assert (action.title, action.lead_stakeholder) == ("Renamed", first)
    assert list(
        Stakeholder.objects.filter(pk__in=[first.pk, second.pk])
        .order_by("pk")
        .values_list("led_action_count", flat=True)
    ) == [1, 0]
    assert summary_count_drift() == []


@pytest.mark.parametrize(
    ("model_name", "field"),
    [
        ("actioncountry", "country"),
        ("actionpartner", "stakeholder"),
        ("actionrecommendation", "recommendation"),
    ],
)
def test_hardening_2_admin_cannot_add_links_to_a_published_action(admin_client, model_name, field):
    """The links a published action was counted by stay as they were: a row posted for an
    inline of a published action is ignored."""
    action = PublishedActionFactory()
    extra = {"country": CountryFactory, "stakeholder": StakeholderFactory}.get(
        field, RecommendationFactory
    )()
    url = reverse("admin:tracker_followupaction_change", args=[action.pk])
    page = admin_client.get(url)
    data = change_form_data(page)
    (formset,) = [
        inline.formset
        for inline in page.context["inline_admin_formsets"]
        if inline.formset.model._meta.model_name == model_name
    ]
    rows = int(data[f"{formset.prefix}-TOTAL_FORMS"])
    data |= {
        f"{formset.prefix}-TOTAL_FORMS": rows + 1,
        f"{formset.prefix}-{rows}-{field}": extra.pk,
        f"{formset.prefix}-{rows}-action": action.pk,
    }

    response = admin_client.post(url, data)

    assert response.status_code == 302
    assert formset.model.objects.filter(action=action, **{field: extra}).count() == 0
    assert summary_count_drift() == []


def _corrupt() -> tuple[Recommendation, Country, Stakeholder, ObjectiveStatusCount]:
    """A published action and a status change, then every kind of count set wrong behind the
    services' back (as a hand-written SQL fix might)."""
    objective = ObjectiveFactory(number=13)
    recommendation = RecommendationFactory(reference="c-1", objectives=[objective])
    country = CountryFactory(iso3="THA")
    partner = StakeholderFactory(slug="partner")
    PublishedActionFactory(
        lead_stakeholder=StakeholderFactory(slug="lead"),
        recommendations=[recommendation],
        countries=[country],
        partners=[partner],
    )
    set_status(recommendation, StaffFactory())
    Recommendation.objects.filter(pk=recommendation.pk).update(published_action_count=5)
    Country.objects.filter(pk=country.pk).update(published_action_count=0)
    Stakeholder.objects.filter(slug="lead").update(led_action_count=2)
    Stakeholder.objects.filter(slug="partner").update(partner_action_count=7)
    ObjectiveStatusCount.objects.filter(
        objective=objective, status=RecommendationStatus.LIMITED
    ).delete()
    ObjectiveStatusCount.objects.filter(
        objective=objective, status=RecommendationStatus.NO_INFORMATION
    ).update(count=3)
    return recommendation, country, partner, objective


WRONG = [
    "Recommendation c-1 published_action_count: is 5, should be 1",
    "Country THA published_action_count: is 0, should be 1",
    "Stakeholder lead led_action_count: is 2, should be 1",
    "Stakeholder partner partner_action_count: is 7, should be 1",
    "ObjectiveStatusCount objective 13 limited_progress: is 0, should be 1",
    "ObjectiveStatusCount objective 13 no_information: is 3, should be 0",
]


def test_hardening_2_repair_counts_check_lists_each_wrong_count_and_fails():
    _corrupt()
    out = io.StringIO()

    with pytest.raises(CommandError) as failure:
        call_command("repair_counts", "--check", stdout=out)

    assert out.getvalue().splitlines() == WRONG
    assert str(failure.value) == "6 summary counts are wrong; run repair_counts to repair them."
    # --check writes nothing.
    assert [str(d) for d in summary_count_drift()] == WRONG


def test_hardening_2_repair_counts_sets_every_wrong_count_to_a_fresh_count():
    objective = _corrupt()[3]
    out = io.StringIO()

    call_command("repair_counts", stdout=out)

    assert out.getvalue().splitlines() == [
        "Recommendation c-1 published_action_count: was 5, now 1",
        "Country THA published_action_count: was 0, now 1",
        "Stakeholder lead led_action_count: was 2, now 1",
        "Stakeholder partner partner_action_count: was 7, now 1",
        "ObjectiveStatusCount objective 13 limited_progress: was 0, now 1",
        "ObjectiveStatusCount objective 13 no_information: was 3, now 0",
        "Repaired 6 summary counts.",
    ]
    assert summary_count_drift() == []
    assert dict(
        ObjectiveStatusCount.objects.filter(objective=objective).values_list("status", "count")
    ) == {RecommendationStatus.NO_INFORMATION: 0, RecommendationStatus.LIMITED: 1}


def test_repair_counts_repairs_the_counts_by_scope():
    objective = ObjectiveFactory(number=4)
    RecommendationFactory(objectives=[objective])
    ScopeStatusCount.objects.filter(scope="escap", status="no_information").update(count=9)
    ObjectiveScopeCount.objects.filter(objective=objective).delete()
    out = io.StringIO()

    call_command("repair_counts", stdout=out)

    assert out.getvalue().splitlines() == [
        "ScopeStatusCount escap no_information: was 9, now 1",
        "ObjectiveScopeCount objective 4 escap: was 0, now 1",
        "Repaired 2 summary counts.",
    ]
    assert summary_count_drift() == []
    assert list(ScopeStatusCount.objects.values_list("scope", "status", "count")) == [
        ("escap", "no_information", 1)
    ]


def test_repair_counts_check_passes_when_every_count_is_right():
    PublishedActionFactory()
    out = io.StringIO()

    call_command("repair_counts", "--check", stdout=out)

    assert out.getvalue() == "Every summary count equals a fresh count.\n"


@pytest.fixture
def world(db):
    """What the random steps choose from: three organisations (a contributor each, one also a
    member of a second), recommendations sharing objectives, countries, a reviewer."""
    organisations = [StakeholderFactory(slug=f"org-{n}") for n in range(3)]
    contributors = [ContributorFactory(organisation=o) for o in organisations]
    services_member = contributors[0]
    services_member.memberships.create(stakeholder=organisations[1])
    objectives = [ObjectiveFactory(number=n) for n in (4, 8, 13)]
    return {
        "organisations": organisations,
        "contributors": contributors,
        "recommendations": [
            RecommendationFactory(objectives=objectives[n % 3 : n % 3 + 2]) for n in range(4)
        ],
        "objectives": objectives,
        "countries": [CountryFactory() for _ in range(3)],
        "reviewer": StaffFactory(),
    }


def _subset(items: list, bits: int) -> list:
    """A non-empty subset of `items`, chosen by the bits of `bits`."""
    chosen = [item for n, item in enumerate(items) if bits >> n & 1]
    return chosen or items[bits % len(items) : bits % len(items) + 1]


def _content(world, bits: int) -> services.ActionContent:
    return services.ActionContent(
        title=f"Action {bits}",
        description="What was done.",
        action_type="training",
        progress="ongoing",
        start_date=datetime.date(2021, 1, 1),
        recommendations=_subset(world["recommendations"], bits),
        countries=_subset(world["countries"], bits >> 4),
        partners=_subset(world["organisations"], bits >> 7)[: bits % 3 + 1],
    )


def _step(world, kind: str, which: int, bits: int) -> None:
    """One write, as the contributor area, the review queue, the status form or the admin's
    objectives inline would make it; a step the state does not allow is refused and changes
    nothing, as for a user."""
    # Mostly an action whose state allows the step, so that sequences get far; sometimes any
    # action, so that refused steps are tried too.
    states = {
        "edit": ReviewState.editable_states,
        "submit": ReviewState.editable_states,
        "withdraw": ReviewState.editable_states,
        "publish": [ReviewState.SUBMITTED],
        "return": [ReviewState.SUBMITTED],
    }
    actions = FollowUpAction.objects.order_by("pk")
    if kind in states and which % 5:
        actions = actions.filter(review_state__in=states[kind])
    actions = list(actions)
    action = actions[which % len(actions)] if actions else None
    author = action and action.lead_stakeholder.members.first()
    reviewer = world["reviewer"]
    if kind == "create":
        contributor = world["contributors"][which % 3]
        organisation = contributor.stakeholders.order_by("pk")[bits % 2 :].first()
        organisation = organisation or contributor.stakeholders.first()
        services.follow_up_action_create(
            author=contributor, lead_stakeholder=organisation, content=_content(world, bits)
        )
    elif kind == "status":
        recommendation = world["recommendations"][which % 4]
        recommendation.refresh_from_db()
        set_status(
            recommendation,
            reviewer,
            new_status=RecommendationStatus.values[bits % len(RecommendationStatus.values)],
        )
    elif kind == "relink":
        world["recommendations"][which % 4].objectives.set(_subset(world["objectives"], bits))
    elif action is None:
        return
    elif kind == "edit":
        services.follow_up_action_update(
            action=action,
            author=author,
            content=_content(world, bits),
            expected_version=action.version,
        )
    elif kind == "submit":
        services.follow_up_action_submit(action=action, author=author)
    elif kind == "publish":
        services.follow_up_action_publish(action=action, reviewer=reviewer)
    elif kind == "return":
        services.follow_up_action_return(action=action, reviewer=reviewer, reason="Say more.")
    elif kind == "withdraw":
        services.follow_up_action_withdraw(action=action, author=author)


STEPS = st.lists(
    st.tuples(
        st.sampled_from(
            ["create", "edit", "submit", "publish", "return", "withdraw", "status", "relink"]
        ),
        st.integers(0, 100),
        st.integers(0, 1023),
    ),
    max_size=30,
)


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(steps=STEPS)
def test_hardening_2_every_count_equals_a_fresh_count_after_any_sequence_of_steps(world, steps):
    """Random sequences of create, edit, submit, publish, return, withdraw, status changes and
    objective links keep every summary count equal to a fresh COUNT after every step."""
    with transaction.atomic():
        for kind, which, bits in steps:
            with contextlib.suppress(services.ActionStateError, services.StatusConflict):
                _step(world, kind, which, bits)
            assert (kind, summary_count_drift()) == (kind, [])
        published = FollowUpAction.objects.filter(review_state=ReviewState.PUBLISHED).count()
        assert sum(Stakeholder.objects.values_list("led_action_count", flat=True)) == published
        transaction.set_rollback(True)
