from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from gcm_tracker.tracker.tasks import review_digest_queue


class Command(BaseCommand):
    help = _(
        "E-mail reviewers the follow-up actions and country assessments waiting for review. The "
        "task queue's scheduler (beat) does it daily; a reviewer gets one digest a day, however "
        "often it runs."
    )

    def handle(self, *args, **options):
        actions, assessments, reviewers = review_digest_queue()
        self.stdout.write(
            _(
                "%(actions)d actions and %(assessments)d country assessments wait for review; "
                "e-mails to %(sent)d reviewers queued."
            )
            % {"actions": actions, "assessments": assessments, "sent": reviewers}
        )
