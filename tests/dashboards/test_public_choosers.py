"""No page carries a menu that grows with the data: tables that grow (countries, organisations,
themes, recommendations, consultations, snapshots) are chosen through a search. Every page the
accessibility and phone-layout audits open, with 120 rows in each of those tables, has no
<select> of more than MAX_OPTIONS options. The public searches behind the filters' choosers are
bounded, public and cacheable, and the filters still work without JavaScript."""

import datetime
import re

import pytest
from django.core.management import call_command
from django.test import Client

from gcm_tracker.tracker.choosing import SEARCH_LIMIT, organisation_label
from gcm_tracker.tracker.enums import EscapMembership, TagKind
from gcm_tracker.tracker.models import Country, Recommendation, Stakeholder, Tag
from gcm_tracker.tracker.review_models import Snapshot
from tests.browser.test_accessibility import _name_a_snapshot
from tests.browser.test_layout import ALL_PAGES, _path, _world
from tests.factories import (
    ConsultationFactory,
    CountryFactory,
    PublishedActionFactory,
    RecommendationFactory,
    StakeholderFactory,
)

pytestmark = pytest.mark.django_db

ROWS = 120
MAX_OPTIONS = 60
SLUG = "border-governance-2020"
SELECT = re.compile(r"<select\b[^>]*\bname=\"([^\"]*)\"[^>]*>(.*?)</select>", re.S)
# Pages with choosers that the audits' lists do not open in this state.
MORE_PAGES = [
    ("anonymous", "/packs/"),
    ("anonymous", "/recommendations/?stakeholder_q=organisation&_search=stakeholder"),
    ("contributor", "/workspace/?country_q=country&_search=country"),
    ("staff", "/workspace/official/by-objective/"),
    ("staff", "/workspace/official/by-objective/?country_q=country&_search=country"),
    ("contributor", f"/workspace/assessments/new/?recommendation={SLUG}-87"),
]


def _grow_every_table():
    """ROWS more of each table that grows with the data; organisations with published actions,
    so that they are among those the "Acted on by" search finds."""
    countries = CountryFactory.create_batch(ROWS)
    organisations = StakeholderFactory.create_batch(ROWS)
    Tag.objects.bulk_create(
        Tag(slug=f"theme-{n}", kind=TagKind.THEME, name=f"Theme {n}") for n in range(ROWS)
    )
    for n in range(ROWS):
        RecommendationFactory(consultation=ConsultationFactory())
        Snapshot.objects.create(
            slug=f"snapshot-{n}", name=f"Snapshot {n}", date=datetime.date(2020, 1, 1)
        )
    recommendation = Recommendation.objects.get(reference=f"{SLUG}-87")
    for organisation, country in zip(organisations[:30], countries, strict=False):
        PublishedActionFactory(
            lead_stakeholder=organisation, recommendations=[recommendation], countries=[country]
        )


def _selects(html: str) -> dict[str, int]:
    return {name: body.count("<option") for name, body in SELECT.findall(html)}


def test_no_page_has_a_menu_of_more_than_60_options_when_every_table_has_120_rows():
    call_command("load_seed", verbosity=0)
    users, objects, assessment = _world()
    _name_a_snapshot()
    _grow_every_table()
    assert Country.objects.count() > ROWS
    assert Stakeholder.objects.count() > ROWS
    clients = {}
    for persona, user in users.items():
        clients[persona] = Client()
        if user:
            clients[persona].force_login(user)
    too_long, walked = {}, 0
    for persona, path in [*dict.fromkeys(ALL_PAGES), *MORE_PAGES]:
        url = _path(path, objects, assessment)
        response = clients[persona].get(url)
        # 400: the lists' pages for invalid filters (objective=99, since=not-a-date), audited too.
        assert response.status_code in (200, 400), (persona, url, response.status_code)
        if response["Content-Type"].startswith("text/html"):
            walked += 1
            for name, count in _selects(response.content.decode()).items():
                if count > MAX_OPTIONS:
                    too_long[(url, name)] = count
    assert too_long == {}
    assert walked >= 50


