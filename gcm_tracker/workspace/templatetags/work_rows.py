"""The rows of the work tables (the workspace's and the review queue's lists), drawn in Python.

A work page lists up to 25 actions and 25 assessments, each row with a link, badges, names and a
date. Drawn by the template engine, a row was a dozen variables and filters, an include and a
blocktranslate; here it is one string. With tracker.choice_labels, the workspace went from 21 to
18 ms and the review queue from 24 to 22 ms at N = 200,000 (in one process, docs/performance.md,
seventh round). Since the twenty-fifth round the rows are f-strings with the standard library's
escape (Django's, without its lazy-string wrapper), as the action cards are, and the dates come
from markup.shown_date's kept days. The markup is what the templates wrote, and every value is
escaped as the template escaped it.
"""

from html import escape

from django import template
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gcm_tracker.dashboards.markup import Words, filled, shown_date, status_badge
from gcm_tracker.dashboards.templatetags.action_cards import recommendation_links
from gcm_tracker.dashboards.templatetags.links import detail_url

register = template.Library()

# A sentence into which filled() puts escaped values: trusted markup, as blocktranslate's.
ROW_SENTENCES = Words(escaped=False, cell=gettext_lazy("%(label)s in %(country)s"))


def _review_badge(row) -> str:
    return (
        f'<span class="badge review-{escape(row.review_state)}">'
        f"{escape(str(row.get_review_state_display()))}</span>"
    )


def _cell_link(view_name: str, submission) -> str:
    """An assessment's link, named by its recommendation and country, and its reference."""
    name = filled(
        ROW_SENTENCES()["cell"],
        label=submission.recommendation.label,
        country=submission.country.localized_name,
    )
    return (
        f'<a href="{escape(detail_url(view_name, submission.pk))}">{name}</a> '
        f'<span class="meta">{escape(submission.recommendation.reference)}</span>'
    )


@register.simple_tag
def workspace_action_row(action) -> str:
    """A row of "Follow-up actions of …": title, organisation, review state, last change."""
    return mark_safe(
        f'<tr><th scope="row"><a href="{escape(detail_url("workspace:action-detail", action.pk))}">'
        f"{escape(action.title)}</a></th><td>{escape(action.lead_stakeholder.name)}</td>"
        f"<td>{_review_badge(action)}</td>"
        f"<td>{escape(shown_date(action.updated_at, 'DATE_FORMAT'))}</td></tr>"
    )


@register.simple_tag
def workspace_assessment_row(submission) -> str:
    """A row of "Country assessments of …": the cell, status, organisation, state, last change."""
    return mark_safe(
        f'<tr><th scope="row">{_cell_link("workspace:assessment-detail", submission)}</th>'
        f"<td>{status_badge(submission)}</td><td>{escape(submission.stakeholder.name)}</td>"
        f"<td>{_review_badge(submission)}</td>"
        f"<td>{escape(shown_date(submission.updated_at, 'DATE_FORMAT'))}</td></tr>"
    )


@register.simple_tag(takes_context=True)
def review_action_row(context, action) -> str:
    """A row of the actions waiting for review: title, its recommendations (each linked, in the
    page's language), organisation, when it was submitted."""
    return mark_safe(
        f'<tr><th scope="row"><a href="{escape(detail_url("workspace:review-action", action.pk))}">'
        f"{escape(action.title)}</a></th>"
        f"<td>{recommendation_links(context, action.recommendations.all())}</td>"
        f"<td>{escape(action.lead_stakeholder.name)}</td>"
        f"<td>{escape(shown_date(action.submitted_at, 'DATETIME_FORMAT'))}</td></tr>"
    )


@register.simple_tag
def review_assessment_row(submission, own_organisations) -> str:
    """A row of the assessments waiting for review; one by the reviewer's own organisation says
    that another reviewer reviews it."""
    organisation = escape(submission.stakeholder.name)
    if submission.stakeholder_id in own_organisations:
        organisation += f" ({escape(_('your organisation: another reviewer reviews it'))})"
    return mark_safe(
        f'<tr><th scope="row">{_cell_link("workspace:review-assessment", submission)}</th>'
        f"<td>{status_badge(submission)}</td><td>{organisation}</td>"
        f"<td>{escape(shown_date(submission.submitted_at, 'DATETIME_FORMAT'))}</td></tr>"
    )
