"""Backups round-trip with every row intact: pg_dump/pg_restore through scripts/, and the
portable export (export_data, then loaddata) on the suite's database and from SQLite to
PostgreSQL and back, with several rows of every model (tests/ops/every_model.py)."""

import hashlib
import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from django.apps import apps
from django.contrib.auth.models import Group
from django.core.management import call_command

from gcm_tracker.ops.management.commands.export_data import EXCLUDED
from gcm_tracker.tracker.services import summary_count_drift

from .every_model import MIN_ROWS, populate, row_counts
from .support import ROOT, clean_environment, manage, query, require_postgres, scratch_database

# Data beyond the seed: several rows of every model, histories and summary counts included.
ADD_DATA = "from tests.ops.every_model import populate; populate()"

# Rows per model, the many-to-many tables included.
COUNT_ROWS = """
import json
from tests.ops.every_model import row_counts
print(json.dumps(row_counts(), sort_keys=True))
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


@pytest.mark.engine_independent
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

    # The restore moves the public-data generation past every number used (tracker.cache).
    (_, original_generation) = original["tables"].pop("tracker_publicgeneration")
    (_, restored_generation) = restored["tables"].pop("tracker_publicgeneration")
    assert restored_generation != original_generation
    assert (backup.returncode, backup.stderr) == (0, "")
    assert [p.name for p in tmp_path.iterdir()] == [Path(dump).name]
    assert (unconfirmed.returncode, untouched) == (1, [(0,)])
    assert unconfirmed.stderr == (
        "restore.sh: this replaces the database's contents; add --yes to do it without asking\n"
    )
    assert (restore.returncode, restore.stderr, restore.stdout) == (0, "", f"restored {dump}\n")
    assert restored == original
    assert original["triggers"] == [
        ("tracker_followupaction", "tracker_action_facets_links"),
        ("tracker_followupaction", "tracker_action_published_links"),
        ("tracker_followupaction", "tracker_action_published_partners"),
        ("tracker_actioncountry", "tracker_actioncountry_dates_added"),
        ("tracker_actioncountry", "tracker_actioncountry_dates_changed"),
        ("tracker_actioncountry", "tracker_actioncountry_facets_copied"),
        ("tracker_actioncountry", "tracker_actioncountry_kindcount_added"),
        ("tracker_actioncountry", "tracker_actioncountry_kindcount_changed"),
        ("tracker_actioncountry", "tracker_actioncountry_kindcount_removed"),
        ("tracker_actionpartner", "tracker_actionpartner_dates_added"),
        ("tracker_actionpartner", "tracker_actionpartner_dates_changed"),
        ("tracker_actionrecommendation", "tracker_actionrec_masks_added"),
        ("tracker_actionrecommendation", "tracker_actionrec_masks_changed"),
        ("tracker_actionrecommendation", "tracker_actionrec_masks_removed"),
        ("tracker_assessment", "tracker_assessment_blocks_added"),
        ("tracker_assessment", "tracker_assessment_blocks_changed"),
        ("tracker_assessment", "tracker_assessment_blocks_removed"),
        ("tracker_assessmentchange", "tracker_assessmentchange_append_only"),
        ("tracker_assessmentsubmission", "tracker_assesssub_mask_set"),
        ("tracker_assessment", "tracker_disagreements_added"),
        ("tracker_assessment", "tracker_disagreements_changed"),
        ("tracker_assessment", "tracker_disagreements_removed"),
        ("tracker_recommendationobjective", "tracker_objcounts_links_moved"),
        ("tracker_objective", "tracker_objective_masks_renumbered"),
        ("tracker_objective", "tracker_objective_submasks_renumbered"),
        ("tracker_recommendationobjective", "tracker_objscope_links_added"),
        ("tracker_recommendationobjective", "tracker_objscope_links_removed"),
        ("tracker_recommendationobjective", "tracker_objstatus_links_added"),
        ("tracker_recommendationobjective", "tracker_objstatus_links_removed"),
        ("tracker_recommendation", "tracker_objstatus_status_changed"),
        ("tracker_followupaction", "tracker_pubactioncount_added"),
        ("tracker_followupaction", "tracker_pubactioncount_changed"),
        ("tracker_followupaction", "tracker_pubactioncount_removed"),
        ("tracker_followupaction", "tracker_pubactobjday_added"),
        ("tracker_followupaction", "tracker_pubactobjday_changed"),
        ("tracker_followupaction", "tracker_pubactobjday_removed"),
        ("tracker_recommendationobjective", "tracker_recobjective_masks_added"),
        ("tracker_recommendationobjective", "tracker_recobjective_masks_changed"),
        ("tracker_recommendationobjective", "tracker_recobjective_masks_removed"),
        ("tracker_recommendationobjective", "tracker_recobjective_submasks_added"),
        ("tracker_recommendationobjective", "tracker_recobjective_submasks_changed"),
        ("tracker_recommendationobjective", "tracker_recobjective_submasks_removed"),
        ("tracker_recommendation", "tracker_recommendation_blocks_added"),
        ("tracker_recommendation", "tracker_recommendation_blocks_changed"),
        ("tracker_recommendation", "tracker_recommendation_blocks_removed"),
        ("tracker_statuschange", "tracker_regionalday_added"),
        ("tracker_statuschange", "tracker_regionalday_removed"),
        ("tracker_statuschange", "tracker_regionalgroupday_added"),
        ("tracker_recommendationobjective", "tracker_regionalgroupday_grouped"),
        ("tracker_recommendationobjective", "tracker_regionalgroupday_regrouped"),
        ("tracker_statuschange", "tracker_regionalgroupday_removed"),
        ("tracker_recommendation", "tracker_regionalgroupday_rescoped"),
        ("tracker_recommendationobjective", "tracker_regionalgroupday_ungrouped"),
        ("tracker_recommendation", "tracker_scopecount_recs_added"),
        ("tracker_recommendation", "tracker_scopecount_recs_changed"),
        ("tracker_recommendation", "tracker_scopecount_recs_removed"),
        ("tracker_recommendationscopearea", "tracker_selectedcount_areas_added"),
        ("tracker_recommendationscopearea", "tracker_selectedcount_areas_changed"),
        ("tracker_recommendationscopearea", "tracker_selectedcount_areas_removed"),
        ("tracker_recommendation", "tracker_selectedcount_recs_added"),
        ("tracker_recommendation", "tracker_selectedcount_recs_removed"),
        ("tracker_recommendation", "tracker_selectedcount_recs_rescoped"),
        ("tracker_statuschange", "tracker_statuschange_append_only"),
    ]
    assert original["tables"]["tracker_statuschange"][0] == 6
    # The seed's 37 and the four every_model.populate() made.
    assert original["tables"]["tracker_recommendation"][0] == 41


def _add_user(database_url: str, username: str) -> None:
    query(
        database_url,
        "INSERT INTO auth_user (password, is_superuser, username, first_name, last_name, email, "
        "is_staff, is_active, date_joined) VALUES ('!', false, %s, '', '', '', false, true, now())",
        [username],
    )


@pytest.mark.engine_independent
def test_restore_into_the_same_database_after_an_upgrade_rolls_the_upgrade_back(tmp_path):
    # Item 21 of issue 14: docs/deploy.md's upgrade rollback. A dump taken at tracker migration
    # 0002, restored into the same database after it was migrated to the newest, used to stop on
    # "cannot drop constraint ... depends on it" and change nothing.
    require_postgres()
    tools = _postgres_tools()

    with scratch_database("rollback") as database:
        manage("migrate", "--noinput", database_url=database)
        manage("migrate", "tracker", "0002", "--noinput", database_url=database)
        _add_user(database, "before-upgrade")
        before_upgrade = _fingerprint(database)
        backup = _script("backup.sh", str(tmp_path), database_url=database, env=tools)
        manage("migrate", "--noinput", database_url=database)
        _add_user(database, "after-upgrade")
        restore = _script(
            "restore.sh", "--yes", backup.stdout.strip(), database_url=database, env=tools
        )
        restored = _fingerprint(database)
        users = query(database, "SELECT username FROM auth_user ORDER BY username")
        tracker_migration = query(
            database, "SELECT max(name) FROM django_migrations WHERE app = 'tracker'"
        )
        upgrade_again = manage("migrate", "--noinput", database_url=database, check=False)

    assert (backup.returncode, restore.returncode, restore.stderr) == (0, 0, "")
    assert restored == before_upgrade
    assert users == [("before-upgrade",)]
    assert tracker_migration == [("0002_status_history_append_only",)]
    assert upgrade_again.returncode == 0


# Django's JSON encoder writes times to the millisecond: a time whose microseconds are under 1,000
# is written "…:05.000Z", loads as a whole second, and is written again as "…:05Z". The same
# instant, so the comparison ignores an all-zero fraction.
_ZERO_MILLISECONDS = re.compile(r"^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)\.000(Z|[+-]\d\d:\d\d)?$")


def _canonical_checksum(path: Path) -> str:
    """The dump's rows in a fixed order: many-to-many lists sorted, keys sorted, times with an
    all-zero fraction of a second written without it."""
    objects = json.loads(path.read_text(encoding="utf-8"))
    for obj in objects:
        for name, value in obj["fields"].items():
            if isinstance(value, list) and all(isinstance(item, list | int) for item in value):
                obj["fields"][name] = sorted(value, key=json.dumps)
            elif isinstance(value, str):
                obj["fields"][name] = _ZERO_MILLISECONDS.sub(r"\1\2", value)
    lines = sorted(json.dumps(obj, sort_keys=True, ensure_ascii=False) for obj in objects)
    return hashlib.sha256("\n".join(lines).encode()).hexdigest()


@pytest.mark.engine_independent
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
        counts_check = manage("repair_counts", "--check", database_url=postgresql).stdout
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
            "tracker.FollowUpAction",
            "tracker.ActionEvidence",
            "sessions.Session",
        ]
    ] == [41, 6, 6, 3, 6, 0]
    assert _too_few(counts[0]) == {}
    assert counts_check == "Every summary count equals a fresh count.\n"


def _backed_up_models() -> list:
    """Every concrete model whose rows export_data writes."""
    excluded_apps = {label for label in EXCLUDED if "." not in label}
    excluded_models = {label.lower() for label in EXCLUDED if "." in label}
    return [
        model
        for model in apps.get_models(include_auto_created=True)
        if not model._meta.proxy
        and model._meta.app_label not in excluded_apps
        and model._meta.label_lower not in excluded_models
    ]


def _too_few(counts: dict[str, int]) -> dict[str, int]:
    """The backed-up models with fewer than MIN_ROWS rows in `counts` (by label)."""
    labels = [model._meta.label for model in _backed_up_models()]
    return {label: counts.get(label, 0) for label in labels if counts.get(label, 0) < MIN_ROWS}


@pytest.mark.django_db(transaction=True)
def test_hardening_1_export_data_round_trips_several_rows_of_every_model(tmp_path):
    """Issue 14, item 1: with several follow-up actions (and evidence, links, account requests,
    memberships, histories) the export loads back into an empty database of the suite's kind
    (SQLite or PostgreSQL) and exports again to the very same rows. Before the fix evidence and
    link rows referred to their action as `[]`, and loaddata stopped on "get() returned more
    than one FollowUpAction"."""
    populate()
    first, second = tmp_path / "first.json", tmp_path / "second.json"
    call_command("export_data", "-o", str(first), verbosity=0)
    before = row_counts()

    call_command("flush", "--noinput", verbosity=0)
    # flush's post_migrate made the role groups again, under ids the export's groups may not
    # have (earlier tests used some); the export brings them back with their own ids.
    Group.objects.all().delete()
    call_command("loaddata", str(first), verbosity=0)
    call_command("export_data", "-o", str(second), verbosity=0)

    evidence = [
        obj["fields"]["action"]
        for obj in json.loads(first.read_text(encoding="utf-8"))
        if obj["model"] == "tracker.actionevidence"
    ]
    assert _too_few(before) == {}
    assert row_counts() == before
    # Summary counts travel as columns, the tables the triggers keep are rebuilt by them.
    assert summary_count_drift() == []
    assert _canonical_checksum(second) == _canonical_checksum(first)
    # Evidence refers to its action by id: the action has no natural key.
    assert sorted(set(evidence)) == sorted(
        apps.get_model("tracker.FollowUpAction").objects.values_list("pk", flat=True)
    )
