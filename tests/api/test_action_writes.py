"""Follow-up actions through the API with tokens: contributors record, edit, submit and withdraw
their organisation's actions; staff publish or return them. Each answer is checked with what was
(or was not) written, through the same services as the contributor area's forms."""

import datetime

import pytest
from django.core import mail

from gcm_tracker.tracker.enums import ReviewState
from gcm_tracker.tracker.models import FollowUpAction, Membership, Recommendation, StatusChange
from tests.factories import (
    CountryFactory,
    FollowUpActionFactory,
    PublishedActionFactory,
    RecommendationFactory,
    StakeholderFactory,
)

from .conftest import token_client

pytestmark = pytest.mark.django_db


@pytest.fixture
def links(db):
    """The rows an action names: two recommendations, two countries, a partner organisation."""
    return {
        "recommendations": [
            RecommendationFactory(reference="c-87"),
            RecommendationFactory(reference="c-88"),
        ],
        "countries": [CountryFactory(iso3="THA"), CountryFactory(iso3="MMR")],
        "partner": StakeholderFactory(slug="unicef"),
    }


@pytest.fixture
def a_api(contributor_a):
    return token_client(contributor_a)


@pytest.fixture
def b_api(contributor_b):
    return token_client(contributor_b)


def _body(**overrides) -> dict:
    return {
        "title": "Training of border officials",
        "description": "Two-day training on child-sensitive procedures.",
        "action_type": "training",
        "progress": "completed",
        "start_date": "2021-05-03",
        "end_date": "2021-05-04",
        "recommendations": ["c-87", "c-88"],
        "countries": ["THA", "MMR"],
        "partners": ["unicef"],
        "evidence_urls": ["https://example.org/report"],
    } | overrides


def _draft(organisation, **fields) -> FollowUpAction:
    """An action of `organisation`, a draft unless `review_state` says otherwise."""
    if fields.get("review_state") == ReviewState.PUBLISHED:
        return PublishedActionFactory(lead_stakeholder=organisation, **fields)
    return FollowUpActionFactory(lead_stakeholder=organisation, **fields)


def _url(action, step="") -> str:
    return f"/api/v1/actions/{action.pk}/" + (f"{step}/" if step else "")


def _public_ids(api) -> list[int]:
    return [a["id"] for a in api.get("/api/v1/actions/").json()["results"]]


def test_contributor_creates_and_submits_staff_publishes_and_the_public_sees_it(
    api, a_api, staff_api, contributor_a, organisation_a, links, django_capture_on_commit_callbacks
):
    created = a_api.post("/api/v1/actions/", _body(), format="json")
    action = FollowUpAction.objects.get()
    hidden_while_draft = _public_ids(api)
    submitted = a_api.post(_url(action, "submit"))
    with django_capture_on_commit_callbacks(execute=True):
        published = staff_api.post(_url(action, "publish"))

    assert (created.status_code, submitted.status_code, published.status_code) == (201, 200, 200)
    assert created.headers["Location"] == f"/api/v1/actions/{action.pk}/"
    assert (created.json()["review_state"], submitted.json()["review_state"]) == (
        "draft",
        "submitted",
    )
    assert hidden_while_draft == []
    assert _public_ids(api) == [action.pk]
    public = api.get(_url(action)).json()
    assert {key: public[key] for key in _body() if key != "evidence_urls"} == {
        key: value for key, value in _body().items() if key != "evidence_urls"
    } | {"recommendations": ["c-87", "c-88"], "countries": ["MMR", "THA"]}
    assert (public["lead_stakeholder"], public["review_state"], public["evidence"]) == (
        "organisation-a",
        "published",
        [{"url": "https://example.org/report", "title": ""}],
    )
    action.refresh_from_db()
    assert (action.created_by, action.lead_stakeholder, action.review_state) == (
        contributor_a,
        organisation_a,
        ReviewState.PUBLISHED,
    )
    assert [r.published_action_count for r in Recommendation.objects.order_by("reference")] == [
        1,
        1,
    ]
    assert [m.to for m in mail.outbox] == [[contributor_a.email]]


def test_second_status_change_with_the_version_first_read_answers_409(staff_api, links):
    url = "/api/v1/recommendations/c-87/status/"
    body = {"status": "limited_progress", "reason": "A pilot started.", "version": 0}

    first = staff_api.post(url, body, format="json")
    second = staff_api.post(url, body | {"status": "implemented"}, format="json")

    assert (first.status_code, second.status_code) == (201, 409)
    assert (second.json()["status"], second.json()["version"]) == ("limited_progress", 1)
    assert StatusChange.objects.count() == 1


