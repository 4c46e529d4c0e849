"""Reading what a rendered page shows, for tests that must see the page itself (the dashboard's
body is served from a cache, so its context alone would not prove what people see)."""

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
