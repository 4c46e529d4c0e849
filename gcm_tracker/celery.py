"""The task queue: Celery, with the Redis already in the stack as its broker.

Work that a web request must not wait for runs here: the workflow e-mails, the reviewers' daily
digest and the bulk open-data files. Tasks are defined in each app's `tasks.py`; the schedule
(beat) and the broker come from the settings (CELERY_*), which docs/deploy.md explains. Without a
broker (`make run`, the tests) tasks run in the process that queues them (CELERY_TASK_ALWAYS_EAGER).
"""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gcm_tracker.settings")

app = Celery("gcm_tracker")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
