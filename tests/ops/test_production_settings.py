"""Production settings from the environment, checked in fresh interpreters (as
tests/test_settings.py does): Django's deployment check, HTTPS, cookies, the cache, logs."""

import re
import subprocess
import sys

import pytest

from .support import ROOT, clean_environment


def _env_example() -> dict[str, str]:
    """The uncommented lines of .env.example: what production sets."""
    values = {}
    for line in (ROOT / ".env.example").read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            name, _, value = line.partition("=")
            values[name.strip()] = value.strip()
    return values


def _production(**overrides) -> dict[str, str]:
    env = _env_example() | {
        "DJANGO_SECRET_KEY": "Kq3-8vN_x2Lr9pT0wYz5bC7dF1gH4jM6nP8sU0vX2aE4iO6uQ8eR1tY3",
        "POSTGRES_PASSWORD": "not-used-by-the-check",
        "EMAIL_HOST": "smtp.example.org",
        "DATABASE_URL": "postgres://gcm_tracker:pw@db:5432/gcm_tracker",
        "CACHE_URL": "redis://redis:6379/0",
    }
    return {k: v for k, v in (env | overrides).items() if v is not None}


def _run(*args, env) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, *args],
        env=clean_environment(**env),
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )


def _settings(names: str, **env) -> subprocess.CompletedProcess:
    code = f"from django.conf import settings as s; print(repr(({names},)))"
    return _run("-c", code, env=env)


def test_deploy_check_passes_with_the_production_values_of_env_example():
    result = _run("manage.py", "check", "--deploy", "--fail-level", "WARNING", env=_production())

    assert (result.returncode, result.stdout, result.stderr) == (
        0,
        "System check identified no issues (0 silenced).\n",
        "",
    )


def test_deploy_check_fails_when_https_is_not_declared():
    result = _run(
        "manage.py", "check", "--deploy", "--fail-level", "WARNING",
        env=_production(DJANGO_HTTPS=None, DJANGO_SECURE_PROXY_SSL_HEADER=None),
    )  # fmt: skip

    assert result.returncode == 1
    assert sorted(set(re.findall(r"security\.W\d+", result.stderr))) == [
        "security.W004",
        "security.W008",
        "security.W012",
        "security.W016",
    ]


def test_https_turns_on_redirect_hsts_and_host_prefixed_secure_cookies():
    result = _settings(
        "s.SECURE_SSL_REDIRECT, s.SECURE_HSTS_SECONDS, s.SECURE_HSTS_INCLUDE_SUBDOMAINS, "
        "s.SECURE_HSTS_PRELOAD, s.SESSION_COOKIE_NAME, s.SESSION_COOKIE_SECURE, "
        "s.CSRF_COOKIE_NAME, s.CSRF_COOKIE_SECURE, s.SECURE_PROXY_SSL_HEADER, "
        "s.CONTENT_SECURITY_POLICY['DIRECTIVES']['upgrade-insecure-requests']",
        **_production(),
    )

    assert result.stdout.strip() == repr(
        (
            True, 31536000, True, True, "__Host-sessionid", True, "__Host-csrftoken", True,
            ("HTTP_X_FORWARDED_PROTO", "https"), True,
        )
    )  # fmt: skip


def test_without_https_cookies_keep_plain_names_for_plain_http():
    result = _settings(
        "s.SECURE_SSL_REDIRECT, s.SECURE_HSTS_SECONDS, s.SESSION_COOKIE_NAME, "
        "s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_NAME, s.SECURE_PROXY_SSL_HEADER",
        DJANGO_ALLOWED_HOSTS="localhost",
    )

    assert result.stdout.strip() == repr((False, 0, "sessionid", False, "csrftoken", None))


def test_https_answers_send_hsts_and_host_prefixed_cookies(tmp_path):
    code = (
        "from django.test import Client; c = Client(); "
        "plain = c.get('/accounts/login/'); "
        "r = c.get('/accounts/login/', secure=True); "
        "cookie = r.cookies['__Host-csrftoken']; "
        "print(plain.status_code, plain['Location']); "
        "print(r.status_code, r['Strict-Transport-Security']); "
        "print(cookie['secure'], cookie['path'], repr(cookie['domain']))"
    )
    result = _run(
        "manage.py", "shell", "--verbosity=0", "-c", code,
        env=_production(
            DJANGO_ALLOWED_HOSTS="testserver", DATABASE_URL=f"sqlite:///{tmp_path / 'db'}"
        ),
    )  # fmt: skip

    assert result.stdout.splitlines() == [
        "301 https://testserver/accounts/login/",
        "200 max-age=31536000; includeSubDomains; preload",
        "True / ''",
    ]


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({}, ("django.core.cache.backends.locmem.LocMemCache", None)),
        (
            {"CACHE_URL": "redis://redis:6379/0"},
            ("gcm_tracker.ops.cache.RedisCache", "redis://redis:6379/0"),
        ),
        (
            {"REDIS_URL": "rediss://cache.example.org:6380/1"},
            ("gcm_tracker.ops.cache.RedisCache", "rediss://cache.example.org:6380/1"),
        ),
        (
            {"CACHE_URL": "dummy://", "REDIS_URL": "redis://ignored:6379/0"},
            ("django.core.cache.backends.dummy.DummyCache", None),
        ),
    ],
)
def test_cache_comes_from_cache_url_or_redis_url(env, expected):
    result = _settings(
        "s.CACHES['default']['BACKEND'], s.CACHES['default'].get('LOCATION')",
        DJANGO_DEBUG="true",
        **env,
    )

    assert result.stdout.strip() == repr(expected)


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"CACHE_URL": "memcached://x:11211"}, "CACHE_URL must start with redis://"),
        ({"DJANGO_SECURE_PROXY_SSL_HEADER": "https"}, "DJANGO_SECURE_PROXY_SSL_HEADER must look"),
        ({"DJANGO_SECURE_HSTS_SECONDS": "a year"}, "DJANGO_SECURE_HSTS_SECONDS must be a whole"),
        ({"DJANGO_HTTPS": "sometimes"}, "DJANGO_HTTPS must be one of"),
        ({"DJANGO_LOG_LEVEL": "chatty"}, "DJANGO_LOG_LEVEL must be DEBUG, INFO, WARNING"),
    ],
)
def test_production_settings_refuse_values_they_do_not_understand(env, message):
    result = _settings("s.DEBUG", **_production(**env))

    assert result.returncode == 1
    assert "django.core.exceptions.ImproperlyConfigured: " + message in result.stderr
