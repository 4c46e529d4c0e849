"""Views that exist only in the benchmark's URL configuration (bench/urls.py)."""

from django.core.cache import cache
from django.http import HttpResponse
from django.template import engines

from gcm_tracker.dashboards.views import dashboard
from gcm_tracker.tracker.models import Objective

_FLOOR = engines["django"].from_string("<!DOCTYPE html><title>floor</title><p>{{ count }}</p>")


def floor(request):
    """The floor every page is compared with: one trivial query and a tiny template."""
    return HttpResponse(_FLOOR.render({"count": Objective.objects.filter(number=1).count()}))


def dashboard_cold(request):
    """The dashboard with its cached aggregates thrown away first."""
    cache.clear()
    return dashboard(request)