# Read-only fields -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("review_state", "published"),
        ("published_at", "2021-01-01T00:00:00Z"),
        ("review_note", "Fine."),
        ("id", 99),
        ("created_by", 1),
        ("reviewed_by", 1),
        ("version", 3),
    ],
)
def test_create_refuses_a_read_only_field_and_writes_nothing(a_api, links, field, value):
    response = a_api.post("/api/v1/actions/", _body(**{field: value}), format="json")

    assert (response.status_code, response.json()) == (400, {field: ["This field is read-only."]})
    assert FollowUpAction.objects.count() == 0


def test_create_refuses_an_unknown_field(a_api, links):
    response = a_api.post("/api/v1/actions/", _body(colour="red"), format="json")

    assert (response.status_code, response.json()) == (400, {"colour": ["Unknown field."]})
    assert FollowUpAction.objects.count() == 0


def test_edit_cannot_move_an_action_to_another_organisation(a_api, organisation_a, links):
    other = StakeholderFactory(slug="other")
    action = _draft(organisation_a, title="Kept")

    moved = a_api.patch(
        _url(action), {"lead_stakeholder": "other", "title": "New", "version": 0}, format="json"
    )
    same = a_api.patch(
        _url(action), {"lead_stakeholder": "organisation-a", "version": 0}, format="json"
    )

    assert (moved.status_code, moved.json()) == (
        400,
        {"lead_stakeholder": ["An action stays with the organisation that recorded it."]},
    )
    assert same.status_code == 200
    action.refresh_from_db()
    assert (action.lead_stakeholder, action.title) == (organisation_a, "Kept")
    assert other.led_actions.count() == 0


# The organisation an action is recorded for ----------------------------------------------------


def test_contributor_of_one_organisation_may_leave_it_out(a_api, organisation_a, links):
    response = a_api.post("/api/v1/actions/", _body(), format="json")

    assert (response.status_code, response.json()["lead_stakeholder"]) == (201, "organisation-a")


def test_contributor_of_two_organisations_must_name_one(
    a_api, contributor_a, organisation_b, links
):
    Membership.objects.create(user=contributor_a, stakeholder=organisation_b)

    unnamed = a_api.post("/api/v1/actions/", _body(), format="json")
    named = a_api.post("/api/v1/actions/", _body(lead_stakeholder="organisation-b"), format="json")

    assert (unnamed.status_code, unnamed.json()) == (
        400,
        {
            "lead_stakeholder": [
                "You are a member of several organisations: say which one it is for."
            ]
        },
    )
    assert (named.status_code, named.json()["lead_stakeholder"]) == (201, "organisation-b")
    assert list(FollowUpAction.objects.values_list("lead_stakeholder__slug", flat=True)) == [
        "organisation-b"
    ]


def test_contributor_cannot_record_for_another_organisation(a_api, organisation_b, links):
    response = a_api.post(
        "/api/v1/actions/", _body(lead_stakeholder="organisation-b"), format="json"
    )

    assert (response.status_code, response.json()) == (
        403,
        {"detail": "You can only act for organisations you are a member of."},
    )
    assert FollowUpAction.objects.count() == 0


def test_user_of_no_organisation_cannot_record(staff_api, outsider_api, links):
    for client in [staff_api, outsider_api]:
        response = client.post("/api/v1/actions/", _body(), format="json")

        assert (response.status_code, response.json()) == (
            403,
            {"detail": "You are not a member of any organisation yet."},
        )
    assert FollowUpAction.objects.count() == 0


def test_anonymous_client_cannot_write(api, organisation_a, links):
    action = _draft(organisation_a)
    answers = [
        api.post("/api/v1/actions/", _body(), format="json").status_code,
        api.patch(_url(action), {"title": "X"}, format="json").status_code,
        api.delete(_url(action)).status_code,
        api.post(_url(action, "submit")).status_code,
        api.post(_url(action, "publish")).status_code,
    ]

    assert answers == [401] * 5
    assert (FollowUpAction.objects.get().review_state, FollowUpAction.objects.get().title) == (
        ReviewState.DRAFT,
        action.title,
    )


