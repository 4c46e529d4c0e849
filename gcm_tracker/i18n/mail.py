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

# A user's language, as a lookup from the user model, for reading it with their address.
LANGUAGE_FIELD = "profile__language"


def by_language(recipients, chosen: dict[str, str] | None = None) -> list[tuple[str, list[str]]]:
    """`recipients` (addresses of accounts) grouped by their language; an address no account
    with a language has is in English. `chosen` maps addresses to their languages when the
    caller read them already (with the addresses, see LANGUAGE_FIELD); else one query reads
    them."""
    if chosen is None:
        chosen = dict(
            get_user_model()
            .objects.filter(email__in=list(recipients))
            .exclude(**{LANGUAGE_FIELD: ""})
            .exclude(**{f"{LANGUAGE_FIELD}__isnull": True})
            .values_list("email", LANGUAGE_FIELD)
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
    chosen: dict[str, str] | None = None,
    after_commit: bool = True,
) -> None:
    """Queue (notifications.queue_email) `template` to `recipients`, one copy per language
    (`chosen`: as for by_language); `subject` is called in each language."""
    from gcm_tracker.tracker.notifications import queue_email

    for language, group in by_language(recipients, chosen):
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
