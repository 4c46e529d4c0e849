"""The committed openapi.yaml is the schema the code generates, /api/schema/ serves it, and
/api/docs/ is Swagger UI from this site's own files with no inline script or style."""

import re
from pathlib import Path

import pytest
import yaml
from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.management import call_command

pytestmark = pytest.mark.django_db

COMMITTED = Path(settings.BASE_DIR) / "openapi.yaml"
REGENERATE = "python manage.py spectacular --file openapi.yaml"


def test_openapi_yaml_is_the_schema_the_code_generates(tmp_path):
    generated = tmp_path / "openapi.yaml"

    # --validate checks it against the OpenAPI 3 meta-schema; --fail-on-warn refuses a schema
    # drf-spectacular had to guess.
    call_command("spectacular", "--file", str(generated), "--validate", "--fail-on-warn")

    assert generated.read_text(encoding="utf-8") == COMMITTED.read_text(encoding="utf-8"), (
        f"openapi.yaml is out of date: run `{REGENERATE}` and commit it."
    )


def test_schema_endpoint_serves_the_committed_schema(api):
    response = api.get("/api/schema/")

    assert response.status_code == 200
    assert response.headers["Content-Type"] == "application/vnd.oai.openapi; charset=utf-8"
    assert yaml.safe_load(response.content) == yaml.safe_load(COMMITTED.read_text("utf-8"))


def test_schema_documents_the_error_responses_of_each_operation():
    schema = yaml.safe_load(COMMITTED.read_text("utf-8"))

    codes = {
        (path, method): sorted(operation["responses"])
        for path, operations in schema["paths"].items()
        for method, operation in operations.items()
    }

    assert codes[("/api/v1/recommendations/", "get")] == ["200", "400", "401", "404", "429"]
    # Every operation may be asked for a language the API does not answer in (?lang=): 400.
    assert codes[("/api/v1/objectives/", "get")] == ["200", "400", "401", "404", "429"]
    detail = codes[("/api/v1/recommendations/{reference}/", "get")]
    assert detail == ["200", "400", "401", "404", "429"]
    assert codes[("/api/v1/recommendations/{reference}/status/", "post")] == [
        "200",
        "201",
        "400",
        "401",
        "403",
        "404",
        "409",
        "415",
        "429",
    ]
    assert codes[("/api/v1/actions/", "post")] == ["201", "400", "401", "403", "415", "429"]
    assert codes[("/api/v1/actions/{id}/", "patch")] == [
        "200",
        "400",
        "401",
        "403",
        "404",
        "409",
        "415",
        "429",
    ]
    # Withdrawing and publishing read no body, so they cannot answer 415 (400: ?lang=).
    withdraw = codes[("/api/v1/actions/{id}/", "delete")]
    publish = codes[("/api/v1/actions/{id}/publish/", "post")]
    assert withdraw == ["204", "400", "401", "403", "404", "409", "429"]
    assert publish == ["200", "400", "401", "403", "404", "409", "429"]
    assert {method for _, method in codes} == {"get", "post", "put", "patch", "delete"}
    assert "500" not in {code for responses in codes.values() for code in responses}
    assert "405 method not allowed" in schema["info"]["description"]


def _attributes(html: str, name: str) -> list[str]:
    return re.findall(rf'{name}="([^"]*)"', html)


def test_docs_page_loads_swagger_ui_from_local_files_without_inline_code(api):
    response = api.get("/api/docs/interactive/")

    html = response.content.decode()
    assert response.status_code == 200
    assert response.headers["Content-Security-Policy"] == (
        "default-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; "
        "form-action 'none'; frame-ancestors 'none'"
    )
    # No inline script or style, which the policy would block.
    assert re.findall(r"<script(?![^>]*\ssrc=)[^>]*>", html) == []
    assert re.findall(r"<style|\sstyle=|\son[a-z]+=", html) == []
    assert _attributes(html, "src") == [
        "/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js",
        "/static/api/swagger-ui-init.js",
    ]
    assert _attributes(html, "href") == [
        "/static/drf_spectacular_sidecar/swagger-ui-dist/favicon-32x32.png",
        "/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui.css",
        "/static/api/swagger-ui-page.css",
        "/",
        "/api/docs/",
        "/api/schema/",
    ]
    assert _attributes(html, "data-schema-url") == ["/api/schema/"]


@pytest.mark.parametrize(
    "path",
    [
        "drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js",
        "drf_spectacular_sidecar/swagger-ui-dist/swagger-ui.css",
        "drf_spectacular_sidecar/swagger-ui-dist/favicon-32x32.png",
        "api/swagger-ui-init.js",
        "api/swagger-ui-page.css",
    ],
)
def test_docs_page_static_file_is_served_by_this_site(path):
    found = finders.find(path)

    assert found is not None
    assert Path(found).stat().st_size > 0


def test_api_reference_is_server_rendered_html_that_leads_back_to_the_site(api):
    response = api.get("/api/docs/")

    html = response.content.decode()
    assert response.status_code == 200
    # The site's layout: its header and menu lead back to the site; no script but the site's.
    assert '<a class="brand" href="/">' in html
    assert _attributes(html, "src") == ["/static/js/chooser.js", "/static/js/site.js"]
    assert len(response.content) < 300_000
    # Every operation of the schema, with its parameters and fields.
    schema = yaml.safe_load(Path(settings.BASE_DIR / "openapi.yaml").read_text())
    methods = ("get", "post", "put", "patch", "delete")
    operations = [
        (m.upper(), p) for p, item in schema["paths"].items() for m in item if m in methods
    ]
    shown = re.findall(r'<h3 id="[^"]+-heading"><code>(\w+) ([^<]+)</code></h3>', html)
    assert sorted(shown) == sorted(operations)
    assert (
        '<th scope="row"><code>short_title</code> (required) (read-only)</th><td>string</td>'
    ) in html
    assert '<a href="/api/docs/interactive/">' in html
