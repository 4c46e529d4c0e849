"""Schemathesis against the live schema: generated requests, valid and invalid, to every
operation find no server error, no status code the schema does not document and no response
that does not match it."""

import json
import subprocess
import sys

import pytest

from gcm_tracker.tracker.models import Country, Recommendation, Stakeholder
from gcm_tracker.tracker.services import api_token_create
from tests.factories import (
    ContributorFactory,
    FollowUpActionFactory,
    PublishedActionFactory,
    publish_civil_society,
    record_official,
    set_status,
    submit_civil_society,
)

pytestmark = pytest.mark.django_db(transaction=True)

CHECKS = "not_a_server_error,status_code_conformance,response_schema_conformance"
# Bounded: a fixed seed, at most 10 cases per operation in each phase, 5 seconds per request.
# The coverage phase (every boundary value of every parameter, about 600 requests) is left out
# to keep the run short; fuzzing generates invalid data as well as valid.
SETTINGS = [
    "--phases=examples,fuzzing,stateful",
    "--max-examples=10",
    "--seed=1",
    "--request-timeout=5",
    "--workers=1",
    "--no-color",
]


@pytest.mark.parametrize("persona", ["staff", "contributor"])
def test_api_passes_schemathesis_checks(live_server, seed, staff, tmp_path, persona):
    recommendation = Recommendation.objects.get(reference="border-governance-2020-87")
    set_status(recommendation, staff)
    unicef = Stakeholder.objects.get(slug="unicef")
    PublishedActionFactory(
        lead_stakeholder=unicef,
        recommendations=[recommendation],
        countries=[Country.objects.get(iso3="THA")],
    )
    FollowUpActionFactory(lead_stakeholder=unicef, recommendations=[recommendation])
    # Country assessments in both voices, and a submission in review of another organisation.
    thailand = Country.objects.get(iso3="THA")
    record_official(recommendation, thailand, staff)
    icrc = ContributorFactory(organisation=Stakeholder.objects.get(slug="icrc"))
    publish_civil_society(recommendation, thailand, icrc, staff)
    submit_civil_society(recommendation, Country.objects.get(iso3="NPL"), icrc)
    # With a token that writes, so the writes are tested beyond their 401: staff change statuses
    # and review actions; a contributor of UNICEF records, edits, submits and withdraws them.
    user = staff if persona == "staff" else ContributorFactory(organisation=unicef)
    key = api_token_create(user=user)
    report = tmp_path / "report.json"

    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "schemathesis.cli",
            "run",
            f"{live_server.url}/api/schema/",
            f"--checks={CHECKS}",
            *SETTINGS,
            f"--header=Authorization: Token {key}",
            "--report=json",
            f"--report-json-path={report}",
        ],
        capture_output=True,
        text=True,
        timeout=120,
        # Schemathesis keeps its example database in the working directory.
        cwd=tmp_path,
        check=False,
    )

    assert result.returncode == 0, result.stdout + result.stderr
    summary = json.loads(report.read_text())
    assert (
        summary["operations"]["tested"],
        summary["test_cases"]["with_failures"],
        summary["failures"],
        summary["errors"],
    ) == (42, 0, [], [])
