"""The workflow e-mails and the review digest go through the task queue (run in-process here, as
under `make run`): sent after the commit, retried with backoff while the mail server cannot be
reached, and never sent twice for one event."""

import io
import json
import logging

import pytest
from django.core import mail
from django.core.management import call_command

from gcm_tracker import celery_app
from gcm_tracker.ops.logs import JSONFormatter
from gcm_tracker.tracker.enums import ReviewState
from gcm_tracker.tracker.services import follow_up_action_publish
from gcm_tracker.tracker.tasks import review_digest_queue, send_email, send_review_digest
from tests.factories import FollowUpActionFactory, StaffFactory

from .mail_backends import UnreachableBackend

pytestmark = pytest.mark.django_db

MESSAGE = {
    "key": "test:1",
    "what": "of the test",
    "subject": "Hello",
    "body": "Body.",
    "recipients": ["someone@example.org"],
}


@pytest.fixture
def unreachable(settings):
    settings.EMAIL_BACKEND = "tests.tracker.mail_backends.UnreachableBackend"
    UnreachableBackend.attempts = 0
    yield UnreachableBackend
    UnreachableBackend.failures = None


def test_send_email_retries_while_the_mail_server_is_unreachable_then_sends_once(unreachable):
    unreachable.failures = 2

    result = send_email.delay(**MESSAGE)

    assert (result.successful(), result.get(), unreachable.attempts) == (True, True, 3)
    assert [(m.subject, m.to) for m in mail.outbox] == [("Hello", ["someone@example.org"])]


def test_send_email_gives_up_after_its_retries_and_logs_it(unreachable, caplog):
    with caplog.at_level(logging.ERROR, logger="gcm_tracker.tracker.notifications"):
        result = send_email.delay(**MESSAGE)

    assert (result.failed(), unreachable.attempts, mail.outbox) == (True, 7, [])
    assert [
        r.getMessage() for r in caplog.records if r.name == "gcm_tracker.tracker.notifications"
    ] == ["Could not send the e-mail of the test after 7 tries; the change itself is saved."]


@pytest.fixture
def log_lines():
    """What the site's JSON log handler (settings.LOGGING) writes, line by line."""
    handler = next(
        h for h in logging.getLogger().handlers if isinstance(h.formatter, JSONFormatter)
    )
    written = io.StringIO()
    previous = handler.setStream(written)
    yield lambda: [json.loads(line) for line in written.getvalue().splitlines()]
    handler.setStream(previous)


def test_task_log_lines_name_the_task_but_not_its_arguments(log_lines):
    send_email.delay(**(MESSAGE | {"body": "Set your password: https://x/reset/secret-token/"}))

    lines = log_lines()
    succeeded = [line for line in lines if line["logger"] == "celery.app.trace"]
    assert [(line["data"]["name"], line["data"]["kwargs"]) for line in succeeded] == [
        ("gcm_tracker.tracker.tasks.send_email", "(not logged)")
    ]
    assert [line for line in lines if "secret-token" in json.dumps(line)] == []


def test_send_email_task_retries_with_exponential_backoff():
    assert (
        send_email.autoretry_for,
        send_email.max_retries,
        send_email.retry_backoff,
        send_email.retry_backoff_max,
        send_email.retry_jitter,
    ) == ((OSError,), 6, 30, 1800, True)


def test_send_email_with_a_key_already_sent_sends_nothing():
    first = send_email.delay(**MESSAGE).get()
    again = send_email.delay(**MESSAGE).get()
    other = send_email.delay(**(MESSAGE | {"key": "test:2"})).get()

    assert (first, again, other) == (True, False, True)
    assert len(mail.outbox) == 2


def test_publishing_queues_the_e_mail_only_when_the_step_commits(
    contributor_a, organisation_a, staff, django_capture_on_commit_callbacks
):
    action = FollowUpActionFactory(
        lead_stakeholder=organisation_a, review_state=ReviewState.SUBMITTED, title="Clinic"
    )

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        follow_up_action_publish(action=action, reviewer=staff)
    queued_before_commit = list(mail.outbox)
    for callback in callbacks:
        callback()

    assert queued_before_commit == []
    assert [(m.subject, m.to) for m in mail.outbox] == [
        ("Published: Clinic", [contributor_a.email])
    ]


def test_publishing_the_same_action_event_twice_mails_once(
    contributor_a, organisation_a, staff, django_capture_on_commit_callbacks
):
    action = FollowUpActionFactory(
        lead_stakeholder=organisation_a, review_state=ReviewState.SUBMITTED, title="Clinic"
    )
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        follow_up_action_publish(action=action, reviewer=staff)

    # The callbacks run twice: the e-mail task is queued twice, as a task delivered twice is.
    for callback in callbacks + callbacks:
        callback()

    assert len(mail.outbox) == 1


@pytest.fixture
def waiting(organisation_a):
    return [
        FollowUpActionFactory(
            lead_stakeholder=organisation_a, review_state=ReviewState.SUBMITTED, title=title
        )
        for title in ["Clinic", "Training"]
    ]


def test_review_digest_task_mails_each_reviewer_once_a_day(waiting, staff):
    other = StaffFactory(username="reviewer-2")

    first = send_review_digest.delay().get()
    again = send_review_digest.delay().get()

    assert (first, again) == (2, 2)
    assert sorted((m.subject, tuple(m.to)) for m in mail.outbox) == [
        ("2 submissions wait for review", (other.email,)),
        ("2 submissions wait for review", (staff.email,)),
    ]
    assert mail.outbox[0].body == (
        "These follow-up actions wait for your review:\n\n"
        "- Clinic (Organisation A)\n- Training (Organisation A)\n\n"
        "http://127.0.0.1:8000/workspace/review/\n\n"
    )


def test_review_digest_of_another_day_is_sent_again(waiting, staff):
    review_digest_queue(day="2026-12-01")
    review_digest_queue(day="2026-12-02")

    assert [m.to for m in mail.outbox] == [[staff.email], [staff.email]]


def test_review_digest_with_nothing_waiting_mails_nobody(staff):
    assert (send_review_digest.delay().get(), mail.outbox) == (0, [])


def test_send_review_digest_command_still_sends_the_digest(waiting, staff):
    out = io.StringIO()

    call_command("send_review_digest", stdout=out)

    assert out.getvalue() == (
        "2 actions and 0 country assessments wait for review; e-mails to 1 reviewers queued.\n"
    )
    assert [m.to for m in mail.outbox] == [[staff.email]]


def test_beat_schedules_the_digests_reminders_clean_up_and_the_open_data_check(settings):
    schedule = settings.CELERY_BEAT_SCHEDULE
    celery_app.loader.import_default_modules()  # what a worker and beat do when they start

    assert sorted(schedule) == [
        "build-open-data-if-changed",
        "remove-old-briefing-packs",
        "send-follow-digests",
        "send-review-digest",
        "send-stale-reminders",
    ]
    assert str(schedule["send-review-digest"]["schedule"]) == ("<crontab: 0 8 * * * (m/h/dM/MY/d)>")
    assert str(schedule["send-follow-digests"]["schedule"]) == (
        "<crontab: 0 7 * * * (m/h/dM/MY/d)>"
    )
    assert str(schedule["send-stale-reminders"]["schedule"]) == (
        "<crontab: 0 6 1 * * (m/h/dM/MY/d)>"
    )
    assert schedule["build-open-data-if-changed"]["schedule"] == 300.0
    assert {entry["task"] for entry in schedule.values()} <= set(celery_app.tasks)
