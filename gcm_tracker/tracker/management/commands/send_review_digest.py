from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from gcm_tracker.tracker import notifications
from gcm_tracker.tracker.enums import ReviewState
from gcm_tracker.tracker.models import AssessmentSubmission, FollowUpAction


class Command(BaseCommand):
    help = _(
        "E-mail reviewers the follow-up actions and country assessments waiting for review (run "
        "daily, e.g. from cron)."
    )

    def handle(self, *args, **options):
        waiting = FollowUpAction.objects.filter(review_state=ReviewState.SUBMITTED).select_related(
            "lead_stakeholder"
        )
        assessments = AssessmentSubmission.objects.filter(
            review_state=ReviewState.SUBMITTED
        ).select_related("recommendation", "country", "stakeholder")
        waiting, assessments = (
            list(waiting.order_by("submitted_at")),
            list(assessments.order_by("submitted_at", "id")),
        )
        sent = notifications.review_digest(waiting, assessments)
        self.stdout.write(
            _(
                "%(actions)d actions and %(assessments)d country assessments wait for review; "
                "%(sent)d reviewers e-mailed."
            )
            % {"actions": len(waiting), "assessments": len(assessments), "sent": sent}
        )
