from django.apps import AppConfig


class OpsConfig(AppConfig):
    """Running the site in production: health checks, request ids and logs, the database-outage
    page, error pages, and the portable data export."""

    name = "gcm_tracker.ops"
    label = "ops"
    verbose_name = "Operations"
