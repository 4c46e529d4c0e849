"""Backups round-trip with every row intact: pg_dump/pg_restore through scripts/, and the
portable export (export_data, then loaddata) from SQLite to PostgreSQL and back."""

import hashlib
import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from .support import ROOT, clean_environment, manage, query, require_postgres, scratch_database

# Data beyond the seed: a staff member, status changes (the append-only history), a contributor
# and a published follow-up action with its model history, and country assessments in both
# voices (with their history, the published submission and the roll-ups).
ADD_DATA = """
from gcm_tracker.tracker.models import Country, Recommendation, Stakeholder
from tests.factories import ContributorFactory, PublishedActionFactory, StaffFactory, set_status
from tests.factories import publish_civil_society, record_official
staff = StaffFactory(username="ops-staff")
for recommendation in Recommendation.objects.order_by("pk")[:3]:
    set_status(recommendation, staff)
organisation = Stakeholder.objects.order_by("pk").first()
contributor = ContributorFactory(username="ops-contributor", organisation=organisation)
PublishedActionFactory(lead_stakeholder=organisation)
thailand, recommendation = Country.objects.get(iso3="THA"), Recommendation.objects.get(paragraph=87)
record_official(recommendation, thailand, staff)
publish_civil_society(recommendation, thailand, contributor, staff)
"""

# Rows per model, the many-to-many tables included.
COUNT_ROWS = """
import json
from django.apps import apps
print(json.dumps({m._meta.label: m._base_manager.count()
                  for m in apps.get_models(include_auto_created=True)}, sort_keys=True))
"""


def _populate(database_url: str) -> None:
    manage("migrate", "--noinput", database_url=database_url)
    manage("load_seed", database_url=database_url)
    manage("shell", "--verbosity=0", "-c", ADD_DATA, database_url=database_url)


def _row_counts(database_url: str) -> dict[str, int]:
    return json.loads(
        manage("shell", "--verbosity=0", "-c", COUNT_ROWS, database_url=database_url).stdout
    )


def _postgres_tools() -> dict[str, str]:
    """PATH with pg_dump and pg_restore, newest server version first."""
    directories = sorted(Path("/usr/lib/postgresql").glob("*/bin"), reverse=True)
    path = os.pathsep.join([*(str(d) for d in directories), os.environ.get("PATH", "")])
    if shutil.which("pg_dump", path=path) is None or shutil.which("pg_restore", path=path) is None:
        pytest.skip("pg_dump and pg_restore not found (install PostgreSQL's client package)")
    return {"PATH": path}


def _script(name: str, *args: str, database_url: str, env: dict) -> subprocess.CompletedProcess:
    return subprocess.run(
        ["sh", str(ROOT / "scripts" / name), *args],
        env=clean_environment(DATABASE_URL=database_url, **env),
        capture_output=True,
        text=True,
        check=False,
        stdin=subprocess.DEVNULL,
        timeout=300,
    )


FINGERPRINT = """
SELECT c.relname,
       (xpath('/row/n/text()', query_to_xml(format('SELECT count(*) AS n FROM %I', c.relname),
                                            false, true, '')))[1]::text,
       (xpath('/row/h/text()', query_to_xml(
            format('SELECT md5(coalesce(string_agg(t::text, E''\\n'' ORDER BY t::text), ''''))'
                   ' AS h FROM %I t', c.relname), false, true, '')))[1]::text
FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE n.nspname = 'public' AND c.relkind = 'r'
ORDER BY c.relname
"""


def _fingerprint(database_url: str) -> dict:
    """Every table's row count and a checksum of its rows, each sequence's position and every
    trigger: what a restore must bring back."""
    tables = {
        name: (int(count), checksum) for name, count, checksum in query(database_url, FINGERPRINT)
    }
    sequences = query(
        database_url,
        "SELECT sequencename, last_value FROM pg_sequences WHERE schemaname = 'public' "
        "ORDER BY sequencename",
    )
    triggers = query(
        database_url,
        "SELECT tgrelid::regclass::text, tgname FROM pg_trigger WHERE NOT tgisinternal ORDER BY 2",
    )
    return {"tables": tables, "sequences": sequences, "triggers": triggers}


