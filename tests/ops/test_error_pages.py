"""Our 400, 403, 404, 500 and CSRF pages: friendly, and nothing of the error in them."""

import pytest
from django.db import OperationalError
from django.test import Client

from gcm_tracker.ops.views import server_error

pytestmark = pytest.mark.django_db


def _h1(response) -> str:
    html = response.content.decode()
    return html.split("<h1>", 1)[1].split("</h1>", 1)[0]


def test_404_page_says_not_found_without_echoing_the_address(client):
    response = client.get("/no-such-page-xq7/")

    assert (response.status_code, _h1(response)) == (404, "Page not found")
    assert "xq7" not in response.content.decode()


@pytest.mark.urls("tests.ops.urls")
def test_500_page_shows_no_traceback_or_exception_text(client):
    client.raise_request_exception = False

    response = client.get("/test/bug/")

    html = response.content.decode()
    assert (response.status_code, _h1(response)) == (500, "Something went wrong")
    assert [word for word in ["hunter2", "ValueError", "Traceback", "secret"] if word in html] == []


def test_500_page_renders_without_touching_the_database(rf, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = server_error(rf.get("/"))

    assert (response.status_code, _h1(response)) == (500, "Something went wrong")


def test_500_handler_answers_503_for_a_database_outage_outside_the_views(rf):
    # E.g. the session middleware saving a session after the view, or an error page that needs
    # the signed-in user: the exception reaches handler500, not the outage middleware.
    try:
        raise OperationalError("server closed the connection unexpectedly")
    except OperationalError:
        response = server_error(rf.get("/"))

    assert (response.status_code, response["Retry-After"], _h1(response)) == (
        503,
        "30",
        "The tracker is briefly unavailable",
    )


def test_403_page_says_not_allowed_without_the_reason(client, contributor_a):
    client.force_login(contributor_a)

    response = client.get("/workspace/review/")

    assert (response.status_code, _h1(response)) == (403, "You are not allowed to see this page")


def test_400_page_answers_a_host_the_site_does_not_serve(client):
    response = client.get("/", HTTP_HOST="evil.example.com")

    assert (response.status_code, _h1(response)) == (400, "The request could not be understood")
    assert "evil.example.com" not in response.content.decode()


def test_csrf_failure_page_explains_without_internals(db):
    client = Client(enforce_csrf_checks=True)

    response = client.post("/accounts/login/", {"username": "a", "password": "b"})

    html = response.content.decode()
    assert (response.status_code, _h1(response)) == (403, "The form could not be sent")
    assert ["CSRF" in html, "<style" in html] == [False, False]
