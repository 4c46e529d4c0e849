"""Synthetic data at scale, for benchmarks: consultations, recommendations with status histories
and scopes, stakeholders, follow-up actions in every review state, and country assessments in
both voices (with their history, civil-society submissions in every review state, and the
roll-up counts).

Rows are made by set-based INSERT … SELECT over generate_series in PostgreSQL, so 200,000
recommendations and 2,000,000 actions take minutes, not hours. The synthetic rows refer to the
reference data (objectives, principles, countries), so on a database without it the command runs
`load_seed` first, which also adds the seed consultation. Synthetic rows are marked by the slug
prefix "synthetic-" (and actions by the title "Synthetic action …").
"""

import datetime
import time

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from gcm_tracker.tracker.cache import public_data_changed
from gcm_tracker.tracker.enums import RecommendationStatus, Subregion
from gcm_tracker.tracker.models import Consultation, Country, Objective, Snapshot
from gcm_tracker.tracker.scope import escap_countries
from gcm_tracker.tracker.services import organisation_actions
from gcm_tracker.tracker.snapshot_distributions import keep_distribution

PREFIX = "synthetic-"
STAKEHOLDERS = 500
RECOMMENDATIONS_PER_CONSULTATION = 40
PHRASES = [
    "provide documentation and legal identity to all migrants",
    "end child immigration detention and use community alternatives",
    "train border officials in gender-responsive and child-sensitive approaches",
    "ensure safe and dignified return and sustainable reintegration",
    "protect victims of trafficking and never criminalise them",
    "coordinate search and rescue and information on missing migrants",
    "strengthen cooperation against smuggling with civil society",
    "collect disaggregated data on migration and share it openly",
    "guarantee access to health care regardless of status",
    "address statelessness and birth registration of migrant children",
]

# Every statement is written for PostgreSQL; %(name)s placeholders are filled from `params`.
# The rows one INSERT makes get consecutive ids, so after the steps that make consultations,
# stakeholders, recommendations and actions the first new id is kept (as first_<step>) and later
# steps pick related rows by arithmetic on ids instead of joining large tables.
FIRST_ID_OF = {
    "consultations": "tracker_consultation",
    "stakeholders": "tracker_stakeholder",
    "recommendations": "tracker_recommendation",
    "actions": "tracker_followupaction",
    "assessments": "tracker_assessment",
}


def _sql_array(values) -> str:
    return "ARRAY[" + ",".join(f"'{value}'" for value in values) + "]"


