"""{% assessment_block assessment %}: one published assessment on a country's scorecard, drawn in
Python.

A scorecard page shows 25 recommendations, each with its official assessment and those of
civil-society organisations, each of which was an included template; here each is one
format_html. The markup is the template's, every value escaped as it escaped it.
"""

from django import template
from django.template.defaultfilters import linebreaksbr
from django.utils.html import format_html
from django.utils.translation import gettext as _

from gcm_tracker.dashboards.markup import filled, shown_date, status_badge

from .review import quiet_since

register = template.Library()


def _source(assessment) -> str:
    title = assessment.source_title
    if assessment.source_url:
        named = format_html(
            '<a href="{}" rel="nofollow noopener">{}</a>',
            assessment.source_url,
            title or assessment.source_url,
        )
    else:
        named = title or _("not given")
    if assessment.source_date:
        return format_html("{}, {}", named, shown_date(assessment.source_date))
    return format_html("{}", named)


@register.simple_tag
def assessment_block(assessment) -> str:
    """Its status and date, source, a note when it has gone quiet, and its summary; an
    organisation's is named by the organisation, never the person."""
    author = ""
    if assessment.stakeholder:
        author = format_html("<strong>{}</strong>: ", assessment.stakeholder.name)
    quiet = quiet_since(assessment)
    return format_html(
        '<div class="assessment"><p>{}{} <span class="meta">{}</span></p>'
        '<p class="meta">{} {}</p>{}<p>{}</p></div>',
        author,
        status_badge(assessment),
        filled(_("effective %(date)s"), date=shown_date(assessment.effective_date)),
        _("Source:"),
        _source(assessment),
        format_html(
            '<p class="quiet">{}</p>', filled(_("No update since %(date)s"), date=shown_date(quiet))
        )
        if quiet
        else "",
        linebreaksbr(assessment.summary),
    )
