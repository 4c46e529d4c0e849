"""The tracker's services raise Django's exceptions; the API answers them as DRF errors, so a
client gets the same JSON shapes (and documented status codes) from every write."""

from collections.abc import Iterator, Mapping
from contextlib import contextmanager

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions, status

from gcm_tracker.tracker.services import ActionStateError, AssessmentStateError


class Conflict(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = _("The resource is not in a state that allows this.")
    default_code = "conflict"


class StaleVersion(Conflict):
    """409 for a stale `version`; the view gives the body: `detail`, and `current`, the thing as
    it is now."""

    def __init__(self, body: dict):
        # Not APIException's __init__, which would turn every value of `current` into a string;
        # DRF's handler sends a dict detail as the body as it is.
        self.detail = body


@contextmanager
def service_errors(field_names: Mapping[str, str] | None = None) -> Iterator[None]:
    """Turn a service's PermissionDenied into 403, ValidationError into 400 (its keys renamed by
    `field_names` where the service names a field differently) and ActionStateError or
    AssessmentStateError into 409."""
    try:
        yield
    except DjangoPermissionDenied as exc:
        raise exceptions.PermissionDenied(str(exc)) from exc
    except DjangoValidationError as exc:
        if not hasattr(exc, "error_dict"):
            raise exceptions.ValidationError({"non_field_errors": exc.messages}) from exc
        names = field_names or {}
        raise exceptions.ValidationError(
            {names.get(key, key): messages for key, messages in exc.message_dict.items()}
        ) from exc
    except (ActionStateError, AssessmentStateError) as exc:
        raise Conflict(str(exc)) from exc
