"""Demo personas and a little published content for a newcomer's development database.

`python manage.py demo` (`make demo`) calls demo_build(): a staff member and two contributors of
two different organisations, each with a new random password, and, through the services the site
itself uses, a few statuses, follow-up actions (published, and one waiting for review) and
country assessments in both voices. Running it again reuses the accounts, gives them new
passwords and adds only what is missing; content that staff or anyone else changed since is left
alone (a status is set only on a recommendation whose status never changed).
"""

import datetime
import secrets
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone

from . import services
from .country_models import Assessment, AssessmentSubmission
from .enums import ActionProgress, ActionType, RecommendationScope, RecommendationStatus
from .models import Consultation, Country, FollowUpAction, Membership, Recommendation, Stakeholder
from .roles import CONTRIBUTORS, STAFF

CONSULTATION = "border-governance-2020"
ORGANISATIONS = ("aprrn", "apmm")
COUNTRIES = ("THA", "PHL")
STAFF_USERNAME = "demo-staff"
CONTRIBUTOR_USERNAMES = ("demo-contributor-1", "demo-contributor-2")


@dataclass(frozen=True)
class Persona:
    role: str
    username: str
    password: str
    organisation: str


def new_password() -> str:
    # 16 URL-safe characters: more than the 12 the validators ask for, and easy to copy.
    return secrets.token_urlsafe(12)


def _user(username: str, *, group: str, is_staff: bool = False):
    user, _created = get_user_model().objects.get_or_create(
        username=username, defaults={"email": f"{username}@example.org"}
    )
    user.is_active, user.is_staff = True, is_staff
    password = new_password()
    user.set_password(password)
    user.save()
    user.groups.add(Group.objects.get(name=group))
    return user, password


def _status(staff, recommendation, status, effective_date, reason) -> None:
    if recommendation.status_changed_at is None:
        services.recommendation_set_status(
            recommendation=recommendation,
            new_status=status,
            reason=reason,
            effective_date=effective_date,
            changed_by=staff,
            expected_version=recommendation.version,
        )


def _action(author, organisation, *, title, recommendation, country, progress, start, publish_by):
    if FollowUpAction.objects.filter(lead_stakeholder=organisation, title=title).exists():
        return
    action = services.follow_up_action_create(
        author=author,
        lead_stakeholder=organisation,
        content=services.ActionContent(
            title=title,
            description=f"{title}. (Made by manage.py demo; not real data.)",
            action_type=ActionType.TRAINING,
            progress=progress,
            start_date=start,
            recommendations=[recommendation],
            countries=[country],
        ),
        submit=True,
    )
    if publish_by is not None:
        services.follow_up_action_publish(action=action, reviewer=publish_by)


def _assessments(staff, contributor, organisation, recommendation, country) -> None:
    cell = {"recommendation": recommendation, "country": country}
    if not Assessment.objects.filter(**cell, stakeholder=None).exists():
        services.assessment_record_official(
            **cell,
            status=RecommendationStatus.SUBSTANTIAL,
            summary="The government reports a new screening procedure at its borders (demo).",
            source_title="Voluntary GCM review (demo)",
            effective_date=datetime.date(2024, 3, 1),
            recorded_by=staff,
            expected_version=None,
        )
    if not AssessmentSubmission.objects.filter(**cell, stakeholder=organisation).exists():
        submission = services.assessment_submission_create(
            author=contributor,
            stakeholder=organisation,
            **cell,
            status=RecommendationStatus.LIMITED,
            summary="Our monitoring finds the procedure applied at two crossings only (demo).",
            effective_date=datetime.date(2024, 9, 1),
            submit=True,
        )
        services.assessment_submission_publish(submission=submission, reviewer=staff)


@transaction.atomic
def demo_build() -> list[Persona]:
    """Create or reset the personas and add the demo content; returns the personas with their
    new passwords. Needs the seed data (load_seed)."""
    organisations = [Stakeholder.objects.get(slug=slug) for slug in ORGANISATIONS]
    countries = [Country.objects.get(iso3=iso3) for iso3 in COUNTRIES]
    consultation = Consultation.objects.get(slug=CONSULTATION)
    recommendations = list(
        Recommendation.objects.filter(
            consultation=consultation, scope=RecommendationScope.ESCAP
        ).order_by("paragraph", "sub_item")[:3]
    )

    staff, staff_password = _user(STAFF_USERNAME, group=STAFF, is_staff=True)
    personas = [Persona("staff", STAFF_USERNAME, staff_password, "")]
    contributors = []
    for username, organisation in zip(CONTRIBUTOR_USERNAMES, organisations, strict=True):
        user, password = _user(username, group=CONTRIBUTORS)
        Membership.objects.get_or_create(user=user, stakeholder=organisation)
        contributors.append(user)
        personas.append(Persona("contributor", username, password, organisation.name))

    today = timezone.localdate()
    _status(
        staff,
        recommendations[0],
        RecommendationStatus.LIMITED,
        datetime.date(2021, 6, 1),
        "Two member States report pilot screening procedures (demo).",
    )
    _status(
        staff,
        recommendations[1],
        RecommendationStatus.SUBSTANTIAL,
        today - datetime.timedelta(days=30),
        "A regional guideline was adopted (demo).",
    )
    _status(
        staff,
        recommendations[2],
        RecommendationStatus.NOT_STARTED,
        today - datetime.timedelta(days=240),
        "No member State reports work on it yet (demo).",
    )
    _action(
        contributors[0],
        organisations[0],
        title="Demo: training of border officials on screening",
        recommendation=recommendations[0],
        country=countries[0],
        progress=ActionProgress.COMPLETED,
        start=datetime.date(2021, 9, 13),
        publish_by=staff,
    )
    _action(
        contributors[1],
        organisations[1],
        title="Demo: legal aid desk for returning migrants",
        recommendation=recommendations[1],
        country=countries[1],
        progress=ActionProgress.ONGOING,
        start=datetime.date(2022, 2, 1),
        publish_by=staff,
    )
    # Left in the review queue, for the staff member to publish or return.
    _action(
        contributors[0],
        organisations[0],
        title="Demo: survey of detention alternatives",
        recommendation=recommendations[2],
        country=countries[0],
        progress=ActionProgress.PLANNED,
        start=today,
        publish_by=None,
    )
    _assessments(staff, contributors[0], organisations[0], recommendations[0], countries[0])
    return personas
