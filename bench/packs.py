"""Background work of review meetings, timed in a process of its own as a worker runs it (no web
worker involved): a briefing pack (PDF and DOCX) for the country with the most assessments, the
daily digest run over subscriptions to every followable list, and the monthly reminders of stale
items. Mail goes to Django's dummy backend. Prints JSON; bench/run.py calls it after the pages.

    DATABASE_URL=… python bench/packs.py
"""

import datetime
import json
import os
import sys
import tempfile
import time

os.environ.setdefault("DJANGO_BRIEFING_PACK_DIR", tempfile.mkdtemp(prefix="gcm-bench-packs-"))

import django

django.setup()

from django.db.models import Count  # noqa: E402
from django.utils import timezone  # noqa: E402

from gcm_tracker.briefings import packs  # noqa: E402
from gcm_tracker.briefings.models import BriefingPack  # noqa: E402
from gcm_tracker.follow import digests, reminders  # noqa: E402
from gcm_tracker.follow.models import ReminderSent, Subscription  # noqa: E402
from gcm_tracker.tracker.cache import public_generation  # noqa: E402
from gcm_tracker.tracker.models import Assessment, Country, Objective  # noqa: E402

# Subscriptions of the digest run: each followable list, unfiltered and with a filter.
SUBSCRIPTIONS = 100


def largest_country() -> Country:
    top = (
        Assessment.objects.order_by()
        .values("country_id")
        .annotate(n=Count("*"))
        .order_by("-n", "country_id")
        .first()
    )
    return Country.objects.get(pk=top["country_id"]) if top else Country.objects.get(iso3="THA")


def time_pack(country: Country, fmt: str) -> dict:
    end = timezone.localdate()
    pack = BriefingPack.objects.create(
        kind="country",
        subject=country.iso3,
        start=end - datetime.timedelta(days=365),
        end=end,
        format=fmt,
        language="en",
        generation=public_generation(),
    )
    started = time.monotonic()
    built = packs.build_pack(pack.pk)
    seconds = time.monotonic() - started
    size = (packs.pack_dir() / built.file).stat().st_size if built.file else 0
    result = {"format": fmt, "state": built.state, "seconds": seconds, "bytes": size}
    (packs.pack_dir() / built.file).unlink(missing_ok=True)
    pack.delete()
    return result


def time_digests() -> dict:
    objective = Objective.objects.order_by("number").first()
    country = Country.objects.get(iso3="THA")
    queries = {
        "recommendations": ["", f"objective={objective.number}"],
        "actions": ["", f"objective={objective.number}"],
        "matrix": [f"country={country.iso3}", f"objective={objective.number}&voice=official"],
        "changes": ["", f"country={country.iso3}"],
    }
    week_ago = timezone.now() - datetime.timedelta(days=7)
    rows = [
        Subscription(
            email=f"bench-{n}@example.org",
            view=view,
            query=query,
            frequency="daily",
            confirmed_at=week_ago,
            last_sent_through=week_ago,
        )
        for n in range(SUBSCRIPTIONS // 8)
        for view, options in queries.items()
        for query in options
    ]
    Subscription.objects.bulk_create(rows)
    started = time.monotonic()
    due = digests.due()
    sent = sum(digests.send_digest(pk, end) for pk, end in due)
    seconds = time.monotonic() - started
    Subscription.objects.filter(email__startswith="bench-").delete()
    return {"subscriptions": len(rows), "sent": sent, "seconds": seconds}


def time_reminders() -> dict:
    month = timezone.localdate().replace(day=1)
    ReminderSent.objects.filter(month=month).delete()
    started = time.monotonic()
    queued = reminders.send_month(month)
    seconds = time.monotonic() - started
    return {"queued": queued, "seconds": seconds}


if __name__ == "__main__":
    country = largest_country()
    result = {
        "country": country.short_name,
        "assessments": Assessment.objects.filter(country=country).count(),
        "packs": [time_pack(country, "pdf"), time_pack(country, "docx")],
        "digests": time_digests(),
        "reminders": time_reminders(),
    }
    json.dump(result, sys.stdout)
