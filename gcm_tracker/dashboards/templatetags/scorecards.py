"""A country's scorecard drawn in Python: `{% scorecard_row cell country %}`, one recommendation
with both voices, and `{% assessment_block assessment %}`, one published assessment.

A scorecard page shows 50 recommendations, each with its official assessment and those of
civil-society organisations; as template loops, includes and a dozen tags a row, they were most
of what the country page cost to draw with every cache emptied (docs/performance.md, eighth
round). Here each is a few format_html calls. The markup is the templates', every value escaped
as they escaped it.
"""

from django import template
from django.template.defaultfilters import linebreaksbr
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _

from gcm_tracker.dashboards.markup import filled, shown_date, status_badge

from .links import detail_url
from .review import quiet_since
from .translated import tr

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


def _voice(heading: str, assessments) -> str:
    blocks = format_html_join("", "{}", ((assessment_block(a),) for a in assessments))
    return format_html(
        "<div>\n<h4>{}</h4>\n{}\n</div>",
        heading,
        blocks or format_html("<p>{}</p>", _("No information")),
    )


def _assess_links(context, recommendation, country) -> str:
    # What includes/assess_link.html draws, only for a signed-in user: anonymous visitors see
    # none, and the page cache keeps their pages (it keys signed-in pages by permissions).
    user = context.get("user")
    if user is None or not user.is_authenticated:
        return ""
    links = context.template.engine.get_template("includes/assess_link.html")
    with context.push(recommendation=recommendation, country=country):
        return links.render(context)


@register.simple_tag(takes_context=True)
def scorecard_row(context, cell, country) -> str:
    """`cell` (country_selectors.scorecard_cells) as a card: the recommendation's name, reference
    and opening words, whether the voices disagree, each voice's assessments, and the links to
    assess it for whoever may."""
    recommendation = cell.recommendation
    reference = recommendation.reference
    disagree = ""
    if cell.disagreement:
        disagree = format_html(' <span class="flag-text">{}</span>', _("The voices disagree"))
    official = [cell.official] if cell.official else []
    return format_html(
        '<article class="card scorecard-row" id="{}" aria-labelledby="{}-heading">\n'
        '<h3 id="{}-heading"><a href="{}">{}</a> <span class="meta">{}</span>{}</h3>\n'
        '<p class="excerpt">{}</p>\n<div class="two-columns voices">\n{}\n{}\n</div>\n'
        "{}\n</article>",
        reference,
        reference,
        reference,
        detail_url("dashboards:recommendation-detail", reference),
        tr(context, recommendation, "label"),
        reference,
        disagree,
        tr(context, recommendation, "text", words=40),
        _voice(_("Official"), official),
        _voice(_("Civil society"), cell.civil_society),
        _assess_links(context, recommendation, country),
    )
