"""Background tasks of the public site: the bulk open-data files (dashboards.open_data)."""

import logging

from celery import shared_task
from django.core.cache import cache

from . import open_data

logger = logging.getLogger(__name__)

# At most one check queued per this many seconds by visits to /data/ (the beat queues its own).
REQUEST_SECONDS = 60


@shared_task(autoretry_for=(OSError,), max_retries=3, retry_backoff=60)
def build_open_data_if_changed() -> str | None:
    """Build the open-data files if the public data changed since the last build. Idempotent:
    a second run finds the generation unchanged, or the lock held, and builds nothing."""
    manifest = open_data.build_if_changed()
    if manifest is None:
        return None
    logger.info(
        "Built open-data version %s: %s.",
        manifest["version"],
        ", ".join(f"{table['name']} {table['rows']} rows" for table in manifest["tables"]),
    )
    return manifest["version"]


def request_open_data_check() -> None:
    """Queue a check soon, at most once a minute: the data page calls it when its newest files
    are older than the public data, so that `make run`, which has no beat and runs tasks in the
    request, builds them too."""
    if cache.add("open-data:check-requested", True, timeout=REQUEST_SECONDS):
        try:
            build_open_data_if_changed.delay()
        except Exception:
            logger.exception("Could not queue a build of the open-data files.")
