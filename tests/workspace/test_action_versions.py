"""Issue 14, item 6: follow-up actions carry a version, like statuses. Two contributors editing
the same draft: the second save is refused with 409 and the current state instead of silently
overwriting the first. Creating (or editing) and submitting in one step is one transaction."""

import pytest
from django.db import DatabaseError, connection
from django.urls import reverse

from gcm_tracker.tracker import services
from gcm_tracker.tracker.enums import ReviewState
from gcm_tracker.tracker.models import ActionEvidence, FollowUpAction
from tests.admin_forms import change_form_data
from tests.factories import (
    ContributorFactory,
    FollowUpActionFactory,
    StaffFactory,
    action_content,
)

pytestmark = pytest.mark.django_db


def test_hardening_6_stale_edit_in_the_workspace_answers_409_and_keeps_the_first(
    client, contributor_a, organisation_a, form_data
):
    colleague = ContributorFactory(username="colleague-a", organisation=organisation_a)
    action = FollowUpActionFactory(lead_stakeholder=organisation_a, title="Draft")
    url = reverse("workspace:action-edit", args=[action.pk])
    client.force_login(colleague)
    seen_by_colleague = client.get(url).context["form"]["version"].value()
    client.force_login(contributor_a)
    seen_by_a = client.get(url).context["form"]["version"].value()
    client.post(url, form_data | {"title": "A's edit", "version": seen_by_a})
    client.force_login(colleague)

    response = client.post(
        url, form_data | {"title": "Colleague's edit", "version": seen_by_colleague}
    )

    action.refresh_from_db()
    html = response.content.decode()
    assert (seen_by_colleague, seen_by_a) == (0, 0)
    assert response.status_code == 409
    assert (action.title, action.version) == ("A's edit", 1)
    assert "Someone else changed this action while you were editing" in html
    assert (
        "“A&#x27;s edit” was changed by someone else while you were editing it: it is now "
        "“Draft”, version 1. Nothing was saved; review it and try again."
    ) in html
    assert "Last changed by contributor-a on" in html
    # The colleague's entries stay in the form, which now carries the current version.
    form = response.context["form"]
    assert (form["title"].value(), form["version"].value()) == ("Colleague's edit", 1)


def test_hardening_6_saving_again_after_the_conflict_replaces_the_content(
    client, contributor_a, organisation_a, form_data
):
    action = FollowUpActionFactory(lead_stakeholder=organisation_a, title="Draft")
    url = reverse("workspace:action-edit", args=[action.pk])
    client.force_login(contributor_a)
    client.post(url, form_data | {"title": "First", "version": 0})
    conflict = client.post(url, form_data | {"title": "Second", "version": 0})

    again = client.post(url, conflict.context["form"].data)

    action.refresh_from_db()
    assert (conflict.status_code, again.status_code) == (409, 302)
    assert (action.title, action.version) == ("Second", 2)


def test_hardening_6_every_workflow_step_moves_the_version_on(contributor_a, organisation_a):
    reviewer = StaffFactory()
    action = services.follow_up_action_create(
        author=contributor_a, lead_stakeholder=organisation_a, content=action_content()
    )
    versions = [action.version]
    for step in [
        lambda a: services.follow_up_action_submit(action=a, author=contributor_a),
        lambda a: services.follow_up_action_return(action=a, reviewer=reviewer, reason="More."),
        lambda a: services.follow_up_action_update(
            action=a, author=contributor_a, content=action_content(), expected_version=a.version
        ),
        lambda a: services.follow_up_action_submit(action=a, author=contributor_a),
        lambda a: services.follow_up_action_publish(action=a, reviewer=reviewer),
    ]:
        action = step(action)
        versions.append(FollowUpAction.objects.get(pk=action.pk).version)

    assert versions == [0, 1, 2, 3, 4, 5]
    assert action.review_state == ReviewState.PUBLISHED


