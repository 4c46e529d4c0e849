"""Health checks, the database-outage answer, and the error views that must not need the
database."""

import logging
import sys

from django.db import InterfaceError, OperationalError, connections
from django.http import HttpResponse, HttpResponseServerError, JsonResponse
from django.shortcuts import render
from django.template import loader
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

logger = logging.getLogger(__name__)

# What Django raises when the database cannot be reached or the connection broke: the server is
# down, restarting, refusing connections, or did not answer within DATABASE_CONNECT_TIMEOUT.
DATABASE_UNAVAILABLE = (OperationalError, InterfaceError)
# Seconds after which clients (and crawlers) may try again; a database restart takes about this.
RETRY_AFTER_SECONDS = 30


def database_unavailable(request=None) -> HttpResponse:
    """503 with Retry-After: a friendly page, or for the API its usual `{"detail": ...}`.

    Renders without the request context, so nothing on the page needs the database (no user, no
    session, no messages)."""
    if request is not None and request.path_info.startswith("/api/"):
        response = JsonResponse(
            {"detail": _("The service is briefly unavailable. Please try again shortly.")},
            status=503,
        )
    else:
        response = HttpResponse(loader.render_to_string("503.html"), status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response


@require_safe
@never_cache
def healthz(request):
    """Liveness: the process answers. Touches nothing else, so a database outage never makes an
    orchestrator restart healthy app containers."""
    return JsonResponse({"status": "ok"})


@require_safe
@never_cache
def readyz(request):
    """Readiness: the database answers a query. 503 while it does not, so a load balancer sends
    traffic to containers that can serve it."""
    try:
        with connections["default"].cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DATABASE_UNAVAILABLE as exc:
        logger.warning("Readiness check failed: the database is unavailable: %s", exc)
        response = JsonResponse({"status": "unavailable", "database": "unavailable"}, status=503)
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response
    return JsonResponse({"status": "ok", "database": "ok"})


def server_error(request):
    """handler500: the 500 page, rendered without the request context (it must work when nothing
    else does). A database outage that escaped the views (e.g. while rendering an error page or
    saving a session) still answers 503 with Retry-After."""
    if isinstance(sys.exc_info()[1], DATABASE_UNAVAILABLE):
        return database_unavailable(request)
    return HttpResponseServerError(loader.render_to_string("500.html"))


def csrf_failure(request, reason=""):
    """CSRF_FAILURE_VIEW: Django's own page has an inline style, which the Content Security Policy
    blocks, and states the reason; ours says what to do and shows no internals."""
    return render(request, "ops/403_csrf.html", status=403)
