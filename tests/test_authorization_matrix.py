"""Every route × method × persona, with the answer each must get.

Personas: anonymous, a contributor of organisation A (which owns the actions below), a contributor
of organisation B, ESCAP staff, and an administrator (superuser, member of no organisation).
A meta-test fails when a route is added without a row here.
"""

import pytest
from django.urls import get_resolver, reverse

from gcm_tracker.dashboards import open_data
from gcm_tracker.tracker.enums import ReviewState
from gcm_tracker.tracker.models import GuidingPrinciple, Membership, Snapshot
from gcm_tracker.tracker.services import api_token_create
from tests.factories import (
    ConsultationFactory,
    CountryFactory,
    FollowUpActionFactory,
    GoodPracticeFactory,
    ObjectiveFactory,
    PublishedActionFactory,
    RecommendationFactory,
    StaffFactory,
    StakeholderFactory,
    record_official,
    set_status,
    submit_civil_society,
)
from tests.routes import route_names

pytestmark = pytest.mark.django_db

PERSONAS = ["anonymous", "contributor_a", "contributor_b", "staff", "admin"]
SLUG = "border-governance-2020"


def everyone(code):
    return dict.fromkeys(PERSONAS, code)


def signed_in(anonymous, **codes):
    """`anonymous` for the anonymous persona; the others as given, defaulting to 200."""
    return {"anonymous": anonymous} | {p: codes.get(p, 200) for p in PERSONAS[1:]}


PUBLIC_PAGE = {"GET": everyone(200), "POST": everyone(405)}
OWNERS_ONLY = signed_in(302, contributor_b=404, staff=404, admin=404)
STAFF_ONLY = signed_in(302, contributor_a=403, contributor_b=403)
OPEN_DATA_REDIRECT = {"GET": everyone(302), "POST": everyone(405)}

API_RESOURCES = [
    "objective",
    "guiding-principle",
    "country",
    "stakeholder",
    "consultation",
    "recommendation",
    "status-change",
    "good-practice",
    "action",
]
# The public API is read-only but for the status change and the actions: writing to it answers
# 405, with or without a token.
API_UNSAFE = ["POST", "PUT", "PATCH", "DELETE"]
API_READ_ONLY = {"GET": everyone(200)} | dict.fromkeys(API_UNSAFE, everyone(405))
# Action writes need a token (401 first); a method a route does not have is then 405.
NEEDS_TOKEN_THEN_405 = signed_in(401, **dict.fromkeys(PERSONAS[1:], 405))
# A submitted action of organisation A: its contributors and reviewers see it; only A's
# contributors act on it, and as it is under review they get 409.
SUBMITTED_ACTION_WRITE = {
    "anonymous": 401,
    "contributor_a": 409,
    "contributor_b": 404,
    "staff": 403,
    "admin": 403,
}
# Official country assessments: staff with a token (an empty body is then a 400); GET is not a
# method of these routes.
OFFICIAL_WRITE = {
    "GET": {"anonymous": 401, "contributor_a": 403, "contributor_b": 403}
    | {"staff": 405, "admin": 405},
    "POST": {"anonymous": 401, "contributor_a": 403, "contributor_b": 403}
    | {"staff": 400, "admin": 400},
}
REVIEWERS_ONLY = signed_in(401, contributor_a=403, contributor_b=403)

