"""E-mails in each recipient's language.

A message to several people (an organisation's members) is written once per language among them,
each group getting its own copy; a member's language is their profile's (accounts.Profile),
English when they chose none. Subscribers to lists store theirs (follow.Subscription.language).
"""

from collections import defaultdict
from collections.abc import Callable

from django.conf import settings
from django.contrib.auth import get_user_model
from django.template.loader import render_to_string
from django.utils import translation

from . import languages


def by_language(recipients) -> list[tuple[str, list[str]]]:
    """`recipients` (addresses of accounts) grouped by their language, in one query; an address
    no account with a language has is in English."""
    chosen = dict(
        get_user_model()
        .objects.filter(email__in=list(recipients))
        .exclude(profile__language="")
        .exclude(profile__language__isnull=True)
        .values_list("email", "profile__language")
    )
    groups = defaultdict(list)
    for address in recipients:
        groups[languages.exact(chosen.get(address)) or settings.LANGUAGE_CODE].append(address)
    return sorted(groups.items())


def language_key(key: str, language: str) -> str:
    """A message's key (notifications.deliver) for one language's copy; the English copy keeps
    the key it always had."""
    return key if language == settings.LANGUAGE_CODE else f"{key}:{language}"


def queue_in_languages(
    *,
    key: str,
    what: str,
    subject: Callable[[], str],
    template: str,
    context: dict,
    recipients,
    after_commit: bool = True,
) -> None:
    """Queue (notifications.queue_email) `template` to `recipients`, one copy per language;
    `subject` is called in each language."""
    from gcm_tracker.tracker.notifications import queue_email

    for language, group in by_language(recipients):
        with translation.override(language):
            body = render_to_string(template, context)
            title = subject()
        queue_email(
            key=language_key(key, language),
            what=what,
            subject=title,
            body=body,
            recipients=group,
            after_commit=after_commit,
        )
