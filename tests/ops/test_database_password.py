"""A database password may hold any character: docker-compose.yml hands POSTGRES_PASSWORD to the
app as the POSTGRES_* parts and to the backup tool as PGPASSWORD, never inside a URL (issue 14,
item 26). Checked against a private PostgreSQL that really asks for the password."""

import pytest

from .support import PrivateServer, manage
from .test_backups import _postgres_tools, _script

# A PostgreSQL server of its own: the suite's database engine does not matter.
pytestmark = pytest.mark.engine_independent

# Characters a URL's password must percent-encode; a quote for the SQL and the shell too.
PASSWORD = "p@ss/w#rd:%20?&=+ 'x'"
CONNECTED = (
    "from django.db import connection; connection.ensure_connection(); "
    "print(connection.vendor, connection.get_database_version() >= (13,))"
)


@pytest.fixture
def server():
    server = PrivateServer()
    try:
        server.start()
        server.execute(
            ("CREATE ROLE gcm_tracker LOGIN PASSWORD %s", [PASSWORD]),
            "CREATE DATABASE gcm_tracker OWNER gcm_tracker",
        )
        # From now on a password is asked for over TCP (the test's own connections above used
        # the initial trust rule).
        (server.data / "pg_hba.conf").write_text(
            "local all all trust\nhost all all 127.0.0.1/32 scram-sha-256\n", encoding="utf-8"
        )
        server._run("pg_ctl", "reload", "-D", str(server.data))
        yield server
    finally:
        server.close()


def test_postgres_password_with_url_characters_reaches_the_app_and_the_backup_tool(
    server, tmp_path
):
    parts = {
        "POSTGRES_HOST": "127.0.0.1",
        "POSTGRES_PORT": str(server.port),
        "POSTGRES_DB": "gcm_tracker",
        "POSTGRES_USER": "gcm_tracker",
    }
    conninfo = f"host=127.0.0.1 port={server.port} dbname=gcm_tracker user=gcm_tracker"

    app = manage(
        "shell", "-v", "0", "-c", CONNECTED, database_url="", POSTGRES_PASSWORD=PASSWORD, **parts
    )
    wrong = manage(
        "shell", "-v", "0", "-c", CONNECTED, database_url="", check=False,
        POSTGRES_PASSWORD="wrong", **parts,
    )  # fmt: skip
    backup = _script(
        "backup.sh", str(tmp_path), database_url=conninfo,
        env={**_postgres_tools(), "PGPASSWORD": PASSWORD},
    )  # fmt: skip

    assert app.stdout == "postgresql True\n"
    assert (wrong.returncode, "password authentication failed" in wrong.stderr) == (1, True)
    assert (backup.returncode, backup.stderr) == (0, "")
    assert backup.stdout.startswith(f"{tmp_path}/gcm_tracker-")