# route name → (URL arguments, {method: {persona: status}}); every route has GET and POST, API
# routes that write also PUT, PATCH and DELETE. Writes send no data (an empty JSON object to the
# API): they check who gets through, not what a valid form does (the feature tests do that).
MATRIX = {
    "dashboards:dashboard": ([], PUBLIC_PAGE),
    # The public filters' searches (JSON, read-only, public data only): without a ?q= they
    # answer 400 to everyone (tests/dashboards/test_public_choosers.py).
    **{
        f"dashboards:choices-{kind}": ([], {"GET": everyone(400), "POST": everyone(405)})
        for kind in ["countries", "organisations", "themes", "consultations", "consultation-pages"]
    },
    "dashboards:recommendation-list": ([], PUBLIC_PAGE),
    "dashboards:recommendation-export": (["csv"], PUBLIC_PAGE),
    "dashboards:recommendation-detail": ([f"{SLUG}-26"], PUBLIC_PAGE),
    "dashboards:data-dictionary": ([], PUBLIC_PAGE),
    # The open-data files of a build made for the test (open_data_version).
    "dashboards:open-data-manifest": ([], PUBLIC_PAGE),
    "dashboards:open-data-latest": (["gcm-tracker-recommendations.csv"], OPEN_DATA_REDIRECT),
    "dashboards:open-data-file": (
        ["open_data_version", "gcm-tracker-recommendations.csv"],
        PUBLIC_PAGE,
    ),
    "dashboards:objective-list": ([], PUBLIC_PAGE),
    "dashboards:objective-detail": ([13], PUBLIC_PAGE),
    "dashboards:matrix": ([], PUBLIC_PAGE),
    "dashboards:matrix-export": (["csv"], PUBLIC_PAGE),
    "dashboards:disagreement-list": ([], PUBLIC_PAGE),
    "dashboards:country-list": ([], PUBLIC_PAGE),
    "dashboards:country-detail": (["THA"], PUBLIC_PAGE),
    "dashboards:stakeholder-list": ([], PUBLIC_PAGE),
    "dashboards:stakeholder-detail": (["icrc"], PUBLIC_PAGE),
    "dashboards:consultation-list": ([], PUBLIC_PAGE),
    "dashboards:consultation-detail": ([SLUG], PUBLIC_PAGE),
    "dashboards:consultation-report": ([SLUG], PUBLIC_PAGE),
    "dashboards:action-list": ([], PUBLIC_PAGE),
    # A published action; drafts and submitted ones answer 404 to everyone
    # (tests/dashboards/test_sharing_and_citing.py).
    "dashboards:action-detail": (["published"], PUBLIC_PAGE),
    "dashboards:good-practice-list": ([], PUBLIC_PAGE),
    "dashboards:good-practice-detail": ([f"{SLUG}-60"], PUBLIC_PAGE),
    "dashboards:feed-status-changes": ([], PUBLIC_PAGE),
    "dashboards:feed-actions": ([], PUBLIC_PAGE),
    "dashboards:feed-objective-status-changes": ([13], PUBLIC_PAGE),
    "dashboards:feed-objective-actions": ([13], PUBLIC_PAGE),
    "dashboards:feed-country-status-changes": (["THA"], PUBLIC_PAGE),
    # Briefing packs (anyone; asking is a POST with CSRF, rate-limited): an empty form is a 400;
    # "pack" is a ready pack of the world.
    "briefings:pack-form": ([], {"GET": everyone(200), "POST": everyone(400)}),
    "briefings:pack-status": (["pack"], PUBLIC_PAGE),
    "briefings:pack-download": (["pack"], PUBLIC_PAGE),
    # Following a list (anyone, no account): an empty sign-up is a 400; confirmation and
    # unsubscribe links that were not signed by the site are 404 whoever opens them.
    "follow:feed": (["recommendations"], PUBLIC_PAGE),
    "follow:subscribe": (["recommendations"], {"GET": everyone(200), "POST": everyone(400)}),
    "follow:confirm": (["forged"], {"GET": everyone(404), "POST": everyone(404)}),
    "follow:unsubscribe": (["forged"], {"GET": everyone(404), "POST": everyone(404)}),
    "dashboards:feed-country-actions": (["THA"], PUBLIC_PAGE),
    "dashboards:feed-country-assessments": (["THA"], PUBLIC_PAGE),
    "dashboards:changes": ([], PUBLIC_PAGE),
    "dashboards:feed-changes": ([], PUBLIC_PAGE),
    "dashboards:stale": ([], PUBLIC_PAGE),
    "dashboards:snapshot-list": ([], PUBLIC_PAGE),
    "dashboards:snapshot-compare": (["review-2024", "now"], PUBLIC_PAGE),
    # Without the two moments to compare, the form's redirect answers 400.
    "dashboards:snapshot-compare-form": ([], {"GET": everyone(400), "POST": everyone(405)}),
    "accounts:login": ([], {"GET": everyone(200), "POST": everyone(200)}),
    "accounts:logout": ([], {"GET": everyone(405), "POST": everyone(302)}),
    "accounts:password_change": ([], {"GET": signed_in(302), "POST": signed_in(302)}),
    "accounts:password_change_done": (
        [],
        {"GET": signed_in(302), "POST": signed_in(302, **dict.fromkeys(PERSONAS[1:], 405))},
    ),
    "accounts:password_reset": ([], {"GET": everyone(200), "POST": everyone(200)}),
    "accounts:password_reset_done": ([], {"GET": everyone(200), "POST": everyone(405)}),
    "accounts:password_reset_confirm": (
        ["MQ", "bad-token"],
        {"GET": everyone(200), "POST": everyone(200)},
    ),
    "accounts:password_reset_complete": ([], {"GET": everyone(200), "POST": everyone(405)}),
    "accounts:request": ([], {"GET": everyone(200), "POST": everyone(200)}),
    "accounts:api_token": ([], {"GET": signed_in(302), "POST": signed_in(302)}),
    # An empty choice is valid (no language): saved, then back to the page.
    "accounts:language": (
        [],
        {"GET": signed_in(302), "POST": signed_in(302, **dict.fromkeys(PERSONAS[1:], 302))},
    ),
    "workspace:home": ([], {"GET": signed_in(302), "POST": signed_in(302)}),
    "workspace:action-create": (
        [],
        {
            "GET": signed_in(302, staff=404, admin=404),
            "POST": signed_in(302, staff=404, admin=404),
        },
    ),
    "workspace:action-detail": (["draft"], {"GET": OWNERS_ONLY, "POST": OWNERS_ONLY}),
    "workspace:action-edit": (["draft"], {"GET": OWNERS_ONLY, "POST": OWNERS_ONLY}),
    "workspace:action-submit": (
        ["draft"],
        {
            "GET": signed_in(302, **dict.fromkeys(PERSONAS[1:], 405)),
            "POST": OWNERS_ONLY | {"contributor_a": 302},
        },
    ),
    "workspace:action-withdraw": (
        ["draft"],
        {"GET": OWNERS_ONLY, "POST": OWNERS_ONLY | {"contributor_a": 302}},
    ),
    # The choosers' searches (JSON, read-only): for members of an organisation and staff; without
    # a ?q= they answer 400 (a signed-in user who is neither gets 403: tests/workspace).
    **{
        f"workspace:choices-{kind}": (
            [],
            {
                "GET": signed_in(302, **dict.fromkeys(PERSONAS[1:], 400)),
                "POST": signed_in(302, **dict.fromkeys(PERSONAS[1:], 405)),
            },
        )
        for kind in ["recommendations", "countries", "partners", "organisations"]
    },
    "workspace:review-queue": ([], {"GET": STAFF_ONLY, "POST": STAFF_ONLY}),
    "workspace:review-action": (["submitted"], {"GET": STAFF_ONLY, "POST": STAFF_ONLY}),
    # Country assessments: contributors write their organisation's (staff and administrators
    # belong to none); the chooser is a GET form.
    "workspace:assessment-choose": (
        [],
        {
            "GET": signed_in(302, staff=404, admin=404),
            "POST": signed_in(302, **dict.fromkeys(PERSONAS[1:], 405)),
        },
    ),
    "workspace:assessment-create": (
        [f"{SLUG}-26", "THA"],
        {
            "GET": signed_in(302, staff=404, admin=404),
            "POST": signed_in(302, staff=404, admin=404),
        },
    ),
    "workspace:assessment-detail": (
        ["draft_submission"],
        {"GET": OWNERS_ONLY, "POST": OWNERS_ONLY},
    ),
    "workspace:assessment-edit": (["draft_submission"], {"GET": OWNERS_ONLY, "POST": OWNERS_ONLY}),
    "workspace:assessment-submit": (
        ["draft_submission"],
        {
            "GET": signed_in(302, **dict.fromkeys(PERSONAS[1:], 405)),
            "POST": OWNERS_ONLY | {"contributor_a": 302},
        },
    ),
    "workspace:assessment-withdraw": (
        ["draft_submission"],
        {"GET": OWNERS_ONLY, "POST": OWNERS_ONLY | {"contributor_a": 302}},
    ),
    "workspace:review-assessment": (
        ["submission"],
        {"GET": STAFF_ONLY, "POST": STAFF_ONLY},
    ),
    # Official assessments: staff (and administrators) only; empty forms are shown again.
    "workspace:official-choose": (
        [],
        {"GET": STAFF_ONLY, "POST": STAFF_ONLY | {"staff": 405, "admin": 405}},
    ),
    "workspace:official-record": ([f"{SLUG}-26", "THA"], {"GET": STAFF_ONLY, "POST": STAFF_ONLY}),
    "workspace:official-import": ([], {"GET": STAFF_ONLY, "POST": STAFF_ONLY}),
    "workspace:official-by-objective": ([], {"GET": STAFF_ONLY, "POST": STAFF_ONLY}),
    "workspace:recommendation-status": ([f"{SLUG}-26"], {"GET": STAFF_ONLY, "POST": STAFF_ONLY}),
    "ops:healthz": ([], PUBLIC_PAGE),
    "ops:readyz": ([], PUBLIC_PAGE),
    **{f"api:{name}-list": ([], API_READ_ONLY) for name in API_RESOURCES if name != "action"},
    "api:objective-detail": ([13], API_READ_ONLY),
    "api:guiding-principle-detail": (["d"], API_READ_ONLY),
    "api:country-detail": (["THA"], API_READ_ONLY),
    "api:stakeholder-detail": (["icrc"], API_READ_ONLY),
    "api:consultation-detail": ([SLUG], API_READ_ONLY),
    "api:recommendation-detail": ([f"{SLUG}-26"], API_READ_ONLY),
    "api:status-change-detail": (["status_change"], API_READ_ONLY),
    "api:good-practice-detail": ([f"{SLUG}-60"], API_READ_ONLY),
    # Contributors record actions (an empty body is a 400); staff and administrators belong to no
    # organisation, so they cannot.
    "api:action-list": (
        [],
        {
            "GET": everyone(200),
            "POST": signed_in(401, staff=403, admin=403, contributor_a=400, contributor_b=400),
        }
        | dict.fromkeys(["PUT", "PATCH", "DELETE"], NEEDS_TOKEN_THEN_405),
    ),
    "api:action-detail": (
        ["submitted"],
        {
            "GET": signed_in(404, contributor_b=404),
            "POST": NEEDS_TOKEN_THEN_405,
            # An empty body lacks the version that every edit sends: 400 before the state.
            "PUT": SUBMITTED_ACTION_WRITE | {"contributor_a": 400},
            "PATCH": SUBMITTED_ACTION_WRITE | {"contributor_a": 400},
            "DELETE": SUBMITTED_ACTION_WRITE,
        },
    ),
    "api:action-submit": (
        ["draft"],
        {
            "GET": everyone(405),
            "POST": signed_in(401, contributor_b=404, staff=404, admin=404),
        },
    ),
    # Staff publish first, so the administrator then finds it published.
    "api:action-publish": (
        ["submitted"],
        {
            "GET": everyone(405),
            "POST": signed_in(401, contributor_a=403, contributor_b=403, admin=409),
        },
    ),
    "api:action-return": (
        ["submitted"],
        {
            "GET": everyone(405),
            "POST": signed_in(401, contributor_a=403, contributor_b=403, staff=400, admin=400),
        },
    ),
    "api:api-root": ([], {"GET": everyone(200), "POST": everyone(405)}),
    "api:schema": ([], {"GET": everyone(200), "POST": everyone(405)}),
    "api:docs": ([], {"GET": everyone(200), "POST": everyone(405)}),
    "api:docs-interactive": ([], {"GET": everyone(200), "POST": everyone(405)}),
    # Token-authenticated: 401 without a token, 403 for contributors; staff and administrators
    # may change statuses (an empty body is then a 400), and GET is not a method of it.
    "api:recommendation-status": (
        [f"{SLUG}-26"],
        {
            "GET": {"anonymous": 401, "contributor_a": 403, "contributor_b": 403}
            | {"staff": 405, "admin": 405},
            "POST": {"anonymous": 401, "contributor_a": 403, "contributor_b": 403}
            | {"staff": 400, "admin": 400},
        },
    ),
    # Country assessments: read by anyone; staff record official ones with a token (an empty
    # body is a 400); the roll-ups need ?by= (400 without).
    "api:assessment-list": ([], API_READ_ONLY),
    "api:changes": ([], API_READ_ONLY),
    "api:snapshot-list": ([], API_READ_ONLY),
    "api:snapshot-detail": (["review-2024"], API_READ_ONLY),
    "api:assessment-detail": (["assessment"], API_READ_ONLY),
    "api:assessment-rollups": ([], {"GET": everyone(400), "POST": everyone(405)}),
    **{f"api:assessment-{name}": ([], OFFICIAL_WRITE) for name in ["official", "official-import"]},
    # Civil-society submissions need a token: an organisation's contributors see and write its
    # own, reviewers see those sent for review; staff and administrators belong to no
    # organisation, so they cannot write one. The submission below is organisation A's,
    # submitted (its edit with an empty body is a 400, its withdrawal a 409).
    "api:assessment-submission-list": (
        [],
        {
            "GET": signed_in(401),
            "POST": signed_in(401, staff=403, admin=403, contributor_a=400, contributor_b=400),
        }
        | dict.fromkeys(["PUT", "PATCH", "DELETE"], NEEDS_TOKEN_THEN_405),
    ),
    "api:assessment-submission-detail": (
        ["submission"],
        {
            "GET": signed_in(401, contributor_b=404),
            "POST": NEEDS_TOKEN_THEN_405,
            "PUT": NEEDS_TOKEN_THEN_405,
            "PATCH": SUBMITTED_ACTION_WRITE | {"contributor_a": 400},
            "DELETE": SUBMITTED_ACTION_WRITE,
        },
    ),
    "api:assessment-submission-submit": (
        ["draft_submission"],
        {
            "GET": signed_in(401, **dict.fromkeys(PERSONAS[1:], 405)),
            "POST": signed_in(401, contributor_b=404, staff=404, admin=404),
        },
    ),
    # Staff publish first, so the administrator then finds it published.
    "api:assessment-submission-publish": (
        ["submission"],
        {
            "GET": REVIEWERS_ONLY | {"staff": 405, "admin": 405},
            "POST": REVIEWERS_ONLY | {"admin": 409},
        },
    ),
    "api:assessment-submission-return": (
        ["submission"],
        {
            "GET": REVIEWERS_ONLY | {"staff": 405, "admin": 405},
            "POST": REVIEWERS_ONLY | {"staff": 400, "admin": 400},
        },
    ),
    "admin:index": (
        [],
        {
            "GET": signed_in(302, contributor_a=302, contributor_b=302),
            "POST": signed_in(302, contributor_a=302, contributor_b=302),
        },
    ),
}


