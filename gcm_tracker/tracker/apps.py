from django.apps import AppConfig
from django.contrib.auth import get_user_model
from django.db.models.signals import m2m_changed, post_delete, post_migrate, post_save
from django.utils.translation import gettext_lazy as _


class TrackerConfig(AppConfig):
    name = "gcm_tracker.tracker"
    verbose_name = _("GCM Tracker")

    def ready(self):
        from .cache import public_models, public_row_changed
        from .roles import ensure_roles
        from .work_generation import work_models, work_row_changed

        # After this app's permissions exist (auth's handler, connected earlier, creates them).
        post_migrate.connect(ensure_roles, sender=self)
        # Per model, not for every sender: a post_delete receiver stops Django deleting a model's
        # rows in bulk, which the link tables (changed through m2m_changed) keep.
        for model in public_models(self):
            post_save.connect(public_row_changed, sender=model)
            post_delete.connect(public_row_changed, sender=model)
            for field in model._meta.local_many_to_many:
                m2m_changed.connect(public_row_changed, sender=field.remote_field.through)
        # Work pages show drafts and private rows as well: every change moves their generation.
        for model in [*work_models(self), get_user_model()]:
            post_save.connect(work_row_changed, sender=model)
            post_delete.connect(work_row_changed, sender=model)
            for field in model._meta.local_many_to_many:
                m2m_changed.connect(work_row_changed, sender=field.remote_field.through)
