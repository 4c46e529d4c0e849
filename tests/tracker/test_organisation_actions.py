"""Issue 13: each organisation's published actions, in all (StakeholderAction) and in each
country (StakeholderActionCountry), are listed on publishing, once however the organisation
took part, checked and repaired by repair_counts (migrations 0065 and 0063 fill them), and give
the public list of actions filtered by an organisation, alone or with a country, its length and
pages."""

import datetime
import importlib
import io

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from gcm_tracker.tracker import services
from gcm_tracker.tracker.enums import ReviewState
from gcm_tracker.tracker.models import StakeholderAction, StakeholderActionCountry
from gcm_tracker.tracker.services.counts import summary_count_drift
from tests.factories import (
    CountryFactory,
    FollowUpActionFactory,
    PublishedActionFactory,
    StakeholderFactory,
)

pytestmark = pytest.mark.django_db

MIGRATION = importlib.import_module(
    "gcm_tracker.tracker.migrations.0063_organisation_actions_in_countries"
)
EVERYWHERE = importlib.import_module("gcm_tracker.tracker.migrations.0065_organisation_actions")
DAY = datetime.timedelta(days=1)


@pytest.fixture
def taken(staff):
    """Organisations "lead" and "partner"; Thailand and Nepal. "first" (led by "lead" with
    "partner", in both countries) published through the service; "second" (led by "partner" with
    "lead", in Thailand) and "both" (led and partnered by "lead", as the admin and seed_synthetic
    allow, in Thailand) by the factory, which counts them as the service does; drafts, submitted
    and returned actions of both organisations in both countries, which are listed nowhere."""
    thailand, nepal = CountryFactory(iso3="THA"), CountryFactory(iso3="NPL")
    lead = StakeholderFactory(slug="lead")
    partner = StakeholderFactory(slug="partner")
    now = timezone.now()
    first = FollowUpActionFactory(
        title="first",
        lead_stakeholder=lead,
        countries=[thailand, nepal],
        review_state=ReviewState.SUBMITTED,
    )
    first.partners.add(partner)
    services.follow_up_action_publish(action=first, reviewer=staff)
    PublishedActionFactory(
        title="second",
        lead_stakeholder=partner,
        partners=[lead],
        countries=[thailand],
        published_at=now + DAY,
    )
    PublishedActionFactory(
        title="both",
        lead_stakeholder=lead,
        partners=[lead],
        countries=[thailand],
        published_at=now + 2 * DAY,
    )
    for state in (ReviewState.DRAFT, ReviewState.SUBMITTED):
        FollowUpActionFactory(
            lead_stakeholder=lead, countries=[thailand, nepal], review_state=state
        ).partners.add(partner)
    FollowUpActionFactory(
        lead_stakeholder=partner,
        countries=[nepal],
        review_state=ReviewState.RETURNED,
        review_note="Add evidence.",
    )
    return lead, partner


# What the `taken` fixture's published actions list: (organisation, country, action).
LISTED = [
    ("lead", "NPL", "first"),
    ("lead", "THA", "both"),
    ("lead", "THA", "first"),
    ("lead", "THA", "second"),
    ("partner", "NPL", "first"),
    ("partner", "THA", "first"),
    ("partner", "THA", "second"),
]


# And in all: (organisation, action).
LISTED_EVERYWHERE = sorted({(organisation, action) for organisation, _, action in LISTED})


def _rows():
    return sorted(
        StakeholderActionCountry.objects.values_list(
            "stakeholder__slug", "country__iso3", "action__title"
        )
    )


def _everywhere():
    return sorted(StakeholderAction.objects.values_list("stakeholder__slug", "action__title"))


def test_publishing_lists_the_action_once_for_each_organisation_and_country(taken):
    assert _rows() == LISTED
    assert (
        _everywhere()
        == LISTED_EVERYWHERE
        == [
            ("lead", "both"),
            ("lead", "first"),
            ("lead", "second"),
            ("partner", "first"),
            ("partner", "second"),
        ]
    )
    for model in (StakeholderAction, StakeholderActionCountry):
        for row in model.objects.select_related("action"):
            assert row.action_published_at == row.action.published_at
    assert summary_count_drift() == []


