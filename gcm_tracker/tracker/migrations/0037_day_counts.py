"""Counts per day for "what changed" over long ranges (tracker.day_count_models).

Regional status changes per effective day and direction: kept by triggers, as the other summary
tables the database can count itself are (migrations 0035, 0036): the history is append-only, so
insertion moves them, and deletion (which PostgreSQL refuses; SQLite lets tests do). PostgreSQL:
statement-level triggers with transition tables, one run per statement whatever its rows;
SQLite: row-level triggers.

Published actions per day: a day in the site's time zone, which the database does not know, so
the publishing service keeps them (services.actions.published_action_counts_add). This
migration fills both from the rows there.
"""

from django.db import migrations, models
from django.db.models import Count
from django.db.models.functions import TruncDate
from django.utils import timezone

from gcm_tracker.tracker.vendor_sql import (
    drop_statement_triggers,
    statement_trigger,
    vendor_sql_operation,
)

# The statuses in order of progress (enums.RecommendationStatus as this migration was written).
STATUSES = (
    "no_information",
    "not_started",
    "limited_progress",
    "substantial_progress",
    "implemented",
)


def _rank(column: str) -> str:
    whens = " ".join(f"WHEN '{status}' THEN {rank}" for rank, status in enumerate(STATUSES))
    return f"(CASE {column} {whens} END)"


def _direction(row: str) -> str:
    return (
        f"CASE WHEN {_rank(row + '.new_status')} > {_rank(row + '.old_status')} "
        "THEN 'up' ELSE 'down' END"
    )


FILL_REGIONAL = f"""
INSERT INTO tracker_regionalchangedaycount (day, direction, count)
SELECT effective_date, {_direction("c")}, COUNT(*) FROM tracker_statuschange c
GROUP BY 1, 2
"""


def _add(deltas: str) -> str:
    """An upsert adding `deltas` (rows of day, direction, n), in key order."""
    return f"""
    INSERT INTO tracker_regionalchangedaycount (day, direction, count)
    SELECT day, direction, SUM(n) FROM ({deltas}) deltas
    GROUP BY day, direction ORDER BY day, direction
    ON CONFLICT (day, direction)
    DO UPDATE SET count = tracker_regionalchangedaycount.count + EXCLUDED.count;
"""


_HISTORY = "tracker_statuschange"
POSTGRESQL_FORWARD = [
    statement_trigger(
        "tracker_regionalday_added",
        "INSERT",
        _HISTORY,
        "NEW TABLE AS added",
        _add(
            f"SELECT effective_date AS day, {_direction('added')} AS direction, 1 AS n FROM added"
        ),
    ),
    statement_trigger(
        "tracker_regionalday_removed",
        "DELETE",
        _HISTORY,
        "OLD TABLE AS removed",
        _add(
            f"SELECT effective_date AS day, {_direction('removed')} AS direction, -1 AS n "
            "FROM removed"
        ),
    ),
]
POSTGRESQL_REVERSE = [
    drop_statement_triggers(
        {"tracker_regionalday_added": _HISTORY, "tracker_regionalday_removed": _HISTORY}
    )
]
SQLITE_FORWARD = [
    f"""
CREATE TRIGGER tracker_regionalday_added AFTER INSERT ON tracker_statuschange
BEGIN
    INSERT INTO tracker_regionalchangedaycount (day, direction, count)
    VALUES (NEW.effective_date, {_direction("NEW")}, 1)
    ON CONFLICT (day, direction) DO UPDATE SET count = count + 1;
END
""",
    f"""
CREATE TRIGGER tracker_regionalday_removed AFTER DELETE ON tracker_statuschange
BEGIN
    UPDATE tracker_regionalchangedaycount SET count = count - 1
    WHERE day = OLD.effective_date AND direction = {_direction("OLD")};
END
""",
]
SQLITE_REVERSE = [
    "DROP TRIGGER tracker_regionalday_added",
    "DROP TRIGGER tracker_regionalday_removed",
]

SQL = {
    "postgresql": ([*POSTGRESQL_FORWARD, FILL_REGIONAL], POSTGRESQL_REVERSE),
    "sqlite": ([*SQLITE_FORWARD, FILL_REGIONAL], SQLITE_REVERSE),
}


def fill_published_actions(apps, schema_editor):
    """Each published action on its day in the site's time zone."""
    FollowUpAction = apps.get_model("tracker", "FollowUpAction")
    DayCount = apps.get_model("tracker", "PublishedActionDayCount")
    days = (
        FollowUpAction.objects.filter(review_state="published", published_at__isnull=False)
        .annotate(day=TruncDate("published_at", tzinfo=timezone.get_default_timezone()))
        .order_by()
        .values("day")
        .annotate(n=Count("*"))
        .values_list("day", "n")
    )
    DayCount.objects.bulk_create(DayCount(day=day, count=n) for day, n in days)


class Migration(migrations.Migration):
    dependencies = [
        ("tracker", "0036_disagreement_counts"),
    ]

    operations = [
        migrations.CreateModel(
            name="PublishedActionDayCount",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("day", models.DateField(unique=True, verbose_name="day")),
                ("count", models.IntegerField(default=0, verbose_name="count")),
            ],
            options={
                "verbose_name": "published actions on a day",
                "verbose_name_plural": "published actions per day",
            },
        ),
        migrations.CreateModel(
            name="RegionalChangeDayCount",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("day", models.DateField(verbose_name="day")),
                (
                    "direction",
                    models.CharField(
                        choices=[("up", "up"), ("down", "down")],
                        max_length=4,
                        verbose_name="direction",
                    ),
                ),
                ("count", models.IntegerField(default=0, verbose_name="count")),
            ],
            options={
                "verbose_name": "regional status changes on a day",
                "verbose_name_plural": "regional status changes per day",
                "constraints": [
                    models.UniqueConstraint(
                        fields=("day", "direction"), name="tracker_regionalday_unique"
                    )
                ],
            },
        ),
        vendor_sql_operation(SQL),
        migrations.RunPython(fill_published_actions, migrations.RunPython.noop),
    ]
