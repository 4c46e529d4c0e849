"""The app under gunicorn against a PostgreSQL server of the test's own, which the test stops,
replaces by a server that never answers, and starts again: every page that reads the
database answers 503 with Retry-After within the connect timeout + 1 s, /healthz and the
sign-in forms stay 200, and once the database is back
every page answers 200 within 10 s, from the same gunicorn, never restarted.

The cache is off (dummy://) in the app: with it, a dashboard cached before the outage would
still answer 200, which is good for visitors but not what this test measures.
"""

import contextlib
import json
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request

import pytest

from .support import ROOT, PrivateServer, clean_environment, free_port, manage, wait_for_port

# A PostgreSQL server of its own: the suite's database engine does not matter.
pytestmark = pytest.mark.engine_independent

CONNECT_TIMEOUT = 2
# Pages that read the database.
PAGES = [
    "/",
    "/recommendations/",
    "/recommendations/border-governance-2020-26/",
    "/objectives/13/",
    "/api/v1/objectives/",
    "/readyz",
]
# Pages that need no database for an anonymous visitor: they go on answering 200.
NO_DATABASE = ["/healthz", "/accounts/login/", "/admin/login/"]


def _get(port: int, path: str) -> tuple[int, dict, str, float]:
    started = time.monotonic()
    request = urllib.request.Request(f"http://127.0.0.1:{port}{path}")
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            status, headers, body = response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        status, headers, body = error.code, dict(error.headers), error.read()
    return status, headers, body.decode(), time.monotonic() - started


def _statuses(port: int) -> dict[str, int]:
    return {path: _get(port, path)[0] for path in PAGES}


@contextlib.contextmanager
def _silent_listener(port: int):
    """Something on the database's port that accepts connections and never answers: a host
    that hangs, which only the connect timeout ends."""
    with socket.socket() as listener:
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", port))
        listener.listen(64)
        yield


@pytest.fixture
def database():
    server = PrivateServer()
    try:
        server.start()
        server.execute("CREATE DATABASE gcm")
        url = f"postgres://postgres@127.0.0.1:{server.port}/gcm"
        manage("migrate", "--noinput", database_url=url)
        manage("load_seed", database_url=url)
        yield server, url
    finally:
        server.close()


@pytest.fixture
def app(database, tmp_path):
    """gunicorn with two workers, as in docker-compose.yml."""
    _, url = database
    port = free_port()
    log = (tmp_path / "gunicorn.log").open("w")
    process = subprocess.Popen(
        [
            sys.executable, "-m", "gunicorn", "gcm_tracker.wsgi:application",
            "--bind", f"127.0.0.1:{port}", "--workers", "2", "--timeout", "60",
        ],
        env=clean_environment(
            DATABASE_URL=url,
            DATABASE_CONNECT_TIMEOUT=str(CONNECT_TIMEOUT),
            DJANGO_ALLOWED_HOSTS="127.0.0.1",
            CACHE_URL="dummy://",
        ),
        cwd=ROOT,
        stdout=log,
        stderr=subprocess.STDOUT,
    )  # fmt: skip
    try:
        wait_for_port(port)
        yield process, port
    finally:
        process.terminate()
        process.wait(timeout=30)
        log.close()


def test_database_outage_answers_503_quickly_and_recovers_without_restart(database, app):
    server, _ = database
    process, port = app
    assert _statuses(port) == dict.fromkeys(PAGES, 200)

    # 1. The server is stopped: connections are refused.
    server.stop()
    refused = {path: _get(port, path) for path in PAGES}
    without_database = {path: _get(port, path)[0] for path in NO_DATABASE}

    # 2. Something answers on the port but never speaks: only the connect timeout ends it.
    with _silent_listener(server.port):
        hanging = {path: _get(port, path) for path in PAGES}

    # 3. The server is back.
    restarting = time.monotonic()
    server.start()
    back = time.monotonic()
    while _statuses(port) != dict.fromkeys(PAGES, 200) and time.monotonic() - back < 10:
        time.sleep(0.2)
    recovered = time.monotonic()

    for label, answers in [("refused", refused), ("hanging", hanging)]:
        slowest = max(seconds for *_, seconds in answers.values())
        print(f"{label}: slowest 503 after {slowest:.2f} s")
    print(
        f"recovered {recovered - back:.2f} s after the database accepted connections "
        f"({recovered - restarting:.2f} s after it was started)"
    )
    for answers in (refused, hanging):
        assert {p: (a[0], a[1].get("Retry-After")) for p, a in answers.items()} == dict.fromkeys(
            PAGES, (503, "30")
        )
        assert [p for p, a in answers.items() if a[3] > CONNECT_TIMEOUT + 1] == []
        assert [p for p, a in answers.items() if p.startswith(("/api/", "/readyz"))] == [
            "/api/v1/objectives/",
            "/readyz",
        ]
        assert json.loads(answers["/api/v1/objectives/"][2]) == {
            "detail": "The service is briefly unavailable. Please try again shortly."
        }
        assert json.loads(answers["/readyz"][2]) == {
            "status": "unavailable",
            "database": "unavailable",
        }
        pages = [a[2] for p, a in answers.items() if not p.startswith(("/api/", "/readyz"))]
        assert {"The tracker is briefly unavailable" in body for body in pages} == {True}
    assert without_database == dict.fromkeys(NO_DATABASE, 200)
    assert _statuses(port) == dict.fromkeys(PAGES, 200)
    assert recovered - back < 10
    assert process.poll() is None
