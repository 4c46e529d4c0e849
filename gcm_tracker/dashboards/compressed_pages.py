"""Cached public answers kept gzip-compressed, and sent that way to clients that accept it.

A page the page cache keeps (page_cache.public_page) is compressed once, when it is stored, and
sent compressed, from that first request on, to every client that says `Accept-Encoding: gzip`
(every browser does): a filtered CSV of 565 KB goes out as 39 KB, an HTML page of 28 KB as 5 KB,
and Redis keeps the smaller form. A client that does not accept gzip gets the body decompressed,
as it was drawn. Compressing on each request instead (Django's GZipMiddleware) would repeat the
work on every hit.

BREACH, the attack on compressed answers that mix a secret with what the attacker sends, does
not apply: the page cache keeps only answers that carry no CSRF token and set no cookie, the
same for every visitor.
"""

import gzip
import re

from django.http import HttpResponse
from django.utils.cache import patch_vary_headers

# Below this a body gains too little to be worth a gzip header and the work.
MIN_BYTES = 1024
# Within 2 % of zlib's default level's size at a third of its time (a 565 KB CSV: 38.7 KB in
# 2.0 ms; level 6: 38.1 KB in 6.1 ms; level 1: 43.5 KB in 1.3 ms), paid once per generation.
LEVEL = 4
_COMPRESSIBLE = re.compile(
    r"^(text/|application/(json|xml|atom\+xml|rss\+xml|javascript|geo\+json))", re.IGNORECASE
)
# One coding of an Accept-Encoding header, with its q-value if it has one (RFC 9110, 12.5.3).
_CODING = re.compile(r"^\s*([\w*-]+)\s*(?:;\s*q\s*=\s*([0-9.]+))?\s*$")


def stored(content: bytes, headers: dict[str, str]) -> tuple[bytes, dict[str, str], bool]:
    """What the cache keeps of an answer: its body (compressed when that pays), its headers and
    whether the body is compressed."""
    # The length is the body's as sent, set on the way out (CommonMiddleware).
    headers = {name: value for name, value in headers.items() if name.lower() != "content-length"}
    kind = headers.get("Content-Type", "")
    if len(content) >= MIN_BYTES and _COMPRESSIBLE.match(kind):
        packed = gzip.compress(content, compresslevel=LEVEL, mtime=0)
        if len(packed) < len(content):
            return packed, headers, True
    return content, headers, False


def answer(request, entry: tuple[bytes, dict[str, str], bool]) -> HttpResponse:
    """The response for `request` from a cached entry (stored()'s triple)."""
    content, headers, compressed = entry
    if not compressed:
        return HttpResponse(content, headers=headers)
    if accepts_gzip(request.META.get("HTTP_ACCEPT_ENCODING", "")):
        response = HttpResponse(content, headers={**headers, "Content-Encoding": "gzip"})
    else:
        response = HttpResponse(gzip.decompress(content), headers=headers)
    # The same address answers in two forms: a cache between here and the client must tell them
    # apart.
    patch_vary_headers(response, ("Accept-Encoding",))
    return response


def accepts_gzip(header: str) -> bool:
    """Whether an Accept-Encoding header admits gzip: named (or `*`) with a q-value above 0;
    a q of 0 refuses it, and `gzip;q=0` outweighs `*`."""
    weights = {}
    for part in header.split(","):
        found = _CODING.match(part)
        if found is None:
            continue
        coding, weight = found[1].lower(), found[2]
        try:
            weights[coding] = float(weight) if weight is not None else 1.0
        except ValueError:
            weights[coding] = 0.0  # a q-value that is not a number admits nothing
    for coding in ("gzip", "x-gzip", "*"):
        if coding in weights:
            return weights[coding] > 0
    return False
