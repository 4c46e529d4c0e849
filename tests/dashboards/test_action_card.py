"""A follow-up action's card (dashboards.templatetags.action_cards) on the pages that show it: the
exact markup, what users wrote escaped, the page's language."""

import datetime
import re

import pytest
from django.template import Context, Template
from django.template.defaultfilters import linebreaksbr
from django.urls import reverse
from django.utils import translation

from gcm_tracker.tracker import selectors
from gcm_tracker.tracker.enums import ActionProgress, ActionType
from gcm_tracker.tracker.models import ActionEvidence
from tests import factories

pytestmark = pytest.mark.django_db


def _url(name, value):
    return reverse(name, args=[value])


@pytest.fixture
def lead(db):
    return factories.StakeholderFactory(slug="lead", name="Lead & <Co>")


@pytest.fixture
def recommendation(titled_recommendation):
    return titled_recommendation


@pytest.fixture
def action(lead, recommendation):
    """Published, with two partners, no country, an end date and two links of evidence."""
    action = factories.PublishedActionFactory(
        title='<b>Plan</b> & "more"',
        description="Line one\n<i>two</i>",
        lead_stakeholder=lead,
        recommendations=[recommendation],
        partners=[
            factories.StakeholderFactory(slug="zeta", name="Zeta"),
            factories.StakeholderFactory(slug="alpha", name="Alpha"),
        ],
        action_type=ActionType.TRAINING,
        progress=ActionProgress.ONGOING,
        start_date=datetime.date(2021, 3, 1),
        end_date=datetime.date(2022, 1, 31),
    )
    action.countries.clear()
    ActionEvidence.objects.create(action=action, url="https://example.org/a?x=1&y=2", title="")
    ActionEvidence.objects.create(action=action, url="https://example.org/b", title="Law <2021>")
    return action


def _facts(action, recommendation) -> str:
    return (
        '<dl class="facts"><dt>Organisation</dt>'
        f'<dd><a href="{_url("dashboards:stakeholder-detail", "lead")}">Lead &amp; &lt;Co&gt;</a>'
        f' with <a href="{_url("dashboards:stakeholder-detail", "alpha")}">Alpha</a>, '
        f'<a href="{_url("dashboards:stakeholder-detail", "zeta")}">Zeta</a></dd>'
        "<dt>Countries</dt><dd>None given</dd>"
        "<dt>When</dt><dd>1 March 2021 – 31 January 2022</dd>"
        "<dt>Type and progress</dt><dd>Training and capacity building · Ongoing</dd>"
        "<dt>Recommendations</dt>"
        f'<dd><a href="{_url("dashboards:recommendation-detail", recommendation.reference)}">'
        f'Firewall &lt;script&gt;</a> <span class="meta">({recommendation.reference})</span></dd>'
        "</dl><p>Line one<br>&lt;i&gt;two&lt;/i&gt;</p>"
        '<p class="evidence">Evidence: '
        '<a href="https://example.org/a?x=1&amp;y=2" rel="nofollow noopener">'
        "https://example.org/a?x=1&amp;y=2</a>, "
        '<a href="https://example.org/b" rel="nofollow noopener">Law &lt;2021&gt;</a></p>'
        "</article>"
    )


def test_the_card_in_the_list_of_actions(client, action, recommendation):
    html = client.get(reverse("dashboards:action-list")).content.decode()

    assert (
        f'<article class="card" id="action-{action.pk}">'
        f'<h3><a href="{_url("dashboards:action-detail", action.pk)}">'
        "&lt;b&gt;Plan&lt;/b&gt; &amp; &quot;more&quot;</a></h3>"
        f"{_facts(action, recommendation)}"
    ) in html


def test_the_action_page_has_its_own_heading(client, action, recommendation):
    html = client.get(_url("dashboards:action-detail", action.pk)).content.decode()

    assert f'<article class="card" id="action-{action.pk}">{_facts(action, recommendation)}' in html


def test_the_card_in_french(client, action, recommendation):
    html = client.get(reverse("dashboards:action-list"), HTTP_ACCEPT_LANGUAGE="fr").content.decode()

    assert '</a> avec <a href="' in html
    assert "<dd>1 mars 2021 – 31 janvier 2022</dd>" in html
    assert ">Pare-feu</a>" in html
    assert "<dd>Aucun indiqué</dd>" in html
    assert '<p class="evidence">Éléments justificatifs\N{NO-BREAK SPACE}: <a href' in html


def test_a_card_not_yet_published_links_no_public_page(client, lead):
    draft = factories.FollowUpActionFactory(title="Draft plan", lead_stakeholder=lead)
    draft.countries.set(
        [factories.CountryFactory(iso3="THA", name="Thailand", short_name="Thailand")]
    )
    client.force_login(factories.ContributorFactory(organisation=lead))

    html = client.get(_url("workspace:action-detail", draft.pk)).content.decode()

    assert f'<article class="card" id="action-{draft.pk}"><h3>Draft plan</h3>' in html
    assert (
        f'<dt>Countries</dt><dd><a href="{_url("dashboards:country-detail", "THA")}">'
        "Thailand</a></dd>"
    ) in html


@pytest.mark.parametrize(
    ("description", "drawn"),
    [
        ("One\r\ntwo\rthree\nfour", "One<br>two<br>three<br>four"),
        ("a & <b>\n\n'c' \"d\"", "a &amp; &lt;b&gt;<br><br>&#x27;c&#x27; &quot;d&quot;"),
    ],
)
def test_a_descriptions_line_breaks_as_linebreaksbr_draws_them(client, lead, description, drawn):
    action = factories.PublishedActionFactory(lead_stakeholder=lead, description=description)

    html = client.get(_url("dashboards:action-detail", action.pk)).content.decode()

    assert drawn == linebreaksbr(description)
    assert f"<p>{drawn}</p>" in html


def _card_ids(html: str) -> list[str]:
    """The id of each card of a page, in the page's order."""
    return re.findall(r'<article class="card" id="([^"]+)">', html)


@pytest.mark.parametrize("language", ["en", "fr"])
def test_the_cards_of_a_list_are_each_card_as_drawn_alone(client, rf, lead, action, language):
    """The list of actions, a country's and an organisation's page draw their cards in one tag
    (action_cards): newest first, next to each other, each as {% action_card %} draws it."""
    thailand = factories.CountryFactory(iso3="THA", name="Thailand", short_name="Thailand")
    newer = factories.PublishedActionFactory(
        title="Newer", lead_stakeholder=lead, countries=[thailand]
    )
    action.countries.set([thailand])
    with translation.override(language):
        alone = [
            Template("{% load action_cards %}{% action_card a show_recommendations=True %}").render(
                Context({"a": shown, "request": rf.get("/")})
            )
            for shown in selectors.action_list().filter(pk__in=[newer.pk, action.pk])
        ]
    pages = [
        reverse("dashboards:action-list"),
        _url("dashboards:country-detail", "THA"),
        _url("dashboards:stakeholder-detail", "lead"),
    ]
    for page in pages:
        html = client.get(page, HTTP_ACCEPT_LANGUAGE=language).content.decode()

        assert _card_ids(html) == [
            f"action-{newer.pk}",
            f"action-{action.pk}",
        ]
        assert "".join(alone) in html