SUBREGIONS = _sql_array(Subregion.values)
STATUSES = _sql_array(RecommendationStatus.values)  # in the scale's order
STEPS = [
    (
        "consultations",
        """
        INSERT INTO tracker_consultation
            (slug, title, date, format, location, participants, participant_countries,
             report_title, report_url, summary, document_symbol, created_at, updated_at)
        SELECT 'synthetic-c' || i, 'Synthetic consultation ' || i,
               DATE '2015-01-01' + (i %% 3650), (ARRAY['virtual','in_person','hybrid'])[1 + i %% 3],
               '', 40 + i %% 80, 5 + i %% 20, '', '', '', '', now(), now()
        FROM generate_series(1, %(consultations)s) AS i
        """,
    ),
    (
        "stakeholders",
        """
        INSERT INTO tracker_stakeholder
            (slug, name, acronym, kind, country_id, website, led_action_count,
             partner_action_count, created_at, updated_at)
        SELECT 'synthetic-org-' || i, 'Synthetic organisation ' || i, '',
               (ARRAY['civil_society','migrant_diaspora','nhri','trade_union','academia',
                      'local_authority','other'])[1 + i %% 7],
               c.id, '', 0, 0, now(), now()
        FROM generate_series(1, %(stakeholders)s) AS i
        JOIN (SELECT id, row_number() OVER (ORDER BY id) - 1 AS n FROM tracker_country) c
          ON c.n = i %% %(countries)s
        """,
    ),
    (
        "recommendations",
        """
        INSERT INTO tracker_recommendation
            (reference, consultation_id, paragraph, sub_item, text, short_title, status,
             version, status_changed_at, status_effective_on, published_action_count, scope,
             created_at, updated_at)
        SELECT c.slug || '-' || (1 + i / %(consultations)s), c.id, 1 + i / %(consultations)s, '',
               'Governments should ' || (%(phrases)s::text[])[1 + i %% %(phrase_count)s]
                 || ' (synthetic recommendation ' || i || ').',
               left(initcap((%(phrases)s::text[])[1 + i %% %(phrase_count)s]), 70)
                 || ' (' || i || ')',
               CASE WHEN i %% 10 < 4 THEN 'no_information'
                    ELSE (ARRAY['not_started','limited_progress','substantial_progress',
                                'implemented'])[1 + i %% 4] END,
               CASE WHEN i %% 10 < 4 THEN 0 ELSE 1 END,
               CASE WHEN i %% 10 < 4 THEN NULL ELSE now() - (i %% 1000) * interval '1 day' END,
               CASE WHEN i %% 10 < 4 THEN NULL
                    ELSE (now() - (i %% 1000) * interval '1 day')::date END,
               0,
               CASE i %% 20 WHEN 0 THEN 'regional' WHEN 1 THEN 'selected' ELSE 'escap' END,
               now() - interval '3 years', now()
        FROM generate_series(1, %(recommendations)s) AS i
        JOIN tracker_consultation c
          ON c.id = %(first_consultations)s + i %% %(consultations)s
        """,
    ),
    (
        "objectives of recommendations",
        """
        INSERT INTO tracker_recommendationobjective (recommendation_id, objective_id)
        SELECT r.id, o.id FROM tracker_recommendation r
        JOIN tracker_objective o ON o.number = 1 + r.paragraph %% 23
        WHERE r.id >= %(first_recommendations)s
        UNION ALL
        SELECT r.id, o.id FROM tracker_recommendation r
        JOIN tracker_objective o ON o.number = 1 + (r.paragraph + 7) %% 23
        WHERE r.id >= %(first_recommendations)s AND r.paragraph %% 3 = 0
        """,
    ),
    (
        "guiding principles",
        """
        INSERT INTO tracker_recommendation_guiding_principles
            (recommendation_id, guidingprinciple_id)
        SELECT r.id, p.id FROM tracker_recommendation r
        JOIN (SELECT id, row_number() OVER (ORDER BY letter) - 1 AS n
              FROM tracker_guidingprinciple) p ON p.n = r.paragraph %% 10
        WHERE r.id >= %(first_recommendations)s AND r.paragraph %% 2 = 0
        """,
    ),
    (
        "status history",
        """
        INSERT INTO tracker_statuschange
            (recommendation_id, old_status, new_status, reason, evidence_url, effective_date,
             changed_at, changed_by_id)
        SELECT r.id, 'no_information', r.status, 'Synthetic assessment.', '',
               r.status_changed_at::date, r.status_changed_at, %(user)s
        FROM tracker_recommendation r
        WHERE r.id >= %(first_recommendations)s AND r.version = 1
        """,
    ),
    (
        "actions",
        """
        INSERT INTO tracker_followupaction
            (title, description, lead_stakeholder_id, action_type, progress, start_date,
             end_date, review_state, review_note, created_by_id, submitted_at, reviewed_by_id,
             reviewed_at, published_at, version, created_at, updated_at)
        SELECT 'Synthetic action ' || i, 'Synthetic follow-up action number ' || i || '.',
               s.id,
               (ARRAY['advocacy','policy_dialogue','training','research_data','service_delivery',
                      'legal_aid','monitoring','awareness','coordination','other'])[1 + i %% 10],
               (ARRAY['planned','ongoing','completed'])[1 + i %% 3],
               DATE '2021-01-01' + (i %% 1500), NULL,
               CASE WHEN i %% 10 < 7 THEN 'published' WHEN i %% 10 = 7 THEN 'draft'
                    WHEN i %% 10 = 8 THEN 'submitted' ELSE 'returned' END,
               CASE WHEN i %% 10 = 9 THEN 'Please add evidence.' ELSE '' END,
               NULL, NULL, NULL, NULL,
               CASE WHEN i %% 10 < 7 THEN now() - (i %% 1500) * interval '1 hour' END,
               0, now(), now()
        FROM generate_series(1, %(actions)s) AS i
        JOIN tracker_stakeholder s ON s.id = %(first_stakeholders)s + i %% %(stakeholders)s
        """,
    ),
    (
        "recommendations of actions",
        """
        INSERT INTO tracker_actionrecommendation (action_id, recommendation_id)
        SELECT a.id, %(first_recommendations)s + (a.id - %(first_actions)s) %% %(recommendations)s
        FROM tracker_followupaction a WHERE a.id >= %(first_actions)s
        """,
    ),
    (
        "countries of actions",
        """
        INSERT INTO tracker_actioncountry (action_id, country_id)
        SELECT a.id, c.id
        FROM tracker_followupaction a
        JOIN (SELECT id, row_number() OVER (ORDER BY id) - 1 AS n FROM tracker_country) c
          ON c.n = ((a.id - %(first_actions)s) * 7) %% %(countries)s
        WHERE a.id >= %(first_actions)s
        """,
    ),
    (
        "partners of actions",
        """
        INSERT INTO tracker_actionpartner (action_id, stakeholder_id)
        SELECT a.id, %(first_stakeholders)s + (a.id - %(first_actions)s + 1) %% %(stakeholders)s
        FROM tracker_followupaction a
        WHERE a.id >= %(first_actions)s AND (a.id - %(first_actions)s) %% 4 = 0
        """,
    ),
    (
        "summary counts of published actions",
        """
        UPDATE tracker_recommendation r SET published_action_count = x.n
        FROM (SELECT ar.recommendation_id AS id, count(*) AS n
              FROM tracker_actionrecommendation ar
              JOIN tracker_followupaction a ON a.id = ar.action_id
              WHERE a.review_state = 'published' GROUP BY 1) x
        WHERE r.id = x.id;
        UPDATE tracker_country c SET published_action_count = x.n
        FROM (SELECT ac.country_id AS id, count(*) AS n FROM tracker_actioncountry ac
              JOIN tracker_followupaction a ON a.id = ac.action_id
              WHERE a.review_state = 'published' GROUP BY 1) x
        WHERE c.id = x.id;
        UPDATE tracker_stakeholder s SET led_action_count = x.n
        FROM (SELECT lead_stakeholder_id AS id, count(*) AS n FROM tracker_followupaction
              WHERE review_state = 'published' GROUP BY 1) x
        WHERE s.id = x.id;
        UPDATE tracker_stakeholder s SET partner_action_count = x.n
        FROM (SELECT ap.stakeholder_id AS id, count(*) AS n FROM tracker_actionpartner ap
              JOIN tracker_followupaction a ON a.id = ap.action_id
              WHERE a.review_state = 'published' GROUP BY 1) x
        WHERE s.id = x.id;
        DELETE FROM tracker_publishedactiondaycount;
        INSERT INTO tracker_publishedactiondaycount (day, count)
        SELECT (published_at AT TIME ZONE %(time_zone)s)::date, count(*)
        FROM tracker_followupaction WHERE review_state = 'published' GROUP BY 1;
        DELETE FROM tracker_publishedactionsubregiondaycount;
        INSERT INTO tracker_publishedactionsubregiondaycount (day, subregion, count)
        SELECT (a.published_at AT TIME ZONE %(time_zone)s)::date, c.subregion,
               count(DISTINCT a.id)
        FROM tracker_followupaction a
        JOIN tracker_actioncountry ac ON ac.action_id = a.id
        JOIN tracker_country c ON c.id = ac.country_id
        WHERE a.review_state = 'published' AND c.subregion <> '' GROUP BY 1, 2
        """,
    ),
    (
        "recommendations organisations acted on",
        """
        INSERT INTO tracker_stakeholderrecommendation
            (stakeholder_id, recommendation_id, action_count)
        SELECT stakeholder_id, recommendation_id, count(*) FROM (
            SELECT a.lead_stakeholder_id AS stakeholder_id, ar.recommendation_id
            FROM tracker_followupaction a
            JOIN tracker_actionrecommendation ar ON ar.action_id = a.id
            WHERE a.id >= %(first_actions)s AND a.review_state = 'published'
            UNION ALL
            SELECT ap.stakeholder_id, ar.recommendation_id
            FROM tracker_actionpartner ap
            JOIN tracker_followupaction a ON a.id = ap.action_id
            JOIN tracker_actionrecommendation ar ON ar.action_id = a.id
            WHERE a.id >= %(first_actions)s AND a.review_state = 'published'
        ) links
        GROUP BY stakeholder_id, recommendation_id
        ON CONFLICT (stakeholder_id, recommendation_id) DO UPDATE
        SET action_count = tracker_stakeholderrecommendation.action_count
                           + excluded.action_count
        """,
    ),
    (
        "recommendations acted on in each country",
        """
        INSERT INTO tracker_countryrecommendation (country_id, recommendation_id, action_count)
        SELECT ac.country_id, ar.recommendation_id, count(*)
        FROM tracker_actioncountry ac
        JOIN tracker_followupaction a ON a.id = ac.action_id
        JOIN tracker_actionrecommendation ar ON ar.action_id = a.id
        WHERE a.id >= %(first_actions)s AND a.review_state = 'published'
        GROUP BY ac.country_id, ar.recommendation_id
        ON CONFLICT (country_id, recommendation_id) DO UPDATE
        SET action_count = tracker_countryrecommendation.action_count + excluded.action_count
        """,
    ),
    *(
        (
            f"organisations' actions ({kept.model.__name__})",
            kept.insert_sql(
                lead="AND a.id >= %(first_actions)s", partner="AND a.id >= %(first_actions)s"
            ),
        )
        for kept in organisation_actions.KEPT_LISTS
    ),
    (
        "scope areas",
        f"""
        INSERT INTO tracker_recommendationscopearea (recommendation_id, subregion, country_id)
        SELECT r.id, ({SUBREGIONS})[1 + r.id %% 5], NULL
        FROM tracker_recommendation r
        WHERE r.id >= %(first_recommendations)s AND r.scope = 'selected'
        """,
    ),
    (
        "assessments",
        # Cell k of a recommendation is country number (7 * id + k) among those it applies to
        # (distinct for k below their number); the official and civil-society voices share the
        # first cells, with statuses that sometimes agree and sometimes are far apart.
        f"""
        INSERT INTO tracker_assessment
            (recommendation_id, country_id, voice, stakeholder_id, status, summary,
             source_title, source_url, source_date, effective_date, version, recorded_at,
             in_scope)
        WITH escap AS (
            SELECT id, row_number() OVER (ORDER BY id) - 1 AS n FROM tracker_country
            WHERE membership IN ('member', 'associate_member')
        ), by_subregion AS (
            SELECT id, subregion, row_number() OVER (PARTITION BY subregion ORDER BY id) - 1 AS n,
                   count(*) OVER (PARTITION BY subregion) AS size
            FROM tracker_country WHERE subregion <> ''
        ), cells AS (
            SELECT r.id AS rec, c.id AS country, k
            FROM tracker_recommendation r
            CROSS JOIN generate_series(0, LEAST(%(cells)s, %(escap_countries)s) - 1) AS k
            JOIN escap c ON c.n = (r.id * 7 + k) %% %(escap_countries)s
            WHERE r.id >= %(first_recommendations)s AND r.scope = 'escap'
            UNION ALL
            SELECT r.id, c.id, k
            FROM tracker_recommendation r
            JOIN tracker_recommendationscopearea s ON s.recommendation_id = r.id
            JOIN (SELECT DISTINCT subregion, size FROM by_subregion) z
              ON z.subregion = s.subregion
            CROSS JOIN generate_series(0, %(cells)s - 1) AS k
            JOIN by_subregion c ON c.subregion = s.subregion AND c.n = (r.id * 7 + k) %% z.size
            WHERE r.id >= %(first_recommendations)s AND r.scope = 'selected' AND k < z.size
        )
        SELECT rec, country, 'official', NULL::bigint, ({STATUSES})[1 + (rec + k) %% 5],
               'Synthetic official assessment.', 'Synthetic government report', '', NULL::date,
               DATE '2021-01-01' + ((rec + k) %% 1200)::int, 1,
               now() - ((rec + k) %% 1000) * interval '1 hour', TRUE
        FROM cells WHERE k < %(official)s
        UNION ALL
        SELECT rec, country, 'civil_society',
               %(first_stakeholders)s + (rec * 3 + k) %% %(stakeholders)s,
               ({STATUSES})[1 + (rec + 2 * k + 1) %% 5],
               'Synthetic civil-society assessment.', 'Synthetic shadow report', '', NULL::date,
               DATE '2021-01-01' + ((rec + k) %% 1200)::int, 1,
               now() - ((rec + k) %% 1000) * interval '1 hour', TRUE
        FROM cells WHERE k < %(civil_society)s
        """,
        # in_scope is TRUE by construction: every cell is taken from the countries its
        # recommendation applies to (check_assessment_counts checks it).
    ),
    (
        "disagreements",
        # Each official assessment's disagreed_at, by the rule of services.assessment_flags
        # (statuses two or more levels apart, "no information" disagreeing with none), as one
        # join instead of a subquery per row.
        f"""
        UPDATE tracker_assessment a SET disagreed_at = GREATEST(a.recorded_at, d.newest)
        FROM (
            SELECT o.id, max(cs.recorded_at) AS newest
            FROM tracker_assessment o
            JOIN tracker_assessment cs
              ON cs.recommendation_id = o.recommendation_id AND cs.country_id = o.country_id
             AND cs.voice = 'civil_society'
            WHERE o.id >= %(first_assessments)s AND o.voice = 'official'
              AND o.status <> 'no_information' AND cs.status <> 'no_information'
              AND abs(array_position({STATUSES}, o.status::text)
                      - array_position({STATUSES}, cs.status::text)) >= 2
            GROUP BY o.id
        ) d
        WHERE a.id = d.id
        """,
    ),
    (
        "assessment history",
        """
        INSERT INTO tracker_assessmentchange
            (assessment_id, old_status, status, summary, source_title, source_url, source_date,
             effective_date, reason, changed_at, changed_by_id, submission_id)
        SELECT a.id, '', a.status, a.summary, a.source_title, a.source_url, a.source_date,
               a.effective_date, '', a.recorded_at, %(user)s, NULL
        FROM tracker_assessment a WHERE a.id >= %(first_assessments)s
        """,
    ),
    (
        "civil-society submissions",
        # One per civil-society assessment: the published one it came from, or (three in ten)
        # a later revision still in review.
        """
        INSERT INTO tracker_assessmentsubmission
            (recommendation_id, country_id, stakeholder_id, status, summary, source_title,
             source_url, source_date, effective_date, review_state, review_note, version,
             created_at, updated_at, created_by_id, submitted_at, reviewed_by_id, reviewed_at,
             published_at)
        SELECT a.recommendation_id, a.country_id, a.stakeholder_id, a.status, a.summary,
               a.source_title, a.source_url, a.source_date, a.effective_date,
               CASE WHEN a.id %% 10 < 7 THEN 'published' WHEN a.id %% 10 = 7 THEN 'draft'
                    WHEN a.id %% 10 = 8 THEN 'submitted' ELSE 'returned' END,
               CASE WHEN a.id %% 10 = 9 THEN 'Please add a source.' ELSE '' END,
               1, a.recorded_at, a.recorded_at, NULL,
               CASE WHEN a.id %% 10 <> 7 THEN a.recorded_at END, NULL,
               CASE WHEN a.id %% 10 IN (0, 1, 2, 3, 4, 5, 6, 9) THEN a.recorded_at END,
               CASE WHEN a.id %% 10 < 7 THEN a.recorded_at END
        FROM tracker_assessment a
        WHERE a.id >= %(first_assessments)s AND a.voice = 'civil_society'
        """,
    ),
    (
        "assessment roll-ups",
        # All of them again, as services.assessment_counts counts them: published assessments
        # inside their recommendation's scope (tracker.scope.assessments_in_scope).
        """
        DELETE FROM tracker_assessmentstatuscount;
        WITH in_scope AS (
            SELECT a.recommendation_id, a.country_id, a.voice, a.status
            FROM tracker_assessment a
            JOIN tracker_recommendation r ON r.id = a.recommendation_id
            JOIN tracker_country c ON c.id = a.country_id
            WHERE (r.scope = 'escap' AND c.membership IN ('member', 'associate_member'))
               OR (r.scope = 'selected' AND EXISTS (
                    SELECT 1 FROM tracker_recommendationscopearea s
                    WHERE s.recommendation_id = r.id
                      AND (s.country_id = c.id OR (s.subregion <> '' AND s.subregion = c.subregion))
               ))
        )
        INSERT INTO tracker_assessmentstatuscount
            (voice, status, recommendation_id, country_id, objective_id, count)
        SELECT voice, status, recommendation_id, NULL::bigint, NULL::bigint, count(*)
        FROM in_scope GROUP BY voice, status, recommendation_id
        UNION ALL
        SELECT voice, status, NULL::bigint, country_id, NULL::bigint, count(*)
        FROM in_scope GROUP BY voice, status, country_id
        UNION ALL
        SELECT a.voice, a.status, NULL::bigint, a.country_id, ro.objective_id, count(*)
        FROM in_scope a
        JOIN tracker_recommendationobjective ro ON ro.recommendation_id = a.recommendation_id
        GROUP BY a.voice, a.status, a.country_id, ro.objective_id
        """,
    ),
    ("statistics", "ANALYZE"),
]


