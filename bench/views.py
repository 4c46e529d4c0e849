"""Views that exist only in the benchmark's URL configuration (bench/urls.py)."""

import os

from django.core.cache import cache
from django.http import HttpResponse
from django.template import engines
from django.urls import resolve

from gcm_tracker.tracker.models import Objective

_FLOOR = engines["django"].from_string("<!DOCTYPE html><title>floor</title><p>{{ count }}</p>")


def floor(request):
    """The floor every page is compared with: one trivial query and a tiny template. It names
    the worker that answered, so the harness can tell when every worker is free again."""
    response = HttpResponse(_FLOOR.render({"count": Objective.objects.filter(number=1).count()}))
    response["X-Bench-Worker"] = str(os.getpid())
    return response


def cold(request, path=""):
    """The site's page at /<path> with every cache thrown away first (cached aggregates, menus
    and pages), as after a status change: what a page costs to render."""
    cache.clear()
    match = resolve(f"/{path}")
    return match.func(request, *match.args, **match.kwargs)
