"""Item 14: four eyes. Nobody publishes or returns an action they created or that their
organisation leads (services, web, API); staff who are not superusers cannot grant themselves
memberships, nor anyone without the user-management permission; staff cannot edit an action
that is not yet published in the admin."""

import pytest
from django.contrib.auth.models import Permission
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from gcm_tracker.tracker.enums import ReviewState
from gcm_tracker.tracker.models import FollowUpAction, Membership
from gcm_tracker.tracker.services import follow_up_action_publish, follow_up_action_return
from tests.api.conftest import token_client
from tests.factories import (
    FollowUpActionFactory,
    RecommendationFactory,
    StaffFactory,
    StakeholderFactory,
    action_form_data,
)

pytestmark = pytest.mark.django_db

REFUSED = (
    "You cannot review an action you created or that your organisation leads; "
    "another reviewer must."
)


def _submitted(organisation, **fields) -> FollowUpAction:
    return FollowUpActionFactory(
        lead_stakeholder=organisation, review_state=ReviewState.SUBMITTED, **fields
    )


@pytest.fixture
def staff_member_a(organisation_a):
    """Staff who also belong to organisation A (as the finding's staff member made themselves)."""
    user = StaffFactory(username="staff-member-a")
    Membership.objects.create(user=user, stakeholder=organisation_a)
    return user


@pytest.mark.parametrize("step", ["publish", "return"])
def test_item_14_service_refuses_a_reviewer_who_created_the_action(staff, organisation_a, step):
    action = _submitted(organisation_a, created_by=staff)

    steps = {
        "publish": lambda: follow_up_action_publish(action=action, reviewer=staff),
        "return": lambda: follow_up_action_return(action=action, reviewer=staff, reason="Fix it."),
    }

    with pytest.raises(PermissionDenied, match="another reviewer must"):
        steps[step]()

    action.refresh_from_db()
    assert action.review_state == ReviewState.SUBMITTED


def test_item_14_service_refuses_a_reviewer_of_the_leading_organisation_even_a_superuser(
    staff_member_a, admin_user, organisation_a
):
    Membership.objects.create(user=admin_user, stakeholder=organisation_a)
    action = _submitted(organisation_a)

    refusals = []
    for reviewer in (staff_member_a, admin_user):
        with pytest.raises(PermissionDenied) as refused:
            follow_up_action_publish(action=action, reviewer=reviewer)
        refusals.append(str(refused.value))

    action.refresh_from_db()
    assert refusals == [REFUSED, REFUSED]
    assert action.review_state == ReviewState.SUBMITTED


def test_item_14_another_reviewer_publishes_it(staff, staff_member_a, organisation_a):
    action = _submitted(organisation_a, created_by=staff_member_a)

    follow_up_action_publish(action=action, reviewer=staff)

    action.refresh_from_db()
    assert (action.review_state, action.reviewed_by) == (ReviewState.PUBLISHED, staff)


def test_item_14_staff_member_creates_submits_but_cannot_publish_their_own_action_on_the_web(
    client, staff_member_a, organisation_a
):
    client.force_login(staff_member_a)
    client.post(
        reverse("workspace:action-create"),
        action_form_data(organisation_a, title="Our own action", submit="1"),
    )
    action = FollowUpAction.objects.get()

    publish = client.post(
        reverse("workspace:review-action", args=[action.pk]), {"publish": "1", "confirm": "on"}
    )
    give_back = client.post(
        reverse("workspace:review-action", args=[action.pk]), {"return": "1", "reason": "No."}
    )

    action.refresh_from_db()
    assert (publish.status_code, give_back.status_code) == (403, 403)
    assert (action.review_state, action.created_by) == (ReviewState.SUBMITTED, staff_member_a)


@pytest.mark.parametrize(("step", "body"), [("publish", {}), ("return", {"reason": "No."})])
def test_item_14_api_refuses_to_publish_or_return_an_own_organisations_action(
    staff_member_a, organisation_a, step, body
):
    action = _submitted(organisation_a)

    response = token_client(staff_member_a).post(
        f"/api/v1/actions/{action.pk}/{step}/", body, format="json"
    )

    action.refresh_from_db()
    assert (response.status_code, response.json()) == (403, {"detail": REFUSED})
    assert action.review_state == ReviewState.SUBMITTED


