"""The follow-up action workflow: contributors write drafts and submit them; staff publish them or
return them with a reason.

    draft ──submit──▶ submitted ──publish──▶ published
      ▲                   │
      └──(edit)── returned ◀──return (with reason)

Contributors act only for organisations they are members of, and only on actions that are not
submitted or published. Reviewers need the `tracker.review_followupaction` permission and may not
review an action they created or that their organisation leads (four eyes). Every
function locks the action, checks its state, and records who did what; the model history (django-
simple-history) is written in the same transaction. Every step adds one to the action's
`version`; an edit names the version its author saw and is refused with ActionConflict if the
action has moved on since (optimistic locking, as for statuses).
"""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field, replace

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from .. import notifications
from ..cache import public_data_changed
from ..enums import ActionProgress, ActionType, ReviewState
from ..models import (
    ActionCountry,
    ActionEvidence,
    ActionPartner,
    ActionRecommendation,
    Country,
    FollowUpAction,
    Membership,
    Recommendation,
    Stakeholder,
    http_url_validator,
)
from ..validators import control_character_errors, multi_line_validator, single_line_validator
from . import organisation_actions, steps


class ActionStateError(Exception):
    """The action is not in a state that allows this step (e.g. editing a published action)."""


class ActionConflict(Exception):
    """The action changed after the editor loaded it (another edit, a submission, a review);
    their change was not written.

    `current` is the action as it is now, and `last_change` its newest history row (who changed
    it, and when), so a screen can show what happened.
    """

    def __init__(self, current: FollowUpAction, step: str | None = None):
        self.current = current
        self.last_change = current.history.select_related("history_user").first()
        facts = {
            "title": current.title,
            "state": current.get_review_state_display(),
            "version": current.version,
            "step": step,
        }
        if step is None:
            message = _(
                "“%(title)s” was changed by someone else while you were editing it: it is now "
                "“%(state)s”, version %(version)d. Nothing was saved; review it and try again."
            )
        else:
            message = _(
                "“%(title)s” changed after you opened it: it is now “%(state)s”, version "
                "%(version)d, so it was not %(step)s. Review it as it is now and try again."
            )
        super().__init__(message % facts)


def _require_version(action: FollowUpAction, expected_version: int | None, step: str) -> None:
    """Refuse a step taken on a stale page: `expected_version` is the version the author saw
    (None when the caller has none to give, e.g. an API client that sends no version)."""
    if expected_version is not None and action.version != expected_version:
        raise ActionConflict(action, step)


def require_member(user: AbstractBaseUser, stakeholder: Stakeholder) -> None:
    """Raise PermissionDenied unless `user` acts for `stakeholder`. Every contributor step checks
    it; views may check it first, to refuse before they validate what was sent."""
    if not Membership.objects.filter(user=user, stakeholder=stakeholder).exists():
        raise PermissionDenied(_("You can only act for organisations you are a member of."))


def _require_reviewer(user: AbstractBaseUser) -> None:
    if not user.has_perm("tracker.review_followupaction"):
        raise PermissionDenied(_("You are not allowed to review follow-up actions."))


def _require_independent_reviewer(action: FollowUpAction, reviewer: AbstractBaseUser) -> None:
    """Four eyes: raise PermissionDenied if `reviewer` created `action` or is a member of the
    organisation that leads it. Nobody reviews their own work, superusers included."""
    if action.created_by_id == reviewer.pk or (
        Membership.objects.filter(user=reviewer, stakeholder_id=action.lead_stakeholder_id).exists()
    ):
        raise PermissionDenied(
            _(
                "You cannot review an action you created or that your organisation leads; "
                "another reviewer must."
            )
        )


def _locked(action: FollowUpAction) -> FollowUpAction:
    return FollowUpAction.objects.select_for_update().get(pk=action.pk)


def _save_step(action: FollowUpAction, update_fields: list[str]) -> None:
    """Save a workflow step's fields and the next version (the row is locked by _locked)."""
    action.version += 1
    action.save(update_fields=[*update_fields, "version", "updated_at"])


def _require_state(action: FollowUpAction, states: Iterable[str], step: str) -> None:
    if action.review_state not in states:
        raise ActionStateError(
            _("This action is “%(state)s”, so it cannot be %(step)s.")
            % {"state": action.get_review_state_display(), "step": step}
        )


