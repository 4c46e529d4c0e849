# The Celery app is loaded with Django, so that `@shared_task`s bind to it and queueing a task
# from a view or a service uses its settings.
from .celery import app as celery_app

__all__ = ["celery_app"]
