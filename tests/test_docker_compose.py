"""No Docker engine runs on our machines, so the production stack's wiring is checked as data:
services, health checks, dependencies, where secrets come from, and that .env.example documents
every variable the settings read."""

import ast
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import psycopg2.extensions
import yaml
from django.conf import settings

ROOT = Path(settings.BASE_DIR)


def _compose():
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text(encoding="utf-8"))


def test_compose_database_keeps_its_data_in_a_volume_and_reports_health():
    db = _compose()["services"]["db"]

    assert db["image"] == "postgres:15"
    assert db["volumes"] == ["pgdata:/var/lib/postgresql/data"]
    assert db["healthcheck"]["test"] == [
        "CMD-SHELL",
        "pg_isready -U gcm_tracker -d gcm_tracker",
    ]


def test_compose_redis_is_a_cache_that_keeps_nothing_on_disk_and_reports_health():
    redis = _compose()["services"]["redis"]

    assert redis["image"] == "redis:7"
    assert "volumes" not in redis
    # volatile-lru: when full, only keys with a lifetime (every cache entry) are dropped, never a
    # queued task (which has none).
    assert redis["command"] == [
        "redis-server", "--save", "", "--appendonly", "no", "--maxmemory", "256mb",
        "--maxmemory-policy", "volatile-lru",
    ]  # fmt: skip
    assert redis["healthcheck"]["test"] == ["CMD", "redis-cli", "ping"]


def test_compose_app_starts_when_database_and_cache_are_healthy_then_migrates_seeds_and_serves():
    web = _compose()["services"]["web"]
    command = " ".join(web["command"].split())

    assert web["depends_on"] == {
        "db": {"condition": "service_healthy"},
        "redis": {"condition": "service_healthy"},
    }
    assert command == (
        'sh -c "python manage.py migrate --noinput && python manage.py load_seed '
        "&& python manage.py collectstatic --noinput --verbosity 0 "
        '&& exec gunicorn --config gunicorn.conf.py"'
    )
    assert {k: v for k, v in web["environment"].items() if k.startswith("POSTGRES_")} == {
        "POSTGRES_HOST": "db",
        "POSTGRES_DB": "gcm_tracker",
        "POSTGRES_USER": "gcm_tracker",
        "POSTGRES_PASSWORD": "${POSTGRES_PASSWORD}",
    }
    assert web["environment"]["CACHE_URL"] == "redis://redis:6379/0"


def test_compose_runs_a_worker_and_a_scheduler_with_the_apps_image_settings_and_files():
    services = _compose()["services"]
    web, worker, beat = services["web"], services["worker"], services["beat"]

    assert worker["command"] == [
        "celery", "--app", "gcm_tracker", "worker", "--loglevel", "INFO", "--concurrency", "2",
    ]  # fmt: skip
    assert beat["command"] == [
        "celery", "--app", "gcm_tracker", "beat", "--loglevel", "INFO",
        "--schedule", "/tmp/celerybeat-schedule",
    ]  # fmt: skip
    assert [worker["build"], beat["build"], worker["env_file"], beat["env_file"]] == [
        ".",
        ".",
        ".env",
        ".env",
    ]
    assert worker["environment"] == web["environment"] == beat["environment"]
    assert web["environment"]["CELERY_BROKER_URL"] == "redis://redis:6379/1"
    # The worker writes the open-data files and briefing packs where the web containers serve
    # them from.
    assert (
        web["volumes"]
        == worker["volumes"]
        == [
            "opendata:/app/media/open-data",
            "packs:/app/media/briefing-packs",
        ]
    )
    assert beat["volumes"] == []
    assert list(_compose()["volumes"]) == ["pgdata", "opendata", "packs"]
    # Both start once web has migrated the database.
    assert worker["depends_on"] == beat["depends_on"] == {"web": {"condition": "service_healthy"}}
    assert worker["healthcheck"]["test"] == [
        "CMD-SHELL",
        "celery --app gcm_tracker inspect ping --destination celery@$$HOSTNAME --timeout 5",
    ]


def test_compose_app_reports_liveness_without_the_database():
    check = _compose()["services"]["web"]["healthcheck"]

    assert check["test"] == [
        "CMD",
        "python",
        "-c",
        "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/healthz', timeout=5)",
    ]