def _stakeholder_change(client, stakeholder, user):
    """The admin's stakeholder form with one new membership row for `user`, posted directly."""
    return client.post(
        reverse("admin:tracker_stakeholder_change", args=[stakeholder.pk]),
        {
            "name": stakeholder.name,
            "slug": stakeholder.slug,
            "kind": stakeholder.kind,
            "created_at_0": "2021-01-01",
            "created_at_1": "00:00:00",
            "memberships-TOTAL_FORMS": "1",
            "memberships-INITIAL_FORMS": "0",
            "memberships-MIN_NUM_FORMS": "0",
            "memberships-MAX_NUM_FORMS": "1000",
            "memberships-0-user": user.pk,
            "memberships-0-stakeholder": stakeholder.pk,
            "memberships-0-created_at_0": "2021-01-01",
            "memberships-0-created_at_1": "00:00:00",
        },
    )


def test_item_14_staff_cannot_add_themselves_to_an_organisation_through_the_admin(client, staff):
    stakeholder = StakeholderFactory(slug="udyama")
    client.force_login(staff)

    _stakeholder_change(client, stakeholder, staff)

    assert list(Membership.objects.filter(stakeholder=stakeholder)) == []


def test_item_14_staff_without_user_management_cannot_add_anyone(client, staff, outsider):
    stakeholder = StakeholderFactory(slug="udyama")
    client.force_login(staff)

    _stakeholder_change(client, stakeholder, outsider)

    assert list(Membership.objects.filter(stakeholder=stakeholder)) == []


def test_item_14_a_user_manager_adds_others_but_not_themselves(client, staff, outsider):
    staff.user_permissions.add(Permission.objects.get(codename="change_user"))
    stakeholder = StakeholderFactory(slug="udyama")
    client.force_login(staff)

    own = _stakeholder_change(client, stakeholder, staff)
    other = _stakeholder_change(client, stakeholder, outsider)

    assert own.status_code == 200
    assert own.context["inline_admin_formsets"][0].formset.non_form_errors() == [
        "You cannot change your own memberships; ask an administrator."
    ]
    assert other.status_code == 302
    assert [m.user for m in Membership.objects.filter(stakeholder=stakeholder)] == [outsider]


def test_item_14_an_administrator_may_add_themselves(admin_client, admin_user):
    stakeholder = StakeholderFactory(slug="udyama")

    response = admin_client.get(reverse("admin:tracker_stakeholder_change", args=[stakeholder.pk]))
    _stakeholder_change(admin_client, stakeholder, admin_user)

    assert response.status_code == 200
    assert [m.user for m in Membership.objects.filter(stakeholder=stakeholder)] == [admin_user]


@pytest.mark.parametrize("state", [ReviewState.DRAFT, ReviewState.SUBMITTED, ReviewState.RETURNED])
def test_item_14_staff_cannot_edit_an_unpublished_action_in_the_admin(
    client, staff, organisation_a, state
):
    action = FollowUpActionFactory(
        lead_stakeholder=organisation_a,
        review_state=state,
        review_note="Say where." if state == ReviewState.RETURNED else "",
        title="Contributor's words",
    )
    client.force_login(staff)
    url = reverse("admin:tracker_followupaction_change", args=[action.pk])

    page = client.get(url)
    post = client.post(url, {"title": "Staff's words"})

    action.refresh_from_db()
    assert (page.status_code, page.context["has_change_permission"]) == (200, False)
    assert post.status_code == 403
    assert action.title == "Contributor's words"


def test_item_14_an_action_added_in_the_admin_records_its_creator(admin_client, admin_user):
    organisation = StakeholderFactory(slug="udyama")
    recommendation = RecommendationFactory()
    url = reverse("admin:tracker_followupaction_add")
    # The inlines' prefixes as the admin names them; the first inline is the recommendations'.
    prefixes = [f.formset.prefix for f in admin_client.get(url).context["inline_admin_formsets"]]
    inline = {}
    for prefix in prefixes:
        inline |= {f"{prefix}-TOTAL_FORMS": "0", f"{prefix}-INITIAL_FORMS": "0"}
    inline |= {
        f"{prefixes[0]}-TOTAL_FORMS": "1",
        f"{prefixes[0]}-0-recommendation": recommendation.pk,
    }

    response = admin_client.post(
        url,
        {
            "title": "Added in the admin",
            "description": "By an administrator.",
            "lead_stakeholder": organisation.pk,
            "action_type": "training",
            "progress": "completed",
            "start_date": "2021-02-01",
            "created_at_0": "2021-02-01",
            "created_at_1": "00:00:00",
            **inline,
        },
    )

    action = FollowUpAction.objects.get()
    assert response.status_code == 302
    assert (action.created_by, list(action.recommendations.all())) == (
        admin_user,
        [recommendation],
    )