@pytest.mark.parametrize(
    ("organisation", "country", "expected"),
    [
        ("lead", "THA", ["both", "second", "first"]),
        ("lead", "NPL", ["first"]),
        ("partner", "THA", ["second", "first"]),
        ("partner", "FJI", []),
        ("lead", "", ["both", "second", "first"]),
        ("partner", "", ["second", "first"]),
    ],
)
def test_the_public_list_by_an_organisation_alone_or_in_a_country_shows_them_newest_first(
    client, taken, organisation, country, expected
):
    CountryFactory(iso3="FJI")
    response = client.get(
        reverse("dashboards:action-list"), {"stakeholder": organisation, "country": country}
    )

    assert response.status_code == 200
    assert response.context["page"].paginator.count == len(expected)
    assert [action.title for action in response.context["page"]] == expected
    for title in expected:
        assert f">{title}</a>" in response.content.decode()


@pytest.mark.parametrize(
    ("organisation", "expected"),
    [("lead", ["both", "second", "first"]), ("partner", ["second", "first"])],
)
def test_the_organisation_s_page_shows_its_newest_published_actions_however_it_took_part(
    client, taken, organisation, expected
):
    response = client.get(reverse("dashboards:stakeholder-detail", args=[organisation]))

    assert response.status_code == 200
    assert [action.title for action in response.context["actions"]] == expected


def test_the_organisation_s_page_shows_only_the_newest_of_many(client, taken, monkeypatch):
    monkeypatch.setattr("gcm_tracker.dashboards.views.SECTION_SIZE", 2)

    response = client.get(reverse("dashboards:stakeholder-detail", args=["lead"]))

    assert [action.title for action in response.context["actions"]] == ["both", "second"]


def test_repair_counts_finds_and_repairs_missing_extra_and_misdated_rows(taken):
    lead, partner = taken
    rows = StakeholderActionCountry.objects
    rows.filter(stakeholder=partner, country__iso3="NPL").delete()
    rows.filter(stakeholder=lead, action__title="both").update(
        action_published_at=timezone.now() - 9 * DAY
    )
    extra = rows.filter(stakeholder=lead, country__iso3="THA", action__title="first").get()
    rows.create(
        stakeholder=partner,
        country=CountryFactory(iso3="FJI"),
        action=extra.action,
        action_published_at=extra.action_published_at,
    )
    StakeholderAction.objects.filter(stakeholder=partner, action__title="second").delete()

    with pytest.raises(CommandError, match="4 summary counts are wrong"):
        call_command("repair_counts", check=True, stdout=io.StringIO())
    out = io.StringIO()
    call_command("repair_counts", stdout=out)

    assert sorted(out.getvalue().splitlines()) == [
        "Repaired 4 summary counts.",
        "StakeholderAction partner: was 1, now 2",
        "StakeholderActionCountry lead THA: was 3, now 3",
        "StakeholderActionCountry partner FJI: was 1, now 0",
        "StakeholderActionCountry partner NPL: was 0, now 1",
    ]
    assert _rows() == LISTED
    assert _everywhere() == LISTED_EVERYWHERE
    assert summary_count_drift() == []


def test_the_migrations_fill_the_tables(taken):
    published = {row.pk: row.action_published_at for row in StakeholderActionCountry.objects.all()}
    StakeholderActionCountry.objects.all().delete()
    StakeholderAction.objects.all().delete()
    with connection.cursor() as cursor:
        cursor.execute(MIGRATION.FILL)
        cursor.execute(EVERYWHERE.FILL)

    assert _rows() == LISTED
    assert _everywhere() == LISTED_EVERYWHERE
    assert sorted(published.values()) == sorted(
        StakeholderActionCountry.objects.values_list("action_published_at", flat=True)
    )
    assert summary_count_drift() == []