@pytest.fixture
def submission_fails():
    """The database refuses to store an action as submitted: a real failure of the submit step,
    made by a trigger that the test's transaction rolls back."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "CREATE FUNCTION test_refuse_submit() RETURNS trigger LANGUAGE plpgsql AS "
                "$$ BEGIN RAISE EXCEPTION 'submission refused by the test'; END $$"
            )
            cursor.execute(
                "CREATE TRIGGER test_refuse_submit BEFORE UPDATE ON tracker_followupaction "
                "FOR EACH ROW WHEN (NEW.review_state = 'submitted') "
                "EXECUTE FUNCTION test_refuse_submit()"
            )
        else:
            cursor.execute(
                "CREATE TRIGGER test_refuse_submit BEFORE UPDATE ON tracker_followupaction "
                "WHEN NEW.review_state = 'submitted' "
                "BEGIN SELECT RAISE(ABORT, 'submission refused by the test'); END"
            )


def test_hardening_6_create_and_submit_is_one_transaction(
    client, contributor_a, organisation_a, form_data, submission_fails
):
    client.force_login(contributor_a)

    with pytest.raises(DatabaseError, match="submission refused by the test"):
        client.post(
            reverse("workspace:action-create"),
            form_data | {"lead_stakeholder": organisation_a.pk, "submit": ""},
        )

    assert (
        FollowUpAction.objects.count(),
        ActionEvidence.objects.count(),
        FollowUpAction.history.count(),
        ActionEvidence.history.count(),
    ) == (0, 0, 0, 0)


def test_hardening_6_edit_and_submit_is_one_transaction(
    client, contributor_a, organisation_a, form_data, submission_fails
):
    action = FollowUpActionFactory(lead_stakeholder=organisation_a, title="Draft")
    client.force_login(contributor_a)

    with pytest.raises(DatabaseError, match="submission refused by the test"):
        client.post(
            reverse("workspace:action-edit", args=[action.pk]),
            form_data | {"title": "Edited", "version": 0, "submit": ""},
        )

    action.refresh_from_db()
    assert (action.title, action.version, action.review_state) == ("Draft", 0, ReviewState.DRAFT)
    assert FollowUpAction.history.filter(id=action.pk).count() == 1


def test_hardening_6_an_admin_edit_makes_a_contributors_open_form_stale(
    admin_client, client, contributor_a, organisation_a, form_data
):
    action = FollowUpActionFactory(lead_stakeholder=organisation_a, title="Draft")
    admin_url = reverse("admin:tracker_followupaction_change", args=[action.pk])
    admin_client.post(
        admin_url, change_form_data(admin_client.get(admin_url)) | {"title": "Admin's edit"}
    )
    client.force_login(contributor_a)

    response = client.post(
        reverse("workspace:action-edit", args=[action.pk]),
        form_data | {"title": "Contributor's edit", "version": 0},
    )

    action.refresh_from_db()
    assert response.status_code == 409
    assert (action.title, action.version) == ("Admin's edit", 1)


# Submit and withdraw name the version too: a button pressed on a stale page does nothing. ------


def _stale_step_page(client, contributor, action, step):
    """The detail page's submit form, or the withdraw page's, as `contributor` sees it now."""
    client.force_login(contributor)
    if step == "submit":
        page = client.get(reverse("workspace:action-detail", args=[action.pk]))
    else:
        page = client.get(reverse("workspace:action-withdraw", args=[action.pk]))
    html = page.content.decode()
    assert f'<input type="hidden" name="version" value="{action.version}">' in html
    return {"version": action.version}


@pytest.mark.parametrize("step", ["submit", "withdraw"])
def test_submit_or_withdraw_on_a_stale_page_answers_409_and_changes_nothing(
    client, contributor_a, organisation_a, refused_as_stale, step
):
    action = FollowUpActionFactory(lead_stakeholder=organisation_a, title="Draft")
    seen = _stale_step_page(client, contributor_a, action, step)
    # Meanwhile it was submitted and returned: a second, stale press must not act on it again.
    reviewer = StaffFactory()
    services.follow_up_action_submit(action=action, author=contributor_a)
    services.follow_up_action_return(action=action, reviewer=reviewer, reason="Add a source.")
    history = action.history.count()

    response = client.post(reverse(f"workspace:action-{step}", args=[action.pk]), seen)

    action.refresh_from_db()
    done = {"submit": "submitted", "withdraw": "withdrawn"}[step]
    html = refused_as_stale(
        response,
        "This action changed after you opened it",
        f"“Draft” changed after you opened it: it is now “Returned for changes”, version 2, so "
        f"it was not {done}. Review it as it is now and try again.",
        version=2,
    )
    assert f"Last changed by {reviewer.username} on" in html
    assert (action.review_state, action.version, action.history.count()) == (
        ReviewState.RETURNED,
        2,
        history,
    )


@pytest.mark.parametrize("step", ["submit", "withdraw"])
def test_submit_or_withdraw_with_the_version_seen_goes_ahead(
    client, contributor_a, organisation_a, step
):
    action = FollowUpActionFactory(lead_stakeholder=organisation_a)
    seen = _stale_step_page(client, contributor_a, action, step)

    response = client.post(reverse(f"workspace:action-{step}", args=[action.pk]), seen)

    assert response.status_code == 302
    assert list(FollowUpAction.objects.values_list("review_state", flat=True)) == (
        [ReviewState.SUBMITTED] if step == "submit" else []
    )


@pytest.mark.parametrize("step", ["submit", "withdraw"])
def test_submit_or_withdraw_with_a_version_that_is_no_number_answers_400(
    client, contributor_a, organisation_a, step
):
    action = FollowUpActionFactory(lead_stakeholder=organisation_a)
    client.force_login(contributor_a)

    response = client.post(reverse(f"workspace:action-{step}", args=[action.pk]), {"version": "x"})

    action.refresh_from_db()
    assert response.status_code == 400
    assert (action.review_state, action.version) == (ReviewState.DRAFT, 0)
