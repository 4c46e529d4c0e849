"""Several rows of every model a backup carries, written the way the application writes them
(services, so that history rows and summary counts exist too). Used by the backup round-trip
tests, in this process and, through `manage.py shell`, in another one.

Models a backup leaves out (export_data.EXCLUDED) and proxies are not filled here; any other
model with fewer than MIN_ROWS rows after populate() fails the tests, so a new model must be
added here before its backups are trusted.
"""

import datetime
from unittest import mock

from django.apps import apps
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from gcm_tracker.follow.models import ReminderSent, Subscription
from gcm_tracker.i18n import profiles
from gcm_tracker.tracker import enums, models, services
from gcm_tracker.tracker.services.tokens import api_token_create

from ..factories import (
    ConsultationFactory,
    ContributorFactory,
    CountryFactory,
    GoodPracticeFactory,
    ObjectiveFactory,
    RecommendationFactory,
    StaffFactory,
    StakeholderFactory,
    UserFactory,
    publish_civil_society,
    record_official,
    set_status,
)

MIN_ROWS = 2


def _axes_rows() -> None:
    from axes.models import AccessAttempt, AccessAttemptExpiration, AccessFailureLog, AccessLog

    common = {"user_agent": "Mozilla/5.0", "http_accept": "text/html", "path_info": "/"}
    for n in range(MIN_ROWS):
        address = f"192.0.2.{n + 1}"
        attempt = AccessAttempt.objects.create(
            username=f"guess-{n}",
            ip_address=address,
            get_data="",
            post_data="username=guess",
            failures_since_start=n + 1,
            **common,
        )
        AccessAttemptExpiration.objects.create(
            access_attempt=attempt, expires_at=timezone.now() + datetime.timedelta(minutes=15)
        )
        AccessFailureLog.objects.create(username=f"guess-{n}", ip_address=address, **common)
        AccessLog.objects.create(username=f"user-{n}", ip_address=address, **common)


def populate() -> None:
    """Add MIN_ROWS or more rows to every model that a backup carries."""
    objectives = [ObjectiveFactory(number=n) for n in (4, 8, 13)]
    countries = [CountryFactory(iso3=iso3) for iso3 in ("THA", "PHL", "NPL")]
    principles = [
        models.GuidingPrinciple.objects.get_or_create(letter=letter, defaults={"name": name})[0]
        for letter, name in (("a", "People-centred"), ("b", "International cooperation"))
    ]
    tags = [
        models.Tag.objects.get_or_create(
            slug=slug, defaults={"kind": enums.TagKind.THEME, "name": slug.title()}
        )[0]
        for slug in ("children", "gender")
    ]
    organisations = [StakeholderFactory(country=countries[n]) for n in range(3)]
    consultations = [ConsultationFactory() for _ in range(2)]
    for consultation in consultations:
        consultation.objectives.set(objectives[:2])
        consultation.organisers.set(organisations[:2])

    recommendations = [
        RecommendationFactory(consultation=consultations[n % 2], objectives=objectives[n % 2 :])
        for n in range(4)
    ]
    for recommendation in recommendations:
        recommendation.guiding_principles.set(principles)
        recommendation.tags.set(tags)
    for n in range(2):
        practice = GoodPracticeFactory(
            consultation=consultations[n], objectives=objectives[:2], countries=countries[:2]
        )
        practice.stakeholders.set(organisations[:2])

    staff = StaffFactory()
    reviewer = StaffFactory()
    for recommendation in recommendations[:3]:
        set_status(recommendation, staff)
        set_status(recommendation, reviewer, new_status=enums.RecommendationStatus.SUBSTANTIAL)

    # Two contributors of one organisation, one of two: several memberships and user-groups.
    author = ContributorFactory(organisation=organisations[0])
    other = ContributorFactory(organisation=organisations[1])
    models.Membership.objects.create(user=other, stakeholder=organisations[0])
    published_at = [timezone.now() - datetime.timedelta(days=2), timezone.now()]
    for n in range(3):
        action = services.follow_up_action_create(
            author=author,
            lead_stakeholder=organisations[0],
            content=services.ActionContent(
                title=f"Action {n}",
                description="Trained border officials on child-sensitive procedures.",
                action_type=enums.ActionType.TRAINING,
                progress=enums.ActionProgress.COMPLETED,
                start_date=datetime.date(2021, 5, 3),
                recommendations=recommendations[n : n + 2],
                countries=countries[:2],
                partners=organisations[1:],
                evidence_urls=[f"https://example.org/{n}/a.pdf", f"https://example.org/{n}/b"],
            ),
        )
        if n < 2:
            services.follow_up_action_submit(action=action, author=author)
            # Published on two days: two rows of actions published per day.
            with mock.patch.object(timezone, "now", return_value=published_at[n]):
                services.follow_up_action_publish(action=action, reviewer=reviewer)

    # The country dimension: scope areas, official and civil-society cells with their history
    # and submissions, and the roll-ups the services keep.
    services.recommendation_set_scope(
        recommendation=recommendations[3],
        scope=enums.RecommendationScope.SELECTED,
        subregions=[enums.Subregion.SOUTH_EAST_ASIA],
        countries=[countries[2]],
        changed_by=staff,
    )
    for n in range(MIN_ROWS):
        record_official(recommendations[n], countries[n], staff)
        publish_civil_society(recommendations[n], countries[0], author, reviewer)

    for n in range(MIN_ROWS):
        models.AccountRequest.objects.create(
            name=f"Requester {n}",
            email=f"requester{n}@example.org",
            organisation_name=f"Migrant Forum {n}",
            country=countries[n],
            message="We support migrant workers.",
        )

    # Django's own tables that a backup carries.
    group = Group.objects.create(name="Editors")
    Group.objects.create(name="Readers").permissions.add(
        *Permission.objects.filter(codename__in=["view_country", "view_tag"])
    )
    group.permissions.add(*Permission.objects.filter(codename__in=["change_tag", "add_tag"]))
    for user, language in zip(UserFactory.create_batch(2), ("fr", "zh-hans"), strict=True):
        user.user_permissions.add(*Permission.objects.filter(codename__in=["view_tag", "add_tag"]))
        api_token_create(user=user)
        profiles.save(user, language)
    for country in countries[:MIN_ROWS]:
        LogEntry.objects.create(
            user=staff,
            content_type=ContentType.objects.get_for_model(models.Country),
            object_id=str(country.pk),
            object_repr=str(country),
            action_flag=CHANGE,
            change_message="[]",
        )
    # Review meetings' named moments (labels on dates), as staff make them in the admin.
    for year in (2023, 2024):
        models.Snapshot.objects.create(
            slug=f"regional-review-{year}",
            name=f"Regional review {year}",
            date=datetime.date(year, 3, 12),
            note="Before the regional review meeting.",
            created_by=staff,
        )
    # Followers of lists (one waiting for confirmation, one confirmed) and the month's reminders.
    now = timezone.now()
    for n, confirmed in enumerate([None, now]):
        Subscription.objects.create(
            email=f"reader-{n}@example.org",
            view="recommendations",
            query=f"objective={n + 1}",
            frequency="weekly",
            confirmed_at=confirmed,
            last_sent_through=confirmed,
        )
    for audience in ("staff", "organisation:1"):
        ReminderSent.objects.create(audience=audience, month=datetime.date(2026, 12, 1))
    _axes_rows()


