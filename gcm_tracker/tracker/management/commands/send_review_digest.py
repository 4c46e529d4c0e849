from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from gcm_tracker.tracker import notifications
from gcm_tracker.tracker.enums import ReviewState
from gcm_tracker.tracker.models import FollowUpAction


class Command(BaseCommand):
    help = _(
        "E-mail reviewers the follow-up actions waiting for review (run daily, e.g. from cron)."
    )

    def handle(self, *args, **options):
        waiting = FollowUpAction.objects.filter(review_state=ReviewState.SUBMITTED).select_related(
            "lead_stakeholder"
        )
        sent = notifications.review_digest(waiting.order_by("submitted_at"))
        self.stdout.write(
            _("%(actions)d actions wait for review; %(sent)d reviewers e-mailed.")
            % {"actions": waiting.count(), "sent": sent}
        )
