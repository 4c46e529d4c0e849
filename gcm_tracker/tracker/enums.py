"""Choices shared by models, filters, serializers and migrations (style guide point 3)."""

from enum import nonmember

from django.db import models
from django.utils.translation import gettext_lazy as _


class RecommendationStatus(models.TextChoices):
    """Implementation status, ordered from least to most progress so it charts as a scale.

    The levels follow the Open Government Partnership's independent reviews and UPR Info's
    implementation assessments; "No information" is where every recommendation starts.
    """

    NO_INFORMATION = "no_information", _("No information")
    NOT_STARTED = "not_started", _("Not started")
    LIMITED = "limited_progress", _("Limited progress")
    SUBSTANTIAL = "substantial_progress", _("Substantial progress")
    IMPLEMENTED = "implemented", _("Implemented")

    progress_states = nonmember(("limited_progress", "substantial_progress", "implemented"))


class Direction(models.TextChoices):
    """Which way a status change moved along RecommendationStatus's scale (changes.py)."""

    UP = "up", _("up")
    DOWN = "down", _("down")


class Subregion(models.TextChoices):
    EAST_NORTH_EAST_ASIA = "east_north_east_asia", _("East and North-East Asia")
    NORTH_CENTRAL_ASIA = "north_central_asia", _("North and Central Asia")
    PACIFIC = "pacific", _("Pacific")
    SOUTH_SOUTH_WEST_ASIA = "south_south_west_asia", _("South and South-West Asia")
    SOUTH_EAST_ASIA = "south_east_asia", _("South-East Asia")


class EscapMembership(models.TextChoices):
    """A country's standing in ESCAP; countries outside ESCAP can still be places of action."""

    MEMBER = "member", _("Member")
    ASSOCIATE_MEMBER = "associate_member", _("Associate member")
    NON_MEMBER = "non_member", _("Not an ESCAP member")


class StakeholderKind(models.TextChoices):
    CIVIL_SOCIETY = "civil_society", _("Civil society organisation")
    MIGRANT_DIASPORA = "migrant_diaspora", _("Migrant or diaspora organisation")
    NHRI = "nhri", _("National human rights institution")
    TRADE_UNION = "trade_union", _("Trade union")
    ACADEMIA = "academia", _("Academia")
    UN_ENTITY = "un_entity", _("United Nations entity")
    INTERGOVERNMENTAL = "intergovernmental", _("Intergovernmental body")
    GOVERNMENT = "government", _("Government")
    RED_CROSS = "red_cross", _("Red Cross / Red Crescent")
    LOCAL_AUTHORITY = "local_authority", _("Local authority")
    PRIVATE_SECTOR = "private_sector", _("Private sector")
    OTHER = "other", _("Other")


class MeetingFormat(models.TextChoices):
    VIRTUAL = "virtual", _("Virtual")
    IN_PERSON = "in_person", _("In person")
    HYBRID = "hybrid", _("Hybrid")


class TagKind(models.TextChoices):
    THEME = "theme", _("Theme")
    SDG_TARGET = "sdg_target", _("SDG target")


class ActionType(models.TextChoices):
    ADVOCACY = "advocacy", _("Advocacy")
    POLICY_DIALOGUE = "policy_dialogue", _("Policy dialogue")
    TRAINING = "training", _("Training and capacity building")
    RESEARCH = "research_data", _("Research and data")
    SERVICE_DELIVERY = "service_delivery", _("Service delivery")
    LEGAL_AID = "legal_aid", _("Legal aid")
    MONITORING = "monitoring", _("Monitoring")
    AWARENESS = "awareness", _("Awareness raising")
    COORDINATION = "coordination", _("Coordination")
    OTHER = "other", _("Other")


class ActionProgress(models.TextChoices):
    PLANNED = "planned", _("Planned")
    ONGOING = "ongoing", _("Ongoing")
    COMPLETED = "completed", _("Completed")


class ReviewState(models.TextChoices):
    """Where a follow-up action is in staff review; only PUBLISHED is ever shown to the public."""

    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted for review")
    PUBLISHED = "published", _("Published")
    RETURNED = "returned", _("Returned for changes")

    editable_states = nonmember(("draft", "returned"))


class AccountRequestState(models.TextChoices):
    PENDING = "pending", _("Waiting for staff")
    APPROVED = "approved", _("Approved")
    DECLINED = "declined", _("Declined")


class AssessmentVoice(models.TextChoices):
    """Whose view a country assessment gives: the government's own report, or a civil-society
    organisation's (the Open Government Partnership's self-assessment vs independent review)."""

    # Translators: a voice, whose assessment it is: the government's own ("the official
    # view"), as opposed to civil society's. An adjective, used alone in table headings.
    OFFICIAL = "official", _("Official")
    CIVIL_SOCIETY = "civil_society", _("Civil society")


class RecommendationScope(models.TextChoices):
    """Which countries a recommendation applies to; cells outside it are "not applicable"."""

    ESCAP = "escap", _("Every ESCAP member and associate member")
    SELECTED = "selected", _("Selected subregions or countries")
    REGIONAL = "regional", _("Regional only")
