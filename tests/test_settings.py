"""Settings come from the environment and fail loudly on values they do not understand."""

import os
import subprocess
import sys

import pytest
from django.conf import settings

from .test_docker_compose import variables_read_by_settings

PRODUCTION = {
    "DJANGO_SECRET_KEY": "a-long-random-production-secret-for-this-test-0123456789",
    "DJANGO_DEBUG": "false",
    "DJANGO_ALLOWED_HOSTS": "tracker.example.org",
    "DATABASE_URL": "postgres://tracker:pw@db.example.org:5432/tracker",
    "EMAIL_HOST": "smtp.example.org",
}


def _clean_environment(**env):
    prefixes = ("DJANGO_", "DATABASE_", "EMAIL_", "POSTGRES_", "CACHE_URL", "REDIS_URL")
    base = {k: v for k, v in os.environ.items() if not k.startswith(prefixes)}
    return {**base, "DJANGO_SETTINGS_MODULE": "gcm_tracker.settings", **env}


def _python(code: str, **env) -> subprocess.CompletedProcess:
    """Run `code` in a fresh interpreter with exactly `env` on top of a clean base."""
    return subprocess.run(
        [sys.executable, "-c", code],
        env=_clean_environment(**env),
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        check=False,
    )


def _load_settings(**env):
    """Import the settings in a fresh interpreter with exactly `env` on top of a clean base."""
    return _python(
        "from django.conf import settings as s; "
        "print(s.DEBUG, s.ALLOWED_HOSTS, s.DATABASES['default']['ENGINE'], "
        "s.DATABASES['default']['NAME'])",
        **env,
    )


def test_settings_read_production_values_from_the_environment():
    result = _load_settings(**PRODUCTION)

    assert result.stdout.strip() == (
        "False ['tracker.example.org'] django.db.backends.postgresql tracker"
    )


def test_settings_default_to_sqlite_file_in_the_project():
    result = _load_settings(DJANGO_DEBUG="true")

    assert result.stdout.strip() == (
        "True ['localhost', '127.0.0.1', '[::1]'] django.db.backends.sqlite3 "
        f"{settings.BASE_DIR / 'db.sqlite3'}"
    )


@pytest.mark.parametrize(
    ("env", "message"),
    [
        (
            {**PRODUCTION, "DJANGO_SECRET_KEY": ""},
            "DJANGO_SECRET_KEY must be set when DJANGO_DEBUG is off",
        ),
        ({**PRODUCTION, "DJANGO_DEBUG": "maybe"}, "DJANGO_DEBUG must be one of"),
        ({**PRODUCTION, "DATABASE_URL": "nosuchdb://x"}, "DATABASE_URL is not a database URL"),
    ],
)
def test_settings_refuse_bad_values(env, message):
    result = _load_settings(**env)

    assert result.returncode == 1
    assert "django.core.exceptions.ImproperlyConfigured: " + message in result.stderr


@pytest.mark.parametrize(
    ("env", "debug"),
    [
        ({}, "True"),
        (
            {
                "DJANGO_SECRET_KEY": PRODUCTION["DJANGO_SECRET_KEY"],
                "EMAIL_HOST": "smtp.example.org",
            },
            "False",
        ),
    ],
)
def test_manage_py_turns_debug_on_only_without_a_secret_key(env, debug):
    result = subprocess.run(
        [
            sys.executable,
            "manage.py",
            "shell",
            "--verbosity=0",
            "-c",
            "from django.conf import settings as s; print(s.DEBUG)",
        ],
        env=_clean_environment(**env),
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        check=True,
    )

    assert result.stdout.strip() == debug