def test_compose_takes_every_secret_from_the_environment():
    compose = _compose()
    web = compose["services"]["web"]
    db_env = compose["services"]["db"]["environment"]

    assert web["env_file"] == ".env"
    assert web["environment"]["DJANGO_SECRET_KEY"] == (
        "${DJANGO_SECRET_KEY:?set DJANGO_SECRET_KEY in .env}"
    )
    assert db_env["POSTGRES_PASSWORD"] == "${POSTGRES_PASSWORD:?set POSTGRES_PASSWORD in .env}"
    # No literal password or key in any service: secrets interpolate .env, and database
    # addresses carry no password at all (it travels on its own, see the test below).
    environments = {
        (name, key): value
        for name, service in compose["services"].items()
        for key, value in service.get("environment", {}).items()
    }
    secrets = {k: v for k, v in environments.items() if "PASSWORD" in k[1] or "SECRET" in k[1]}
    assert {
        k: v
        for k, v in secrets.items()
        if "${POSTGRES_PASSWORD" not in v and "${DJANGO_SECRET_KEY" not in v
    } == {}
    assert {k: v for k, v in environments.items() if k[1] == "DATABASE_URL"} == {
        ("backup", "DATABASE_URL"): "host=db port=5432 dbname=gcm_tracker user=gcm_tracker"
    }


# Characters that a URL's password must percent-encode, and that broke the compose DATABASE_URL.
AWKWARD_PASSWORD = "p@ss/w#rd:%20?&=+ 'x'"


def _interpolated(environment: dict) -> dict:
    return {
        key: value.replace("${POSTGRES_PASSWORD}", AWKWARD_PASSWORD)
        for key, value in environment.items()
    }


def test_compose_passes_a_postgres_password_with_url_characters_through_intact():
    # Item 26 of issue 14: POSTGRES_PASSWORD with `@`, `/` or `#` broke the DATABASE_URL that
    # compose built from it. The app now gets the parts, the backup tool a password of its own.
    compose = _compose()["services"]
    web = _interpolated(compose["web"]["environment"])
    backup = _interpolated(compose["backup"]["environment"])
    clean = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DJANGO_", "DATABASE_", "POSTGRES_", "CACHE_URL", "REDIS_URL"))
    }
    code = (
        "import json; from django.conf import settings as s; d = s.DATABASES['default']; "
        "print(json.dumps([d[k] for k in ('ENGINE', 'HOST', 'PORT', 'NAME', 'USER', 'PASSWORD')]))"
    )
    env = {**clean, **web, "DJANGO_SETTINGS_MODULE": "gcm_tracker.settings",
           "DJANGO_SECRET_KEY": "x" * 50, "DJANGO_ALLOWED_HOSTS": "tracker.example.org",
           "EMAIL_HOST": "smtp.example.org"}  # fmt: skip

    result = subprocess.run(
        [sys.executable, "-c", code], env=env, cwd=ROOT, capture_output=True, text=True, check=True
    )

    assert json.loads(result.stdout) == [
        "django.db.backends.postgresql", "db", 5432, "gcm_tracker", "gcm_tracker", AWKWARD_PASSWORD,
    ]  # fmt: skip
    assert psycopg2.extensions.parse_dsn(backup["DATABASE_URL"]) == {
        "host": "db",
        "port": "5432",
        "dbname": "gcm_tracker",
        "user": "gcm_tracker",
    }
    assert backup["PGPASSWORD"] == AWKWARD_PASSWORD


def test_compose_backup_tool_runs_the_scripts_with_the_servers_own_pg_dump():
    backup = _compose()["services"]["backup"]

    assert [backup["image"], backup["profiles"], backup["entrypoint"]] == [
        "postgres:15",
        ["tools"],
        ["/scripts/backup.sh"],
    ]
    assert backup["volumes"] == [
        "./scripts:/scripts:ro",
        "${BACKUP_DIR:-../gcm-tracker-backups}:/backups",
    ]


