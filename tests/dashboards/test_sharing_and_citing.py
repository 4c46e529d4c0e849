"""Issue 15, part A: readable names (short titles), the staff's way to the status form, publishing
with confirmation, pages per action and good practice, "Cite this", the source report, and the
links between the site and its API."""

import datetime
import io
import re

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from gcm_tracker.tracker.enums import ReviewState
from gcm_tracker.tracker.importing.titles import provisional_title
from gcm_tracker.tracker.models import FollowUpAction, GoodPractice, Recommendation
from tests.factories import (
    ContributorFactory,
    FollowUpActionFactory,
    PublishedActionFactory,
    RecommendationFactory,
    StakeholderFactory,
)
from tests.tracker.importing.reports import seed_text

pytestmark = pytest.mark.django_db

SLUG = "border-governance-2020"
REF = f"{SLUG}-87"
TITLE_87 = "End child immigration detention; detention of migrants only as a last resort"


def _day(value) -> str:
    # As the site formats dates (in the active language's format).
    return date_format(value, "DATE_FORMAT")


def _today() -> str:
    return _day(timezone.localdate())


# Short titles ------------------------------------------------------------------------------------


@pytest.mark.parametrize("model", [Recommendation, GoodPractice])
def test_every_seed_paragraph_has_a_short_title_of_at_most_90_characters_unique_in_its_report(
    seed, model
):
    titles = list(model.objects.values_list("consultation__slug", "short_title"))

    assert len(titles) == {Recommendation: 37, GoodPractice: 16}[model]
    assert [title for _, title in titles if not title or len(title) > 90] == []
    assert len(set(titles)) == len(titles)


def test_label_is_the_short_title_or_the_paragraph_while_there_is_none(seed):
    recommendation = Recommendation.objects.get(reference=REF)
    assert recommendation.label == TITLE_87

    recommendation.short_title = ""
    assert recommendation.label == "Paragraph 87"


def test_load_seed_fills_empty_titles_and_keeps_those_staff_wrote(seed):
    Recommendation.objects.filter(reference=REF).update(short_title="")
    Recommendation.objects.filter(reference=f"{SLUG}-26").update(short_title="Staff's own title")
    out = io.StringIO()

    call_command("load_seed", stdout=out)

    assert dict(
        Recommendation.objects.filter(reference__in=[REF, f"{SLUG}-26"]).values_list(
            "reference", "short_title"
        )
    ) == {REF: TITLE_87, f"{SLUG}-26": "Staff's own title"}
    assert out.getvalue().endswith(" 1 empty short title was filled in.\n")


@pytest.mark.parametrize(
    ("text", "title"),
    [
        ("Authorities should train staff. More text follows.", "Authorities should train staff"),
        ("Short and sweet.", "Short and sweet"),
        (
            "National authorities in countries of transit and destination should ensure that, "
            "where necessary, migrants were able to return home",
            "National authorities in countries of transit and destination should ensure that, "
            "where…",
        ),
        ("x" * 100, "x" * 89 + "…"),
    ],
)
def test_provisional_title_is_the_first_sentence_or_words_cut_within_90_characters(text, title):
    assert provisional_title(text) == title
    assert len(title) <= 90


def test_lists_cards_and_the_review_queue_show_short_titles(client, seed, staff):
    action = PublishedActionFactory(recommendations=[Recommendation.objects.get(reference=REF)])

    listing = client.get(reverse("dashboards:recommendation-list"), {"objective": "13"})
    actions = client.get(reverse("dashboards:action-list"))

    assert f'href="/recommendations/{REF}/">{TITLE_87}</a>' in listing.content.decode()
    assert (
        f'<a href="/recommendations/{REF}/">{TITLE_87}</a> <span class="meta">({REF})</span>'
        in actions.content.decode()
    )
    assert (
        f'<h3><a href="/actions/{action.pk}/">{action.title}</a></h3>' in actions.content.decode()
    )


def test_api_gives_the_short_title(client, seed):
    body = client.get(f"/api/v1/recommendations/{REF}/").json()

    assert body["short_title"] == TITLE_87


# The way to the status form, and publishing ------------------------------------------------------