# Invalid content -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("overrides", "errors"),
    [
        (
            {"recommendations": ["c-87", "c-999"]},
            {"recommendations": ["No recommendation has the reference “c-999”."]},
        ),
        (
            {"countries": ["XXX"]},
            {"countries": ["No country has the ISO 3166 alpha-3 code “XXX”."]},
        ),
        ({"partners": ["nobody"]}, {"partners": ["No stakeholder has the slug “nobody”."]}),
        (
            {"recommendations": []},
            {"recommendations": ["Choose at least one recommendation it is about."]},
        ),
        (
            {"end_date": "2021-05-01"},
            {"end_date": ["The end date cannot be before the start date."]},
        ),
        ({"title": "   "}, {"title": ["This field may not be blank."]}),
        ({"action_type": "party"}, {"action_type": ['"party" is not a valid choice.']}),
        ({"evidence_urls": ["ftp://example.org/x"]}, None),
        ({"start_date": "yesterday"}, None),
        ({"recommendations": ["c-87"] * 101}, None),
    ],
)
def test_invalid_content_answers_400_naming_the_field_and_writes_nothing(
    a_api, links, overrides, errors
):
    response = a_api.post("/api/v1/actions/", _body(**overrides), format="json")

    assert response.status_code == 400
    assert list(response.json()) == list(overrides)
    if errors is not None:
        assert response.json() == errors
    assert FollowUpAction.objects.count() == 0


# Editing, submitting, withdrawing ------------------------------------------------------------


def test_patch_changes_only_what_it_sends(a_api, organisation_a, links):
    action = _draft(
        organisation_a,
        title="Old title",
        recommendations=links["recommendations"][:1],
        countries=links["countries"][:1],
    )

    response = a_api.patch(_url(action), {"title": "New title", "version": 0}, format="json")

    assert response.status_code == 200
    assert (response.json()["title"], response.json()["recommendations"]) == (
        "New title",
        ["c-87"],
    )
    assert (response.json()["countries"], response.json()["description"]) == (
        ["THA"],
        action.description,
    )


def test_put_replaces_the_content(a_api, organisation_a, links):
    action = _draft(organisation_a, title="Old title")

    response = a_api.put(
        _url(action), _body(partners=[], evidence_urls=[], version=0), format="json"
    )

    action.refresh_from_db()
    assert response.status_code == 200
    assert (action.title, action.end_date, list(action.partners.all())) == (
        "Training of border officials",
        datetime.date(2021, 5, 4),
        [],
    )
    assert sorted(action.countries.values_list("iso3", flat=True)) == ["MMR", "THA"]


def test_put_without_every_field_answers_400(a_api, organisation_a, links):
    action = _draft(organisation_a, title="Kept")

    response = a_api.put(_url(action), {"title": "New", "version": 0}, format="json")

    assert response.status_code == 400
    assert sorted(response.json()) == [
        "action_type",
        "countries",
        "description",
        "progress",
        "recommendations",
        "start_date",
    ]
    action.refresh_from_db()
    assert action.title == "Kept"


@pytest.mark.parametrize("state", [ReviewState.SUBMITTED, ReviewState.PUBLISHED])
def test_submitted_or_published_action_cannot_be_edited_or_withdrawn(
    a_api, organisation_a, links, state
):
    action = _draft(organisation_a, title="Kept", review_state=state)
    label = ReviewState(state).label

    edited = a_api.patch(_url(action), {"title": "New", "version": action.version}, format="json")
    withdrawn = a_api.delete(_url(action))
    resubmitted = a_api.post(_url(action, "submit"))

    assert (edited.status_code, edited.json()) == (
        409,
        {"detail": f"This action is “{label}”, so it cannot be edited."},
    )
    assert (withdrawn.status_code, resubmitted.status_code) == (409, 409)
    action.refresh_from_db()
    assert (action.title, action.review_state) == ("Kept", state)


def test_withdrawing_a_draft_deletes_it(a_api, organisation_a, links):
    action = _draft(organisation_a)

    response = a_api.delete(_url(action))

    assert (response.status_code, response.content) == (204, b"")
    assert FollowUpAction.objects.count() == 0


def test_other_organisation_gets_404_for_a_draft_and_403_for_a_published_action(
    b_api, organisation_a, links
):
    draft = _draft(organisation_a, title="Draft")
    published = PublishedActionFactory(lead_stakeholder=organisation_a, title="Published")

    answers = {
        "draft": [
            b_api.get(_url(draft)).status_code,
            b_api.patch(_url(draft), {"title": "X"}, format="json").status_code,
            b_api.delete(_url(draft)).status_code,
            b_api.post(_url(draft, "submit")).status_code,
        ],
        "published": [
            b_api.get(_url(published)).status_code,
            b_api.patch(_url(published), {"title": "X"}, format="json").status_code,
            b_api.delete(_url(published)).status_code,
        ],
    }

    assert answers == {"draft": [404, 404, 404, 404], "published": [200, 403, 403]}
    assert sorted(FollowUpAction.objects.values_list("title", flat=True)) == [
        "Draft",
        "Published",
    ]


