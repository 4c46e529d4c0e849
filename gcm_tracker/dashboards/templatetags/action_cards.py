"""{% action_card action %}: a follow-up action's card, drawn in Python.

A country's or an organisation's page and the list of actions show 20 to 28 cards, each with its
organisations, countries, recommendations and evidence linked. An included template per card
(with its loops and a dozen variables and filters) cost more than one format_html: with
tracker.choice_labels, the list of actions drawn with every cache emptied went from 69–73 to
65–67 ms at N = 200,000 (docs/performance.md, seventh round). The markup is the
template's, every value escaped as it escaped it.
"""

from django import template
from django.template.defaultfilters import linebreaksbr
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _

from gcm_tracker.dashboards.markup import shown_date
from gcm_tracker.tracker.enums import ReviewState

from .links import detail_url
from .translated import tr

register = template.Library()


def recommendation_links(context, recommendations) -> str:
    """Each recommendation linked by its name in the page's language, with its reference, "; "
    between them."""
    return format_html_join(
        "; ",
        '<a href="{}">{}</a> <span class="meta">({})</span>',
        (
            (
                detail_url("dashboards:recommendation-detail", recommendation.reference),
                tr(context, recommendation, "label"),
                recommendation.reference,
            )
            for recommendation in recommendations
        ),
    )


def _organisations(action) -> str:
    """The lead organisation, then "with" its partners, each linked."""
    lead = _stakeholder_link(action.lead_stakeholder)
    partners = action.partners.all()
    if not partners:
        return lead
    return format_html(
        "{} {} {}",
        lead,
        _("with"),
        format_html_join(", ", "{}", ((_stakeholder_link(p),) for p in partners)),
    )


def _stakeholder_link(stakeholder) -> str:
    return format_html(
        '<a href="{}">{}</a>',
        detail_url("dashboards:stakeholder-detail", stakeholder.slug),
        stakeholder.name,
    )


def _countries(action) -> str:
    countries = action.countries.all()
    if not countries:
        return _("None given")
    return format_html_join(
        ", ",
        '<a href="{}">{}</a>',
        (
            (detail_url("dashboards:country-detail", country.iso3), country.localized_name)
            for country in countries
        ),
    )


def _period(action) -> str:
    if action.end_date:
        return f"{shown_date(action.start_date)} – {shown_date(action.end_date)}"
    return shown_date(action.start_date)


def _heading(action) -> str:
    if action.review_state == ReviewState.PUBLISHED:
        return format_html(
            '<h3><a href="{}">{}</a></h3>',
            detail_url("dashboards:action-detail", action.pk),
            action.title,
        )
    return format_html("<h3>{}</h3>", action.title)


def _evidence(action) -> str:
    links = action.evidence.all()
    if not links:
        return ""
    return format_html(
        '<p class="evidence">{} {}</p>',
        _("Evidence:"),
        format_html_join(
            ", ",
            '<a href="{}" rel="nofollow noopener">{}</a>',
            ((link.url, link.title or link.url) for link in links),
        ),
    )


@register.simple_tag(takes_context=True)
def action_card(context, action, show_recommendations=False, hide_heading=False) -> str:
    """The card: its title (linked once published; left out where the page's own heading is
    the title), organisations, countries, dates, type and progress, its recommendations where
    `show_recommendations`, description and evidence."""
    recommendations = ""
    if show_recommendations:
        recommendations = format_html(
            "<dt>{}</dt><dd>{}</dd>",
            _("Recommendations"),
            recommendation_links(context, action.recommendations.all()),
        )
    return format_html(
        '<article class="card" id="action-{}">{}<dl class="facts">'
        "<dt>{}</dt><dd>{}</dd><dt>{}</dt><dd>{}</dd><dt>{}</dt><dd>{}</dd>"
        "<dt>{}</dt><dd>{} · {}</dd>{}</dl><p>{}</p>{}</article>",
        action.pk,
        "" if hide_heading else _heading(action),
        _("Organisation"),
        _organisations(action),
        _("Countries"),
        _countries(action),
        _("When"),
        _period(action),
        _("Type and progress"),
        action.get_action_type_display(),
        action.get_progress_display(),
        recommendations,
        linebreaksbr(action.description),
        _evidence(action),
    )
