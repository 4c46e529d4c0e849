"""Helpers for the operations tests: manage.py in a subprocess against a database of its own,
scratch databases on the machine's PostgreSQL, and a private PostgreSQL server."""

import contextlib
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

import psycopg2
import pytest
from django.conf import settings

ROOT = Path(settings.BASE_DIR)
SECRET = "a-long-random-secret-for-the-operations-tests-0123456789-abcdef"


def clean_environment(**env) -> dict[str, str]:
    """This process's environment without any setting the app reads, plus `env`."""
    prefixes = ("DJANGO_", "DATABASE_", "EMAIL_", "POSTGRES_", "CACHE_URL", "REDIS_URL", "CELERY_")
    base = {k: v for k, v in os.environ.items() if not k.startswith(prefixes)}
    # DEBUG is off, where the settings refuse to start without a mail server unless a backend is
    # chosen: these processes send nothing that a test reads.
    mail = (
        {}
        if {"EMAIL_HOST", "DJANGO_EMAIL_BACKEND"} & env.keys()
        else {"DJANGO_EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend"}
    )
    return {
        **base,
        "DJANGO_SETTINGS_MODULE": "gcm_tracker.settings",
        "DJANGO_SECRET_KEY": SECRET,
        **mail,
        **env,
    }


def manage(*args: str, database_url: str, check: bool = True, **env) -> subprocess.CompletedProcess:
    """Run manage.py with DEBUG off against `database_url`; on failure, show what it printed."""
    result = subprocess.run(
        [sys.executable, "manage.py", *args],
        env=clean_environment(DATABASE_URL=database_url, **env),
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )
    if check and result.returncode != 0:
        pytest.fail(f"manage.py {' '.join(args)} exited {result.returncode}:\n{result.stderr}")
    return result


# --- the machine's PostgreSQL, for scratch databases -------------------------------------------


def _server_url() -> str:
    """The server of DATABASE_URL when the suite runs on PostgreSQL, else the local one."""
    url = os.environ.get("DATABASE_URL", "")
    if url.startswith(("postgres://", "postgresql://")):
        return url
    return "postgres://postgres@127.0.0.1:5432/postgres"


def _connect(dbname: str = "postgres"):
    from dj_database_url import parse

    parsed = parse(_server_url())
    return psycopg2.connect(
        host=parsed["HOST"] or "127.0.0.1",
        port=parsed["PORT"] or 5432,
        user=parsed["USER"] or "postgres",
        password=parsed["PASSWORD"] or None,
        dbname=dbname,
        connect_timeout=3,
    )


def require_postgres():
    """Skip, saying why, when no PostgreSQL server answers."""
    try:
        _connect().close()
    except psycopg2.OperationalError as exc:
        pytest.skip(f"no PostgreSQL server at {_server_url()} for scratch databases: {exc}")


def scratch_url(name: str) -> str:
    from dj_database_url import parse

    parsed = parse(_server_url())
    credentials = parsed["USER"] or "postgres"
    if parsed["PASSWORD"]:
        credentials += f":{parsed['PASSWORD']}"
    host = f"{parsed['HOST'] or '127.0.0.1'}:{parsed['PORT'] or 5432}"
    return f"postgres://{credentials}@{host}/{name}"


@contextlib.contextmanager
def scratch_database(purpose: str):
    """A new, empty database with a unique name (`ops_<purpose>_<hex>`), dropped afterwards.
    Never the suite's own test database, nor anyone else's."""
    name = f"ops_{purpose}_{uuid.uuid4().hex[:10]}"
    connection = _connect()
    connection.autocommit = True
    try:
        with connection.cursor() as cursor:
            cursor.execute(f'CREATE DATABASE "{name}"')
        yield scratch_url(name)
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.close()


def query(url: str, sql: str, params=None):
    """Rows of one query on the database at `url` (a scratch database)."""
    from dj_database_url import parse

    parsed = parse(url)
    with (
        contextlib.closing(
            psycopg2.connect(
                host=parsed["HOST"],
                port=parsed["PORT"],
                user=parsed["USER"],
                password=parsed["PASSWORD"] or None,
                dbname=parsed["NAME"],
            )
        ) as connection,
        connection.cursor() as cursor,
    ):
        cursor.execute(sql, params)
        rows = cursor.fetchall() if cursor.description else []
        connection.commit()
        return rows


# --- a private PostgreSQL server, to stop and start at will ------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _postgres_bin() -> Path | None:
    for candidate in sorted(Path("/usr/lib/postgresql").glob("*/bin"), reverse=True):
        if (candidate / "initdb").exists() and (candidate / "pg_ctl").exists():
            return candidate
    found = shutil.which("initdb")
    return Path(found).parent if found else None


class PrivateServer:
    """A PostgreSQL cluster in a temporary directory on a free port, with trust authentication
    on 127.0.0.1 only. initdb refuses to run as root; as root the cluster belongs to the
    `postgres` user and its commands run through runuser."""

    def __init__(self):
        self.bin = _postgres_bin()
        if self.bin is None:
            pytest.skip("initdb and pg_ctl not found (install PostgreSQL's server package)")
        self.as_user: list[str] = []
        if os.geteuid() == 0:
            if shutil.which("runuser") is None:
                pytest.skip("running as root without runuser to start PostgreSQL as another user")
            try:
                import pwd

                owner = pwd.getpwnam("postgres")
            except KeyError:
                pytest.skip("running as root and there is no postgres user to own a cluster")
            self.as_user = ["runuser", "-u", "postgres", "--"]
        self.directory = Path(tempfile.mkdtemp(prefix="gcm-ops-pg-"))
        if self.as_user:
            os.chown(self.directory, owner.pw_uid, owner.pw_gid)
        self.data = self.directory / "data"
        self.port = free_port()
        self._run("initdb", "-D", str(self.data), "-U", "postgres", "-A", "trust", "-E", "UTF8")

    @property
    def url(self) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/postgres"

    def execute(self, *statements: str | tuple[str, list]) -> None:
        """Run statements (SQL, or SQL and its parameters) as postgres, outside a transaction."""
        with contextlib.closing(
            psycopg2.connect(host="127.0.0.1", port=self.port, user="postgres", dbname="postgres")
        ) as connection:
            connection.autocommit = True
            for statement in statements:
                sql, params = statement if isinstance(statement, tuple) else (statement, None)
                connection.cursor().execute(sql, params)

    def _run(self, tool: str, *args: str) -> None:
        result = subprocess.run(
            [*self.as_user, str(self.bin / tool), *args],
            capture_output=True,
            text=True,
            check=False,
            timeout=120,
        )
        if result.returncode != 0:
            pytest.fail(f"{tool} exited {result.returncode}:\n{result.stdout}\n{result.stderr}")

    def start(self) -> None:
        options = f"-p {self.port} -k {self.directory} -c listen_addresses=127.0.0.1"
        self._run(
            "pg_ctl", "start", "-w", "-D", str(self.data), "-o", options,
            "-l", str(self.directory / "server.log"),
        )  # fmt: skip

    def stop(self) -> None:
        self._run("pg_ctl", "stop", "-w", "-m", "fast", "-D", str(self.data))

    def close(self) -> None:
        subprocess.run(
            [*self.as_user, str(self.bin / "pg_ctl"), "stop", "-m", "immediate", "-D", self.data],
            capture_output=True,
            check=False,
        )
        shutil.rmtree(self.directory, ignore_errors=True)


def wait_for_port(port: int, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    pytest.fail(f"nothing listens on 127.0.0.1:{port} after {timeout} s")
