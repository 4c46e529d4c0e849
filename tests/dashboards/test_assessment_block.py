"""One published assessment as a scorecard shows it (dashboards.templatetags.scorecards): the
exact markup, what organisations wrote escaped, the quiet note, the page's language."""

import datetime

import pytest
from django.template import Context, Template
from django.utils import timezone, translation

from tests import factories

pytestmark = pytest.mark.django_db

BLOCK = Template("{% load scorecards %}{% assessment_block assessment %}")


def _drawn(assessment, language="en") -> str:
    with translation.override(language):
        return BLOCK.render(Context({"assessment": assessment}))


def test_an_official_assessment_gone_quiet(settings):
    settings.GCM_STALE_CELL_MONTHS = 6
    assessment = factories.AssessmentFactory(
        summary="Covers it.\n<b>Mostly</b>",
        source_title="Review <2024>",
        source_url="https://example.org/review?a=1&b=2",
        source_date=datetime.date(2024, 3, 1),
        effective_date=datetime.date(2024, 4, 2),
        # 23:30 UTC is the next day in the site's time zone (Asia/Bangkok).
        recorded_at=datetime.datetime(2024, 5, 3, 23, 30, tzinfo=datetime.UTC),
    )

    assert _drawn(assessment) == (
        '<div class="assessment"><p><span class="badge status-substantial_progress">'
        'Substantial progress</span> <span class="meta">effective 2 April 2024</span></p>'
        '<p class="meta">Source: <a href="https://example.org/review?a=1&amp;b=2" '
        'rel="nofollow noopener">Review &lt;2024&gt;</a>, 1 March 2024</p>'
        '<p class="quiet">No update since 4 May 2024</p>'
        "<p>Covers it.<br>&lt;b&gt;Mostly&lt;/b&gt;</p></div>"
    )
    french = _drawn(assessment, "fr")
    assert '<span class="meta">effet au 2 avril 2024</span>' in french
    assert '<p class="quiet">Aucune mise à jour depuis le 4 mai 2024</p>' in french


def test_an_organisations_assessment_without_a_source():
    assessment = factories.CivilSocietyAssessmentFactory(
        stakeholder=factories.StakeholderFactory(name="Rights & <Co>"),
        summary="A pilot.",
        source_title="",
        source_url="",
        source_date=None,
        effective_date=datetime.date(2024, 4, 2),
        recorded_at=timezone.now(),
    )

    assert _drawn(assessment) == (
        '<div class="assessment"><p><strong>Rights &amp; &lt;Co&gt;</strong>: '
        '<span class="badge status-limited_progress">Limited progress</span> '
        '<span class="meta">effective 2 April 2024</span></p>'
        '<p class="meta">Source: not given</p><p>A pilot.</p></div>'
    )


def test_a_source_named_by_its_address():
    assessment = factories.AssessmentFactory(
        source_title="", source_url="https://example.org/r", source_date=None
    )

    assert (
        '<p class="meta">Source: <a href="https://example.org/r" rel="nofollow noopener">'
        "https://example.org/r</a></p>"
    ) in _drawn(assessment)