def test_compose_image_is_built_from_the_repository_dockerfile():
    dockerfile = (ROOT / "Dockerfile").read_text(encoding="utf-8")

    assert _compose()["services"]["web"]["build"] == "."
    assert "pip install -r requirements.txt" in dockerfile
    assert "chown -R tracker /app/staticfiles" in dockerfile


def test_image_build_environment_lets_collectstatic_start_the_settings():
    # The build runs collectstatic with DEBUG off, where the settings refuse to start without a
    # secret key and without a mail server unless a backend is chosen (issue 14, item 25).
    dockerfile = (ROOT / "Dockerfile").read_text(encoding="utf-8")
    build = dockerfile[dockerfile.index("RUN DJANGO_SECRET_KEY") :].partition("python manage.py")[0]
    build_env = dict(re.findall(r"(DJANGO_[A-Z_]+)=(\S+)", build))
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "EMAIL_"))}

    result = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        env={**clean, "DJANGO_SETTINGS_MODULE": "gcm_tracker.settings", **build_env},
        cwd=ROOT, capture_output=True, text=True, check=False,
    )  # fmt: skip

    assert sorted(build_env) == ["DJANGO_EMAIL_BACKEND", "DJANGO_SECRET_KEY"]
    assert (result.returncode, result.stderr) == (0, "")


def _gunicorn_settings(**env) -> dict[str, str]:
    """gunicorn.conf.py as gunicorn itself reads it (--print-config)."""
    result = subprocess.run(
        [str(Path(sys.executable).parent / "gunicorn"), "--config", "gunicorn.conf.py",
         "--print-config"],
        env={**os.environ, **env}, cwd=ROOT, capture_output=True, text=True, check=True,
    )  # fmt: skip
    return {
        name.strip(): value.strip()
        for name, _, value in (line.partition("=") for line in result.stdout.splitlines())
    }


def test_gunicorn_settings_are_in_one_file_that_image_compose_docs_and_bench_use():
    # Item 20 of issue 14: compose's web command and the scale-out command in docs/deploy.md had
    # no --timeout, so gunicorn killed the full download at its default 30 s.
    command = "gunicorn --config gunicorn.conf.py"
    compose_command = " ".join(_compose()["services"]["web"]["command"].split())
    bench = (ROOT / "bench" / "run.py").read_text(encoding="utf-8")
    bench_command = bench[bench.index("[str(GUNICORN)") :].partition("]")[0]
    deploy = (ROOT / "docs" / "deploy.md").read_text(encoding="utf-8")
    dockerfile = (ROOT / "Dockerfile").read_text(encoding="utf-8")

    settings_read = _gunicorn_settings(WEB_CONCURRENCY="3")

    assert [settings_read[name] for name in ["wsgi_app", "bind", "workers", "timeout"]] == [
        "gcm_tracker.wsgi:application",
        "['0.0.0.0:8000']",
        "3",
        "120",
    ]
    assert compose_command.endswith(f'&& exec {command}"')
    assert dockerfile.rstrip().endswith('CMD ["gunicorn", "--config", "gunicorn.conf.py"]')
    assert f"`command: {command}`" in deploy
    assert bench_command.startswith('[str(GUNICORN), "--config", "gunicorn.conf.py"')
    # Nothing repeats a setting that the file holds.
    assert [
        text.count(option)
        for text in [compose_command, dockerfile, deploy, bench_command]
        for option in ["--timeout", "gcm_tracker.wsgi:application"]
    ] == [0] * 8


# The functions of settings.py that read an environment variable named by their first argument.
VARIABLE_READERS = {
    "os.environ.get",
    "os.getenv",
    "env_bool",
    "env_list",
    "env_int",
    "env_http_url",
    "env_dotted_path",
    "_email_address",
    "_throttle_rate",
}


def variables_read_by_settings() -> set[str]:
    """Names passed to os.environ.get, os.environ[...] and settings.py's env_* helpers."""
    tree = ast.parse((ROOT / "gcm_tracker" / "settings.py").read_text(encoding="utf-8"))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and node.args and isinstance(node.args[0], ast.Constant):
            function = ast.unparse(node.func)
            if function in VARIABLE_READERS:
                names.add(node.args[0].value)
        elif isinstance(node, ast.Subscript) and ast.unparse(node.value) == "os.environ":
            names.add(ast.literal_eval(node.slice))
    return names


