"""The public REST API (/api/v1/), its OpenAPI schema and its documentation pages.

Views, serializers and URLs only: reads come from tracker.selectors, filters from tracker.filters
and the one write (a recommendation's status) from tracker.services, so the API shows the same rows
as the public site and changes data the same way the staff screens do.
"""