def test_recommendation_page_offers_change_status_to_staff_only(client, seed, staff):
    change = f'<a class="button" href="/workspace/recommendations/{REF}/status/">Change status</a>'
    url = reverse("dashboards:recommendation-detail", args=[REF])

    public = client.get(url).content.decode()
    client.force_login(ContributorFactory(organisation=StakeholderFactory()))
    contributor = client.get(url).content.decode()
    client.force_login(staff)
    staff_page = client.get(url).content.decode()

    assert (change in public, change in contributor, change in staff_page) == (False, False, True)
    assert f"<h1>{TITLE_87}</h1>" in staff_page


def test_publishing_without_the_confirmation_changes_nothing(staff_client):
    action = FollowUpActionFactory(review_state=ReviewState.SUBMITTED, submitted_at=timezone.now())

    response = staff_client.post(
        reverse("workspace:review-action", args=[action.pk]), {"publish": "1"}
    )

    assert response.status_code == 200
    assert "Tick the box to confirm that it may be published." in response.content.decode()
    action.refresh_from_db()
    assert action.review_state == ReviewState.SUBMITTED


def test_after_publishing_the_message_links_to_the_public_page(staff_client):
    action = FollowUpActionFactory(review_state=ReviewState.SUBMITTED, submitted_at=timezone.now())

    response = staff_client.post(
        reverse("workspace:review-action", args=[action.pk]),
        {"publish": "1", "confirm": "on"},
        follow=True,
    )

    assert (
        f'Published. <a href="/actions/{action.pk}/">See its public page</a>. Its authors have '
        "been told." in response.content.decode()
    )
    assert FollowUpAction.objects.get().review_state == ReviewState.PUBLISHED


def test_review_page_and_queue_name_the_recommendations(staff_client, seed):
    action = FollowUpActionFactory(
        review_state=ReviewState.SUBMITTED,
        submitted_at=timezone.now(),
        recommendations=[Recommendation.objects.get(reference=REF)],
    )
    link = f'<a href="/recommendations/{REF}/">{TITLE_87}</a> <span class="meta">({REF})</span>'

    queue = staff_client.get(reverse("workspace:review-queue")).content.decode()
    review = staff_client.get(reverse("workspace:review-action", args=[action.pk])).content.decode()

    assert (link in queue, link in review) == (True, True)
    assert '<input type="checkbox" name="confirm" required id="id_confirm">' in review


# Pages per action and good practice --------------------------------------------------------------


def test_action_page_shows_a_published_action_with_its_citation(client, seed):
    action = PublishedActionFactory(
        title="Regional training",
        lead_stakeholder=StakeholderFactory(name="Organisation A"),
        recommendations=[Recommendation.objects.get(reference=REF)],
        published_at=datetime.datetime(2021, 5, 4, 12, tzinfo=datetime.UTC),
    )

    page = client.get(reverse("dashboards:action-detail", args=[action.pk])).content.decode()

    assert "<h1>Regional training</h1>" in page
    assert (
        "Organisation A, “Regional training”, follow-up action published "
        f"{_day(datetime.date(2021, 5, 4))}. GCM Tracker, "
        f"http://testserver/actions/{action.pk}/, accessed {_today()}.</textarea>" in page
    )
    assert f"<code>Follow-up action {action.pk}</code>" in page


@pytest.mark.parametrize("state", [ReviewState.DRAFT, ReviewState.SUBMITTED, ReviewState.RETURNED])
def test_action_page_of_an_action_not_published_is_404_even_for_its_authors(client, state):
    organisation = StakeholderFactory()
    action = FollowUpActionFactory(
        lead_stakeholder=organisation, review_state=state, review_note="Why" * (state == "returned")
    )
    url = reverse("dashboards:action-detail", args=[action.pk])

    anonymous = client.get(url).status_code
    client.force_login(ContributorFactory(organisation=organisation))

    assert (anonymous, client.get(url).status_code) == (404, 404)


def test_action_feed_entries_link_to_the_action_pages(client):
    action = PublishedActionFactory()

    feed = client.get(reverse("dashboards:feed-actions")).content.decode()

    assert f'<link href="http://testserver/actions/{action.pk}/" rel="alternate"/>' in feed


