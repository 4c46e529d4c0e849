"""With CACHE_URL pointing at Redis, every app process shares one cache: a count one process
writes (a throttle's history, the dashboard's generation) is what the next process reads."""

import contextlib
import socket
import subprocess
import sys
import threading
import time
import uuid

import pytest
import redis

from .support import ROOT, clean_environment

REDIS = ("127.0.0.1", 6379)


def _redis_answers() -> bool:
    with socket.socket() as s:
        s.settimeout(1)
        return s.connect_ex(REDIS) == 0


def _in_process(code: str, cache_url: str) -> str:
    result = subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {code}"],
        env=clean_environment(CACHE_URL=cache_url),
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    return result.stdout.strip()


def test_redis_cache_is_shared_between_app_processes():
    if not _redis_answers():
        pytest.skip("no Redis server on 127.0.0.1:6379")
    # Database 15 and a key of this run only: other users of the server are left alone.
    url, key = "redis://127.0.0.1:6379/15", f"ops-test-{uuid.uuid4().hex}"
    cache = "from django.core.cache import cache"

    first = _in_process(f"{cache}; cache.set('{key}', 41, 60); print(cache.get('{key}'))", url)
    second = _in_process(f"{cache}; print(cache.incr('{key}')); cache.delete('{key}')", url)
    third = _in_process(f"{cache}; print(cache.get('{key}'))", url)

    assert [first, second, third] == ["41", "42", "None"]


def test_redis_cache_builds_one_client_per_connection_pool():
    from gcm_tracker.ops.cache import RedisCache

    if not _redis_answers():
        pytest.skip("no Redis server on 127.0.0.1:6379")
    cache = RedisCache("redis://127.0.0.1:6379/15", {})
    key = f"ops-test-{uuid.uuid4().hex}"

    cache.set(key, [1, 2], 60)
    read = cache.get(key)
    cache.delete(key)

    assert read == [1, 2]
    assert cache.get(key) is None
    assert cache._cache.get_client(write=True) is cache._cache.get_client(write=False)
    assert len(cache._cache._clients) == 1


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_redis_outage_makes_cache_misses_not_errors():
    from gcm_tracker.ops.cache import RedisCache

    cache = RedisCache(f"redis://127.0.0.1:{_closed_port()}/0", {"OPTIONS": {"socket_timeout": 1}})

    answers = [
        cache.get("k", "default"),
        cache.set("k", 1),
        cache.add("k", 1),
        cache.get_many(["k"]),
        cache.get_or_set("k", lambda: "computed"),
        cache.delete("k"),
    ]

    assert answers == ["default", None, False, {}, "computed", False]
    with pytest.raises(ValueError, match="not found"):
        cache.incr("k")


PAGES_WITH_REDIS_DOWN = """
from django.test import Client
c = Client()
print([c.get(path).status_code for path in ["/", "/recommendations/", "/api/v1/objectives/"]])
"""


@pytest.mark.engine_independent
def test_pages_are_served_while_redis_is_down(tmp_path):
    database = f"sqlite:///{tmp_path / 'db.sqlite3'}"
    env = {"DATABASE_URL": database, "DJANGO_ALLOWED_HOSTS": "testserver"}
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput"],
        env=clean_environment(**env), cwd=ROOT, capture_output=True, check=True,
    )  # fmt: skip

    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "--verbosity=0", "-c", PAGES_WITH_REDIS_DOWN],
        env=clean_environment(CACHE_URL=f"redis://127.0.0.1:{_closed_port()}/0", **env),
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )

    assert result.stdout.strip() == "[200, 200, 200]"
    assert '"message": "The cache is unavailable (get): ' in result.stderr


