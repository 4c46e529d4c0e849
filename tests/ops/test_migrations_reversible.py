"""Every migration can be undone: from a database holding the seed and some history, all apps
go back to zero (no table left but django_migrations) and forward again, on SQLite and on
PostgreSQL, in scratch databases of their own."""

import json

import pytest

from .support import manage, require_postgres, scratch_database

# Scratch databases of its own: the suite's database engine does not matter.
pytestmark = pytest.mark.engine_independent

ROUND_TRIP = """
import json
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

def state():
    executor = MigrationExecutor(connection)
    applied = sorted(f"{app}.{name}" for app, name in executor.loader.applied_migrations)
    return applied, sorted(connection.introspection.table_names())

before = state()
executor = MigrationExecutor(connection)
executor.migrate([(app, None) for app in sorted(executor.loader.migrated_apps)])
at_zero = state()
call_command("migrate", verbosity=0)
after = state()
print(json.dumps({"before": before, "at_zero": at_zero, "after": after,
                  "migrations": len(before[0]), "tables": len(before[1])}))
"""

ADD_HISTORY = """
from gcm_tracker.tracker.models import Recommendation
from tests.factories import StaffFactory, set_status
staff = StaffFactory(username="ops-staff")
for recommendation in Recommendation.objects.order_by("pk")[:2]:
    set_status(recommendation, staff)
"""


def _round_trip(database_url: str) -> dict:
    manage("migrate", "--noinput", database_url=database_url)
    manage("load_seed", database_url=database_url)
    manage("shell", "--verbosity=0", "-c", ADD_HISTORY, database_url=database_url)
    result = manage("shell", "--verbosity=0", "-c", ROUND_TRIP, database_url=database_url)
    return json.loads(result.stdout)


def _assert_reversible(report: dict) -> None:
    assert report["at_zero"] == [[], ["django_migrations"]]
    assert report["after"] == report["before"]
    assert (report["migrations"] > 20, report["tables"] > 40) == (True, True)


def test_migrations_reverse_to_zero_and_forward_again_on_sqlite(tmp_path):
    report = _round_trip(f"sqlite:///{tmp_path / 'migrations.sqlite3'}")

    _assert_reversible(report)


def test_migrations_reverse_to_zero_and_forward_again_on_postgresql():
    require_postgres()

    with scratch_database("migrations") as database_url:
        report = _round_trip(database_url)

    _assert_reversible(report)