@dataclass
class ActionContent:
    """What a contributor writes about an action; the same for creating and for editing."""

    title: str
    description: str
    action_type: str
    progress: str
    start_date: datetime.date
    recommendations: list[Recommendation]
    countries: list[Country]
    end_date: datetime.date | None = None
    partners: list[Stakeholder] = field(default_factory=list)
    evidence_urls: list[str] = field(default_factory=list)

    @classmethod
    def of(cls, action: FollowUpAction) -> "ActionContent":
        """What `action` says now (its links read through any prefetch)."""
        return cls(
            title=action.title,
            description=action.description,
            action_type=action.action_type,
            progress=action.progress,
            start_date=action.start_date,
            end_date=action.end_date,
            recommendations=action.links("recommendations"),
            countries=action.links("countries"),
            partners=action.links("partners"),
            evidence_urls=[evidence.url for evidence in action.links("evidence")],
        )

    def cleaned(self) -> "ActionContent":
        """This content with whitespace trimmed; raises ValidationError keyed by field name."""
        content = replace(
            self,
            title=self.title.strip(),
            description=self.description.strip(),
            recommendations=list(self.recommendations),
            countries=list(self.countries),
            partners=list(self.partners),
            evidence_urls=list(dict.fromkeys(u.strip() for u in self.evidence_urls if u.strip())),
        )
        errors = content._errors()
        if errors:
            raise ValidationError(errors)
        return content

    def _errors(self) -> dict[str, str]:
        errors = control_character_errors(
            title=(self.title, single_line_validator),
            description=(self.description, multi_line_validator),
        )
        if not self.title:
            errors["title"] = _("Give the action a title.")
        if not self.description:
            errors["description"] = _("Describe what was done.")
        if self.action_type not in ActionType.values:
            errors["action_type"] = _("Choose a type of action.")
        if self.progress not in ActionProgress.values:
            errors["progress"] = _("Choose how far the action has got.")
        if self.end_date and self.end_date < self.start_date:
            errors["end_date"] = _("The end date cannot be before the start date.")
        if not self.recommendations:
            errors["recommendations"] = _("Choose at least one recommendation it is about.")
        if not self.countries:
            errors["countries"] = _("Choose at least one country where it took place.")
        for url in self.evidence_urls:
            try:
                http_url_validator(url)
            except ValidationError as error:
                errors["evidence_urls"] = (
                    error.messages[0]
                    if error.code == "uri_characters"
                    else _("“%(url)s” is not a web address starting with http:// or https://.")
                    % {"url": url}
                )
                break
        return errors


def _write(action: FollowUpAction, content: ActionContent, *, update_fields=None) -> None:
    for name in ["title", "description", "action_type", "progress", "start_date", "end_date"]:
        setattr(action, name, getattr(content, name))
    action.save(update_fields=update_fields)
    action.recommendations.set(content.recommendations)
    action.countries.set(content.countries)
    action.partners.set([p for p in content.partners if p.pk != action.lead_stakeholder_id])
    _evidence_set(action, content.evidence_urls)


def _evidence_set(action: FollowUpAction, urls: list[str]) -> None:
    """Keep the links still listed (with any title staff gave them), delete the others and add
    the new ones, each with its model-history row. Additions are one bulk insert; each deletion
    writes its own history row (simple-history has no bulk delete)."""
    kept = set(urls)
    action.evidence.exclude(url__in=kept).delete()
    existing = set(action.evidence.filter(url__in=kept).values_list("url", flat=True))
    bulk_create_with_history(
        [ActionEvidence(action=action, url=url) for url in urls if url not in existing],
        ActionEvidence,
        default_user=action._history_user,
    )


@transaction.atomic
def follow_up_action_create(
    *,
    author: AbstractBaseUser,
    lead_stakeholder: Stakeholder,
    content: ActionContent,
    submit: bool = False,
) -> FollowUpAction:
    """Record a draft action for `lead_stakeholder`, which `author` must be a member of; with
    `submit`, also send it for review, in the same transaction.

    Raises PermissionDenied or ValidationError (keyed by ActionContent field); nothing is written
    then, nor if the submission fails.
    """
    require_member(author, lead_stakeholder)
    content = content.cleaned()
    action = FollowUpAction(lead_stakeholder=lead_stakeholder, created_by=author)
    action._history_user = author
    _write(action, content)
    if submit:
        return follow_up_action_submit(action=action, author=author)
    return action


