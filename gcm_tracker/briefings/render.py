"""A pack's three renderings: the HTML document (browser print view), the PDF WeasyPrint makes
from that same document (charts stay the same SVG), and a DOCX whose tables Word can edit."""

import io
import logging

from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.utils import formats
from django.utils.translation import gettext as _

from gcm_tracker.tracker.translation import translated

from .content import Pack

TEMPLATE = "briefings/pack.html"
STYLESHEETS = ("css/site.css", "css/pack.css")


def html(pack: Pack, *, for_pdf: bool = False) -> str:
    return render_to_string(TEMPLATE, {"pack": pack, "for_pdf": for_pdf})


def pdf(pack: Pack) -> bytes:
    # Imported here: WeasyPrint loads Pango when imported, which only the worker needs.
    import weasyprint

    # The site's stylesheet has screen-only rules WeasyPrint does not know; it would log a
    # warning for each of them on every pack.
    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    stylesheets = [weasyprint.CSS(filename=finders.find(name)) for name in STYLESHEETS]
    document = weasyprint.HTML(string=html(pack, for_pdf=True), base_url=pack.link)
    return document.write_pdf(stylesheets=stylesheets)


def _table(document, header: list[str], rows: list[list[str]]) -> None:
    table = document.add_table(rows=1, cols=len(header))
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, header, strict=True):
        cell.text = text
        for run in cell.paragraphs[0].runs:
            run.bold = True
    for values in rows:
        cells = table.add_row().cells
        for cell, text in zip(cells, values, strict=True):
            cell.text = str(text)


def _cited(text: str, number: int | None) -> str:
    return f"{text} [{number}]" if number else text


def _date(value) -> str:
    return formats.date_format(value, "DATE_FORMAT")


def docx(pack: Pack) -> bytes:
    from docx import Document

    document = Document()
    document.add_paragraph(_("GCM Tracker · briefing pack"))
    document.add_heading(pack.subject.label, level=0)
    document.add_paragraph(
        _("Period: %(start)s to %(end)s") % {"start": _date(pack.start), "end": _date(pack.end)}
    )
    document.add_paragraph(pack.subject.kind_label)
    document.add_paragraph(
        _("Made on %(made)s from the published data (version %(generation)s).")
        % {
            "made": formats.date_format(pack.made_at, "DATETIME_FORMAT"),
            "generation": pack.generation,
        }
    )
    document.add_paragraph(pack.link)

    document.add_heading(_("Headline figures"), level=1)
    _table(document, [_("Figure"), _("Number")], [[label, n] for label, n in pack.headline])

    document.add_heading(_("Status distribution"), level=1)
    for chart in pack.charts:
        document.add_heading(chart.caption, level=2)
        rows = [[s.label, s.count, f"{s.share:.0f}%"] for s in chart.segments] + [
            [_("Total"), chart.total, "100%" if chart.total else ""]
        ]
        _table(document, [_("Status"), _("Recommendations"), _("Share")], rows)

    if pack.changes is not None:
        from .periods import docx_changes

        document.add_heading(_("What changed in the period"), level=1)
        docx_changes(document, pack.changes, _table)

    document.add_heading(_("Disagreements between official and civil-society views"), level=1)
    _table(
        document,
        [_("Recommendation"), _("Country"), _("Official"), _("Civil society")],
        [
            [
                cell.recommendation.reference,
                cell.country.short_name,
                cell.official.get_status_display(),
                "; ".join(
                    f"{a.get_status_display()} ({a.stakeholder.name})" for a in cell.civil_society
                ),
            ]
            for cell in pack.disagreements
        ],
    )

    if pack.stale is not None:
        from .periods import docx_stale

        document.add_heading(_("Items that have gone quiet"), level=1)
        docx_stale(document, pack.stale, _table)

    document.add_heading(_("Recommendations with both voices"), level=1)
    if pack.subject.country:
        header = [_("Reference"), _("Recommendation"), _("Official"), _("Civil society")]
        rows = [
            [
                row.recommendation.reference,
                translated(row.recommendation, "text").text,
                _cited(row.cell.official.get_status_display(), row.cell.official.source_number)
                if row.cell.official
                else _("No information"),
                "; ".join(
                    _cited(f"{a.get_status_display()} ({a.stakeholder.name})", a.source_number)
                    for a in row.cell.civil_society
                )
                or _("No information"),
            ]
            for row in pack.recommendations
        ]
    else:
        header = [
            _("Reference"),
            _("Recommendation"),
            _("Regional status"),
            _("Official"),
            _("Civil society"),
        ]
        rows = [
            [
                row.recommendation.reference,
                translated(row.recommendation, "text").text,
                _cited(row.recommendation.get_status_display(), row.recommendation.evidence_source),
                ", ".join(f"{label} {n}" for label, n in row.official_counts) or _("none"),
                ", ".join(f"{label} {n}" for label, n in row.civil_society_counts) or _("none"),
            ]
            for row in pack.recommendations
        ]
    _table(document, header, rows)
    if pack.recommendations_left_out:
        document.add_paragraph(
            _("The first %(shown)s of %(total)s recommendations, in report order.")
            % {"shown": len(pack.recommendations), "total": pack.recommendation_total}
        )

    document.add_heading(_("Latest follow-up actions"), level=1)
    _table(
        document,
        [_("Action"), _("Organisation"), _("Progress"), _("Published")],
        [
            [
                "".join([a.title, *(f" [{n}]" for n in a.sources if n)]),
                a.lead_stakeholder.name,
                a.get_progress_display(),
                _date(a.published_at) if a.published_at else "",
            ]
            for a in pack.actions
        ],
    )

    document.add_heading(_("Sources"), level=1)
    for number, (title, url, date) in enumerate(pack.sources.entries, start=1):
        parts = [title, f"({_date(date)})" if date else "", url]
        document.add_paragraph(f"[{number}] " + " ".join(p for p in parts if p))

    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
