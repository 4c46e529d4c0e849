"""/healthz, /readyz, and what a request gets when its view finds the database unreachable."""

import json

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_healthz_answers_ok_without_a_database_query(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get("/healthz")

    assert (response.status_code, response.json()) == (200, {"status": "ok"})
    assert response["Cache-Control"] == "max-age=0, no-cache, no-store, must-revalidate, private"


def test_readyz_answers_ok_after_one_query(client, django_assert_num_queries):
    # 1. SELECT 1
    with django_assert_num_queries(1):
        response = client.get("/readyz")

    assert (response.status_code, response.json()) == (200, {"status": "ok", "database": "ok"})


@pytest.mark.parametrize("path", ["/healthz", "/readyz"])
def test_health_checks_answer_get_and_head_only(client, path):
    answers = [client.get(path).status_code, client.head(path).status_code]

    answers.append(client.post(path).status_code)

    assert answers == [200, 200, 405]


@pytest.mark.parametrize("path", ["/healthz", "/readyz"])
def test_health_checks_answer_probes_that_name_the_container_by_address(client, path):
    # Orchestrators probe http://<container IP>:8000/, a host that ALLOWED_HOSTS does not list.
    probe = client.get(path, HTTP_HOST="10.0.3.7:8000")
    page = client.get("/", HTTP_HOST="10.0.3.7:8000")

    assert (probe.status_code, page.status_code) == (200, 400)


def test_health_checks_stay_on_plain_http_when_https_is_enforced(client, settings):
    settings.SECURE_SSL_REDIRECT = True

    answers = {path: client.get(path).status_code for path in ["/healthz", "/readyz", "/"]}

    assert answers == {"/healthz": 200, "/readyz": 200, "/": 301}


def test_health_routes_are_named(client):
    assert [reverse("ops:healthz"), reverse("ops:readyz")] == ["/healthz", "/readyz"]


@pytest.mark.urls("tests.ops.urls")
@pytest.mark.parametrize("path", ["/test/database-refuses/", "/test/connection-closed/"])
def test_view_finding_database_unreachable_answers_503_page_with_retry_after(client, path):
    response = client.get(path)

    html = response.content.decode()
    assert (response.status_code, response["Retry-After"]) == (503, "30")
    assert response["Cache-Control"] == "no-store"
    assert "<h1>The tracker is briefly unavailable</h1>" in html
    # Nothing of the error reaches the visitor.
    assert [word for word in ["10.0.0.9", "5432", "connection", "Error"] if word in html] == []


@pytest.mark.urls("tests.ops.urls")
def test_api_finding_database_unreachable_answers_503_json(client):
    response = client.get("/api/test/database-refuses/")

    assert (response.status_code, response["Retry-After"]) == (503, "30")
    assert json.loads(response.content) == {
        "detail": "The service is briefly unavailable. Please try again shortly."
    }


@pytest.mark.urls("tests.ops.urls")
def test_outage_page_renders_without_touching_the_database(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get("/test/database-refuses/")

    assert response.status_code == 503
