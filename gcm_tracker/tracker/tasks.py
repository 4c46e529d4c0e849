"""Background tasks of the workflows: sending their e-mails and the reviewers' daily digest.

Both are idempotent, so a task run twice (acks late: a worker that died mid-task) does no harm:
a message is sent once per key (notifications.deliver), and the digest once per reviewer and day.
"""

import logging

from celery import Task, shared_task
from django.utils import timezone

from . import notifications
from .enums import ReviewState
from .models import AssessmentSubmission, FollowUpAction

logger = logging.getLogger("gcm_tracker.tracker.notifications")


class EmailTask(Task):
    def on_failure(self, exc, task_id, args, kwargs, einfo):
        # Every retry failed: the mail server stayed unreachable for the whole backoff.
        logger.error(
            "Could not send the e-mail %s after %d tries; the change itself is saved.",
            kwargs.get("what", "?"),
            self.max_retries + 1,
        )


@shared_task(
    base=EmailTask,
    # SMTP errors and unreachable servers are OSErrors; a message that can never be sent is
    # logged by deliver() instead of retried.
    autoretry_for=(OSError,),
    max_retries=6,
    retry_backoff=30,
    retry_backoff_max=30 * 60,
    retry_jitter=True,
)
def send_email(*, key: str, what: str, subject: str, body: str, recipients: list[str]) -> bool:
    return notifications.deliver(
        key=key, what=what, subject=subject, body=body, recipients=recipients
    )


def review_digest_queue(*, day: str | None = None) -> tuple[int, int, int]:
    """Queue today's digest for every reviewer: (actions waiting, country assessments waiting,
    reviewers to e-mail)."""
    waiting = list(
        FollowUpAction.objects.filter(review_state=ReviewState.SUBMITTED)
        .select_related("lead_stakeholder")
        # As the queue lists them; the key parts ties (actions submitted at once, or before
        # submission dates were kept), which PostgreSQL would otherwise return in any order.
        .order_by("submitted_at", "id")
    )
    assessments = list(
        AssessmentSubmission.objects.filter(review_state=ReviewState.SUBMITTED)
        .select_related("recommendation", "country", "stakeholder")
        .order_by("submitted_at", "id")
    )
    day = day or timezone.localdate().isoformat()
    reviewers = notifications.review_digest(waiting, assessments, day=day)
    return len(waiting), len(assessments), reviewers


@shared_task(autoretry_for=(OSError,), max_retries=3, retry_backoff=60)
def send_review_digest() -> int:
    """The beat's daily digest (settings.CELERY_BEAT_SCHEDULE); returns reviewers e-mailed."""
    return review_digest_queue()[2]