def _variables_documented() -> set[str]:
    text = (ROOT / ".env.example").read_text(encoding="utf-8")
    return set(re.findall(r"^#?\s?([A-Z][A-Z0-9_]+)=", text, flags=re.MULTILINE))


def test_env_example_documents_every_variable_the_settings_read():
    read = variables_read_by_settings()

    assert read - _variables_documented() == set()
    assert {"DJANGO_SECRET_KEY", "DATABASE_URL", "CACHE_URL", "DJANGO_HTTPS"} <= read


def test_env_example_holds_no_secret():
    values = dict(
        line.split("=", 1)
        for line in (ROOT / ".env.example").read_text(encoding="utf-8").splitlines()
        if "=" in line and not line.startswith("#")
    )

    assert [values["DJANGO_SECRET_KEY"], values["POSTGRES_PASSWORD"]] == ["", ""]


def test_each_gunicorn_worker_freezes_what_it_holds_once_started_and_once_warm():
    import gc
    import runpy
    from types import SimpleNamespace

    hooks = runpy.run_path(str(ROOT / "gunicorn.conf.py"))
    printed = _gunicorn_settings()
    try:
        gc.unfreeze()
        hooks["post_worker_init"](SimpleNamespace(nr=0))
        started = gc.get_freeze_count()
        kept = [[] for _ in range(1000)]  # what the first requests build lazily (tracked)
        hooks["post_request"](SimpleNamespace(nr=hooks["WARM_REQUESTS"] - 1), None, {}, None)
        before_warm = gc.get_freeze_count()
        hooks["post_request"](SimpleNamespace(nr=hooks["WARM_REQUESTS"]), None, {}, None)
        warm = gc.get_freeze_count()
    finally:
        gc.unfreeze()

    assert "post_worker_init" in printed["post_worker_init"]
    assert "post_request" in printed["post_request"]
    assert started > 0
    # The count moves by a few as frozen objects are freed or start to be tracked; the thousand
    # lists made after the start are frozen only once the worker is warm.
    assert before_warm - started < len(kept) <= warm - before_warm


def _deploy_section(heading: str) -> str:
    text = (ROOT / "docs" / "deploy.md").read_text(encoding="utf-8")
    return text.split(f"\n{heading}\n", 1)[1].split("\n## ", 1)[0]


def test_deploy_md_explains_every_variable_the_settings_read():
    # Its table says it holds every variable; the three of the briefing packs were missing.
    explained = set()
    for line in _deploy_section("## Configuration").splitlines():
        if line.startswith("| `"):
            explained |= set(re.findall(r"`([A-Z][A-Z0-9_]+)`", line.split(" | ")[0]))

    assert variables_read_by_settings() - explained == set()
    assert {"DJANGO_BRIEFING_PACK_DIR", "DJANGO_BRIEFING_PACK_ROWS"} <= explained


def _commands(section: str) -> list[str]:
    """The `docker compose` commands of a section's code blocks, without their comments."""
    blocks = re.findall(r"```sh\n(.*?)```", section, flags=re.DOTALL)
    lines = (line.partition("#")[0].strip() for block in blocks for line in block.splitlines())
    return [line for line in lines if line.startswith("docker compose")]


def test_deploy_md_upgrades_and_restores_every_container_of_the_app():
    # The upgrade rebuilt web alone, leaving the worker and the scheduler on the old code against
    # the new schema; a rollback ended with `start web`, which restarts the container of the
    # version being rolled back rather than one of the previous version's image.
    built = sorted(name for name, service in _compose()["services"].items() if "build" in service)
    assert built == ["beat", "web", "worker"]
    assert _commands(_deploy_section("## Upgrade")) == [
        "docker compose run --rm backup",
        "docker compose build",
        "docker compose stop worker beat",
        "docker compose up -d",
        "docker compose ps && curl -fsS https://tracker.example.org/readyz",
    ]
    restore = _commands(_deploy_section("## Backups and restore"))
    assert restore[-3:] == [
        "docker compose stop web worker beat",
        "docker compose run --rm --entrypoint /scripts/restore.sh backup --yes "
        "/backups/gcm_tracker-….dump",
        "docker compose up -d",
    ]
