"""{% action_cards actions %} and {% action_card action %}: follow-up actions' cards, drawn in
Python.

A country's or an organisation's page and the list of actions show 20 to 28 cards, each with its
organisations, countries, recommendations and evidence linked. An included template per card
(with its loops and a dozen variables and filters) cost more than one format_html: with
tracker.choice_labels, the list of actions drawn with every cache emptied went from 69–73 to
65–67 ms at N = 200,000 (docs/performance.md, seventh round). format_html escaped every part,
the fixed words too, through Django's lazy-string wrapper; now the words are translated once per
language and the values escaped by the standard library's escape (Django's, without the wrapper):
25 cards in 3.1 ms instead of 4.4 (sixteenth round). A list's cards are drawn by one tag, which
reads what every card would read from Django's per-request state (the language of the words and
labels, the time zone, the script prefix of the links) once for the list (twenty-seventh round).
The markup is the template's, every value escaped as it escaped it.
"""

from collections.abc import Iterable
from html import escape

from django import template
from django.utils.safestring import SafeString, mark_safe

from gcm_tracker.dashboards.markup import CARD_WORDS, choice_words, shown_dates
from gcm_tracker.tracker.enums import ActionProgress, ActionType, ReviewState

from .links import detail_urls
from .translated import tr

register = template.Library()

# A card's type and progress by value, escaped, in the page's language.
TYPE_WORDS = choice_words(ActionType)
PROGRESS_WORDS = choice_words(ActionProgress)


def recommendation_links(context, recommendations, link=None) -> SafeString:
    """Each recommendation linked by its name in the page's language, with its reference, "; "
    between them. `link` gives a recommendation's address from its reference (detail_urls, for a
    page that draws many)."""
    link = link or detail_urls("dashboards:recommendation-detail")
    return mark_safe(
        "; ".join(
            f'<a href="{escape(link(r.reference))}">'
            f'{tr(context, r, "label")}</a> <span class="meta">({escape(r.reference)})</span>'
            for r in recommendations
        )
    )


def _lines(text: str) -> str:
    """`{{ text|linebreaksbr }}`: escaped, each line break (\\r\\n, \\r or \\n) a <br>; the
    filter's own result, without its lazy-string wrapper and safe-string checks (a card each)."""
    return escape(text.replace("\r\n", "\n").replace("\r", "\n")).replace("\n", "<br>")


class _Cards:
    """What the cards of one page read from the request's state, read once: the words and
    labels in the page's language, the dates' time zone, the links' script prefix."""

    def __init__(self, context):
        self.context = context
        self.words = CARD_WORDS()
        self.types, self.progress = TYPE_WORDS(), PROGRESS_WORDS()
        self.date = shown_dates()
        self.recommendation = detail_urls("dashboards:recommendation-detail")
        self.stakeholder = detail_urls("dashboards:stakeholder-detail")
        self.country = detail_urls("dashboards:country-detail")
        self.action = detail_urls("dashboards:action-detail")

    def draw(self, action, show_recommendations=False, hide_heading=False) -> str:
        words = self.words
        recommendations = ""
        if show_recommendations:
            links = recommendation_links(
                self.context, action.links("recommendations"), self.recommendation
            )
            recommendations = f"<dt>{words['recommendations']}</dt><dd>{links}</dd>"
        kind = self.types.get(action.action_type) or escape(str(action.get_action_type_display()))
        progress = self.progress.get(action.progress) or escape(str(action.get_progress_display()))
        return (
            f'<article class="card" id="action-{action.pk}">'
            f'{"" if hide_heading else self._heading(action)}<dl class="facts">'
            f"<dt>{words['organisation']}</dt><dd>{self._organisations(action)}</dd>"
            f"<dt>{words['countries']}</dt><dd>{self._countries(action)}</dd>"
            f"<dt>{words['when']}</dt><dd>{escape(self._period(action))}</dd>"
            f"<dt>{words['type']}</dt><dd>{kind} · {progress}</dd>{recommendations}</dl>"
            f"<p>{_lines(action.description)}</p>{self._evidence(action)}</article>"
        )

    def _heading(self, action) -> str:
        if action.review_state == ReviewState.PUBLISHED:
            address = self.action(action.pk)
            return f'<h3><a href="{escape(address)}">{escape(action.title)}</a></h3>'
        return f"<h3>{escape(action.title)}</h3>"

    def _organisations(self, action) -> str:
        """The lead organisation, then "with" its partners, each linked."""
        lead = self._stakeholder_link(action.lead_stakeholder)
        partners = action.links("partners")
        if not partners:
            return lead
        others = ", ".join(self._stakeholder_link(p) for p in partners)
        return f"{lead} {self.words['with_']} {others}"

    def _stakeholder_link(self, stakeholder) -> str:
        address = self.stakeholder(stakeholder.slug)
        return f'<a href="{escape(address)}">{escape(stakeholder.name)}</a>'

    def _countries(self, action) -> str:
        countries = action.links("countries")
        if not countries:
            return self.words["none_given"]
        return ", ".join(
            f'<a href="{escape(self.country(country.iso3))}">{escape(country.localized_name)}</a>'
            for country in countries
        )

    def _period(self, action) -> str:
        if action.end_date:
            return f"{self.date(action.start_date)} – {self.date(action.end_date)}"
        return self.date(action.start_date)

    def _evidence(self, action) -> str:
        links = action.links("evidence")
        if not links:
            return ""
        shown = ", ".join(
            f'<a href="{escape(link.url)}" rel="nofollow noopener">'
            f"{escape(link.title or link.url)}</a>"
            for link in links
        )
        return f'<p class="evidence">{self.words["evidence"]} {shown}</p>'


@register.simple_tag(takes_context=True)
def action_card(context, action, show_recommendations=False, hide_heading=False) -> SafeString:
    """The card: its title (linked once published; left out where the page's own heading is
    the title), organisations, countries, dates, type and progress, its recommendations where
    `show_recommendations`, description and evidence."""
    return mark_safe(_Cards(context).draw(action, show_recommendations, hide_heading))


@register.simple_tag(takes_context=True)
def action_cards(context, actions: Iterable, show_recommendations=False) -> SafeString:
    """The cards of `actions`, one after the other, as action_card draws each; "" for none."""
    cards = _Cards(context)
    return mark_safe("".join(cards.draw(action, show_recommendations) for action in actions))