class RedisLink:
    """The network between this process and the real Redis, which a test can cut and restore:
    a TCP relay on a port of its own. Redis itself keeps running, and keeps its data."""

    def __init__(self):
        self.port = _closed_port()
        self._sockets: list[socket.socket] = []
        self._listener: socket.socket | None = None
        self.restore()

    def restore(self) -> None:
        listener = socket.socket()
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", self.port))
        listener.listen()
        self._listener = listener
        threading.Thread(target=self._accept, args=(listener,), daemon=True).start()

    def cut(self) -> None:
        for sock in [self._listener, *self._sockets]:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)
            sock.close()
        self._sockets.clear()

    def _accept(self, listener: socket.socket) -> None:
        while True:
            try:
                client, _ = listener.accept()
            except OSError:  # cut
                return
            upstream = socket.create_connection(REDIS)
            self._sockets += [client, upstream]
            for source, sink in [(client, upstream), (upstream, client)]:
                threading.Thread(target=self._pipe, args=(source, sink), daemon=True).start()

    @staticmethod
    def _pipe(source: socket.socket, sink: socket.socket) -> None:
        with contextlib.suppress(OSError):
            while data := source.recv(65536):
                sink.sendall(data)


@pytest.mark.django_db
def test_redis_outage_during_a_bump_then_back_serves_the_fresh_page(
    client, settings, monkeypatch, django_capture_on_commit_callbacks
):
    # Item 4 of issue 14: the generation moved on while Redis could not be reached; once it is
    # back, with the old page and the old generation still in it, the page must be the new one
    # within the generation's few seconds in the cache.
    if not _redis_answers():
        pytest.skip("no Redis server on 127.0.0.1:6379")
    from django.urls import reverse

    from tests.factories import RecommendationFactory, StaffFactory, set_status

    link = RedisLink()
    prefix = f"ops-test-{uuid.uuid4().hex}"
    settings.CACHES = {
        "default": {
            "BACKEND": "gcm_tracker.ops.cache.RedisCache",
            # Database 15 and keys of this run only: other users of the server are left alone.
            "LOCATION": f"redis://127.0.0.1:{link.port}/15",
            "KEY_PREFIX": prefix,
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }
    monkeypatch.setattr("gcm_tracker.tracker.cache.GENERATION_SECONDS", 1)
    recommendation = RecommendationFactory(reference="c-87")
    url = reverse("dashboards:recommendation-detail", args=["c-87"])
    try:
        before = client.get(url).content.decode()
        link.cut()
        with django_capture_on_commit_callbacks(execute=True):
            set_status(recommendation, StaffFactory(), new_status="implemented", reason="Adopted.")
        link.restore()
        cached = redis.Redis(*REDIS, db=15).keys(f"{prefix}:*tracker:page-gz:*")
        time.sleep(1.2)
        after = client.get(url).content.decode()
    finally:
        link.cut()
        server = redis.Redis(*REDIS, db=15)
        for key in server.scan_iter(f"{prefix}:*"):
            server.delete(key)

    assert ("Adopted." in before, "Adopted." in after) == (False, True)
    assert len(cached) == 1  # the old page was still there to be served


# A running server's process (`make run`: the local-memory cache, one per process) reads a page,
# then a shell in another process edits the recommendation the page shows.
SERVER_AND_SHELL = """
import os, subprocess, sys, time
from django.test import Client
from gcm_tracker.tracker import cache
cache.GENERATION_SECONDS = 1
url = "/recommendations/border-governance-2020-26/"
edit = (
    "from gcm_tracker.tracker.models import Recommendation; "
    "r = Recommendation.objects.get(reference='border-governance-2020-26'); "
    "r.text = 'Edited from a shell.'; r.save()"
)
client = Client()
before = client.get(url).content.decode()
subprocess.run([sys.executable, "manage.py", "shell", "-v", "0", "-c", edit], check=True)
time.sleep(1.2)
after = client.get(url).content.decode()
print("Edited from a shell." in before, "Edited from a shell." in after)
"""


@pytest.mark.engine_independent
def test_edit_from_another_process_shows_on_a_server_with_a_local_memory_cache(tmp_path):
    # Item 23 of issue 14: under `make run` each process has its own cache, so only the
    # database can tell the server that the shell moved the generation on.
    database = f"sqlite:///{tmp_path / 'db.sqlite3'}"
    env = clean_environment(
        DATABASE_URL=database, DJANGO_ALLOWED_HOSTS="testserver", CACHE_URL="locmem://"
    )
    for command in (["migrate", "--noinput"], ["load_seed"]):
        subprocess.run(
            [sys.executable, "manage.py", *command], env=env, cwd=ROOT, capture_output=True,
            check=True,
        )  # fmt: skip

    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "--verbosity=0", "-c", SERVER_AND_SHELL],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )

    assert result.stdout.strip() == "False True"
