"""The PostgreSQL connection plans server-side cursors (the downloads' QuerySet.iterator()) for
reading every row: PostgreSQL's default plans them for their first tenth, which made a filtered
download's rows take 766 ms instead of 74 ms at N = 200,000; and it compiles no query (JIT),
which cost 255 ms on a query that ran in 10 (settings._with_engine_options)."""

import pytest
from django.db import connection

from gcm_tracker import settings


def test_postgresql_connections_plan_cursors_for_every_row_and_compile_nothing():
    config = settings._with_engine_options({"ENGINE": "django.db.backends.postgresql"})

    assert config["OPTIONS"]["options"] == "-c cursor_tuple_fraction=1 -c jit=off"


def test_options_given_in_the_database_url_are_kept():
    config = settings._with_engine_options(
        {
            "ENGINE": "django.db.backends.postgresql",
            "OPTIONS": {"options": "-c statement_timeout=5000"},
        }
    )

    assert (
        config["OPTIONS"]["options"]
        == "-c statement_timeout=5000 -c cursor_tuple_fraction=1 -c jit=off"
    )


def test_sqlite_gets_no_postgresql_options():
    config = settings._with_engine_options({"ENGINE": "django.db.backends.sqlite3"})

    assert config["OPTIONS"] == {"transaction_mode": "IMMEDIATE"}


@pytest.mark.django_db
def test_the_connection_uses_it():
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only (DATABASE_URL)")
    with connection.cursor() as cursor:
        cursor.execute("SHOW cursor_tuple_fraction")
        assert cursor.fetchone() == ("1",)
        cursor.execute("SHOW jit")
        assert cursor.fetchone() == ("off",)
