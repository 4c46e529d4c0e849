from django.utils.translation import gettext_lazy as _
from rest_framework.permissions import BasePermission


class CanSetStatus(BasePermission):
    """Staff who hold tracker.set_status.

    recommendation_set_status() checks the same permission again; checking it here as well means
    a client without the right gets 403 before its input is validated, not a 400 about its input.
    """

    message = _("You are not allowed to change implementation statuses.")

    def has_permission(self, request, view):
        user = request.user
        return bool(user and user.is_authenticated and user.has_perm("tracker.set_status"))
