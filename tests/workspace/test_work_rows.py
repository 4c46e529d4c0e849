"""The rows of the workspace's and the review queue's tables (workspace.templatetags.work_rows):
the exact markup, what users wrote escaped, dates in the page's language and time zone."""

import datetime
import re

import pytest
from django.urls import reverse

from gcm_tracker.tracker.enums import ReviewState
from gcm_tracker.tracker.models import Membership
from gcm_tracker.workspace import paging
from tests import factories

pytestmark = pytest.mark.django_db

# 23:30 on 1 January in UTC is 06:30 on 2 January in the site's time zone (Asia/Bangkok).
MOMENT = datetime.datetime(2026, 1, 1, 23, 30, tzinfo=datetime.UTC)
TITLE = '<b>Plan</b> & "more"'
ESCAPED_TITLE = "&lt;b&gt;Plan&lt;/b&gt; &amp; &quot;more&quot;"
ORGANISATION = "A&amp;B &lt;i&gt;"


def _url(name, value):
    return reverse(name, args=[value])


def _work(recommendations, action_state, submission_state):
    """An action on `recommendations` and an assessment of the first in Thailand, both by an
    organisation whose name holds markup, last changed (and submitted) at MOMENT."""
    organisation = factories.StakeholderFactory(slug="org-markup", name="A&B <i>")
    action = factories.FollowUpActionFactory(
        title=TITLE, lead_stakeholder=organisation, recommendations=recommendations
    )
    submission = factories.AssessmentSubmissionFactory(
        stakeholder=organisation,
        recommendation=recommendations[0],
        country=factories.CountryFactory(iso3="THA", name="Thailand", short_name="Thailand"),
    )
    for row, state in [(action, action_state), (submission, submission_state)]:
        type(row).objects.filter(pk=row.pk).update(
            review_state=state, updated_at=MOMENT, submitted_at=MOMENT
        )
    return organisation, action, submission


def _cell(view_name, submission, name):
    return (
        f'<tr><th scope="row"><a href="{_url(view_name, submission.pk)}">{name}</a> '
        f'<span class="meta">{submission.recommendation.reference}</span></th>'
        '<td><span class="badge status-limited_progress">Limited progress</span></td>'
    )


def test_workspace_rows(client, titled_recommendation):
    organisation, action, submission = _work(
        [titled_recommendation], ReviewState.SUBMITTED, ReviewState.DRAFT
    )
    client.force_login(factories.ContributorFactory(organisation=organisation))

    english = client.get(reverse("workspace:home")).content.decode()
    french = client.get(reverse("workspace:home"), HTTP_ACCEPT_LANGUAGE="fr").content.decode()

    assert (
        f'<tr><th scope="row"><a href="{_url("workspace:action-detail", action.pk)}">'
        f"{ESCAPED_TITLE}</a></th><td>{ORGANISATION}</td>"
        '<td><span class="badge review-submitted">Submitted for review</span></td>'
        "<td>2 January 2026</td></tr>"
    ) in english
    assert (
        _cell("workspace:assessment-detail", submission, "Firewall &lt;script&gt; in Thailand")
        + f'<td>{ORGANISATION}</td><td><span class="badge review-draft">Draft</span></td>'
        "<td>2 January 2026</td></tr>"
    ) in english
    assert "<td>2 janvier 2026</td>" in french
    assert (
        f'Pare-feu – Thaïlande</a> <span class="meta">{titled_recommendation.reference}'
    ) in french


