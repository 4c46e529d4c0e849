"""No Docker engine runs on our machines, so the production stack's wiring is checked as data."""

from pathlib import Path

import yaml
from django.conf import settings

ROOT = Path(settings.BASE_DIR)


def _compose():
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text(encoding="utf-8"))


def test_compose_database_keeps_its_data_in_a_volume_and_reports_health():
    db = _compose()["services"]["db"]

    assert db["image"].startswith("postgres:")
    assert db["volumes"] == ["pgdata:/var/lib/postgresql/data"]
    assert "pgdata" in _compose()["volumes"]
    assert db["healthcheck"]["test"] == [
        "CMD-SHELL",
        "pg_isready -U gcm_tracker -d gcm_tracker",
    ]


def test_compose_app_starts_when_database_is_healthy_then_migrates_seeds_and_serves():
    web = _compose()["services"]["web"]
    command = " ".join(web["command"].split())

    assert web["depends_on"] == {"db": {"condition": "service_healthy"}}
    assert command == (
        'sh -c "python manage.py migrate --noinput && python manage.py load_seed '
        '&& exec gunicorn gcm_tracker.wsgi:application --bind 0.0.0.0:8000 --workers 2"'
    )
    assert web["environment"]["DATABASE_URL"].startswith("postgres://gcm_tracker:")
    assert web["environment"]["DATABASE_URL"].endswith("@db:5432/gcm_tracker")


def test_compose_takes_every_secret_from_the_environment():
    compose = _compose()
    web_env = compose["services"]["web"]["environment"]
    db_env = compose["services"]["db"]["environment"]

    assert web_env["DJANGO_SECRET_KEY"] == "${DJANGO_SECRET_KEY:?set DJANGO_SECRET_KEY in .env}"
    assert db_env["POSTGRES_PASSWORD"] == "${POSTGRES_PASSWORD:?set POSTGRES_PASSWORD in .env}"


def test_compose_image_is_built_from_the_repository_dockerfile():
    dockerfile = (ROOT / "Dockerfile").read_text(encoding="utf-8")

    assert _compose()["services"]["web"]["build"] == "."
    assert "pip install -r requirements.txt" in dockerfile
    assert dockerfile.rstrip().splitlines()[-1] == (
        'CMD ["gunicorn", "gcm_tracker.wsgi:application", "--bind", "0.0.0.0:8000", '
        '"--workers", "2"]'
    )