def test_pg_dump_backup_restores_every_row_sequence_and_trigger(tmp_path):
    require_postgres()
    tools = _postgres_tools()

    with scratch_database("backup_src") as source, scratch_database("backup_dst") as target:
        _populate(source)
        backup = _script("backup.sh", str(tmp_path), database_url=source, env=tools)
        dump = backup.stdout.strip()
        unconfirmed = _script("restore.sh", dump, database_url=target, env=tools)
        untouched = query(target, "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'")
        restore = _script("restore.sh", "--yes", dump, database_url=target, env=tools)

        original, restored = _fingerprint(source), _fingerprint(target)

    assert (backup.returncode, backup.stderr) == (0, "")
    assert [p.name for p in tmp_path.iterdir()] == [Path(dump).name]
    assert (unconfirmed.returncode, untouched) == (1, [(0,)])
    assert unconfirmed.stderr == (
        "restore.sh: this replaces the database's contents; add --yes to do it without asking\n"
    )
    assert (restore.returncode, restore.stderr, restore.stdout) == (0, "", f"restored {dump}\n")
    assert restored == original
    assert original["triggers"] == [
        ("tracker_assessmentchange", "tracker_assessmentchange_append_only"),
        ("tracker_recommendationobjective", "tracker_objstatus_links_added"),
        ("tracker_recommendationobjective", "tracker_objstatus_links_removed"),
        ("tracker_recommendation", "tracker_objstatus_status_changed"),
        ("tracker_statuschange", "tracker_statuschange_append_only"),
    ]
    assert original["tables"]["tracker_statuschange"][0] == 3
    # The seed's 37 and the one the follow-up action's factory made.
    assert original["tables"]["tracker_recommendation"][0] == 38


def _canonical_checksum(path: Path) -> str:
    """The dump's rows in a fixed order: many-to-many lists sorted, keys sorted."""
    objects = json.loads(path.read_text(encoding="utf-8"))
    for obj in objects:
        for name, value in obj["fields"].items():
            if isinstance(value, list) and all(isinstance(item, list | int) for item in value):
                obj["fields"][name] = sorted(value, key=json.dumps)
    lines = sorted(json.dumps(obj, sort_keys=True, ensure_ascii=False) for obj in objects)
    return hashlib.sha256("\n".join(lines).encode()).hexdigest()


def test_export_data_moves_everything_from_sqlite_to_postgresql_and_back(tmp_path):
    require_postgres()
    first_sqlite = f"sqlite:///{tmp_path / 'first.sqlite3'}"
    second_sqlite = f"sqlite:///{tmp_path / 'second.sqlite3'}"
    files = [tmp_path / name for name in ["from-sqlite.json", "from-pg.json", "back.json"]]

    _populate(first_sqlite)
    manage("export_data", "-o", str(files[0]), database_url=first_sqlite)
    with scratch_database("portable") as postgresql:
        manage("migrate", "--noinput", database_url=postgresql)
        manage("loaddata", str(files[0]), database_url=postgresql)
        manage("export_data", "-o", str(files[1]), database_url=postgresql)
        postgresql_counts = _row_counts(postgresql)
    manage("migrate", "--noinput", database_url=second_sqlite)
    manage("loaddata", str(files[1]), database_url=second_sqlite)
    manage("export_data", "-o", str(files[2]), database_url=second_sqlite)

    counts = [_row_counts(first_sqlite), postgresql_counts, _row_counts(second_sqlite)]
    checksums = [_canonical_checksum(path) for path in files]
    assert counts[1:] == [counts[0], counts[0]]
    assert checksums[1:] == [checksums[0], checksums[0]]
    assert [
        counts[0][label]
        for label in [
            "tracker.Recommendation",
            "tracker.StatusChange",
            "auth.User",
            "sessions.Session",
        ]
    ] == [38, 3, 2, 0]
    assert [
        counts[0][f"tracker.{model}"]
        for model in [
            "Assessment",
            "AssessmentChange",
            "AssessmentSubmission",
            "AssessmentStatusCount",
            "RecommendationScopeArea",
        ]
    ] == [2, 2, 1, 4, 1]
    assert counts[0]["tracker.HistoricalFollowUpAction"] > 0