# Item 22 of issue 14: for every variable the settings read, a value they do not understand. Each
# must stop the process with ImproperlyConfigured naming the variable (not a bare ValueError, not
# a start that fails on the first request).
BAD_VALUES = {
    "DJANGO_DEBUG": "maybe",
    "DATABASE_URL": "nosuchdb://x",
    "DATABASE_CONNECT_TIMEOUT": "soon",
    "DATABASE_CONN_MAX_AGE": "-1",
    "EMAIL_PORT": "smtp",
    "EMAIL_USE_TLS": "sometimes",
    "DJANGO_EMAIL_BACKEND": "django.core.mail.backends.smtp.NoSuchBackend",
    "DJANGO_DEFAULT_FROM_EMAIL": "GCM Tracker",
    "DJANGO_SITE_URL": "tracker.example.org",
    "DJANGO_TIME_ZONE": "Mars/Olympus_Mons",
    "DJANGO_API_THROTTLE_ANON": "lots",
    "DJANGO_API_THROTTLE_USER": "600",
    "DJANGO_NUM_PROXIES": "one",
    "DJANGO_HTTPS": "yes please",
    "DJANGO_SECURE_SSL_REDIRECT": "2",
    "DJANGO_SECURE_PROXY_SSL_HEADER": "https",
    "DJANGO_SECURE_HSTS_SECONDS": "a year",
    "DJANGO_SECURE_HSTS_INCLUDE_SUBDOMAINS": "subdomains",
    "DJANGO_SECURE_HSTS_PRELOAD": "preload",
    "DJANGO_CSRF_TRUSTED_ORIGINS": "admin.example.org",
    "DJANGO_LOG_LEVEL": "LOUD",
    "CACHE_URL": "memcached://cache:11211",
    "REDIS_URL": "http://redis:6379",
    "DJANGO_ROOT_URLCONF": "no_such_package.urls",
    "DJANGO_REPORT_IMPORT_MAX_BYTES": "10MB",
    "POSTGRES_PORT": "fivefourthreetwo",
    "CELERY_BROKER_URL": "amqp://rabbit//",
    "CELERY_TASK_ALWAYS_EAGER": "mostly",
    "DJANGO_OPEN_DATA_DIR": "relative/open-data",
    "DJANGO_OPEN_DATA_KEEP": "0",
    "DJANGO_OPEN_DATA_CHECK_MINUTES": "never",
    "DJANGO_BRIEFING_PACK_DIR": "relative/packs",
    "DJANGO_BRIEFING_PACK_ROWS": "0",
    "DJANGO_BRIEFING_PACK_ACTIONS": "many",
    "DJANGO_DOWNLOAD_MAX_ROWS": "0",
    "DJANGO_DOWNLOADS_PER_CLIENT": "-1",
    "DJANGO_STALE_CELL_MONTHS": "six",
    "DJANGO_STALE_RECOMMENDATION_MONTHS": "0",
}
# Free text: any value is a value (a host name, a user name, a password, a secret).
FREE_FORM = {
    "DJANGO_SECRET_KEY",
    "DJANGO_ALLOWED_HOSTS",
    "EMAIL_HOST",
    "EMAIL_HOST_USER",
    "EMAIL_HOST_PASSWORD",
    "POSTGRES_HOST",
    "POSTGRES_DB",
    "POSTGRES_USER",
    "POSTGRES_PASSWORD",
}


def test_settings_validation_covers_every_variable_the_settings_read():
    assert variables_read_by_settings() - FREE_FORM == set(BAD_VALUES)


@pytest.mark.parametrize(("name", "value"), BAD_VALUES.items(), ids=list(BAD_VALUES))
def test_settings_refuse_a_bad_value_of_every_variable_naming_it(name, value):
    result = _load_settings(**{**PRODUCTION, name: value})

    assert result.returncode == 1
    assert result.stderr.splitlines()[-1].startswith(
        f"django.core.exceptions.ImproperlyConfigured: {name} "
    )


def _mail_backend(**env):
    return _python("from django.conf import settings as s; print(s.EMAIL_BACKEND)", **env)


def test_settings_refuse_console_mail_in_production_unless_chosen():
    # Item 25 of issue 14: without EMAIL_HOST, account and reset links went to the logs.
    production = {k: v for k, v in PRODUCTION.items() if k != "EMAIL_HOST"}
    console = "django.core.mail.backends.console.EmailBackend"

    refused = _mail_backend(**production)
    chosen = _mail_backend(**production, DJANGO_EMAIL_BACKEND=console)
    developer = _mail_backend(DJANGO_DEBUG="true")
    smtp = _mail_backend(**PRODUCTION)

    assert refused.returncode == 1
    assert refused.stderr.splitlines()[-1] == (
        "django.core.exceptions.ImproperlyConfigured: EMAIL_HOST must be set when DJANGO_DEBUG "
        "is off: without an SMTP server, account and password-reset links would only be printed "
        f"to the logs. To do that anyway, set DJANGO_EMAIL_BACKEND={console}."
    )
    assert [chosen.stdout, developer.stdout, smtp.stdout] == [
        f"{console}\n",
        f"{console}\n",
        "django.core.mail.backends.smtp.EmailBackend\n",
    ]


def _readme() -> str:
    return " ".join((settings.BASE_DIR / "README.md").read_text(encoding="utf-8").split())


def _setting(expression: str, **env) -> str:
    result = _python(f"from django.conf import settings as s; print({expression})", **env)
    assert (result.returncode, result.stderr) == (0, "")
    return result.stdout.strip()


def test_readme_states_the_hsts_default_with_and_without_https():
    # Item 24 of issue 14: the README gave 31536000 as the default whatever DJANGO_HTTPS said.
    without = _setting("s.SECURE_HSTS_SECONDS", **PRODUCTION)
    with_https = _setting("s.SECURE_HSTS_SECONDS", **PRODUCTION, DJANGO_HTTPS="true")

    assert (without, with_https) == ("0", "31536000")
    assert "`31536000` with `DJANGO_HTTPS=true`, else `0`" in _readme()


def test_report_import_max_bytes_is_set_by_its_variable_as_the_readme_says():
    # Item 24 of issue 14: the README called REPORT_IMPORT_MAX_BYTES a setting no variable set.
    expression = (
        "s.REPORT_IMPORT_MAX_BYTES, __import__('gcm_tracker.tracker.importing.extract', "
        "fromlist=['x']).report_max_bytes()"
    )

    default = _setting(expression, **PRODUCTION)
    chosen = _setting(expression, **PRODUCTION, DJANGO_REPORT_IMPORT_MAX_BYTES="2048")

    assert (default, chosen) == ("10485760 10485760", "2048 2048")
    assert "files up to 10 MB (`DJANGO_REPORT_IMPORT_MAX_BYTES` to change it)" in _readme()