def test_every_row_checks_get_and_post():
    assert [
        route for route, (_, answers) in MATRIX.items() if not {"GET", "POST"} <= set(answers)
    ] == []


def test_every_route_has_a_row_in_the_matrix():
    # The admin's own routes are Django's, guarded by its staff check; its index stands for them.
    routes = {
        name for name in route_names(get_resolver().url_patterns) if not name.startswith("admin:")
    }

    assert routes - set(MATRIX) == set()


@pytest.fixture
def world(staff, ready_pack):
    """The rows the URLs above name (lighter than the whole seed)."""
    objective = ObjectiveFactory(number=13)
    consultation = ConsultationFactory(slug=SLUG)
    recommendation = RecommendationFactory(
        consultation=consultation, paragraph=26, objectives=[objective]
    )
    GoodPracticeFactory(consultation=consultation, paragraph=60, objectives=[objective])
    GuidingPrinciple.objects.create(letter="d", name="Rule of law and due process")
    CountryFactory(iso3="THA")
    StakeholderFactory(slug="icrc")
    Snapshot.objects.create(slug="review-2024", name="Regional review 2024", date="2024-03-12")
    return {
        "pack": ready_pack,
        "status_change": set_status(recommendation, staff),
        "published": PublishedActionFactory(recommendations=[recommendation]),
        "assessment": record_official(recommendation, CountryFactory(iso3="THA"), staff).assessment,
    }


