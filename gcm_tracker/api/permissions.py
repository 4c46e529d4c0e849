from django.utils.translation import gettext_lazy as _
from rest_framework.permissions import BasePermission


class _StaffPermission(BasePermission):
    """A signed-in user holding `perm`.

    The services check the same permission again; checking it here as well means a client
    without the right gets 403 before its input is validated, not a 400 about its input.
    """

    perm: str

    def has_permission(self, request, view):
        user = request.user
        return bool(user and user.is_authenticated and user.has_perm(self.perm))


class CanSetStatus(_StaffPermission):
    perm = "tracker.set_status"
    message = _("You are not allowed to change implementation statuses.")


class CanReview(_StaffPermission):
    """Publish or return follow-up actions."""

    perm = "tracker.review_followupaction"
    message = _("You are not allowed to review follow-up actions.")


class CanRecordOfficial(_StaffPermission):
    perm = "tracker.record_official"
    message = _("You are not allowed to record official country assessments.")


class CanReviewAssessments(_StaffPermission):
    """Publish or return civil-society assessments."""

    perm = "tracker.review_assessmentsubmission"
    message = _("You are not allowed to review civil-society assessments.")
