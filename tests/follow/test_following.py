"""Following a list: sign-up with double opt-in, digests (one e-mail after a matching change,
none after an unrelated one, none twice, none after unsubscribing), feeds with the list's
filters, and the monthly reminders of stale items."""

import datetime
import re

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from gcm_tracker.follow import tasks
from gcm_tracker.follow.models import ReminderSent, Subscription
from tests.factories import (
    CountryFactory,
    ObjectiveFactory,
    RecommendationFactory,
    publish_civil_society,
    record_official,
    set_status,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def objectives(db):
    return ObjectiveFactory(number=3), ObjectiveFactory(number=7)


@pytest.fixture
def recommendations(objectives):
    """One recommendation of objective 3 (followed) and one of objective 7 (not)."""
    return (
        RecommendationFactory(objectives=[objectives[0]]),
        RecommendationFactory(objectives=[objectives[1]]),
    )


@pytest.fixture
def sign_up(client, django_capture_on_commit_callbacks):
    def sign_up(email="reader@example.org", view="recommendations", query="objective=3", **data):
        url = reverse("follow:subscribe", args=[view]) + f"?{query}"
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(url, {"email": email, "frequency": "daily"} | data)

    return sign_up


def _link(message, name) -> str:
    return re.search(rf"http://\S+/follow/{name}/\S+/", message.body).group(0)


def _path(url: str) -> str:
    return url.split("://", 1)[1].split("/", 1)[1].join(["/", ""])


def _run_digests(days=1):
    tasks.send_digests(now=(timezone.now() + datetime.timedelta(days=days)).isoformat())


@pytest.fixture
def confirmed(client, sign_up, recommendations):
    """A confirmed daily digest of the recommendations of objective 3 (the confirmation e-mail
    is mail.outbox[0])."""
    response = sign_up()
    assert response.status_code == 200
    assert b"Check your inbox" in response.content
    assert Subscription.objects.get().confirmed_at is None
    confirm = _path(_link(mail.outbox[0], "confirm"))
    assert client.get(confirm).status_code == 200  # a page with a button; GET changes nothing
    assert Subscription.objects.get().confirmed_at is None
    client.post(confirm)
    subscription = Subscription.objects.get()
    assert subscription.query == "objective=3"
    assert subscription.confirmed_at is not None
    return subscription


def test_unconfirmed_subscription_gets_nothing_but_the_confirmation(
    sign_up, recommendations, staff
):
    sign_up()
    set_status(recommendations[0], staff)
    _run_digests()
    assert len(mail.outbox) == 1
    assert "confirm" in mail.outbox[0].body


def test_confirmed_subscription_gets_one_email_after_a_matching_change(
    confirmed, recommendations, staff
):
    set_status(recommendations[0], staff)
    _run_digests()
    assert len(mail.outbox) == 2
    digest = mail.outbox[1]
    assert digest.to == ["reader@example.org"]
    assert f"{recommendations[0].reference}: No information → Limited progress" in digest.body
    assert recommendations[1].reference not in digest.body
    unsubscribe = _link(digest, "unsubscribe")
    assert digest.extra_headers["List-Unsubscribe"] == f"<{unsubscribe}>"
    assert digest.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    # A second run for the same period (a retried task, the beat twice) sends nothing.
    _run_digests()
    assert len(mail.outbox) == 2


def test_no_email_after_an_unrelated_change(confirmed, recommendations, staff):
    set_status(recommendations[1], staff)  # objective 7
    _run_digests()
    assert len(mail.outbox) == 1  # the confirmation only
    assert Subscription.objects.get().last_sent_through > confirmed.last_sent_through


def test_no_email_after_unsubscribing_with_one_click(confirmed, recommendations, staff):
    from django.test import Client

    unsubscribe = _path(mail.outbox[0].extra_headers["List-Unsubscribe"].strip("<>"))
    set_status(recommendations[0], staff)
    # One-click unsubscribe: a POST without a CSRF token, as mail clients send it (RFC 8058).
    response = Client(enforce_csrf_checks=True).post(
        unsubscribe, "List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 200
    assert not Subscription.objects.exists()
    _run_digests()
    assert len(mail.outbox) == 1


def test_weekly_digests_go_out_on_mondays_only(confirmed, recommendations, staff):
    Subscription.objects.update(frequency="weekly")
    set_status(recommendations[0], staff)
    today = timezone.localdate()
    days_to_monday = (7 - today.weekday()) % 7 or 7
    for day in range(1, days_to_monday):
        _run_digests(days=day)
    assert len(mail.outbox) == 1
    _run_digests(days=days_to_monday)
    assert len(mail.outbox) == 2


def test_sign_up_never_reveals_whether_an_address_follows(client, sign_up, recommendations):
    first = sign_up()
    Subscription.objects.update(confirmed_at=timezone.now(), last_sent_through=timezone.now())
    again = sign_up()
    assert first.status_code == again.status_code == 200
    assert first.content == again.content
    assert len(mail.outbox) == 1  # the confirmed address gets no second confirmation
    assert Subscription.objects.count() == 1


def test_filters_are_normalised_and_validated_through_the_list_filterset(
    client, sign_up, recommendations
):
    sign_up(query="page=3&objective=3&q=&sort=-updated")
    assert Subscription.objects.get().query == "objective=3"
    response = sign_up(email="other@example.org", query="objective=99")
    assert response.status_code == 400
    assert Subscription.objects.count() == 1
    assert client.get(reverse("follow:subscribe", args=["nothing"])).status_code == 404


def test_bad_email_answers_400_and_saves_nothing(sign_up, recommendations):
    assert sign_up(email="not an address").status_code == 400
    assert not Subscription.objects.exists()
    assert mail.outbox == []


def test_sign_up_is_rate_limited_per_address(sign_up, recommendations):
    for status in ["limited_progress", "implemented", "not_started"]:
        assert sign_up(query=f"objective=3&status={status}").status_code == 200
    assert sign_up(query="objective=7").status_code == 429
    assert Subscription.objects.count() == 3


def test_altered_links_answer_404(client, sign_up, recommendations):
    sign_up()
    confirm = _path(_link(mail.outbox[0], "confirm"))
    assert client.get(confirm[:-3] + "xx/").status_code == 404
    assert client.post(reverse("follow:unsubscribe", args=["forged"])).status_code == 404
    assert Subscription.objects.count() == 1


def test_matrix_digest_follows_the_cells_of_its_filters(
    client, sign_up, recommendations, staff, thailand, organisation_a, contributor_a
):
    laos = CountryFactory(iso3="LAO", short_name="Lao PDR")
    sign_up(view="matrix", query="country=THA&voice=official")
    client.post(_path(_link(mail.outbox[0], "confirm")))
    record_official(recommendations[0], laos, staff)  # another column
    publish_civil_society(recommendations[0], thailand, contributor_a, staff)  # another voice
    record_official(recommendations[0], thailand, staff)
    _run_digests()
    assert len(mail.outbox) == 2
    body = mail.outbox[1].body
    assert f"Thailand, {recommendations[0].reference}: Substantial progress (Official)" in body
    assert "Lao PDR" not in body
    assert organisation_a.name not in body


def test_list_feed_has_exactly_the_filters_of_the_list(client, recommendations, staff):
    set_status(recommendations[0], staff)
    set_status(recommendations[1], staff)
    response = client.get(reverse("follow:feed", args=["recommendations"]), {"objective": "3"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    assert recommendations[0].reference.encode() in response.content
    assert recommendations[1].reference.encode() not in response.content
    everything = client.get(reverse("follow:feed", args=["recommendations"]))
    assert recommendations[1].reference.encode() in everything.content
    bad = client.get(reverse("follow:feed", args=["recommendations"]), {"objective": "99"})
    assert bad.status_code == 400


@pytest.mark.parametrize(
    ("url_name", "key"),
    [
        ("dashboards:recommendation-list", "recommendations"),
        ("dashboards:action-list", "actions"),
        ("dashboards:matrix", "matrix"),
        ("dashboards:changes", "changes"),
    ],
)
def test_every_list_page_links_its_feed_and_digest_with_its_filters(
    client, recommendations, url_name, key
):
    response = client.get(reverse(url_name), {"objective": "3"})
    assert response.status_code == 200
    content = response.content.decode()
    assert f'href="{reverse("follow:feed", args=[key])}?objective=3"' in content
    assert f'href="{reverse("follow:subscribe", args=[key])}?objective=3"' in content


def test_monthly_reminders_go_once_to_each_organisation_and_to_staff(
    recommendations, staff, thailand, contributor_a, settings, django_capture_on_commit_callbacks
):
    settings.GCM_STALE_CELL_MONTHS = 1
    long_ago = timezone.now() - datetime.timedelta(days=90)
    publish_civil_society(recommendations[0], thailand, contributor_a, staff)
    record_official(recommendations[1], thailand, staff)
    from gcm_tracker.tracker.models import Assessment

    Assessment.objects.update(recorded_at=long_ago)
    staff.email = "staff@example.org"
    staff.save()
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.send_stale_reminders("2026-12-01") == 2
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.send_stale_reminders("2026-12-01") == 0  # the month's run is done
    assert ReminderSent.objects.count() == 2
    by_recipient = {tuple(m.to): m for m in mail.outbox}
    assert set(by_recipient) == {(contributor_a.email,), ("staff@example.org",)}
    assert f"Thailand, {recommendations[0].reference}" in by_recipient[(contributor_a.email,)].body
    assert f"Thailand, {recommendations[1].reference}" in by_recipient[("staff@example.org",)].body
    assert recommendations[1].reference not in by_recipient[(contributor_a.email,)].body


def test_a_reminder_lists_each_cell_in_its_readers_language(
    recommendations, staff, thailand, contributor_a, settings, django_capture_on_commit_callbacks
):
    from gcm_tracker.accounts.models import Profile
    from gcm_tracker.tracker.models import Assessment

    settings.GCM_STALE_CELL_MONTHS = 1
    publish_civil_society(recommendations[0], thailand, contributor_a, staff)
    Assessment.objects.update(recorded_at=timezone.now() - datetime.timedelta(days=90))
    Profile.objects.update_or_create(user=contributor_a, defaults={"language": "fr"})
    with django_capture_on_commit_callbacks(execute=True):
        tasks.send_stale_reminders("2026-12-01")

    [message] = mail.outbox
    # French puts a non-breaking space before the colon.
    assert f"- Thaïlande, {recommendations[0].reference}\N{NO-BREAK SPACE}: " in message.body
