"""The editorial scope of the 37 seed recommendations (fixtures/10_…json), one decision each.

Read against fixtures/reports/border-governance-2020.txt. The default is every ESCAP member and
associate member: the paragraph asks governments, authorities or States for something each can
do at home (laws, training, services, research funding, ratification, national plans). The
exceptions:
- 89 asks for one repository of practices for the region: regional only.
- 90 asks for one region-wide review of legislation: regional only.
- 91 is about the ASEAN Declaration on the Rights of Children in the Context of Migration: it
  applies to ASEAN's members, which are ESCAP's South-East Asia subregion (Timor-Leste joined
  ASEAN in October 2025), so the scope is that subregion.
- 65 (a directory of organisations supporting victims) could be one regional directory, but
  national referral directories are how countries act on it: every ESCAP member.
"""

import io

import pytest
from django.core.management import call_command

from gcm_tracker.tracker.enums import RecommendationScope
from gcm_tracker.tracker.models import Recommendation
from gcm_tracker.tracker.scope import applicable_countries

pytestmark = pytest.mark.django_db

ESCAP, SELECTED, REGIONAL = (
    RecommendationScope.ESCAP,
    RecommendationScope.SELECTED,
    RecommendationScope.REGIONAL,
)
SEED_PARAGRAPHS = [
    *range(26, 34),
    37,
    *range(47, 53),
    *range(63, 76),
    *range(84, 93),
]
SCOPES = dict.fromkeys(SEED_PARAGRAPHS, ESCAP) | {
    89: REGIONAL,
    90: REGIONAL,
    91: SELECTED,
}
ASEAN = ["BRN", "IDN", "KHM", "LAO", "MMR", "MYS", "PHL", "SGP", "THA", "TLS", "VNM"]


def test_seed_recommendation_scopes_are_the_editorial_choices(seed):
    # One comparison for all 37 (one seed load); a wrong choice shows as its paragraph's entry.
    assert dict(Recommendation.objects.values_list("paragraph", "scope")) == SCOPES


def test_seed_paragraph_91_applies_to_asean_members_only(seed):
    recommendation = Recommendation.objects.get(paragraph=91)

    assert sorted(applicable_countries(recommendation).values_list("iso3", flat=True)) == ASEAN


@pytest.mark.parametrize("paragraph", [89, 90])
def test_seed_regional_recommendations_apply_to_no_country(seed, paragraph):
    recommendation = Recommendation.objects.get(paragraph=paragraph)

    assert list(applicable_countries(recommendation)) == []


def test_seed_default_scope_is_every_escap_member_and_associate_member(seed):
    recommendation = Recommendation.objects.get(paragraph=87)

    assert applicable_countries(recommendation).count() == 62


def test_seed_load_again_keeps_the_scope_areas(seed):
    out = io.StringIO()

    call_command("load_seed", stdout=out)

    recommendation = Recommendation.objects.get(paragraph=91)
    assert [str(area) for area in recommendation.scope_areas.all()] == ["South-East Asia"]
    assert out.getvalue().startswith("Seed data: 0 rows added")
