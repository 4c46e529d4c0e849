"""POST /api/v1/recommendations/<reference>/status/: staff with a token change a status through
recommendation_set_status(); everyone else, and every invalid or stale request, changes
nothing."""

import datetime

import pytest
from django.utils import timezone

from gcm_tracker.tracker.models import StatusChange
from tests.factories import RecommendationFactory, set_status

from .conftest import token_client

pytestmark = pytest.mark.django_db

REASON = "The national action plan of 2021 provides alternatives to detention."


@pytest.fixture
def recommendation(db):
    return RecommendationFactory(reference="c-87")


def _url(recommendation) -> str:
    return f"/api/v1/recommendations/{recommendation.reference}/status/"


def _body(**overrides):
    return {
        "status": "substantial_progress",
        "reason": REASON,
        "evidence_url": "https://example.org/plan",
        "effective_date": "2021-06-01",
        "version": 0,
    } | overrides


def _post(client, recommendation, **overrides):
    return client.post(_url(recommendation), _body(**overrides), format="json")


def _unchanged(recommendation) -> bool:
    recommendation.refresh_from_db()
    return (recommendation.status, recommendation.version, StatusChange.objects.count()) == (
        "no_information",
        0,
        0,
    )


def test_status_change_by_staff_answers_201_and_records_the_change(
    staff_api, staff, recommendation
):
    response = _post(staff_api, recommendation)

    change = StatusChange.objects.get()
    body = response.json()
    assert response.status_code == 201
    assert response.headers["Location"] == f"/api/v1/status-changes/{change.pk}/"
    assert (
        change.recommendation,
        change.old_status,
        change.new_status,
        change.reason,
        change.evidence_url,
        change.effective_date,
        change.changed_by,
    ) == (
        recommendation,
        "no_information",
        "substantial_progress",
        REASON,
        "https://example.org/plan",
        datetime.date(2021, 6, 1),
        staff,
    )
    assert body["status_change"] == {
        "id": change.pk,
        "url": f"http://testserver/api/v1/status-changes/{change.pk}/",
        "recommendation": "c-87",
        "old_status": "no_information",
        "new_status": "substantial_progress",
        "reason": REASON,
        "evidence_url": "https://example.org/plan",
        "effective_date": "2021-06-01",
        "changed_at": body["status_change"]["changed_at"],
    }
    assert (
        body["recommendation"]["reference"],
        body["recommendation"]["status"],
        body["recommendation"]["version"],
    ) == ("c-87", "substantial_progress", 1)


def test_status_change_effective_date_defaults_to_today(staff_api, recommendation):
    response = _post(staff_api, recommendation, effective_date=None)

    assert response.status_code == 201
    assert StatusChange.objects.get().effective_date == timezone.localdate()


def test_status_change_to_the_current_status_answers_200_and_writes_nothing(
    staff_api, recommendation
):
    response = _post(staff_api, recommendation, status="no_information")

    assert response.status_code == 200
    assert response.json()["status_change"] is None
    assert response.json()["recommendation"]["version"] == 0
    assert _unchanged(recommendation)


def test_status_change_with_an_old_version_answers_409_with_the_current_state(
    staff_api, staff, recommendation
):
    first = set_status(recommendation, staff, new_status="limited_progress")

    response = _post(staff_api, recommendation, version=0)

    assert response.status_code == 409
    assert response.json() == {
        "detail": "Recommendation c-87 was changed by someone else while you were editing it: "
        "its status is now “Limited progress”. Nothing was saved; review the current status and "
        "try again.",
        "reference": "c-87",
        "status": "limited_progress",
        "version": 1,
        "status_changed_at": first.changed_at.astimezone(
            datetime.timezone(datetime.timedelta(hours=7))
        ).isoformat(),
    }
    assert list(StatusChange.objects.all()) == [first]


def test_second_status_change_with_the_version_already_used_answers_409(staff_api, recommendation):
    first = _post(staff_api, recommendation, status="limited_progress", version=0)
    second = _post(staff_api, recommendation, status="implemented", version=0)

    assert (first.status_code, second.status_code) == (201, 409)
    assert (second.json()["status"], second.json()["version"]) == ("limited_progress", 1)
    assert StatusChange.objects.count() == 1