@transaction.atomic
def follow_up_action_update(
    *,
    action: FollowUpAction,
    author: AbstractBaseUser,
    content: ActionContent,
    expected_version: int,
    submit: bool = False,
) -> FollowUpAction:
    """Change a draft or returned action's content; with `submit`, also send it for review, in
    the same transaction. Its organisation stays.

    `expected_version` is the version the author saw: if the action has moved on since, raises
    ActionConflict. Raises PermissionDenied, ActionStateError or ValidationError too; in each
    case nothing is written.
    """
    action = _locked(action)
    require_member(author, action.lead_stakeholder)
    if action.version != expected_version:
        raise ActionConflict(action)
    _require_state(action, ReviewState.editable_states, steps.EDITED)
    content = content.cleaned()
    action._history_user = author
    action.version += 1
    _write(
        action,
        content,
        update_fields=[
            "title",
            "description",
            "action_type",
            "progress",
            "start_date",
            "end_date",
            "version",
            "updated_at",
        ],
    )
    if submit:
        return follow_up_action_submit(action=action, author=author)
    return action


@transaction.atomic
def follow_up_action_submit(
    *, action: FollowUpAction, author: AbstractBaseUser, expected_version: int | None = None
) -> FollowUpAction:
    """Send a draft or returned action to staff for review.

    With `expected_version` (the version the author saw), raises ActionConflict if the action
    has moved on since; nothing is written then."""
    action = _locked(action)
    require_member(author, action.lead_stakeholder)
    _require_version(action, expected_version, steps.SUBMITTED)
    _require_state(action, ReviewState.editable_states, steps.SUBMITTED)
    action.review_state = ReviewState.SUBMITTED
    action.submitted_at = timezone.now()
    action._history_user = author
    _save_step(action, ["review_state", "submitted_at"])
    return action


@transaction.atomic
def follow_up_action_withdraw(
    *, action: FollowUpAction, author: AbstractBaseUser, expected_version: int | None = None
) -> None:
    """Discard a draft or returned action; it was never public, so nothing public changes.

    `expected_version` as for follow_up_action_submit."""
    action = _locked(action)
    require_member(author, action.lead_stakeholder)
    _require_version(action, expected_version, steps.WITHDRAWN)
    _require_state(action, ReviewState.editable_states, steps.WITHDRAWN)
    action._history_user = author
    action.delete()


@transaction.atomic
def follow_up_action_publish(
    *, action: FollowUpAction, reviewer: AbstractBaseUser
) -> FollowUpAction:
    """Make a submitted action public. Its authors are told by e-mail once this commits."""
    _require_reviewer(reviewer)
    action = _locked(action)
    _require_independent_reviewer(action, reviewer)
    _require_state(action, [ReviewState.SUBMITTED], steps.PUBLISHED)
    now = timezone.now()
    action.review_state = ReviewState.PUBLISHED
    action.review_note = ""
    action.reviewed_by, action.reviewed_at, action.published_at = reviewer, now, now
    action._history_user = reviewer
    _save_step(
        action, ["review_state", "review_note", "reviewed_by", "reviewed_at", "published_at"]
    )
    published_action_counts_add(action=action)
    notifications.action_reviewed(action)
    return action


def published_action_counts_add(*, action: FollowUpAction) -> None:
    """Count a newly published action in the summary counts of its recommendations, countries,
    lead organisation and partners, and invalidate the cached public figures.

    Also counts it in the recommendations its organisations acted on (StakeholderRecommendation),
    in those acted on in its countries (CountryRecommendation) and on the day it was published
    (PublishedActionDayCount), in all and in each subregion of its countries
    (PublishedActionSubregionDayCount), and lists it for each of its organisations, in all and
    in each of its countries (StakeholderAction, StakeholderActionCountry).
    Called in the transaction that publishes it. Published actions are never unpublished, and
    the admin does not let their links or organisation change or the action be deleted, so
    counts only grow. services.counts checks them against a fresh COUNT.
    """
    one_more = {"published_action_count": F("published_action_count") + 1}
    Recommendation.objects.filter(
        pk__in=ActionRecommendation.objects.filter(action=action).values("recommendation")
    ).update(**one_more)
    Country.objects.filter(
        pk__in=ActionCountry.objects.filter(action=action).values("country")
    ).update(**one_more)
    Stakeholder.objects.filter(pk=action.lead_stakeholder_id).update(
        led_action_count=F("led_action_count") + 1
    )
    Stakeholder.objects.filter(
        pk__in=ActionPartner.objects.filter(action=action).values("stakeholder")
    ).update(partner_action_count=F("partner_action_count") + 1)
    with connection.cursor() as cursor:
        cursor.execute(_ACTED_ON_ADD, [action.pk, action.pk, action.pk])
        cursor.execute(_ACTED_ON_IN_COUNTRIES_ADD, [action.pk])
        day = publication_day(action.published_at).isoformat()
        cursor.execute(_PUBLISHED_ON_DAY_ADD, [day])
        in_subregions = _PUBLISHED_IN_SUBREGIONS_ON_DAY_ADD.format(
            day="CAST(%s AS date)" if connection.vendor == "postgresql" else "%s"
        )
        cursor.execute(in_subregions, [day, action.pk])
    organisation_actions.add(action.pk)
    public_data_changed()


