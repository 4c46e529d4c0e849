"""With CACHE_URL pointing at Redis, every app process shares one cache: a count one process
writes (a throttle's history, the dashboard's generation) is what the next process reads."""

import socket
import subprocess
import sys
import uuid

import pytest

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