def row_counts() -> dict:
    """Rows per model, the many-to-many tables included; for the summary tables kept by
    triggers, which a restore rebuilds without their zeros, their non-zero counts."""
    counts = {
        model._meta.label: model._base_manager.count()
        for model in apps.get_models(include_auto_created=True)
    }
    counts["tracker.ObjectiveStatusCount"] = sorted(
        models.ObjectiveStatusCount.objects.exclude(count=0).values_list(
            "objective__number", "status", "count"
        )
    )
    counts["tracker.ScopeStatusCount"] = sorted(
        models.ScopeStatusCount.objects.exclude(count=0).values_list("scope", "status", "count")
    )
    counts["tracker.DisagreementCount"] = sorted(
        models.DisagreementCount.objects.exclude(count=0).values_list("voice", "count")
    )
    counts["tracker.RegionalChangeDayCount"] = sorted(
        (day.isoformat(), direction, n)
        for day, direction, n in models.RegionalChangeDayCount.objects.exclude(count=0).values_list(
            "day", "direction", "count"
        )
    )
    counts["tracker.RegionalChangeScopeDayCount"] = sorted(
        (day.isoformat(), direction, scope, n)
        for day, direction, scope, n in models.RegionalChangeScopeDayCount.objects.exclude(
            count=0
        ).values_list("day", "direction", "scope", "count")
    )
    counts["tracker.RegionalChangeObjectiveDayCount"] = sorted(
        (day.isoformat(), direction, number, n)
        for day, direction, number, n in models.RegionalChangeObjectiveDayCount.objects.exclude(
            count=0
        ).values_list("day", "direction", "objective__number", "count")
    )
    counts["tracker.AssessmentBlockCount"] = sorted(
        models.AssessmentBlockCount.objects.exclude(count=0).values_list("block", "count")
    )
    counts["tracker.RecommendationBlockCount"] = sorted(
        models.RecommendationBlockCount.objects.exclude(count=0).values_list("block", "count")
    )
    counts["tracker.SelectedAreaCount"] = sorted(
        (iso3 or "", subregion, n)
        for iso3, subregion, n in models.SelectedAreaCount.objects.exclude(count=0).values_list(
            "country__iso3", "subregion", "count"
        )
    )
    counts["tracker.PublishedActionCount"] = sorted(
        models.PublishedActionCount.objects.exclude(count=0).values_list("facet", "value", "count")
    )
    counts["tracker.PublishedActionObjectiveDayCount"] = sorted(
        (number, day.isoformat(), n)
        for number, day, n in models.PublishedActionObjectiveDayCount.objects.exclude(
            count=0
        ).values_list("objective", "utc_day", "count")
    )
    counts["tracker.ObjectiveScopeCount"] = sorted(
        models.ObjectiveScopeCount.objects.exclude(count=0).values_list(
            "objective__number", "scope", "count"
        )
    )
    return counts