def test_the_public_searches_are_bounded_public_and_name_only_organisations_that_act(client):
    acting = StakeholderFactory.create_batch(SEARCH_LIMIT + 1, name="Acting organisation")
    idle = StakeholderFactory(name="Acting-less organisation")
    Stakeholder.objects.filter(pk__in=[o.pk for o in acting]).update(led_action_count=1)

    response = client.get("/choices/organisations/", {"q": "organisation"})
    assert response.status_code == 200
    assert response["Cache-Control"] == "public, max-age=300"
    data = response.json()
    assert len(data["results"]) == SEARCH_LIMIT
    assert data["more"] is True
    assert idle.slug not in {row["id"] for row in data["results"]}
    assert {row["id"] for row in data["results"]} <= {o.slug for o in acting}

    assert client.get("/choices/organisations/", {"q": "x" * 101}).json() == {
        "error": "Search for at most 100 characters."
    }
    assert client.get("/choices/themes/", {"q": ""}).status_code == 400
    assert client.get("/choices/unknown/", {"q": "a"}).status_code == 404


def test_the_country_search_keeps_to_the_countries_a_form_accepts(client):
    call_command("load_seed", verbosity=0)
    outside = CountryFactory(name="Thalassa", membership=EscapMembership.NON_MEMBER, subregion="")
    everywhere = client.get("/choices/countries/", {"q": "tha"}).json()["results"]
    escap = client.get("/choices/countries/", {"q": "tha", "among": "escap"}).json()["results"]
    assert {"id": outside.iso3, "label": f"Thalassa ({outside.iso3})"} in everywhere
    assert {"id": "THA", "label": "Thailand (THA)"} in escap
    assert outside.iso3 not in {row["id"] for row in escap}
    assert client.get("/choices/countries/", {"q": "a", "among": "no-such"}).status_code == 404
    assert client.get("/choices/themes/", {"q": "a", "among": "escap"}).status_code == 404


def test_without_javascript_a_filter_searches_then_filters_by_the_ticked_match(client):
    call_command("load_seed", verbosity=0)
    organisation = Stakeholder.objects.get(slug="international-detention-coalition")
    recommendation = Recommendation.objects.get(reference=f"{SLUG}-87")
    PublishedActionFactory(lead_stakeholder=organisation, recommendations=[recommendation])

    # The "Search organisations" button sends the form with what was typed.
    page = client.get(
        "/recommendations/", {"stakeholder_q": "detention", "_search": "stakeholder"}
    ).content.decode()
    assert (
        f'<input type="radio" name="stakeholder" value="{organisation.slug}"> '
        f"{organisation_label(organisation)}</label>" in page
    )
    # Ticking it and applying the filters lists what it acted on, and shows it chosen.
    page = client.get("/recommendations/", {"stakeholder": organisation.slug}).content.decode()
    assert f'name="stakeholder" value="{organisation.slug}" checked>' in page
    assert f"/recommendations/{SLUG}-87/" in page
    assert f"/recommendations/{SLUG}-26/" not in page


def test_the_consultation_filter_is_a_search_that_keeps_slugs_in_addresses(client):
    # Issue 15: the filter asked for "its short name, as in its address"; now the reader types
    # words of its title and picks it, and the address still names it by its slug.
    call_command("load_seed", verbosity=0)

    found = client.get("/choices/consultation-pages/", {"q": "border"}).json()
    page = client.get("/recommendations/", {"consultation": SLUG}).content.decode()

    assert [row["id"] for row in found["results"]] == [SLUG]
    assert f'name="consultation" value="{SLUG}" checked>' in page
    assert 'name="consultation_q"' in page
    assert "as in the address of its page" not in page
    assert f"/recommendations/{SLUG}-26/" in page


def test_the_report_import_chooses_its_consultation_through_a_search(admin_client):
    """Thousands of consultations at scale: the import form lists none, its search finds them."""
    ConsultationFactory.create_batch(ROWS)
    wanted = ConsultationFactory(title="Pacific labour mobility review")
    page = admin_client.get(
        "/admin/tracker/consultation/import/", {"consultation": wanted.pk}
    ).content.decode()
    assert _selects(page).get("consultation") is None
    assert f'name="consultation" value="{wanted.pk}" checked>' in page
    assert "/static/js/chooser.js" in page

    found = admin_client.get("/choices/consultations/", {"q": "labour mobility"}).json()
    assert found["results"] == [{"id": wanted.pk, "label": "Pacific labour mobility review (2020)"}]
