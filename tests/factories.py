"""Test data. Reference rows are got-or-created by natural key so factories compose freely."""

import datetime

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils import timezone

from gcm_tracker.tracker import enums, models, roles
from gcm_tracker.tracker.services import (
    ActionContent,
    assessment_record_official,
    assessment_submission_create,
    assessment_submission_publish,
    published_action_counts_add,
    recommendation_set_status,
)
from gcm_tracker.tracker.services.assessment_flags import assessment_flags_refresh

PASSWORD = "correct horse battery staple"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda user: f"{user.username}@example.org")
    password = factory.django.Password(PASSWORD)


class StaffFactory(UserFactory):
    """An ESCAP staff member: in the staff group, so they set statuses and review actions."""

    is_staff = True

    @factory.post_generation
    def role(user, create, extracted, **kwargs):
        if create:
            user.groups.add(Group.objects.get(name=roles.STAFF))


class ContributorFactory(UserFactory):
    """A civil society contributor, member of `organisation` (a new stakeholder by default)."""

    @factory.post_generation
    def organisation(user, create, extracted, **kwargs):
        if create:
            user.groups.add(Group.objects.get(name=roles.CONTRIBUTORS))
            models.Membership.objects.create(
                user=user, stakeholder=extracted or StakeholderFactory()
            )


class ObjectiveFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Objective
        django_get_or_create = ("number",)

    number = factory.Sequence(lambda n: n % 23 + 1)
    title = factory.LazyAttribute(lambda o: f"Objective title {o.number}")
    short_label = factory.LazyAttribute(lambda o: f"Label {o.number}")


class CountryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Country
        django_get_or_create = ("iso3",)

    iso3 = factory.Sequence(lambda n: "Q" + chr(65 + n // 26 % 26) + chr(65 + n % 26))
    name = factory.LazyAttribute(lambda c: f"Country {c.iso3}")
    short_name = factory.SelfAttribute("name")
    subregion = enums.Subregion.SOUTH_EAST_ASIA
    membership = enums.EscapMembership.MEMBER


class StakeholderFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Stakeholder
        django_get_or_create = ("slug",)

    slug = factory.Sequence(lambda n: f"organisation-{n}")
    name = factory.LazyAttribute(lambda s: s.slug.replace("-", " ").title())
    kind = enums.StakeholderKind.CIVIL_SOCIETY


class ConsultationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Consultation
        django_get_or_create = ("slug",)

    slug = factory.Sequence(lambda n: f"consultation-{n}")
    title = factory.LazyAttribute(lambda c: f"Consultation {c.slug}")
    date = datetime.date(2020, 11, 19)
    format = enums.MeetingFormat.VIRTUAL


class RecommendationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Recommendation
        skip_postgeneration_save = True

    consultation = factory.SubFactory(ConsultationFactory)
    paragraph = factory.Sequence(lambda n: n + 1)
    reference = factory.LazyAttribute(
        lambda r: models.Recommendation.reference_for(r.consultation, r.paragraph)
    )
    text = factory.Sequence(lambda n: f"Governments should do thing number {n}.")

    @factory.post_generation
    def objectives(recommendation, create, extracted, **kwargs):
        if create:
            recommendation.objectives.add(*(extracted or [ObjectiveFactory()]))


class FollowUpActionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.FollowUpAction
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Action {n}")
    description = "Trained border officials on child-sensitive procedures."
    lead_stakeholder = factory.SubFactory(StakeholderFactory)
    action_type = enums.ActionType.TRAINING
    progress = enums.ActionProgress.ONGOING
    start_date = datetime.date(2021, 3, 1)

    @factory.post_generation
    def recommendations(action, create, extracted, **kwargs):
        if create:
            action.recommendations.add(*(extracted or [RecommendationFactory()]))

    @factory.post_generation
    def countries(action, create, extracted, **kwargs):
        if create:
            action.countries.add(*(extracted or [CountryFactory()]))


class PublishedActionFactory(FollowUpActionFactory):
    """A published action, counted in the summary counts as publishing it would count it
    (partners added after creation are not counted: pass them as `partners`)."""

    review_state = enums.ReviewState.PUBLISHED
    published_at = factory.LazyFunction(timezone.now)

    @factory.post_generation
    def partners(action, create, extracted, **kwargs):
        if create and extracted:
            action.partners.add(*extracted)

    @factory.post_generation
    def counted(action, create, extracted, **kwargs):
        if create:
            published_action_counts_add(action=action)


class GoodPracticeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.GoodPractice
        skip_postgeneration_save = True

    consultation = factory.SubFactory(ConsultationFactory)
    paragraph = factory.Sequence(lambda n: 1000 + n)
    reference = factory.LazyAttribute(
        lambda g: models.GoodPractice.reference_for(g.consultation, g.paragraph)
    )
    text = factory.Sequence(lambda n: f"A city set up a migrant resource centre ({n}).")

    @factory.post_generation
    def objectives(practice, create, extracted, **kwargs):
        if create:
            practice.objectives.add(*(extracted or [ObjectiveFactory()]))

    @factory.post_generation
    def countries(practice, create, extracted, **kwargs):
        if create and extracted:
            practice.countries.add(*extracted)


def set_status(recommendation, changed_by, **overrides):
    """Change a status the only way there is, with plausible defaults for what a test ignores."""
    arguments = {
        "recommendation": recommendation,
        "new_status": enums.RecommendationStatus.LIMITED,
        "reason": "The national action plan now covers it.",
        "changed_by": changed_by,
        "expected_version": recommendation.version,
    }
    return recommendation_set_status(**(arguments | overrides))


def action_content(**overrides) -> ActionContent:
    """Valid content for a follow-up action, about a new recommendation in a new country."""
    content = {
        "title": "Training of border officials",
        "description": "Two-day training on child-sensitive procedures.",
        "action_type": enums.ActionType.TRAINING,
        "progress": enums.ActionProgress.COMPLETED,
        "start_date": datetime.date(2021, 5, 3),
        "end_date": datetime.date(2021, 5, 4),
        "recommendations": [RecommendationFactory()],
        "countries": [CountryFactory()],
        "evidence_urls": ["https://example.org/report.pdf"],
    }
    return ActionContent(**(content | overrides))


def action_form_data(lead_stakeholder, **overrides) -> dict:
    """A valid POST of the contributor area's action form, about a new recommendation."""
    return {
        "lead_stakeholder": lead_stakeholder.pk,
        "title": "Legal clinic for stateless migrants",
        "description": "Weekly legal clinic.",
        "recommendations": [RecommendationFactory().pk],
        "countries": [CountryFactory(iso3="MYS").pk],
        "action_type": "legal_aid",
        "progress": "ongoing",
        "start_date": "2021-02-01",
    } | overrides


def action_api_body(**overrides) -> dict:
    """A valid POST body for /api/v1/actions/, about recommendation c-87 in Thailand."""
    if not models.Recommendation.objects.filter(reference="c-87").exists():
        RecommendationFactory(reference="c-87")
    CountryFactory(iso3="THA")
    return {
        "title": "Training",
        "description": "Two-day training.",
        "action_type": "training",
        "progress": "completed",
        "start_date": "2021-05-03",
        "recommendations": ["c-87"],
        "countries": ["THA"],
    } | overrides


class AssessmentFactory(factory.django.DjangoModelFactory):
    """A published country assessment written directly, for read-only tests of the public pages
    (it keeps no history or roll-up counts: tests of those use the assessment services).
    Official by default; pass `stakeholder` (and voice=CIVIL_SOCIETY) for civil society."""

    class Meta:
        model = models.Assessment
        skip_postgeneration_save = True

    recommendation = factory.SubFactory(RecommendationFactory)
    country = factory.SubFactory(CountryFactory)
    voice = enums.AssessmentVoice.OFFICIAL
    stakeholder = None
    status = enums.RecommendationStatus.SUBSTANTIAL
    summary = "The national action plan covers it."
    source_title = "Voluntary GCM review 2024"
    source_url = "https://example.org/review.pdf"
    source_date = datetime.date(2024, 3, 1)
    effective_date = datetime.date(2024, 3, 1)
    version = 1

    @factory.post_generation
    def flags(obj, create, extracted, **kwargs):
        # Its scope and disagreement flags, as the services keep them (the public lists read
        # them); the roll-ups are left alone.
        if create:
            assessment_flags_refresh(cell=(obj.recommendation_id, obj.country_id))
            obj.refresh_from_db(fields=["in_scope", "disagreed_at"])


class CivilSocietyAssessmentFactory(AssessmentFactory):
    voice = enums.AssessmentVoice.CIVIL_SOCIETY
    stakeholder = factory.SubFactory(StakeholderFactory)
    status = enums.RecommendationStatus.LIMITED
    source_title = "Shadow report 2024"


class AssessmentSubmissionFactory(factory.django.DjangoModelFactory):
    """A civil-society organisation's assessment of one cell, in review state `review_state`
    (a draft by default). Rows only: publishing goes through the service."""

    class Meta:
        model = models.AssessmentSubmission

    recommendation = factory.SubFactory(RecommendationFactory)
    country = factory.SubFactory(CountryFactory)
    stakeholder = factory.SubFactory(StakeholderFactory)
    status = enums.RecommendationStatus.LIMITED
    summary = "A pilot programme covers two provinces."
    effective_date = datetime.date(2021, 6, 1)
    review_state = enums.ReviewState.DRAFT
    submitted_at = factory.LazyAttribute(
        lambda s: timezone.now() if s.review_state != enums.ReviewState.DRAFT else None
    )


def record_official(recommendation, country, recorded_by, **overrides):
    """Record an official assessment the only way there is, against the cell's current version,
    with plausible defaults for what a test ignores. Returns the AssessmentChange."""
    current = models.Assessment.objects.filter(
        recommendation=recommendation, country=country, voice=enums.AssessmentVoice.OFFICIAL
    ).first()
    arguments = {
        "recommendation": recommendation,
        "country": country,
        "status": enums.RecommendationStatus.SUBSTANTIAL,
        "summary": "The national action plan covers it and is funded.",
        "source_title": "Voluntary GCM review 2024",
        "source_url": "https://example.org/gcm-review.pdf",
        "effective_date": datetime.date(2024, 3, 1),
        "recorded_by": recorded_by,
        "expected_version": None if current is None else current.version,
    }
    return assessment_record_official(**(arguments | overrides))


def submit_civil_society(recommendation, country, author, stakeholder=None, **overrides):
    """A civil-society assessment submitted for review by `author` for `stakeholder` (their
    first organisation by default)."""
    stakeholder = stakeholder or models.Stakeholder.objects.filter(memberships__user=author)[0]
    arguments = {
        "author": author,
        "stakeholder": stakeholder,
        "recommendation": recommendation,
        "country": country,
        "status": enums.RecommendationStatus.LIMITED,
        "summary": "Our monitoring found the plan applied in two provinces only.",
        "source_title": "Shadow report 2024",
        "source_url": "https://example.org/shadow-report.pdf",
        "effective_date": datetime.date(2024, 4, 1),
        "submit": True,
    }
    return assessment_submission_create(**(arguments | overrides))


def publish_civil_society(recommendation, country, author, reviewer, stakeholder=None, **overrides):
    """A civil-society assessment submitted by `author` and published by `reviewer`, through the
    services. Returns the AssessmentChange."""
    submission = submit_civil_society(recommendation, country, author, stakeholder, **overrides)
    return assessment_submission_publish(submission=submission, reviewer=reviewer)