def _first_new_id(cursor, table: str, rows: int) -> int:
    """The id of the first of the `rows` rows the last INSERT into `table` made.

    With no rows, the INSERT drew nothing from the sequence, so currval may be undefined in this
    session (an error) or left over from earlier rows; one past the largest id instead makes the
    later steps' `id >= first_…` pick no old row."""
    if rows > 0:
        cursor.execute("SELECT currval(pg_get_serial_sequence(%s, 'id'))", [table])
        return cursor.fetchone()[0] - rows + 1
    # The table name comes from FIRST_ID_OF, never from input.
    cursor.execute(f"SELECT COALESCE(MAX(id), 0) + 1 FROM {table}")
    return cursor.fetchone()[0]


class Command(BaseCommand):
    help = _("Add synthetic consultations, recommendations and actions for benchmarks.")

    def add_arguments(self, parser):
        parser.add_argument("--recommendations", type=int, required=True)
        parser.add_argument("--actions-per-recommendation", type=int, default=10)
        parser.add_argument(
            "--official-per-recommendation",
            type=int,
            default=5,
            help=_("Countries with an official assessment of each recommendation."),
        )
        parser.add_argument(
            "--civil-society-per-recommendation",
            type=int,
            default=5,
            help=_("Countries with a civil-society assessment of each recommendation."),
        )

    def handle(
        self,
        *args,
        recommendations,
        actions_per_recommendation,
        official_per_recommendation,
        civil_society_per_recommendation,
        **options,
    ):
        if (
            recommendations < 1
            or min(
                actions_per_recommendation,
                official_per_recommendation,
                civil_society_per_recommendation,
            )
            < 0
        ):
            raise CommandError(_("Give at least one recommendation and no negative numbers."))
        # After the range check, so a bad option is named the same way on every database.
        if connection.vendor != "postgresql":
            raise CommandError(_("seed_synthetic needs PostgreSQL (set DATABASE_URL)."))
        # Its rows have fixed short names: a second run would collide with the first.
        earlier = Consultation.objects.filter(slug__startswith=PREFIX).count()
        if earlier:
            raise CommandError(
                ngettext(
                    "This database holds synthetic data already (%(count)s consultation named "
                    "“%(prefix)s…”): seed_synthetic fills a database once. Use a new database "
                    "(bench/run.py drops and recreates its own); nothing was changed.",
                    "This database holds synthetic data already (%(count)s consultations named "
                    "“%(prefix)s…”): seed_synthetic fills a database once. Use a new database "
                    "(bench/run.py drops and recreates its own); nothing was changed.",
                    earlier,
                )
                % {"count": earlier, "prefix": PREFIX}
            )
        if not Objective.objects.exists() or not Country.objects.exists():
            self.stdout.write(_("No reference data yet: loading it first (load_seed)."))
            call_command("load_seed", stdout=self.stdout, verbosity=options["verbosity"])
        params = {
            "recommendations": recommendations,
            "consultations": max(1, recommendations // RECOMMENDATIONS_PER_CONSULTATION),
            "stakeholders": STAKEHOLDERS,
            "actions": recommendations * actions_per_recommendation,
            "countries": Country.objects.count(),
            "escap_countries": escap_countries().count(),
            "official": official_per_recommendation,
            "civil_society": civil_society_per_recommendation,
            "cells": max(official_per_recommendation, civil_society_per_recommendation),
            "phrases": PHRASES,
            "phrase_count": len(PHRASES),
            "user": self._author(),
            # Actions are counted on their day of publication in the site's time zone.
            "time_zone": settings.TIME_ZONE,
        }
        started = time.monotonic()
        with transaction.atomic(), connection.cursor() as cursor:
            for number, (label, sql) in enumerate(STEPS, start=1):
                step_started = time.monotonic()
                cursor.execute(sql, params)
                rows = cursor.rowcount
                if label in FIRST_ID_OF:
                    params[f"first_{label}"] = _first_new_id(cursor, FIRST_ID_OF[label], rows)
                self.stdout.write(
                    _("[%(number)d/%(total)d] %(label)s: %(rows)s rows, %(seconds).1f s")
                    % {
                        "number": number,
                        "total": len(STEPS),
                        "label": label,
                        "rows": rows if rows >= 0 else "–",
                        "seconds": time.monotonic() - step_started,
                    }
                )
            self._name_snapshots()
            public_data_changed()
        self.stdout.write(_("Done in %(seconds).1f s.") % {"seconds": time.monotonic() - started})

    def _name_snapshots(self) -> None:
        """Two review moments, two years and one year back, for the snapshot comparisons (labels
        on dates: the figures come from the histories generated above)."""
        today = timezone.localdate()
        for years in (2, 1):
            snapshot, _created = Snapshot.objects.update_or_create(
                slug=f"synthetic-review-{years}y",
                defaults={
                    "name": f"Synthetic review, {years} year(s) ago",
                    "date": today - datetime.timedelta(days=365 * years),
                },
            )
            # Counted after the commit that moves the public-data generation on.
            transaction.on_commit(lambda snapshot=snapshot: keep_distribution(snapshot))

    def _author(self) -> int:
        # Status history needs an author; a dedicated inactive account stands for the generator.
        from django.contrib.auth import get_user_model

        user, _created = get_user_model().objects.get_or_create(
            username="synthetic-data", defaults={"is_active": False}
        )
        return user.pk
