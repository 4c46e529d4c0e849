"""Civil-society assessments in review through the API with tokens: contributors write, edit,
submit and withdraw their organisation's; staff publish or return them (never their own
organisation's). Each answer is checked with what was (or was not) written."""

import pytest

from gcm_tracker.tracker.enums import RecommendationStatus as Status
from gcm_tracker.tracker.enums import ReviewState
from gcm_tracker.tracker.models import Assessment, AssessmentSubmission, Membership
from tests.factories import (
    CountryFactory,
    RecommendationFactory,
    StaffFactory,
    submit_civil_society,
)

from .conftest import token_client

pytestmark = pytest.mark.django_db

LIST = "/api/v1/assessment-submissions/"


@pytest.fixture
def cell(db):
    return RecommendationFactory(reference="c-87"), CountryFactory(iso3="THA")


@pytest.fixture
def a_api(contributor_a):
    return token_client(contributor_a)


@pytest.fixture
def b_api(contributor_b):
    return token_client(contributor_b)


def _body(**overrides):
    return {
        "recommendation": "c-87",
        "country": "THA",
        "status": "limited_progress",
        "summary": "Applied in two provinces only.",
        "source_title": "Shadow report 2024",
        "effective_date": "2024-04-01",
    } | overrides


def test_submission_created_as_a_draft_seen_by_its_organisation_only(a_api, b_api, staff_api, cell):
    response = a_api.post(LIST, _body(), format="json")

    assert response.status_code == 201
    body = response.json()
    assert (body["organisation"], body["review_state"], body["version"]) == (
        "organisation-a",
        ReviewState.DRAFT,
        1,
    )
    assert [s["id"] for s in a_api.get(LIST).json()["results"]] == [body["id"]]
    assert b_api.get(LIST).json()["results"] == []
    assert staff_api.get(LIST).json()["results"] == []
    assert Assessment.objects.count() == 0


def test_submission_created_and_submitted_reaches_the_reviewers(a_api, staff_api, cell):
    created = a_api.post(LIST, _body(submit=True), format="json").json()

    queue = staff_api.get(LIST, {"review_state": "submitted"}).json()["results"]

    assert [(s["id"], s["review_state"]) for s in queue] == [(created["id"], "submitted")]


def test_submission_needs_a_token(api, cell):
    assert api.get(LIST).status_code == 401
    assert api.post(LIST, _body(), format="json").status_code == 401


def test_submission_for_another_organisation_is_refused(a_api, cell, organisation_b):
    response = a_api.post(LIST, _body(organisation="organisation-b"), format="json")

    assert (response.status_code, response.json()) == (
        403,
        {"detail": "You can only act for organisations you are a member of."},
    )
    assert AssessmentSubmission.objects.count() == 0


def test_submission_with_bad_content_answers_400(a_api, cell):
    response = a_api.post(LIST, _body(summary=" ", country="XXX"), format="json")

    assert response.status_code == 400
    assert sorted(response.json()) == ["country", "summary"]


def test_submission_edit_with_the_version_seen(a_api, cell, contributor_a):
    submission = submit_civil_society(*cell, contributor_a, submit=False)

    response = a_api.patch(
        f"{LIST}{submission.pk}/", {"status": "not_started", "version": 1}, format="json"
    )

    assert response.status_code == 200
    assert (response.json()["status"], response.json()["version"]) == (Status.NOT_STARTED, 2)


def test_submission_edit_with_a_stale_version_answers_409(a_api, cell, contributor_a):
    submission = submit_civil_society(*cell, contributor_a, submit=False)
    a_api.patch(f"{LIST}{submission.pk}/", {"summary": "First.", "version": 1}, format="json")

    response = a_api.patch(
        f"{LIST}{submission.pk}/", {"summary": "Second.", "version": 1}, format="json"
    )

    assert response.status_code == 409
    assert (response.json()["current"]["summary"], response.json()["current"]["version"]) == (
        "First.",
        2,
    )
    submission.refresh_from_db()
    assert submission.summary == "First."


def test_submission_edit_without_version_answers_400(a_api, cell, contributor_a):
    submission = submit_civil_society(*cell, contributor_a, submit=False)

    response = a_api.patch(f"{LIST}{submission.pk}/", {"summary": "Edited."}, format="json")

    assert (response.status_code, response.json()) == (
        400,
        {"version": ["This field is required."]},
    )


def test_submission_of_another_organisation_is_not_found(b_api, cell, contributor_a):
    submission = submit_civil_society(*cell, contributor_a, submit=False)

    response = b_api.patch(f"{LIST}{submission.pk}/", {"version": 1}, format="json")

    assert response.status_code == 404


