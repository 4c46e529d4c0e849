"""The rows of the work tables (the workspace's and the review queue's lists), drawn in Python.

A work page lists up to 25 actions and 25 assessments, each row with a link, badges, names and a
date. Drawn by the template engine, a row was a dozen variables and filters, an include and a
blocktranslate; here it is one string. With tracker.choice_labels, the workspace went from 21 to
18 ms and the review queue from 24 to 22 ms at N = 200,000 (in one process, docs/performance.md,
seventh round). Since the twenty-fifth round the rows are f-strings with the standard library's
escape (Django's, without its lazy-string wrapper), as the action cards are, and the dates come
from markup.shown_date's kept days. Since the twenty-sixth, each tag draws a whole table: what
every row reads from the request's state (the language for the labels and words, the time zone
for the dates, the script prefix for the links) is read once for the table (_Table), where each
row read it a dozen times and those reads were a fifth of a row's cost. The markup is what the
templates wrote, and every value is escaped as the template escaped it.
"""

from html import escape

from django import template
from django.utils.formats import localize
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy

from gcm_tracker.dashboards.markup import (
    STATUS_WORDS,
    Words,
    choice_words,
    filled,
    shown_dates,
    status_badge,
)
from gcm_tracker.dashboards.templatetags.action_cards import recommendation_links
from gcm_tracker.dashboards.templatetags.links import detail_urls
from gcm_tracker.tracker.enums import ReviewState

register = template.Library()

# A sentence into which filled() puts escaped values: trusted markup, as blocktranslate's.
ROW_SENTENCES = Words(escaped=False, cell=gettext_lazy("%(label)s in %(country)s"))
ROW_WORDS = Words(own=gettext_lazy("your organisation: another reviewer reviews it"))
PAGER_WORDS = Words(previous=gettext_lazy("Previous page"), next=gettext_lazy("Next page"))
PAGER_SENTENCES = Words(
    escaped=False,
    of=gettext_lazy("Page %(number)s of %(total)s"),
    more=gettext_lazy("Page %(number)s of more than %(total)s"),
)
REVIEW_WORDS = choice_words(ReviewState)


class _Table:
    """What the rows of one table read from the request's state, read once: the address of
    each row's page, the dates in `date_format`, the words and labels in the page's language."""

    def __init__(self, view_name: str, date_format: str):
        self.link = detail_urls(view_name)
        self.date = shown_dates(date_format)
        self.sentences, self.words = ROW_SENTENCES(), ROW_WORDS()
        self.states, self.statuses = REVIEW_WORDS(), STATUS_WORDS()

    def review_badge(self, row) -> str:
        state = row.review_state
        label = self.states.get(state) or escape(str(row.get_review_state_display()))
        return f'<span class="badge review-{escape(state)}">{label}</span>'

    def cell_link(self, submission) -> str:
        """An assessment's link, named by its recommendation and country, and its reference."""
        name = filled(
            self.sentences["cell"],
            label=submission.recommendation.label,
            country=submission.country.localized_name,
        )
        return (
            f'<a href="{escape(self.link(submission.pk))}">{name}</a> '
            f'<span class="meta">{escape(submission.recommendation.reference)}</span>'
        )


def _rows(rows, view_name: str, date_format: str, draw) -> SafeString:
    """Each of `rows` drawn by `draw(table, row)`, one after the other; "" for none."""
    table = _Table(view_name, date_format)
    return mark_safe("".join(draw(table, row) for row in rows))


@register.simple_tag
def workspace_action_rows(actions) -> SafeString:
    """The rows of "Follow-up actions of …": title, organisation, review state, last change."""

    def draw(table, action) -> str:
        return (
            f'<tr><th scope="row"><a href="{escape(table.link(action.pk))}">'
            f"{escape(action.title)}</a></th><td>{escape(action.lead_stakeholder.name)}</td>"
            f"<td>{table.review_badge(action)}</td>"
            f"<td>{escape(table.date(action.updated_at))}</td></tr>"
        )

    return _rows(actions, "workspace:action-detail", "DATE_FORMAT", draw)


@register.simple_tag
def workspace_assessment_rows(submissions) -> SafeString:
    """The rows of "Country assessments of …": the cell, status, organisation, state, last
    change."""

    def draw(table, submission) -> str:
        return (
            f'<tr><th scope="row">{table.cell_link(submission)}</th>'
            f"<td>{status_badge(submission, table.statuses)}</td>"
            f"<td>{escape(submission.stakeholder.name)}</td>"
            f"<td>{table.review_badge(submission)}</td>"
            f"<td>{escape(table.date(submission.updated_at))}</td></tr>"
        )

    return _rows(submissions, "workspace:assessment-detail", "DATE_FORMAT", draw)


@register.simple_tag(takes_context=True)
def review_action_rows(context, actions) -> SafeString:
    """The rows of the actions waiting for review: title, its recommendations (each linked, in
    the page's language), organisation, when it was submitted."""

    def draw(table, action) -> str:
        return (
            f'<tr><th scope="row"><a href="{escape(table.link(action.pk))}">'
            f"{escape(action.title)}</a></th>"
            f"<td>{recommendation_links(context, action.recommendations.all())}</td>"
            f"<td>{escape(action.lead_stakeholder.name)}</td>"
            f"<td>{escape(table.date(action.submitted_at))}</td></tr>"
        )

    return _rows(actions, "workspace:review-action", "DATETIME_FORMAT", draw)


@register.simple_tag
def review_assessment_rows(submissions, own_organisations) -> SafeString:
    """The rows of the assessments waiting for review; one by the reviewer's own organisation
    says that another reviewer reviews it."""

    def draw(table, submission) -> str:
        organisation = escape(submission.stakeholder.name)
        if submission.stakeholder_id in own_organisations:
            organisation += f" ({table.words['own']})"
        return (
            f'<tr><th scope="row">{table.cell_link(submission)}</th>'
            f"<td>{status_badge(submission, table.statuses)}</td><td>{organisation}</td>"
            f"<td>{escape(table.date(submission.submitted_at))}</td></tr>"
        )

    return _rows(submissions, "workspace:review-assessment", "DATETIME_FORMAT", draw)


@register.simple_tag
def work_pager(page, label) -> SafeString:
    """Links between the pages of one list (a page of workspace.paging.paged), the navigation
    named by `label`; "" for a list of one page. At the foot of each work table, so drawn here
    too: by an included template, a full page's two pagers cost about what drawing its 50 rows
    does (sampled at N = 200,000), and a list of one page has none, so it was all growth."""
    paginator = page.paginator
    if paginator.num_pages <= 1:
        return mark_safe("")
    words = PAGER_WORDS()
    where = filled(
        PAGER_SENTENCES()["more" if paginator.more else "of"],
        number=localize(page.number),
        total=localize(paginator.num_pages),
    )
    previous = next_ = ""
    if page.previous_url:
        previous = f'<a href="{escape(page.previous_url)}" rel="prev">{words["previous"]}</a> '
    if page.next_url:
        next_ = f' <a href="{escape(page.next_url)}" rel="next">{words["next"]}</a>'
    return mark_safe(
        f'<nav class="pagination" aria-label="{escape(str(label))}">'
        f'{previous}<span aria-current="page">{where}</span>{next_}</nav>'
    )