def publication_day(published_at: datetime.datetime) -> datetime.date:
    """The day an action was published on, in the site's time zone (PublishedActionDayCount)."""
    return timezone.localdate(published_at, timezone.get_default_timezone())


# One more action published on a day (PublishedActionDayCount); the same SQL on both databases.
_PUBLISHED_ON_DAY_ADD = """
INSERT INTO tracker_publishedactiondaycount (day, count) VALUES (%s, 1)
ON CONFLICT (day) DO UPDATE SET count = tracker_publishedactiondaycount.count + 1
"""


# One more action published on a day in each subregion of its countries (once however many of a
# subregion's countries it names), in subregion order (PublishedActionSubregionDayCount). `day`:
# the parameter as a date (PostgreSQL takes a parameter in a SELECT list as text).
_PUBLISHED_IN_SUBREGIONS_ON_DAY_ADD = """
INSERT INTO tracker_publishedactionsubregiondaycount (day, subregion, count)
SELECT DISTINCT {day}, c.subregion, 1
FROM tracker_actioncountry ac JOIN tracker_country c ON c.id = ac.country_id
WHERE ac.action_id = %s AND c.subregion <> ''
ORDER BY 2
ON CONFLICT (day, subregion)
DO UPDATE SET count = tracker_publishedactionsubregiondaycount.count + 1
"""


# One more published action about each of the action's recommendations for its lead and each
# partner (StakeholderRecommendation): an upsert, in (stakeholder, recommendation) order so that
# concurrent publications lock shared rows in one order. The same SQL on PostgreSQL and SQLite.
_ACTED_ON_ADD = """
INSERT INTO tracker_stakeholderrecommendation (stakeholder_id, recommendation_id, action_count)
SELECT organisation.id, ar.recommendation_id, count(*)
FROM (
    SELECT lead_stakeholder_id AS id FROM tracker_followupaction WHERE id = %s
    UNION ALL
    SELECT stakeholder_id FROM tracker_actionpartner WHERE action_id = %s
) organisation
CROSS JOIN tracker_actionrecommendation ar
WHERE ar.action_id = %s
GROUP BY organisation.id, ar.recommendation_id
ORDER BY organisation.id, ar.recommendation_id
ON CONFLICT (stakeholder_id, recommendation_id)
DO UPDATE SET action_count = tracker_stakeholderrecommendation.action_count + excluded.action_count
"""


# The same for each of its countries (CountryRecommendation), whose rows the UPDATE of the
# countries' counts above has locked already.
_ACTED_ON_IN_COUNTRIES_ADD = """
INSERT INTO tracker_countryrecommendation (country_id, recommendation_id, action_count)
SELECT ac.country_id, ar.recommendation_id, count(*)
FROM tracker_actioncountry ac
JOIN tracker_actionrecommendation ar ON ar.action_id = ac.action_id
WHERE ac.action_id = %s
GROUP BY ac.country_id, ar.recommendation_id
ORDER BY ac.country_id, ar.recommendation_id
ON CONFLICT (country_id, recommendation_id)
DO UPDATE SET action_count = tracker_countryrecommendation.action_count + excluded.action_count
"""


@transaction.atomic
def follow_up_action_return(
    *, action: FollowUpAction, reviewer: AbstractBaseUser, reason: str
) -> FollowUpAction:
    """Send a submitted action back to its authors with the reason, which they are e-mailed."""
    _require_reviewer(reviewer)
    if not reason.strip():
        raise ValidationError({"reason": _("Tell the authors why the action is returned.")})
    if errors := control_character_errors(reason=(reason, multi_line_validator)):
        raise ValidationError(errors)
    action = _locked(action)
    _require_independent_reviewer(action, reviewer)
    _require_state(action, [ReviewState.SUBMITTED], steps.RETURNED)
    action.review_state = ReviewState.RETURNED
    action.review_note = reason.strip()
    action.reviewed_by, action.reviewed_at = reviewer, timezone.now()
    action._history_user = reviewer
    _save_step(action, ["review_state", "review_note", "reviewed_by", "reviewed_at"])
    notifications.action_reviewed(action)
    return action