def test_status_change_without_a_token_answers_401(api, recommendation):
    response = _post(api, recommendation)

    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"] == "Token"
    assert response.json() == {"detail": "Authentication credentials were not provided."}
    assert _unchanged(recommendation)


def test_status_change_with_an_unknown_token_answers_401(api, recommendation):
    api.credentials(HTTP_AUTHORIZATION="Token 0123456789abcdef0123456789abcdef01234567")

    response = _post(api, recommendation)

    assert response.status_code == 401
    assert response.json() == {"detail": "Invalid token."}
    assert _unchanged(recommendation)


def test_status_change_with_the_token_of_a_deactivated_user_answers_401(staff, recommendation):
    client = token_client(staff)
    staff.is_active = False
    staff.save(update_fields=["is_active"])

    response = _post(client, recommendation)

    assert response.status_code == 401
    assert response.json() == {"detail": "User inactive or deleted."}
    assert _unchanged(recommendation)


def test_status_change_by_a_user_without_staff_rights_answers_403(outsider_api, recommendation):
    response = _post(outsider_api, recommendation)

    assert response.status_code == 403
    assert response.json() == {"detail": "You are not allowed to change implementation statuses."}
    assert _unchanged(recommendation)


def test_status_change_of_an_unknown_recommendation_answers_404(staff_api, db):
    response = staff_api.post(
        "/api/v1/recommendations/no-such-reference/status/", _body(), format="json"
    )

    assert response.status_code == 404
    assert response.json() == {"detail": "No recommendation has the reference “no-such-reference”."}


def test_status_change_without_reason_answers_400(staff_api, recommendation):
    body = _body()
    del body["reason"]

    response = staff_api.post(_url(recommendation), body, format="json")

    assert response.status_code == 400
    assert response.json() == {"reason": ["This field is required."]}
    assert _unchanged(recommendation)


def _tomorrow() -> str:
    return (timezone.localdate() + datetime.timedelta(days=1)).isoformat()


@pytest.mark.parametrize(
    ("overrides", "errors"),
    [
        ({"reason": "   "}, {"reason": ["This field may not be blank."]}),
        ({"status": "done"}, {"status": ['"done" is not a valid choice.']}),
        ({"version": -1}, {"version": ["Ensure this value is greater than or equal to 0."]}),
        ({"version": "one"}, {"version": ["A valid integer is required."]}),
        ({"evidence_url": "not a link"}, {"evidence_url": ["Enter a valid URL."]}),
        (
            {"effective_date": "1 June 2021"},
            {
                "effective_date": [
                    "Date has wrong format. Use one of these formats instead: YYYY-MM-DD."
                ]
            },
        ),
        # These pass the input serializer and are refused by the service, under the same names.
        (
            {"evidence_url": "ftp://example.org/plan"},
            {"evidence_url": ["Enter a full web address starting with http:// or https://."]},
        ),
        (
            {"effective_date": "2019-01-01"},
            {
                "effective_date": [
                    "The effective date cannot be before the consultation that made the "
                    "recommendation."
                ]
            },
        ),
        (
            {"effective_date": _tomorrow()},
            {"effective_date": ["The effective date cannot be in the future."]},
        ),
    ],
    ids=lambda value: "-".join(value) if isinstance(value, dict) else None,
)
def test_status_change_with_invalid_input_answers_400_naming_the_field(
    staff_api, recommendation, overrides, errors
):
    response = _post(staff_api, recommendation, **overrides)

    assert response.status_code == 400
    assert response.json() == errors
    assert _unchanged(recommendation)


def test_status_change_body_must_be_json(staff_api, recommendation):
    response = staff_api.post(
        _url(recommendation), "status=implemented", content_type="application/x-www-form-urlencoded"
    )

    assert response.status_code == 415
    assert _unchanged(recommendation)


def test_status_change_refuses_fields_a_client_may_not_set(staff_api, outsider, recommendation):
    response = _post(
        staff_api,
        recommendation,
        changed_by=outsider.pk,
        old_status="implemented",
        reference="another-reference",
        colour="red",
    )

    assert (response.status_code, response.json()) == (
        400,
        {
            "changed_by": ["This field is read-only."],
            "old_status": ["This field is read-only."],
            "reference": ["This field is read-only."],
            "colour": ["Unknown field."],
        },
    )
    assert _unchanged(recommendation)
