"""The briefing pack and follow pages in a real browser, with the seed data: 0 axe violations
of WCAG 2.1 A and AA at desktop width and at 320 px, and no sideways scrolling on a phone."""

import datetime

import pytest

from gcm_tracker.briefings import packs, subjects
from gcm_tracker.briefings.models import PackState
from gcm_tracker.follow import mail
from gcm_tracker.follow.models import Subscription

from .conftest import DESKTOP, PHONE, axe_violations, set_viewport
from .test_accessibility import _assess, _publish_an_action

pytestmark = pytest.mark.django_db(transaction=True)

PERIOD = "start=2024-01-01&end=2026-12-31"
PAGES = [
    "/packs/",
    f"/packs/?subject=country:THA&{PERIOD}&format=docx",
    "/packs/?subject=country:XXX&start=2024-12-31&end=2024-01-01",
    "/packs/{country_page}/download/",
    "/packs/{objective_page}/download/",
    "/packs/{running}/",
    "/packs/{failed}/",
    "/follow/recommendations/subscribe/?objective=13",
    "/follow/matrix/subscribe/?objective=99",
    "/follow/confirm/{confirm}/",
    "/follow/unsubscribe/{unsubscribe}/",
    "/follow/confirm/forged/",
]


def _rows(briefing_pack) -> dict:
    running = briefing_pack(generation=1, state=PackState.RUNNING, progress=40)
    failed = briefing_pack(generation=2, state=PackState.FAILED)
    subscription = Subscription.objects.create(
        email="reader@example.org", view="recommendations", query="objective=13", frequency="daily"
    )
    pages = {}
    for name, kind, key in [
        ("country_page", "country", "THA"),
        ("objective_page", "objective", "13"),
    ]:
        web_page, _queued = packs.request_pack(
            subject=subjects.resolve(kind, key),
            start=datetime.date(2024, 1, 1),
            end=datetime.date(2026, 12, 31),
            fmt="html",
            language="en",
        )
        pages[name] = web_page.pk  # built at once: the queue is eager and nothing waits to commit
    return pages | {
        "running": running.pk,
        "failed": failed.pk,
        "confirm": mail.confirm_url(subscription).rstrip("/").rsplit("/", 1)[1],
        "unsubscribe": mail.unsubscribe_url(subscription).rstrip("/").rsplit("/", 1)[1],
    }


@pytest.mark.parametrize("path", PAGES)
def test_page_has_no_accessibility_violations(browser, seeded_live_server, briefing_pack, path):
    _publish_an_action()
    _assess()
    path = path.format(**_rows(briefing_pack))
    results = {}
    for name, size in [("desktop", DESKTOP), ("phone", PHONE)]:
        set_viewport(browser, size)
        browser.get(seeded_live_server.url + path)
        width, overflow = browser.execute_script(
            "const root = document.documentElement;"
            "return [window.innerWidth, root.scrollWidth - root.clientWidth];"
        )
        results[name] = (width, axe_violations(browser), overflow)

    assert results == {"desktop": (DESKTOP[0], [], 0), "phone": (PHONE[0], [], 0)}
