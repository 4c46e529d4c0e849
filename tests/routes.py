"""The names of the site's routes, for tests that go through all of them."""

from django.urls import URLPattern, URLResolver


def route_names(patterns, namespace=""):
    """Each named route under `patterns` (get_resolver().url_patterns), with its namespaces:
    "dashboards:country-detail"."""
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from route_names(pattern.url_patterns, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield f"{namespace}{pattern.name}"
