"""The task queue for real: a Celery worker, started as docker-compose starts it, takes tasks
from the real Redis on 127.0.0.1:6379 and runs them. The rest of the suite runs tasks in its own
process (CELERY_TASK_ALWAYS_EAGER, as `make run` does)."""

import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path

import pytest
import redis
from celery import Celery

from tests.ops.support import ROOT, clean_environment

# A database number of its own on the machine's Redis (the shared-cache tests use 15), and a
# queue named for the test, so that nothing else's tasks or keys are touched.
BROKER_DB = 14
SECONDS = 90


def _redis_or_skip() -> redis.Redis:
    client = redis.Redis(host="127.0.0.1", port=6379, db=BROKER_DB, socket_connect_timeout=1)
    try:
        client.ping()
    except redis.exceptions.ConnectionError as exc:
        pytest.skip(
            f"no Redis server on 127.0.0.1:6379 for the worker test ({exc}); .ci/run starts one"
        )
    return client


def _read_lines(stream, lines: list[str]) -> None:
    for line in stream:
        lines.append(line)


def _successes(lines: list[str], task: str) -> list[str]:
    """The return values the worker logged for `task`, in order."""
    found = []
    for line in list(lines):
        if f"Task {task}[" in line and " succeeded in " in line:
            found.append(line.split("s: ", 1)[1].split('"', 1)[0].strip())
    return found


def test_a_real_worker_runs_queued_e_mail_tasks_and_sends_each_message_once(tmp_path):
    client = _redis_or_skip()
    queue = f"gcm-test-{uuid.uuid4().hex[:12]}"
    broker = f"redis://127.0.0.1:6379/{BROKER_DB}"
    env = clean_environment(
        CELERY_BROKER_URL=broker,
        CELERY_TASK_ALWAYS_EAGER="false",
        # The e-mail task needs no database; the worker is given an empty one all the same.
        DATABASE_URL=f"sqlite:///{tmp_path / 'worker.sqlite3'}",
        DJANGO_EMAIL_BACKEND="django.core.mail.backends.console.EmailBackend",
    )
    worker = subprocess.Popen(
        [str(Path(sys.executable).parent / "celery"), "--app", "gcm_tracker", "worker",
         "--pool", "solo", "--queues", queue, "--hostname", f"{queue}@localhost",
         "--loglevel", "INFO", "--without-gossip", "--without-mingle", "--without-heartbeat"],
        env=env, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )  # fmt: skip
    lines: list[str] = []
    reader = threading.Thread(target=_read_lines, args=(worker.stdout, lines), daemon=True)
    reader.start()
    task = "gcm_tracker.tracker.tasks.send_email"
    message = {
        "key": f"worker-test:{queue}",
        "what": "of the worker test",
        "subject": f"Queued {queue}",
        "body": "Sent by a real worker.",
        "recipients": ["someone@example.org"],
    }
    producer = Celery(broker=broker)
    try:
        # The same message twice, as a task delivered again would be: sent once.
        for _ in range(2):
            producer.send_task(task, kwargs=message, queue=queue)
        deadline = time.monotonic() + SECONDS
        while len(_successes(lines, task)) < 2 and time.monotonic() < deadline:
            assert worker.poll() is None, "".join(lines)
            time.sleep(0.2)
    finally:
        worker.terminate()
        worker.wait(timeout=30)
        reader.join(timeout=5)
        worker.stdout.close()
        producer.close()
        for key in client.scan_iter(match=f"*{queue}*"):
            client.delete(key)

    output = "".join(lines)
    assert _successes(lines, task) == ["True", "False"], output
    assert output.count(f"Subject: Queued {queue}") == 1, output
    # The body once, in the e-mail the console backend printed: never in the task's log lines.
    assert output.count("Sent by a real worker.") == 1, output


