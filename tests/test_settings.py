"""Settings come from the environment and fail loudly on values they do not understand."""

import os
import subprocess
import sys

import pytest
from django.conf import settings

PRODUCTION = {
    "DJANGO_SECRET_KEY": "a-long-random-production-secret-for-this-test-0123456789",
    "DJANGO_DEBUG": "false",
    "DJANGO_ALLOWED_HOSTS": "tracker.example.org",
    "DATABASE_URL": "postgres://tracker:pw@db.example.org:5432/tracker",
}


def _clean_environment(**env):
    base = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_"))}
    return {**base, "DJANGO_SETTINGS_MODULE": "gcm_tracker.settings", **env}


def _load_settings(**env):
    """Import the settings in a fresh interpreter with exactly `env` on top of a clean base."""
    code = (
        "from django.conf import settings as s; "
        "print(s.DEBUG, s.ALLOWED_HOSTS, s.DATABASES['default']['ENGINE'], "
        "s.DATABASES['default']['NAME'])"
    )
    return subprocess.run(
        [sys.executable, "-c", code],
        env=_clean_environment(**env),
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        check=False,
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
    [({}, "True"), ({"DJANGO_SECRET_KEY": PRODUCTION["DJANGO_SECRET_KEY"]}, "False")],
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
