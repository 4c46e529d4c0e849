"""Implementation status: the one way a recommendation's status changes."""

import datetime

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ..cache import public_data_changed
from ..enums import RecommendationStatus
from ..models import Recommendation, StatusChange, http_url_validator
from ..validators import control_character_errors, multi_line_validator


class StatusConflict(Exception):
    """The recommendation changed after the editor loaded it; their change was not written.

    `current` is the recommendation as it is now and `last_change` the StatusChange that set its
    current status (None if its status was never changed), so a screen can show who set it.
    """

    def __init__(self, current: Recommendation, last_change: StatusChange | None):
        self.current = current
        self.last_change = last_change
        super().__init__(
            _(
                "Recommendation %(reference)s was changed by someone else while you were editing "
                "it: its status is now “%(status)s”. Nothing was saved; review the current status "
                "and try again."
            )
            % {"reference": current.reference, "status": current.get_status_display()}
        )


def _status_change_errors(
    *, recommendation, new_status, reason, evidence_url, effective_date
) -> dict[str, str]:
    errors = control_character_errors(reason=(reason, multi_line_validator))
    if new_status not in RecommendationStatus.values:
        errors["new_status"] = _("“%(value)s” is not a status. Choose one of: %(choices)s.") % {
            "value": new_status,
            "choices": ", ".join(str(label) for label in RecommendationStatus.labels),
        }
    if not reason:
        errors["reason"] = _("Give the reason for this status change.")
    if evidence_url:
        try:
            http_url_validator(evidence_url)
        except ValidationError as error:
            errors["evidence_url"] = (
                error.messages[0]
                if error.code == "uri_characters"
                else _("Enter a full web address starting with http:// or https://.")
            )
    if effective_date > timezone.localdate():
        errors["effective_date"] = _("The effective date cannot be in the future.")
    elif effective_date < recommendation.consultation.date:
        errors["effective_date"] = _(
            "The effective date cannot be before the consultation that made the recommendation."
        )
    return errors


@transaction.atomic
def recommendation_set_status(
    *,
    recommendation: Recommendation,
    new_status: str,
    reason: str,
    changed_by: AbstractBaseUser,
    expected_version: int,
    evidence_url: str = "",
    effective_date: datetime.date | None = None,
) -> StatusChange | None:
    """Move `recommendation` to `new_status` and record why, by whom and on what evidence.

    The only code that changes a recommendation's status. It locks the row, refuses the change if
    the row's version is no longer `expected_version` (the version the editor saw), then updates
    status, version and status_changed_at and appends one StatusChange, all in one transaction.
    On commit, the cached public aggregates are invalidated.
    `effective_date` defaults to today.

    Returns the new StatusChange, or None when `new_status` is already the status (nothing is
    written). Raises PermissionDenied, ValidationError (a dict keyed by argument name) or
    StatusConflict; in each case nothing is written.
    """
    if not changed_by.has_perm("tracker.set_status"):
        raise PermissionDenied(_("You are not allowed to change implementation statuses."))
    reason = reason.strip()
    evidence_url = evidence_url.strip()
    effective_date = effective_date or timezone.localdate()
    errors = _status_change_errors(
        recommendation=recommendation,
        new_status=new_status,
        reason=reason,
        evidence_url=evidence_url,
        effective_date=effective_date,
    )
    if errors:
        raise ValidationError(errors)

    # Row lock on PostgreSQL; on SQLite the IMMEDIATE transaction mode (settings) queues writers.
    current = Recommendation.objects.select_for_update().get(pk=recommendation.pk)
    if current.version != expected_version:
        raise StatusConflict(current, current.status_changes.select_related("changed_by").first())
    if current.status == new_status:
        return None

    change = StatusChange.objects.create(
        recommendation=current,
        old_status=current.status,
        new_status=new_status,
        reason=reason,
        evidence_url=evidence_url,
        effective_date=effective_date,
        changed_by=changed_by,
    )
    current.status = new_status
    current.version += 1
    current.status_changed_at = change.changed_at
    current.status_effective_on = change.effective_date
    current.save(
        update_fields=[
            "status",
            "version",
            "status_changed_at",
            "status_effective_on",
            "updated_at",
        ]
    )
    public_data_changed()
    recommendation.refresh_from_db(
        fields=["status", "version", "status_changed_at", "status_effective_on", "updated_at"]
    )
    return change