@pytest.fixture
def people(contributor_a, contributor_b, staff, admin_user):
    return {
        "contributor_a": contributor_a,
        "contributor_b": contributor_b,
        "staff": staff,
        "admin": admin_user,
    }


@pytest.mark.parametrize(
    ("route", "method"),
    [(route, method) for route, (_, answers) in sorted(MATRIX.items()) for method in answers],
)
def test_route_answers_each_persona_as_the_matrix_says(
    client, world, people, organisation_a, route, method
):
    args, expected = MATRIX[route]
    objects = world | {
        "draft": FollowUpActionFactory(lead_stakeholder=organisation_a),
        "submitted": FollowUpActionFactory(
            lead_stakeholder=organisation_a, review_state=ReviewState.SUBMITTED
        ),
        "submission": submit_civil_society(
            world["assessment"].recommendation, world["assessment"].country, people["contributor_a"]
        ),
        "draft_submission": submit_civil_society(
            world["assessment"].recommendation,
            world["assessment"].country,
            people["contributor_a"],
            submit=False,
        ),
    }
    if route.startswith("dashboards:open-data"):
        objects["open_data_version"] = open_data.build()["version"]
    url = reverse(
        route,
        args=[
            objects[a] if isinstance(objects.get(a), str) else objects[a].pk if a in objects else a
            for a in args
        ],
    )

    answers = {}
    # The owner goes last, so a request that changes the action cannot hide what others get.
    for persona in ["anonymous", "contributor_b", "staff", "admin", "contributor_a"]:
        client.logout()
        headers = {}
        if persona != "anonymous" and route.startswith("api:"):
            # The API knows tokens, not sessions.
            headers = {"Authorization": f"Token {api_token_create(user=people[persona])}"}
        elif persona != "anonymous":
            client.force_login(people[persona])
        if method != "GET" and route.startswith("api:"):
            response = client.generic(
                method, url, "{}", content_type="application/json", headers=headers
            )
        else:
            response = getattr(client, method.lower())(url, headers=headers)
        answers[persona] = response.status_code
        if response.streaming:  # a file response holds its file open until read to the end
            b"".join(response.streaming_content)

    assert answers == expected[method]


