"""OpenAPI schema generation: every operation documents the errors it can answer.

DRF answers errors in two shapes: {"detail": "..."} and, for invalid input, an object keyed by
parameter or field name whose values are lists of messages. The AutoSchema below adds to each
operation the error responses that its authentication, throttling, filters, pagination and path
can produce, so clients and schemathesis know every status code in advance.
"""

import copy

from django.db import models
from django.utils.translation import gettext_lazy as _
from django_filters import ModelChoiceFilter
from drf_spectacular import openapi
from drf_spectacular.contrib.django_filters import DjangoFilterExtension
from drf_spectacular.drainage import has_override, set_override
from drf_spectacular.extensions import OpenApiSerializerExtension
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse
from rest_framework import serializers

from .languages import LANGUAGE_QUERY


class ErrorSerializer(serializers.Serializer):
    detail = serializers.CharField(help_text=_("What went wrong, in words."))


class ValidationErrorSerializer(serializers.Serializer):
    """Documentation only: the body of a 400, described by ValidationErrorExtension."""


class ValidationErrorExtension(OpenApiSerializerExtension):
    target_class = ValidationErrorSerializer

    def map_serializer(self, auto_schema, direction):
        return {
            "type": "object",
            "description": (
                "Keyed by the name of each invalid query parameter or body field, with its "
                "messages; for a list field whose items are invalid, the messages are keyed by "
                "each invalid item's position (from 0). A body that is not valid JSON gives "
                '{"detail": "..."} instead.'
            ),
            "additionalProperties": {
                "oneOf": [
                    {"type": "string"},
                    {"type": "array", "items": {"type": "string"}},
                    {
                        "type": "object",
                        "additionalProperties": {"type": "array", "items": {"type": "string"}},
                    },
                ]
            },
            "example": {"objective": ["Select a valid choice."]},
        }


class NaturalKeyFilterExtension(DjangoFilterExtension):
    """Types a ModelChoiceFilter that takes a natural key (its to_field_name: an objective's
    number, a country's ISO code, a slug) as that key's model field.

    drf-spectacular cannot infer the type when the filter works through a method, as most of
    tracker.filters' do; this reads it from the FilterSet itself, so the schema cannot drift from
    the filters.
    """

    priority = 1

    def resolve_filter_field(self, auto_schema, model, filterset_class, field_name, filter_field):
        to_field = filter_field.extra.get("to_field_name")
        if (
            isinstance(filter_field, ModelChoiceFilter)
            and to_field
            and not has_override(filter_field, "field")
        ):
            key = filter_field.queryset.model._meta.get_field(to_field)
            schema = {
                "type": "integer" if isinstance(key, models.IntegerField) else "string",
                "description": f"{filter_field.label}; the value is its {key.verbose_name}.",
            }
            # A copy: the FilterSet's own filter also serves the HTML pages.
            filter_field = set_override(copy.copy(filter_field), "field", schema)
        return super().resolve_filter_field(
            auto_schema, model, filterset_class, field_name, filter_field
        )


def _error(description: str, serializer=ErrorSerializer) -> OpenApiResponse:
    return OpenApiResponse(response=serializer, description=description)


BAD_REQUEST = _error(
    "A query parameter or body field has a value the API does not accept.",
    ValidationErrorSerializer,
)
UNAUTHORIZED = _error(
    "The Authorization header's token is missing where one is required, unknown, or belongs to "
    "an inactive account."
)
FORBIDDEN = _error("The token's user may not do this.")
NOT_FOUND = _error("No such resource, or no such page of the list.")
UNSUPPORTED_MEDIA_TYPE = _error("The body is not sent as application/json.")
THROTTLED = _error("Too many requests; wait the number of seconds given in the Retry-After header.")

RETRY_AFTER = OpenApiParameter(
    "Retry-After",
    OpenApiTypes.INT,
    location=OpenApiParameter.HEADER,
    response=[429],
    description="Seconds to wait before the next request.",
)


class AutoSchema(openapi.AutoSchema):
    def get_override_parameters(self):
        return [*super().get_override_parameters(), LANGUAGE_QUERY, RETRY_AFTER]

    def _get_response_bodies(self, direction="response"):
        # drf-spectacular has no public hook that adds responses without replacing those of
        # @extend_schema, so this extends its (pinned) private method: documented responses win.
        responses = super()._get_response_bodies(direction)
        for code, response in self._error_responses().items():
            if code not in responses:
                responses[code] = self._get_response_for_code(response, code, direction=direction)
        return dict(sorted(responses.items()))

    def _error_responses(self) -> dict[str, OpenApiResponse]:
        # Any request may carry a bad token (401), ask for a language the site does not offer
        # (400) and be throttled (429).
        errors = {"400": BAD_REQUEST, "401": UNAUTHORIZED, "429": THROTTLED}
        if self._is_list_view():
            errors["404"] = NOT_FOUND  # a page number past the end
        if "{" in self.path:
            errors["404"] = NOT_FOUND
        if self.method not in ("GET", "HEAD", "OPTIONS"):
            errors["403"] = FORBIDDEN
            # Only an operation that reads a body can find it invalid or in the wrong format.
            if self.get_request_serializer() is not None:
                errors["400"] = BAD_REQUEST
                errors["415"] = UNSUPPORTED_MEDIA_TYPE
        return errors
