"""One recommendation on a country's scorecard (dashboards.templatetags.scorecards.scorecard_row):
the exact markup, what staff and organisations wrote escaped, the disagreement flag, "No
information" in a voice nobody assessed, the assess links only for whoever may, French."""

import datetime

import pytest
from django.contrib.auth.models import AnonymousUser
from django.template import RequestContext, Template
from django.test import RequestFactory
from django.utils import translation

from gcm_tracker.tracker.country_selectors import scorecard_cells
from gcm_tracker.tracker.enums import RecommendationStatus
from tests import factories

pytestmark = pytest.mark.django_db

ROW = Template("{% load scorecards %}{% scorecard_row cell country %}")


def _drawn(cell, country, user=None, language="en") -> str:
    request = RequestFactory().get("/countries/THA/")
    request.user = user or AnonymousUser()
    # The context processors' user and permissions, as on the page.
    context = RequestContext(request, {"cell": cell, "country": country})
    with translation.override(language):
        return ROW.render(context)


@pytest.fixture
def thailand():
    return factories.CountryFactory(iso3="THA", name="Thailand", short_name="Thailand")


@pytest.fixture
def recommendation():
    return factories.RecommendationFactory(
        reference="gcm-2020-26",
        paragraph=26,
        short_title="Safe <migration> & work",
        text="Governments should " + " ".join(["act"] * 45),
    )


def test_a_recommendation_nobody_assessed(thailand, recommendation):
    [cell] = scorecard_cells(thailand, [recommendation])

    assert _drawn(cell, thailand) == (
        '<article class="card scorecard-row" id="gcm-2020-26" '
        'aria-labelledby="gcm-2020-26-heading">\n'
        '<h3 id="gcm-2020-26-heading"><a href="/recommendations/gcm-2020-26/">'
        "Safe &lt;migration&gt; &amp; work</a> "
        '<span class="meta">gcm-2020-26</span></h3>\n'
        '<p class="excerpt">Governments should ' + " ".join(["act"] * 38) + " …</p>\n"
        '<div class="two-columns voices">\n'
        "<div>\n<h4>Official</h4>\n<p>No information</p>\n</div>\n"
        "<div>\n<h4>Civil society</h4>\n<p>No information</p>\n</div>\n"
        "</div>\n\n</article>"
    )


def test_both_voices_in_disagreement(thailand, recommendation):
    day = datetime.date(2024, 4, 2)
    factories.AssessmentFactory(
        recommendation=recommendation,
        country=thailand,
        status=RecommendationStatus.IMPLEMENTED,
        summary="Done.",
        effective_date=day,
    )
    for name in ("Rights <B>", "Aid A"):
        factories.CivilSocietyAssessmentFactory(
            recommendation=recommendation,
            country=thailand,
            stakeholder=factories.StakeholderFactory(name=name),
            status=RecommendationStatus.NOT_STARTED,
            summary=f"Said by {name}.",
            effective_date=day,
        )
    [cell] = scorecard_cells(thailand, [recommendation])

    drawn = _drawn(cell, thailand)

    assert '<span class="meta">gcm-2020-26</span> <span class="flag-text">The voices disagree' in (
        drawn
    )
    official, civil_society = drawn.split("<h4>")[1:]
    assert official.startswith('Official</h4>\n<div class="assessment"><p><span class="badge ')
    assert official.count('<div class="assessment">') == 1
    assert "<p>Done.</p>" in official
    # Organisations by name, each escaped; no "No information" where someone assessed.
    assert civil_society.index("<strong>Aid A</strong>") < civil_society.index(
        "<strong>Rights &lt;B&gt;</strong>"
    )
    assert "<p>Said by Rights &lt;B&gt;.</p>" in civil_society
    assert "No information" not in drawn


def test_assess_links_only_for_whoever_may(thailand, recommendation, staff, contributor_a):
    [cell] = scorecard_cells(thailand, [recommendation])

    assert "assess-links" not in _drawn(cell, thailand)
    for_staff = _drawn(cell, thailand, staff)
    assert 'href="/workspace/official/gcm-2020-26/THA/?next=/countries/THA/"' in for_staff
    assert "Record official assessment" in for_staff
    for_contributor = _drawn(cell, thailand, contributor_a)
    assert "Assess as your organisation" in for_contributor
    assert "Record official assessment" not in for_contributor


def test_in_french(thailand, recommendation):
    [cell] = scorecard_cells(thailand, [recommendation])

    drawn = _drawn(cell, thailand, language="fr")

    assert "<h4>Officielle</h4>" in drawn
    assert "<h4>Société civile</h4>" in drawn
    assert "<p>Aucune information</p>" in drawn
    assert 'href="/recommendations/gcm-2020-26/"' in drawn


def _official_block(drawn: str) -> str:
    official = drawn.split("<h4>Official</h4>\n")[1]
    return official[: official.index("\n</div>")]


@pytest.mark.parametrize(
    ("source", "shown"),
    [
        (
            {"source_title": "Review <2024>", "source_url": "https://example.org/r?a=1&b=2"},
            '<a href="https://example.org/r?a=1&amp;b=2" rel="nofollow noopener">'
            "Review &lt;2024&gt;</a>, 1 March 2024",
        ),
        (
            {"source_title": "", "source_url": "https://example.org/r?a=1&b=2"},
            '<a href="https://example.org/r?a=1&amp;b=2" rel="nofollow noopener">'
            "https://example.org/r?a=1&amp;b=2</a>, 1 March 2024",
        ),
        (
            {"source_title": "Said in a meeting & a letter", "source_url": ""},
            "Said in a meeting &amp; a letter, 1 March 2024",
        ),
        ({"source_title": "", "source_url": "", "source_date": None}, "not given"),
    ],
)
def test_an_assessment_block_with_its_source(thailand, recommendation, source, shown):
    factories.AssessmentFactory(
        recommendation=recommendation,
        country=thailand,
        status=RecommendationStatus.LIMITED,
        summary="Begun\n<b>in part</b>.",
        effective_date=datetime.date(2024, 4, 2),
        **{"source_date": datetime.date(2024, 3, 1), **source},
    )
    [cell] = scorecard_cells(thailand, [recommendation])

    assert _official_block(_drawn(cell, thailand)) == (
        '<div class="assessment"><p><span class="badge status-limited_progress">Limited progress'
        '</span> <span class="meta">effective 2 April 2024</span></p>'
        f'<p class="meta">Source: {shown}</p><p>Begun<br>&lt;b&gt;in part&lt;/b&gt;.</p></div>'
    )


def test_an_assessment_gone_quiet_says_since_when(thailand, recommendation, settings):
    settings.GCM_STALE_CELL_MONTHS = 12
    assessment = factories.AssessmentFactory(
        recommendation=recommendation, country=thailand, summary="Old."
    )
    recorded = datetime.datetime(2020, 5, 17, 9, 30, tzinfo=datetime.UTC)
    type(assessment).objects.filter(pk=assessment.pk).update(recorded_at=recorded)
    [cell] = scorecard_cells(thailand, [recommendation])

    block = _official_block(_drawn(cell, thailand))

    assert '<p class="quiet">No update since 17 May 2020</p><p>Old.</p></div>' in block