# Four eyes (issue 14, item 14): reviewers who belong to the organisation that leads a submitted
# action, or who created it, may not publish or return it, whatever the route; superusers
# included. Personas: staff who are members of organisation A, staff who created the action
# (member of no organisation), and an administrator who is a member of organisation A.
FOUR_EYES_PERSONAS = ["staff_member_a", "staff_author", "admin_member_a"]
FOUR_EYES = {
    ("workspace:review-action", "publish"): dict.fromkeys(FOUR_EYES_PERSONAS, 403),
    ("workspace:review-action", "return"): dict.fromkeys(FOUR_EYES_PERSONAS, 403),
    ("api:action-publish", "publish"): dict.fromkeys(FOUR_EYES_PERSONAS, 403),
    ("api:action-return", "return"): dict.fromkeys(FOUR_EYES_PERSONAS, 403),
}


@pytest.fixture
def four_eyes_people(organisation_a, django_user_model):
    member = StaffFactory(username="staff-member-a")
    admin_member = django_user_model.objects.create_superuser("admin-member-a", "am@example.org")
    for user in (member, admin_member):
        Membership.objects.create(user=user, stakeholder=organisation_a)
    return {
        "staff_member_a": member,
        "staff_author": StaffFactory(username="staff-author"),
        "admin_member_a": admin_member,
    }


@pytest.mark.parametrize(("route", "step"), sorted(FOUR_EYES))
def test_four_eyes_reviewers_of_their_own_work_are_refused(
    client, four_eyes_people, organisation_a, route, step
):
    action = FollowUpActionFactory(
        lead_stakeholder=organisation_a,
        review_state=ReviewState.SUBMITTED,
        created_by=four_eyes_people["staff_author"],
    )
    url = reverse(route, args=[action.pk])
    body = (
        {"publish": "1", "confirm": "on"}
        if step == "publish"
        else {"return": "1", "reason": "Say where."}
    )

    answers = {}
    for persona in FOUR_EYES_PERSONAS:
        client.logout()
        if route.startswith("api:"):
            key = api_token_create(user=four_eyes_people[persona])
            response = client.post(
                url,
                {"reason": "Say where."} if step == "return" else {},
                content_type="application/json",
                headers={"Authorization": f"Token {key}"},
            )
        else:
            client.force_login(four_eyes_people[persona])
            response = client.post(url, body)
        answers[persona] = response.status_code

    action.refresh_from_db()
    assert answers == FOUR_EYES[(route, step)]
    assert action.review_state == ReviewState.SUBMITTED
