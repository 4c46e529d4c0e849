"""The signed-in personas of the benchmark, made in its database and signed in programmatically.

A contributor who is a member of a busy organisation and an ESCAP staff member (staff status and
the staff role, as the admin's daily users have). Each gets a session in the session store, as
signing in would make, and a CSRF cookie; wrk and the in-process query count send both, as a
browser does. Run inside Django
(bench/queries.py calls it), against the benchmark database only.
"""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.middleware.csrf import CSRF_ALLOWED_CHARS, CSRF_SECRET_LENGTH
from django.test import Client
from django.utils.crypto import get_random_string

from gcm_tracker.tracker import roles
from gcm_tracker.tracker.models import Membership, Stakeholder

from .pages import BUSY_ORGANISATION, CONTRIBUTOR, STAFF


def _user(username: str, *, is_staff: bool, group: str):
    user, _created = get_user_model().objects.update_or_create(
        username=username, defaults={"is_staff": is_staff, "is_active": True}
    )
    user.groups.set([Group.objects.get(name=group)])
    return user


def signed_in_personas() -> dict[str, dict[str, str]]:
    """Make (or find) the personas and sign each in: {persona: the cookies of their browser}, a
    session and a CSRF cookie, as a browser that has opened a page of the site holds."""
    contributor = _user("bench-contributor", is_staff=False, group=roles.CONTRIBUTORS)
    Membership.objects.get_or_create(
        user=contributor, stakeholder=Stakeholder.objects.get(slug=BUSY_ORGANISATION)
    )
    staff = _user("bench-staff", is_staff=True, group=roles.STAFF)
    cookies = {}
    for persona, user in [(CONTRIBUTOR, contributor), (STAFF, staff)]:
        client = Client()
        client.force_login(user)  # a session in the configured store, as a sign-in makes
        cookies[persona] = {
            settings.SESSION_COOKIE_NAME: client.cookies[settings.SESSION_COOKIE_NAME].value,
            settings.CSRF_COOKIE_NAME: get_random_string(CSRF_SECRET_LENGTH, CSRF_ALLOWED_CHARS),
        }
    return cookies
