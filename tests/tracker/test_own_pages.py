"""Issue 13: a signed-in user's whole page is kept for their browser (tracker.own_pages): the
admin's change lists and the work pages under the work-data generation, public pages under the
public-data generation. What one browser was given is never served to another, the tokens in a
kept page stay valid for the browser it was kept for, and a page with messages waiting, or for a
browser without its CSRF cookie, is drawn afresh."""

import re

import pytest
from django.conf import settings
from django.contrib import messages
from django.contrib.messages.storage.fallback import FallbackStorage
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from gcm_tracker.tracker.models import Stakeholder
from tests.factories import RecommendationFactory, StaffFactory, StakeholderFactory

pytestmark = pytest.mark.django_db

STAKEHOLDERS = "/admin/tracker/stakeholder/"


def _browser(user, **options) -> Client:
    """A browser in which `user` signed in and opened a page (so it holds a CSRF cookie)."""
    client = Client(**options)
    client.force_login(user)
    client.get(reverse("accounts:language"))
    assert settings.CSRF_COOKIE_NAME in client.cookies
    return client


def _queries(client, url) -> tuple[str, int]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return response.content.decode(), len(captured)


def test_a_change_list_seen_again_reads_only_the_session_and_the_user(staff):
    StakeholderFactory(name="Migrant Forum in Asia")
    browser = _browser(staff)
    first, drawn = _queries(browser, STAKEHOLDERS)

    second, served = _queries(browser, STAKEHOLDERS)

    assert "Migrant Forum in Asia" in first
    assert (drawn > 2, served) == (True, 2)
    assert second == first


def test_a_change_list_shows_any_change_on_the_next_view(staff):
    organisation = StakeholderFactory(name="Migrant Forum in Asia")
    browser = _browser(staff)
    assert "Migrant Forum in Asia" in _queries(browser, STAKEHOLDERS)[0]

    Stakeholder.objects.filter(pk=organisation.pk).update(name="Renamed")  # no signal
    assert "Migrant Forum in Asia" in _queries(browser, STAKEHOLDERS)[0]  # kept, as said
    organisation.name = "Renamed forum"
    organisation.save()

    page = _queries(browser, STAKEHOLDERS)[0]
    assert ("Renamed forum" in page, "Migrant Forum in Asia" in page) == (True, False)


def _sign_out(page: str) -> tuple[str, str]:
    """The address and CSRF token of the page's sign-out form (the site's or the admin's)."""
    found = re.search(r'action="(?P<action>[^"]*logout/)">.*?name="csrfmiddlewaretoken" '
                      r'value="(?P<token>[^"]+)"', page, re.DOTALL)  # fmt: skip
    return found["action"], found["token"]


@pytest.mark.parametrize("url", [STAKEHOLDERS, reverse("workspace:review-queue"), "/"])
def test_each_browser_gets_a_page_whose_tokens_are_its_own(staff, url):
    RecommendationFactory()
    laptop = _browser(staff, enforce_csrf_checks=True)
    phone = _browser(staff, enforce_csrf_checks=True)
    for browser in (laptop, phone):  # drawn, then kept
        browser.get(url)

    laptop_page = _queries(laptop, url)[0]
    phone_page = _queries(phone, url)[0]

    assert _sign_out(laptop_page)[1] != _sign_out(phone_page)[1]
    for browser, page in ((laptop, laptop_page), (phone, phone_page)):
        action, token = _sign_out(page)
        signed_out = browser.post(action, {"csrfmiddlewaretoken": token})
        assert signed_out.status_code in (200, 302)  # not 403: the token is this browser's
        assert browser.get(reverse("workspace:home")).status_code == 302  # signed out


def test_a_browser_without_its_csrf_cookie_gets_a_page_drawn_for_it(staff):
    browser = _browser(staff)
    _queries(browser, STAKEHOLDERS)
    del browser.cookies[settings.CSRF_COOKIE_NAME]

    response = browser.get(STAKEHOLDERS)

    assert settings.CSRF_COOKIE_NAME in response.cookies  # a new secret, in a page drawn anew


def test_a_page_with_messages_waiting_shows_them(staff, rf):
    browser = _browser(staff)
    _queries(browser, STAKEHOLDERS)
    # A message kept for the next page, as a redirect after an admin action leaves one.
    request = rf.get("/")
    request.session = browser.session
    request._messages = FallbackStorage(request)
    messages.warning(request, "Items must be selected in order to perform actions on them.")
    request._messages.update(_CookieJar(browser))

    page = _queries(browser, STAKEHOLDERS)[0]

    assert "Items must be selected in order to perform actions on them." in page
    assert "Items must be selected" not in _queries(browser, STAKEHOLDERS)[0]


class _CookieJar:
    """What FallbackStorage.update() writes its cookie to, handed on to the test browser."""

    def __init__(self, browser):
        self.browser = browser

    def set_cookie(self, key, value, **options):
        self.browser.cookies[key] = value

    def delete_cookie(self, key, **options):
        self.browser.cookies.pop(key, None)


def test_a_post_is_never_answered_from_the_cache(staff):
    StakeholderFactory(name="Migrant Forum in Asia")
    browser = _browser(staff)
    _queries(browser, STAKEHOLDERS)

    with CaptureQueriesContext(connection) as captured:
        browser.post(STAKEHOLDERS, {"action": "delete_selected", "index": 0})

    assert len(captured) > 2  # the admin handled it


def test_another_staff_member_gets_their_own_page(staff):
    other = StaffFactory(username="other-staff", first_name="Other")
    _queries(_browser(staff), STAKEHOLDERS)

    page = _queries(_browser(other), STAKEHOLDERS)[0]

    assert "other-staff" in page.lower() or "Other" in page
    assert f">{staff.username}<" not in page
