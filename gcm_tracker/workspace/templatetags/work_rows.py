"""The rows of the work tables (the workspace's and the review queue's lists), drawn in Python.

A work page lists up to 25 actions and 25 assessments, each row with a link, badges, names and a
date. Drawn by the template engine, a row was a dozen variables and filters, an include and a
blocktranslate; here it is one format_html. With tracker.choice_labels, the workspace went
from 21 to 18 ms and the review queue from 24 to 22 ms at N = 200,000 (in one process,
docs/performance.md, seventh round). The markup is what the templates wrote, and every value is
escaped as the template escaped it.
"""

from django import template
from django.utils.html import format_html
from django.utils.translation import gettext as _

from gcm_tracker.dashboards.markup import filled, shown_date, status_badge
from gcm_tracker.dashboards.templatetags.action_cards import recommendation_links
from gcm_tracker.dashboards.templatetags.links import detail_url

register = template.Library()


def _review_badge(row) -> str:
    return format_html(
        '<span class="badge review-{}">{}</span>', row.review_state, row.get_review_state_display()
    )


def _cell_link(view_name: str, submission) -> str:
    """An assessment's link, named by its recommendation and country, and its reference."""
    name = filled(
        _("%(label)s in %(country)s"),
        label=submission.recommendation.label,
        country=submission.country.localized_name,
    )
    return format_html(
        '<a href="{}">{}</a> <span class="meta">{}</span>',
        detail_url(view_name, submission.pk),
        name,
        submission.recommendation.reference,
    )


@register.simple_tag
def workspace_action_row(action) -> str:
    """A row of "Follow-up actions of …": title, organisation, review state, last change."""
    return format_html(
        '<tr><th scope="row"><a href="{}">{}</a></th><td>{}</td><td>{}</td><td>{}</td></tr>',
        detail_url("workspace:action-detail", action.pk),
        action.title,
        action.lead_stakeholder.name,
        _review_badge(action),
        shown_date(action.updated_at, "DATE_FORMAT"),
    )


@register.simple_tag
def workspace_assessment_row(submission) -> str:
    """A row of "Country assessments of …": the cell, status, organisation, state, last change."""
    return format_html(
        '<tr><th scope="row">{}</th><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>',
        _cell_link("workspace:assessment-detail", submission),
        status_badge(submission),
        submission.stakeholder.name,
        _review_badge(submission),
        shown_date(submission.updated_at, "DATE_FORMAT"),
    )


@register.simple_tag(takes_context=True)
def review_action_row(context, action) -> str:
    """A row of the actions waiting for review: title, its recommendations (each linked, in the
    page's language), organisation, when it was submitted."""
    return format_html(
        '<tr><th scope="row"><a href="{}">{}</a></th><td>{}</td><td>{}</td><td>{}</td></tr>',
        detail_url("workspace:review-action", action.pk),
        action.title,
        recommendation_links(context, action.recommendations.all()),
        action.lead_stakeholder.name,
        shown_date(action.submitted_at, "DATETIME_FORMAT"),
    )


@register.simple_tag
def review_assessment_row(submission, own_organisations) -> str:
    """A row of the assessments waiting for review; one by the reviewer's own organisation says
    that another reviewer reviews it."""
    organisation = submission.stakeholder.name
    if submission.stakeholder_id in own_organisations:
        organisation = format_html(
            "{} ({})", organisation, _("your organisation: another reviewer reviews it")
        )
    return format_html(
        '<tr><th scope="row">{}</th><td>{}</td><td>{}</td><td>{}</td></tr>',
        _cell_link("workspace:review-assessment", submission),
        status_badge(submission),
        organisation,
        shown_date(submission.submitted_at, "DATETIME_FORMAT"),
    )