def test_recommendation_page_cites_it_and_links_the_report(client, seed):
    page = client.get(reverse("dashboards:recommendation-detail", args=[REF])).content.decode()

    assert (
        "ESCAP and UN Network on Migration, Protecting migrants through rights-based border "
        f"governance and border management measures, {_day(datetime.date(2020, 11, 19))}, "
        "para. 87: "
        f"{TITLE_87}. GCM Tracker, http://testserver/recommendations/{REF}/, accessed "
        f"{_today()}.</textarea>" in page
    )
    assert f'<a href="/consultations/{SLUG}/report.txt">Read the report</a>' in page


def test_good_practice_page_shows_and_cites_it(client, seed):
    reference = f"{SLUG}-82"
    title = "Thailand's MOU on Alternatives to Detention for Children (2019)"

    page = client.get(reverse("dashboards:good-practice-detail", args=[reference]))
    listing = client.get(reverse("dashboards:good-practice-list")).content.decode()

    html = page.content.decode().replace("&#x27;", "'")
    assert page.status_code == 200
    assert f"<h1>{title}</h1>" in html
    assert f"para. 82: {title}. GCM Tracker, http://testserver/good-practices/{reference}/" in html
    assert f'href="/good-practices/{reference}/">{title}</a>' in listing.replace("&#x27;", "'")


def test_good_practice_page_of_an_unknown_reference_is_404(client, seed):
    response = client.get(reverse("dashboards:good-practice-detail", args=["no-such-thing"]))
    assert response.status_code == 404


def test_consultation_report_is_served_as_plain_text_and_linked(client, seed):
    report = client.get(reverse("dashboards:consultation-report", args=[SLUG]))
    page = client.get(reverse("dashboards:consultation-detail", args=[SLUG])).content.decode()

    assert report["Content-Type"] == "text/plain; charset=utf-8"
    assert b"".join(report.streaming_content).decode() == seed_text()
    assert f'<a href="/consultations/{SLUG}/report.txt" rel="noopener">' in page


def test_consultation_without_a_report_copy_has_no_report_page(client):
    recommendation = RecommendationFactory()
    slug = recommendation.consultation.slug

    assert client.get(reverse("dashboards:consultation-report", args=[slug])).status_code == 404
    page = client.get(reverse("dashboards:recommendation-detail", args=[recommendation.reference]))
    assert "Read the report" not in page.content.decode()


def test_data_page_links_the_api_and_its_docs(client):
    page = client.get(reverse("dashboards:data-dictionary")).content.decode()

    assert re.search(r'<a href="/api/v1/">[^<]+</a>', page)
    assert re.search(r'<a href="/api/docs/">[^<]+</a>', page)


def test_every_page_links_the_print_stylesheet(client):
    page = client.get(reverse("dashboards:action-list")).content.decode()

    assert '<link rel="stylesheet" href="/static/css/print.css" media="print">' in page


# Query counts ------------------------------------------------------------------------------------


@pytest.mark.parametrize("count", [1, 3])
def test_action_page_query_count_is_constant(client, django_assert_num_queries, count):
    """The generation, the action with its organisation, then its countries, partners,
    recommendations and evidence: the same for 1 or 3 of each."""
    action = PublishedActionFactory(
        recommendations=[RecommendationFactory() for _ in range(count)],
        partners=[StakeholderFactory() for _ in range(count)],
    )
    for n in range(count):
        action.evidence.create(url=f"https://example.org/{n}")

    with django_assert_num_queries(6):
        response = client.get(reverse("dashboards:action-detail", args=[action.pk]))

    assert response.status_code == 200


@pytest.mark.parametrize("count", [1, 3])
def test_good_practice_page_query_count_is_constant(client, django_assert_num_queries, count):
    from tests.factories import CountryFactory, GoodPracticeFactory

    practice = GoodPracticeFactory(countries=[CountryFactory() for _ in range(count)])
    practice.stakeholders.add(*(StakeholderFactory() for _ in range(count)))

    with django_assert_num_queries(5):
        response = client.get(reverse("dashboards:good-practice-detail", args=[practice.reference]))

    assert response.status_code == 200


def test_the_organisation_s_view_of_a_published_action_links_its_public_page(client):
    organisation = StakeholderFactory()
    action = PublishedActionFactory(lead_stakeholder=organisation)
    client.force_login(ContributorFactory(organisation=organisation))

    page = client.get(reverse("workspace:action-detail", args=[action.pk])).content.decode()

    assert f'everyone can see it on <a href="/actions/{action.pk}/">its public page</a>' in page
