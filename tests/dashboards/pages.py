"""Reading what a rendered page shows, for tests that must see the page itself (the dashboard's
body is served from a cache, so its context alone would not prove what people see)."""

import html
import re

FIGURE = re.compile(r'<span class="figure">([^<]+)</span>')
STATUS_ROW = re.compile(
    r'<th scope="row"><span class="swatch status-(\w+)" aria-hidden="true"></span>[^<]*</th>'
    r'\s*<td class="num">(\d+)</td>'
)


def headline_figures(response) -> list[str]:
    """The dashboard's headline figures, in page order."""
    return FIGURE.findall(response.content.decode())


def status_counts(response) -> dict[str, int]:
    """The first status table on the page: status → number of recommendations."""
    counts = {}
    for status, count in STATUS_ROW.findall(response.content.decode()):
        counts.setdefault(status, int(count))
    return counts


def download_body(response) -> bytes:
    """A download's bytes, whether it streamed (large) or came whole (small enough to cache)."""
    return b"".join(response.streaming_content) if response.streaming else response.content


BADGE = re.compile(r'<span class="badge status-(\w+)">[^<]*</span>')
ORGANISATION_BADGE = re.compile(r'<strong>([^<]+)</strong>: <span class="badge status-(\w+)">')


def scorecard_row(response, reference: str) -> dict:
    """One recommendation of a country's scorecard as shown: the official status, each
    organisation's (name, status), and whether the disagreement flag is up."""
    page = response.content.decode()
    start = page.index(f'<article class="card scorecard-row" id="{reference}"')
    article = page[start : page.index("</article>", start)]
    official, civil = article.split("<h4>Civil society</h4>")
    badges = BADGE.findall(official)
    return {
        "official": badges[0] if badges else None,
        "civil_society": [
            (html.unescape(name), status) for name, status in ORGANISATION_BADGE.findall(civil)
        ],
        "flag": "The voices disagree" in article,
    }


MATRIX_COLUMN = re.compile(r'<th scope="col"><a href="/countries/(\w{3})/"')
MATRIX_ROW = re.compile(r'<th scope="row"><a href="/recommendations/([\w-]+)/"')
# A cell's name is its visually hidden text: inside its link when it applies, alone when not.
CELL_NAME = re.compile(
    r'<td(?: class="[^"]*")?>'
    r'(?:<a [^>]*><span aria-hidden="true">.*?</span><span class="visually-hidden">([^<]+)<'
    r'|<span class="visually-hidden">([^<]+)<)'
)


def matrix_columns(response) -> list[str]:
    return MATRIX_COLUMN.findall(response.content.decode())


def matrix_rows(response) -> list[str]:
    return MATRIX_ROW.findall(response.content.decode())


def matrix_cell_names(response) -> list[str]:
    """The full (screen-reader) name of every cell, row by row."""
    return [
        html.unescape(linked or plain)
        for linked, plain in CELL_NAME.findall(response.content.decode())
    ]