# Who sees what ---------------------------------------------------------------------------------


@pytest.fixture
def one_of_each(organisation_a, organisation_b):
    """Organisation A's action in every review state, and B's draft."""
    return {
        state: _draft(organisation_a, title=f"A {state}", review_state=state, review_note="Why.")
        for state in ReviewState.values
    } | {"b-draft": _draft(organisation_b, title="B draft")}


@pytest.mark.parametrize(
    ("persona", "visible"),
    [
        ("anonymous", ["A published"]),
        ("outsider", ["A published"]),
        ("contributor_a", ["A draft", "A published", "A returned", "A submitted"]),
        ("contributor_b", ["A published", "B draft"]),
        ("staff", ["A published", "A returned", "A submitted"]),
    ],
)
def test_each_user_lists_what_they_are_entitled_to(
    api, one_of_each, contributor_a, contributor_b, staff, outsider, persona, visible
):
    users = {
        "outsider": outsider,
        "contributor_a": contributor_a,
        "contributor_b": contributor_b,
        "staff": staff,
    }
    client = token_client(users[persona]) if persona in users else api

    titles = [a["title"] for a in client.get("/api/v1/actions/").json()["results"]]

    assert sorted(titles) == visible


def test_reviewer_lists_what_waits_for_review(staff_api, one_of_each):
    response = staff_api.get("/api/v1/actions/", {"review_state": "submitted"})

    assert [a["title"] for a in response.json()["results"]] == ["A submitted"]


def test_unpublished_actions_come_first_then_newest_published(a_api, organisation_a, links):
    older = PublishedActionFactory(lead_stakeholder=organisation_a, title="Older")
    newer = PublishedActionFactory(lead_stakeholder=organisation_a, title="Newer")
    older.published_at = newer.published_at - datetime.timedelta(days=1)
    older.save(update_fields=["published_at"])
    _draft(organisation_a, title="Draft")

    titles = [a["title"] for a in a_api.get("/api/v1/actions/").json()["results"]]

    assert titles == ["Draft", "Newer", "Older"]


# Review ----------------------------------------------------------------------------------------


def test_contributor_cannot_publish_or_return(a_api, organisation_a, links):
    action = _draft(organisation_a, review_state=ReviewState.SUBMITTED)

    published = a_api.post(_url(action, "publish"))
    returned = a_api.post(_url(action, "return"), {"reason": "No."}, format="json")

    assert (published.status_code, published.json()) == (
        403,
        {"detail": "You are not allowed to review follow-up actions."},
    )
    assert returned.status_code == 403
    action.refresh_from_db()
    assert action.review_state == ReviewState.SUBMITTED


def test_reviewer_cannot_see_or_publish_a_draft(staff_api, organisation_a, links):
    action = _draft(organisation_a)

    response = staff_api.post(_url(action, "publish"))

    assert response.status_code == 404
    action.refresh_from_db()
    assert action.review_state == ReviewState.DRAFT


def test_readme_says_reviewers_get_404_for_publishing_or_returning_a_draft(
    staff_api, organisation_a, links, settings
):
    # Item 24 of issue 14: the README promised 409; reviewers cannot see drafts, so it is 404.
    action = _draft(organisation_a)
    readme = " ".join((settings.BASE_DIR / "README.md").read_text(encoding="utf-8").split())

    published = staff_api.post(_url(action, "publish"))
    returned = staff_api.post(_url(action, "return"), {"reason": "Why?"}, format="json")

    assert (published.status_code, returned.status_code) == (404, 404)
    assert "so publishing or returning a draft answers 404." in readme
    assert "publishing a draft) answers 409" not in readme


def test_publishing_twice_answers_409_and_counts_once(staff_api, organisation_a, links):
    action = _draft(
        organisation_a,
        review_state=ReviewState.SUBMITTED,
        recommendations=links["recommendations"][:1],
    )

    first = staff_api.post(_url(action, "publish"))
    second = staff_api.post(_url(action, "publish"))

    assert (first.status_code, second.status_code) == (200, 409)
    assert second.json() == {"detail": "This action is “Published”, so it cannot be published."}
    assert Recommendation.objects.get(reference="c-87").published_action_count == 1


