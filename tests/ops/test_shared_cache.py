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
