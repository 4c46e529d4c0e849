"""Security headers on every answer, and pages that keep working under the Content Security
Policy: no inline script, style or event handler anywhere, the admin's included."""

import re

import pytest
from django.contrib import admin
from django.urls import reverse

from gcm_tracker.api.views import SwaggerDocsView
from gcm_tracker.tracker.models import Recommendation

pytestmark = pytest.mark.django_db

POLICY = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self'",
    "object-src": "'none'",
    "base-uri": "'none'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
}
# What a policy without 'unsafe-inline' blocks: inline scripts (JSON data blocks are not run),
# <style> elements, style attributes, event-handler attributes and javascript: URLs.
INLINE_CODE = re.compile(
    r"<script(?![^>]*\ssrc=)(?![^>]*type=\"application/json\")[^>]*>"
    r"|<style|\sstyle=|\son[a-z]+=|javascript:",
    re.IGNORECASE,
)


def _policy(response) -> dict[str, str]:
    directives = (
        part.strip().split(" ", 1) for part in response["Content-Security-Policy"].split(";")
    )
    return dict(directives)


def _inline_code(client, url) -> list[str]:
    response = client.get(url)
    assert response.status_code == 200, url
    return INLINE_CODE.findall(response.content.decode())


def test_public_page_sends_csp_and_security_headers(client):
    response = client.get("/")

    assert _policy(response) == POLICY
    assert {
        name: response[name]
        for name in [
            "X-Frame-Options",
            "X-Content-Type-Options",
            "Referrer-Policy",
            "Cross-Origin-Opener-Policy",
        ]
    } == {
        "X-Frame-Options": "DENY",
        "X-Content-Type-Options": "nosniff",
        "Referrer-Policy": "same-origin",
        "Cross-Origin-Opener-Policy": "same-origin",
    }


@pytest.mark.urls("tests.ops.urls")
def test_outage_and_error_pages_send_the_same_policy(client):
    client.raise_request_exception = False

    policies = [_policy(client.get(url)) for url in ["/test/database-refuses/", "/test/bug/"]]

    assert policies == [POLICY, POLICY]


def test_interactive_api_docs_keep_their_own_equally_strict_policy(client):
    response = client.get("/api/docs/interactive/")

    assert response["Content-Security-Policy"] == SwaggerDocsView.CONTENT_SECURITY_POLICY


def test_public_and_account_pages_have_no_inline_code(client, seed):
    urls = [
        "/",
        "/recommendations/",
        "/recommendations/border-governance-2020-26/",
        "/objectives/",
        "/objectives/13/",
        "/countries/",
        "/countries/THA/",
        "/stakeholders/",
        "/consultations/",
        "/consultations/border-governance-2020/",
        "/actions/",
        "/good-practices/",
        "/data/",
        "/accounts/login/",
        "/accounts/password/reset/",
        "/accounts/request/",
    ]

    inline = {url: _inline_code(client, url) for url in urls}
    not_found = INLINE_CODE.findall(client.get("/no-such-page/").content.decode())

    assert inline == {key: [] for key in urls}
    assert not_found == []


def test_workspace_pages_have_no_inline_code(client, seed, contributor_a, staff):
    client.force_login(contributor_a)
    contributor_pages = {
        url: _inline_code(client, url) for url in ["/workspace/", "/workspace/actions/new/"]
    }
    client.force_login(staff)
    reference = Recommendation.objects.order_by("pk").first().reference
    staff_pages = {
        url: _inline_code(client, url)
        for url in [
            "/workspace/",
            "/workspace/review/",
            f"/workspace/recommendations/{reference}/status/",
        ]
    }

    assert contributor_pages == {"/workspace/": [], "/workspace/actions/new/": []}
    assert staff_pages == {key: [] for key in staff_pages}


def test_admin_pages_have_no_inline_code(client, seed, admin_user):
    client.force_login(admin_user)
    urls = ["/admin/", "/admin/password_change/"]
    for model, model_admin in admin.site._registry.items():
        info = model._meta.app_label, model._meta.model_name
        urls.append(reverse("admin:{}_{}_changelist".format(*info)))
        if model_admin.has_add_permission(_request(admin_user)):
            urls.append(reverse("admin:{}_{}_add".format(*info)))
        first = model.objects.order_by("pk").first()
        if first is not None:
            urls.append(reverse("admin:{}_{}_change".format(*info), args=[first.pk]))
            urls.append(reverse("admin:{}_{}_history".format(*info), args=[first.pk]))

    inline = {url: _inline_code(client, url) for url in urls}

    assert inline == {key: [] for key in urls}
    assert len(urls) > 40


def _request(user):
    from django.test import RequestFactory

    request = RequestFactory().get("/admin/")
    request.user = user
    return request
