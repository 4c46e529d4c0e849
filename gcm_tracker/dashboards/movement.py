"""The blocks of a snapshot comparison: how one distribution moved, as two stacked bars (then,
later) beside a table of the same numbers.

A comparison shows about a hundred of them (23 objectives, 5 subregions, 62 countries), and
drawing each through a template include cost about 2 ms, 200 ms a page, more than everything
else the page does. format_html brought that to a tenth, still most of the page (0.25 ms a block,
about 25 ms with every cache emptied: a hundred escapes and twenty numbers localised a block).
A Movements draws a page's blocks sharing what they have in common: the headings, the moments'
labels and the status labels are escaped once a page, and each number is localised once a page.
The markup is lean (a page stays under 300 KB): no whitespace between tags, and the bars'
segments carry no tooltips, as the table beside them holds every number (the bars' labels say
so).
"""

from django.utils.formats import localize
from django.utils.html import conditional_escape, escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .charts import status_labels


class Movements:
    """The blocks of one page, between the moments labelled `before_label` and `after_label`,
    drawn in the active language."""

    def __init__(self, before_label, after_label):
        self.moments = (before_label, after_label)
        self._numbers: dict[int, str] = {}
        # The table's head and the start of its foot: the same in every block.
        self._head = (
            '<div class="table-scroll" role="region" tabindex="0" aria-label="{}">'
            '<table class="data-table"><thead><tr><th scope="col">{}</th>'
            '<th scope="col" class="num">{}</th><th scope="col" class="num">{}</th>'
            '<th scope="col" class="num">{}</th></tr></thead><tbody>'
        ).format(
            escape(_("Table, scrolls sideways on small screens")),
            escape(_("Status")),
            conditional_escape(before_label),
            conditional_escape(after_label),
            escape(_("Change")),
        )
        self._foot = '</tbody><tfoot><tr><th scope="row">{}</th>'.format(escape(_("Total")))
        labels = status_labels()
        self._classes = {status: escape(status) for status in labels}
        self._row_starts = {
            status: f'<tr><th scope="row"><span class="swatch status-{escape(status)}"'
            f' aria-hidden="true"></span> {conditional_escape(label)}</th>'
            for status, label in labels.items()
        }

    def _number(self, n: int) -> str:
        """`n` localised and escaped, as format_html would show localize(n)."""
        shown = self._numbers.get(n)
        if shown is None:
            shown = self._numbers[n] = conditional_escape(localize(n))
        return shown

    def _bar(self, segments, total: int, label) -> str:
        if not total:
            return '<p class="meta">{}</p>'.format(escape(_("%(label)s: none") % {"label": label}))
        name = ngettext(
            "%(label)s: %(counter)s in all, shown in the table",
            "%(label)s: %(counter)s in all, shown in the table",
            total,
        ) % {"label": label, "counter": localize(total)}
        rects = "".join(
            f'<rect class="status-{self._classes[s.status]}" x="{s.x}" y="0" width="{s.share}"'
            ' height="8"/>'
            for s in segments
            if s.count
        )
        return (
            '<svg class="stacked-bar" viewBox="0 0 100 8" preserveAspectRatio="none" role="img"'
            f' aria-label="{escape(name)}">{rects}</svg>'
        )

    def html(self, item: dict) -> SafeString:
        """One block: `item` from review_views._compared."""
        number = self._number
        bars = "".join(self._bar(*bar) for bar in item["bars"])
        rows = "".join(
            f'{self._row_starts[row["status"]]}<td class="num">{number(row["before"])}</td>'
            f'<td class="num">{number(row["after"])}</td><td class="num">'
            f"{'+' if row['moved'] > 0 else ''}{number(row['moved'])}</td></tr>"
            for row in item["rows"]
        )
        return mark_safe(
            '<figure class="chart movement"><figcaption>{}</figcaption>{}{}{}{}'
            '<td class="num">{}</td><td class="num">{}</td><td class="num"></td></tr></tfoot>'
            "</table></div></figure>".format(
                conditional_escape(item["label"]),
                bars,
                self._head,
                rows,
                self._foot,
                number(item["before_total"]),
                number(item["after_total"]),
            )
        )
