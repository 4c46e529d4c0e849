"""A country's scorecard drawn in Python: `{% scorecard_row cell country %}`, one recommendation
with both voices, and `{% assessment_block assessment %}`, one published assessment.

A scorecard page shows 50 recommendations, each with its official assessment and those of
civil-society organisations; as template loops, includes and a dozen tags a row, they were most
of what the country page cost to draw with every cache emptied (docs/performance.md, eighth
round). Here each is a few strings joined: the fixed words translated once per language, the
values escaped by the standard library's escape (Django's, without its lazy-string wrapper, as
format_html's escape of every part cost a third of a row; sixteenth round). The markup is the
templates', every value escaped as they escaped it.
"""

from html import escape

from django import template
from django.template.defaultfilters import linebreaksbr
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe

from gcm_tracker.dashboards.markup import (
    CARD_SENTENCES,
    CARD_WORDS,
    filled,
    shown_date,
    status_badge,
)

from .links import detail_url
from .review import quiet_since
from .translated import tr

register = template.Library()


def _source(assessment, words) -> str:
    title = assessment.source_title
    if assessment.source_url:
        url = escape(assessment.source_url)
        named = f'<a href="{url}" rel="nofollow noopener">{escape(title) if title else url}</a>'
    else:
        named = escape(title) if title else words["not_given"]
    if assessment.source_date:
        return f"{named}, {escape(shown_date(assessment.source_date))}"
    return named


def _block(assessment, words) -> str:
    author = ""
    if assessment.stakeholder:
        author = f"<strong>{escape(assessment.stakeholder.name)}</strong>: "
    sentences = CARD_SENTENCES()
    quiet = ""
    if since := quiet_since(assessment):
        quiet = f'<p class="quiet">{filled(sentences["quiet"], date=shown_date(since))}</p>'
    effective = filled(sentences["effective"], date=shown_date(assessment.effective_date))
    return (
        f'<div class="assessment"><p>{author}{status_badge(assessment)} '
        f'<span class="meta">{effective}</span></p>'
        f'<p class="meta">{words["source"]} {_source(assessment, words)}</p>{quiet}'
        f"<p>{linebreaksbr(assessment.summary)}</p></div>"
    )


@register.simple_tag
def assessment_block(assessment) -> SafeString:
    """Its status and date, source, a note when it has gone quiet, and its summary; an
    organisation's is named by the organisation, never the person."""
    return mark_safe(_block(assessment, CARD_WORDS()))


def _voice(heading: str, assessments, words) -> str:
    blocks = "".join(_block(a, words) for a in assessments)
    if not blocks:
        blocks = f"<p>{words['no_information']}</p>"
    return f"<div>\n<h4>{heading}</h4>\n{blocks}\n</div>"


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
def scorecard_row(context, cell, country) -> SafeString:
    """`cell` (country_selectors.scorecard_cells) as a card: the recommendation's name, reference
    and opening words, whether the voices disagree, each voice's assessments, and the links to
    assess it for whoever may."""
    words = CARD_WORDS()
    recommendation = cell.recommendation
    reference = escape(recommendation.reference)
    disagree = ""
    if cell.disagreement:
        disagree = f' <span class="flag-text">{words["disagree"]}</span>'
    official = [cell.official] if cell.official else []
    address = escape(detail_url("dashboards:recommendation-detail", recommendation.reference))
    label = tr(context, recommendation, "label")
    excerpt = tr(context, recommendation, "text", words=40)
    return mark_safe(
        f'<article class="card scorecard-row" id="{reference}"'
        f' aria-labelledby="{reference}-heading">\n<h3 id="{reference}-heading">'
        f'<a href="{address}">{label}</a> <span class="meta">{reference}</span>{disagree}</h3>\n'
        f'<p class="excerpt">{excerpt}</p>\n<div class="two-columns voices">\n'
        f"{_voice(words['official'], official, words)}\n"
        f"{_voice(words['civil_society'], cell.civil_society, words)}\n</div>\n"
        f"{conditional_escape(_assess_links(context, recommendation, country))}\n</article>"
    )