def test_return_needs_a_reason_then_the_contributor_edits_and_resubmits(
    a_api, staff_api, contributor_a, organisation_a, links, django_capture_on_commit_callbacks
):
    action = _draft(organisation_a, review_state=ReviewState.SUBMITTED)
    action.created_by = contributor_a
    action.save(update_fields=["created_by"])

    no_reason = staff_api.post(_url(action, "return"), {"reason": " "}, format="json")
    with django_capture_on_commit_callbacks(execute=True):
        returned = staff_api.post(
            _url(action, "return"), {"reason": "Add evidence."}, format="json"
        )
    edited = a_api.patch(
        _url(action),
        {"evidence_urls": ["https://example.org/evidence"], "version": returned.json()["version"]},
        format="json",
    )
    resubmitted = a_api.post(_url(action, "submit"))

    assert (no_reason.status_code, no_reason.json()) == (
        400,
        {"reason": ["This field may not be blank."]},
    )
    assert (returned.status_code, returned.json()["review_state"]) == (200, "returned")
    assert returned.json()["review_note"] == "Add evidence."
    assert (edited.status_code, resubmitted.json()["review_state"]) == (200, "submitted")
    assert [m.to for m in mail.outbox] == [[contributor_a.email]]


# Versions (issue 14, item 6) -------------------------------------------------------------------


def test_hardening_6_stale_api_edit_answers_409_with_the_action_as_it_is(
    a_api, organisation_a, links
):
    action = _draft(organisation_a, title="Old title")

    first = a_api.patch(_url(action), {"title": "First", "version": 0}, format="json")
    second = a_api.patch(_url(action), {"title": "Second", "version": 0}, format="json")

    action.refresh_from_db()
    assert (first.status_code, first.json()["version"]) == (200, 1)
    assert second.status_code == 409
    assert second.json()["detail"] == (
        "“First” was changed by someone else while you were editing it: it is now “Draft”, "
        "version 1. Nothing was saved; review it and try again."
    )
    assert second.json()["current"] == a_api.get(_url(action)).json()
    assert (second.json()["current"]["title"], action.title, action.version) == (
        "First",
        "First",
        1,
    )


def test_hardening_6_api_edit_without_a_version_answers_400(a_api, organisation_a, links):
    action = _draft(organisation_a, title="Kept")

    patched = a_api.patch(_url(action), {"title": "New"}, format="json")
    put = a_api.put(_url(action), _body(), format="json")

    assert (patched.status_code, patched.json()) == (400, {"version": ["This field is required."]})
    assert (put.status_code, put.json()) == (400, {"version": ["This field is required."]})
    action.refresh_from_db()
    assert (action.title, action.version) == ("Kept", 0)


# Submit and withdraw take the version too (optional: clients that send none work as before). ---


def _stale_step(api, action, step, version):
    if step == "submit":
        return api.post(_url(action, "submit"), {"version": version}, format="json")
    return api.delete(f"{_url(action)}?version={version}")


@pytest.mark.parametrize("step", ["submit", "withdraw"])
def test_stale_submit_or_withdraw_answers_409_with_the_action_as_it_is(
    a_api, staff_api, organisation_a, links, step
):
    action = _draft(organisation_a, title="Draft")
    assert a_api.post(_url(action, "submit"), {"version": 0}, format="json").status_code == 200
    staff_api.post(_url(action, "return"), {"reason": "Add a source."}, format="json")
    history = action.history.count()

    response = _stale_step(a_api, action, step, 0)

    action.refresh_from_db()
    done = {"submit": "submitted", "withdraw": "withdrawn"}[step]
    assert response.status_code == 409
    assert response.json()["detail"] == (
        f"“Draft” changed after you opened it: it is now “Returned for changes”, version 2, so "
        f"it was not {done}. Review it as it is now and try again."
    )
    assert response.json()["current"] == a_api.get(_url(action)).json()
    assert (action.review_state, action.version, action.history.count()) == (
        ReviewState.RETURNED,
        2,
        history,
    )


@pytest.mark.parametrize("step", ["submit", "withdraw"])
def test_submit_or_withdraw_with_the_current_version_goes_ahead(a_api, organisation_a, links, step):
    action = _draft(organisation_a)

    response = _stale_step(a_api, action, step, 0)

    assert response.status_code == {"submit": 200, "withdraw": 204}[step]
    assert list(FollowUpAction.objects.values_list("review_state", flat=True)) == (
        [ReviewState.SUBMITTED] if step == "submit" else []
    )


@pytest.mark.parametrize("step", ["submit", "withdraw"])
@pytest.mark.parametrize("version", ["x", -1])
def test_submit_or_withdraw_with_a_bad_version_answers_400(
    a_api, organisation_a, links, step, version
):
    action = _draft(organisation_a)

    response = _stale_step(a_api, action, step, version)

    action.refresh_from_db()
    assert response.status_code == 400
    assert list(response.json()) == ["version"]
    assert (action.review_state, action.version) == (ReviewState.DRAFT, 0)