def test_review_queue_rows(staff_client, staff, titled_recommendation):
    second = factories.RecommendationFactory(consultation=titled_recommendation.consultation)
    organisation, action, submission = _work(
        [titled_recommendation, second], ReviewState.SUBMITTED, ReviewState.SUBMITTED
    )
    Membership.objects.create(user=staff, stakeholder=organisation)

    english = staff_client.get(reverse("workspace:review-queue")).content.decode()
    french = staff_client.get(
        reverse("workspace:review-queue"), HTTP_ACCEPT_LANGUAGE="fr"
    ).content.decode()

    def links(title, paragraph):
        """The action's recommendations, by reference, each named in the page's language."""
        return "; ".join(
            f'<a href="{_url("dashboards:recommendation-detail", r.reference)}">'
            f"{title if r == titled_recommendation else f'{paragraph} {r.paragraph}'}"
            f'</a> <span class="meta">({r.reference})</span>'
            for r in sorted([titled_recommendation, second], key=lambda r: r.reference)
        )

    assert (
        f'<tr><th scope="row"><a href="{_url("workspace:review-action", action.pk)}">'
        f"{ESCAPED_TITLE}</a></th><td>{links('Firewall &lt;script&gt;', 'Paragraph')}</td>"
        f"<td>{ORGANISATION}</td><td>2 January 2026, 06:30 +07</td></tr>"
    ) in english
    assert (
        _cell("workspace:review-assessment", submission, "Firewall &lt;script&gt; in Thailand")
        + f"<td>{ORGANISATION} (your organisation: another reviewer reviews it)</td>"
        "<td>2 January 2026, 06:30 +07</td></tr>"
    ) in english
    assert "<td>2 janvier 2026, 06:30 +07</td>" in french
    assert f"<td>{links('Pare-feu', 'Paragraphe')}</td>" in french


def _empty_rows(html: str) -> list[str]:
    """The text of each table row that says the table is empty."""
    return re.findall(r'<tr><td colspan="\d">([^<]*)</td></tr>', html)


def test_empty_tables_say_why_in_the_pages_language(client, staff, organisation_a):
    client.force_login(factories.ContributorFactory(organisation=organisation_a))

    home = client.get(reverse("workspace:home")).content.decode()
    filtered = client.get(reverse("workspace:home"), {"q": "nothing"}).content.decode()
    french = client.get(reverse("workspace:home"), HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    client.force_login(staff)
    queue = client.get(reverse("workspace:review-queue")).content.decode()

    assert _empty_rows(home) == ["No action recorded yet.", "No country assessment yet."]
    assert _empty_rows(filtered) == [
        "No action matches these filters.",
        "No country assessment matches these filters.",
    ]
    assert _empty_rows(french) == [
        "Aucune mesure consignée pour le moment.",
        "Aucune évaluation par pays pour le moment.",
    ]
    assert _empty_rows(queue) == [
        "No action waits for review.",
        "No country assessment waits for review.",
    ]


@pytest.mark.parametrize(
    ("query", "language", "pager"),
    [
        (
            {"actions_page": "2"},
            "en",
            '<nav class="pagination" aria-label="Pages: Your actions">'
            '<a href="?actions_page=1" rel="prev">Previous page</a> '
            '<span aria-current="page">Page 2 of 3</span> '
            '<a href="?actions_page=3" rel="next">Next page</a></nav>',
        ),
        (
            {"q": "Action"},
            "en",
            '<nav class="pagination" aria-label="Pages: Your actions">'
            '<span aria-current="page">Page 1 of more than 2</span> '
            '<a href="?q=Action&amp;actions_page=2" rel="next">Next page</a></nav>',
        ),
        (
            {"actions_page": "3"},
            "fr",
            '<nav class="pagination" aria-label="Pages\u00a0: Vos mesures">'
            '<a href="?actions_page=2" rel="prev">Page précédente</a> '
            '<span aria-current="page">Page 3 sur 3</span></nav>',
        ),
    ],
)
def test_the_pager_of_a_work_table(client, organisation_a, monkeypatch, query, language, pager):
    monkeypatch.setattr(paging, "PAGE_SIZE", 1)
    monkeypatch.setattr(paging, "FILTERED_PAGES_AHEAD", 1)
    for n in range(3):
        factories.FollowUpActionFactory(lead_stakeholder=organisation_a, title=f"Action {n}")
    client.force_login(factories.ContributorFactory(organisation=organisation_a))

    html = client.get(
        reverse("workspace:home"), query, HTTP_ACCEPT_LANGUAGE=language
    ).content.decode()

    assert pager in html
    # The assessments' list has one page (none): no pager.
    assert html.count('<nav class="pagination"') == 1