def test_submission_submit_then_publish_makes_it_public(a_api, staff_api, api, cell, contributor_a):
    submission = submit_civil_society(*cell, contributor_a, submit=False)

    submitted = a_api.post(f"{LIST}{submission.pk}/submit/")
    published = staff_api.post(f"{LIST}{submission.pk}/publish/")

    assert (submitted.status_code, submitted.json()["review_state"]) == (200, "submitted")
    assert (published.status_code, published.json()["review_state"]) == (200, "published")
    public = api.get("/api/v1/assessments/", {"voice": "civil_society"}).json()["results"]
    assert [(a["country"], a["organisation"], a["status"]) for a in public] == [
        ("THA", "organisation-a", Status.LIMITED)
    ]


def test_submission_publish_by_a_reviewer_of_the_same_organisation_is_refused(
    cell, contributor_a, organisation_a
):
    reviewer = StaffFactory(username="staff-in-a")
    Membership.objects.create(user=reviewer, stakeholder=organisation_a)
    submission = submit_civil_society(*cell, contributor_a)

    response = token_client(reviewer).post(f"{LIST}{submission.pk}/publish/")

    assert (response.status_code, response.json()) == (
        403,
        {"detail": "You cannot review an assessment of an organisation you are a member of."},
    )
    assert Assessment.objects.count() == 0


def test_submission_published_twice_answers_409(staff_api, cell, contributor_a):
    submission = submit_civil_society(*cell, contributor_a)
    staff_api.post(f"{LIST}{submission.pk}/publish/")

    response = staff_api.post(f"{LIST}{submission.pk}/publish/")

    assert (response.status_code, response.json()) == (
        409,
        {"detail": "This assessment is “Published”, so it cannot be published."},
    )


def test_submission_return_with_a_reason(staff_api, a_api, cell, contributor_a):
    submission = submit_civil_society(*cell, contributor_a)

    response = staff_api.post(
        f"{LIST}{submission.pk}/return/", {"reason": "Name the source."}, format="json"
    )

    assert (response.json()["review_state"], response.json()["review_note"]) == (
        "returned",
        "Name the source.",
    )
    assert a_api.get(f"{LIST}{submission.pk}/").json()["review_note"] == "Name the source."


def test_submission_withdraw_deletes_a_draft(a_api, cell, contributor_a):
    submission = submit_civil_society(*cell, contributor_a, submit=False)

    response = a_api.delete(f"{LIST}{submission.pk}/")

    assert response.status_code == 204
    assert AssessmentSubmission.objects.count() == 0


@pytest.mark.parametrize("item_count", [1, 3])
def test_submission_list_query_count_is_constant(
    a_api, cell, contributor_a, django_assert_num_queries, item_count
):
    for _ in range(item_count):
        submit_civil_society(RecommendationFactory(), cell[1], contributor_a)
    a_api.get(LIST)

    # Queries: the token with its user (their permissions, may they review?, were read by the
    # first request and come from the cache: accounts.permissions), the page's count and its rows
    # (recommendation, country, organisation joined).
    with django_assert_num_queries(3):
        response = a_api.get(LIST)

    assert response.json()["count"] == item_count


# Submit and withdraw take the version too (optional: clients that send none work as before). ---


@pytest.mark.parametrize("step", ["submit", "withdraw"])
def test_submission_stale_submit_or_withdraw_answers_409_with_it_as_it_is(
    a_api, staff_api, cell, contributor_a, step
):
    submission = submit_civil_society(*cell, contributor_a, submit=False)
    url = f"{LIST}{submission.pk}/"
    assert a_api.post(f"{url}submit/", {"version": 1}, format="json").status_code == 200
    staff_api.post(f"{url}return/", {"reason": "Name the source."}, format="json")

    if step == "submit":
        response = a_api.post(f"{url}submit/", {"version": 1}, format="json")
    else:
        response = a_api.delete(f"{url}?version=1")

    submission.refresh_from_db()
    done = {"submit": "submitted", "withdraw": "withdrawn"}[step]
    assert response.status_code == 409
    assert response.json()["detail"] == (
        "This assessment changed after you opened it: it is now “Returned for changes”, version "
        f"3, so it was not {done}. Review it as it is now and try again."
    )
    assert response.json()["current"] == a_api.get(url).json()
    assert (submission.review_state, submission.version) == (ReviewState.RETURNED, 3)


def test_submission_withdraw_with_the_current_version_deletes_it(a_api, cell, contributor_a):
    submission = submit_civil_society(*cell, contributor_a, submit=False)

    response = a_api.delete(f"{LIST}{submission.pk}/?version=1")

    assert response.status_code == 204
    assert AssessmentSubmission.objects.count() == 0


def test_submission_submit_with_a_version_that_is_no_number_answers_400(a_api, cell, contributor_a):
    submission = submit_civil_society(*cell, contributor_a, submit=False)

    response = a_api.post(f"{LIST}{submission.pk}/submit/", {"version": "x"}, format="json")

    submission.refresh_from_db()
    assert (response.status_code, list(response.json())) == (400, ["version"])
    assert (submission.review_state, submission.version) == (ReviewState.DRAFT, 1)