def _settings(names: str, **env) -> subprocess.CompletedProcess:
    """`names` of the settings as a fresh interpreter reads them from exactly `env`."""
    return subprocess.run(
        [sys.executable, "-c", f"from django.conf import settings as s; print(repr(({names},)))"],
        env=clean_environment(**env),
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        # make run: no Redis, so no broker; tasks run in the process that queues them.
        ({}, ("memory://", True)),
        ({"CACHE_URL": "redis://redis:6379/0"}, ("redis://redis:6379/0", False)),
        (
            {"REDIS_URL": "rediss://cache.example.org:6380/2"},
            ("rediss://cache.example.org:6380/2", False),
        ),
        (
            {"CACHE_URL": "redis://redis:6379/0", "CELERY_BROKER_URL": "redis://redis:6379/1"},
            ("redis://redis:6379/1", False),
        ),
        ({"CACHE_URL": "unix:///run/redis.sock"}, ("memory://", True)),
        (
            {"CELERY_BROKER_URL": "redis://b:6379/1", "CELERY_TASK_ALWAYS_EAGER": "true"},
            ("redis://b:6379/1", True),
        ),
    ],
)
def test_broker_defaults_to_the_caches_redis_and_tasks_run_in_process_without_one(env, expected):
    result = _settings("s.CELERY_BROKER_URL, s.CELERY_TASK_ALWAYS_EAGER", **env)

    assert result.stdout.strip() == repr(expected), result.stderr


@pytest.mark.parametrize(
    ("env", "message"),
    [
        (
            {"CELERY_BROKER_URL": "amqp://guest@rabbit//"},
            "CELERY_BROKER_URL must start with redis://, rediss://, redis+socket:// or memory://, "
            "not 'amqp://guest@rabbit//'.",
        ),
        (
            {"CELERY_TASK_ALWAYS_EAGER": "false"},
            "CELERY_BROKER_URL (or a redis:// CACHE_URL) must be set when "
            "CELERY_TASK_ALWAYS_EAGER is off: the worker and beat need a broker.",
        ),
        ({"CELERY_TASK_ALWAYS_EAGER": "perhaps"}, "CELERY_TASK_ALWAYS_EAGER must be one of"),
        (
            {"DJANGO_OPEN_DATA_CHECK_MINUTES": "0"},
            "DJANGO_OPEN_DATA_CHECK_MINUTES must be at least 1, not '0'.",
        ),
        (
            {"DJANGO_OPEN_DATA_DIR": "media/open-data"},
            "DJANGO_OPEN_DATA_DIR must be an absolute path, not 'media/open-data'.",
        ),
        ({"DJANGO_OPEN_DATA_KEEP": "0"}, "DJANGO_OPEN_DATA_KEEP must be at least 1, not '0'."),
        (
            {"DJANGO_DOWNLOAD_MAX_ROWS": "lots"},
            "DJANGO_DOWNLOAD_MAX_ROWS must be a whole number, not 'lots'.",
        ),
        (
            {"DJANGO_DOWNLOAD_MAX_ROWS": "-5"},
            "DJANGO_DOWNLOAD_MAX_ROWS must be at least 1, not '-5'.",
        ),
        (
            {"DJANGO_DOWNLOADS_PER_CLIENT": "0"},
            "DJANGO_DOWNLOADS_PER_CLIENT must be at least 1, not '0'.",
        ),
    ],
)
def test_task_queue_open_data_and_download_settings_refuse_values_they_do_not_understand(
    env, message
):
    result = _settings("s.DEBUG", **env)

    assert result.returncode == 1
    assert "django.core.exceptions.ImproperlyConfigured: " + message in result.stderr


def test_open_data_and_download_settings_have_defaults_and_read_the_environment():
    names = (
        "str(s.OPEN_DATA_DIR), s.OPEN_DATA_KEEP, s.OPEN_DATA_CHECK_MINUTES, s.DOWNLOAD_MAX_ROWS, "
        "s.DOWNLOADS_PER_CLIENT"
    )

    defaults = _settings(names)
    configured = _settings(
        names,
        DJANGO_OPEN_DATA_DIR="/srv/open-data",
        DJANGO_OPEN_DATA_KEEP="5",
        DJANGO_OPEN_DATA_CHECK_MINUTES="10",
        DJANGO_DOWNLOAD_MAX_ROWS="500",
        DJANGO_DOWNLOADS_PER_CLIENT="1",
    )

    assert defaults.stdout.strip() == repr((str(ROOT / "media" / "open-data"), 3, 5, 10000, 2))
    assert configured.stdout.strip() == repr(("/srv/open-data", 5, 10, 500, 1))
