"""Request ids and access logs, health checks ahead of host validation, and 503 instead of 500
while the database is unavailable."""

import logging
import time

from django.http import HttpRequest, HttpResponse
from django.utils.functional import SimpleLazyObject

from . import views
from .logs import request_id_from, request_id_var

access_log = logging.getLogger("gcm_tracker.request")
logger = logging.getLogger(__name__)

HEALTH_CHECKS = {"/healthz": views.healthz, "/readyz": views.readyz}


class RequestIdMiddleware:
    """Gives each request an id (the incoming X-Request-ID when well-formed, else a new one),
    returns it in the X-Request-ID header, tags every log record of the request with it, and
    writes one access-log record per request."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request_id = request_id_from(request.headers.get("X-Request-ID"))
        request.request_id = request_id
        token = request_id_var.set(request_id)
        started = time.monotonic()
        try:
            response = self.get_response(request)
            response["X-Request-ID"] = request_id
            self._log(request, response, time.monotonic() - started)
            return response
        finally:
            request_id_var.reset(token)

    @staticmethod
    def _user(request):
        """Who made the request, if the request already found out: looking it up here would
        query the database, which may be what failed. A session's user is cached by Django's
        lazy request.user once read; the API authenticates its token inside the view, and DRF
        then replaces request.user with the user itself."""
        user = getattr(request, "_cached_user", None)
        if user is None:
            user = request.__dict__.get("user")
            if isinstance(user, SimpleLazyObject):  # the session's, never read
                return None
        return user

    @classmethod
    def _log(cls, request, response, seconds):
        user = cls._user(request)
        fields = {
            "http_method": request.method,
            "path": request.path,
            "status": response.status_code,
            "duration_ms": round(seconds * 1000, 1),
        }
        if user is not None and user.is_authenticated:
            fields["user_id"] = user.pk
        # Orchestrators probe every few seconds; their lines only show at DEBUG.
        level = logging.DEBUG if request.path_info in HEALTH_CHECKS else logging.INFO
        access_log.log(
            level, "%s %s %s", request.method, request.path, response.status_code, extra=fields
        )


class HealthCheckMiddleware:
    """Answers /healthz and /readyz before CommonMiddleware validates the Host header: probes
    from an orchestrator or load balancer address the container by its IP, not by a name in
    DJANGO_ALLOWED_HOSTS. (SECURE_REDIRECT_EXEMPT keeps them on plain HTTP too.)"""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        view = HEALTH_CHECKS.get(request.path_info)
        if view is not None:
            return view(request)
        return self.get_response(request)


class DatabaseUnavailableMiddleware:
    """Turns a database that cannot be reached into 503 with Retry-After and a friendly page,
    instead of a 500. Nothing is kept between requests: when the database is back, the next
    request reconnects (CONN_HEALTH_CHECKS drops a broken persistent connection first)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception):
        if not isinstance(exception, views.DATABASE_UNAVAILABLE):
            return None
        # One line per request, without a traceback: during an outage every request fails alike.
        logger.warning(
            "The database is unavailable: %s",
            exception,
            extra={"error": type(exception).__name__},
        )
        return views.database_unavailable(request)
