"""The page cache keeps public answers gzip-compressed and sends them that way to clients that
accept it; any other client gets the body as it was drawn, byte for byte."""

import gzip

import pytest
from django.urls import reverse

from gcm_tracker.dashboards.compressed_pages import MIN_BYTES, accepts_gzip, stored
from tests.factories import RecommendationFactory

pytestmark = pytest.mark.django_db

GZIP = {"HTTP_ACCEPT_ENCODING": "gzip, deflate, br"}


@pytest.fixture
def page(db):
    RecommendationFactory(reference="c-87", text="Ensure alternatives to detention.")
    return reverse("dashboards:recommendation-list")


def test_a_client_that_accepts_gzip_gets_the_page_compressed_first_and_from_the_cache(
    client, page, django_assert_num_queries
):
    plain = client.get(page).content
    client.get(page)  # any client's first request stores the page

    drawn = client.get(page, **GZIP)
    with django_assert_num_queries(0):
        cached = client.get(page, **GZIP)

    assert (drawn["Content-Encoding"], cached["Content-Encoding"]) == ("gzip", "gzip")
    assert gzip.decompress(cached.content) == plain
    assert len(cached.content) < len(plain) / 3
    assert int(cached["Content-Length"]) == len(cached.content)
    assert "Accept-Encoding" in cached["Vary"]
    assert cached["Content-Type"] == "text/html; charset=utf-8"


def test_the_first_request_of_a_gzip_client_is_compressed_too(client, page):
    first = client.get(page, **GZIP)

    assert first["Content-Encoding"] == "gzip"
    assert b"Ensure alternatives to detention." in gzip.decompress(first.content)


def test_a_client_without_gzip_gets_the_page_as_drawn(client, page):
    compressed = client.get(page, **GZIP)

    plain = client.get(page)
    refused = client.get(page, HTTP_ACCEPT_ENCODING="gzip;q=0, *")

    assert (plain.has_header("Content-Encoding"), refused.has_header("Content-Encoding")) == (
        False,
        False,
    )
    assert plain.content == refused.content == gzip.decompress(compressed.content)
    assert int(plain["Content-Length"]) == len(plain.content)
    assert "Accept-Encoding" in plain["Vary"]


def test_a_cached_download_keeps_its_name_and_comes_compressed(client):
    for n in range(40):
        RecommendationFactory(reference=f"c-{n}", status="implemented")
    url = reverse("dashboards:recommendation-export", args=["csv"])

    plain = client.get(url, {"status": "implemented"})
    compressed = client.get(url, {"status": "implemented"}, **GZIP)

    assert compressed["Content-Encoding"] == "gzip"
    assert compressed["Content-Disposition"] == plain["Content-Disposition"]
    assert gzip.decompress(compressed.content) == plain.content
    assert plain.content.decode("utf-8-sig").count("\nc-") == 40


@pytest.mark.parametrize(
    ("header", "accepted"),
    [
        ("", False),
        ("gzip", True),
        ("GZip", True),
        ("deflate, gzip;q=0.5", True),
        ("br, x-gzip", True),
        ("*", True),
        ("identity", False),
        ("br, deflate", False),
        ("gzip;q=0", False),
        ("gzip; q=0.0", False),
        ("*;q=0", False),
        ("gzip;q=0, *", False),
        ("gzip;q=high", False),
        ("gzip;level=9", False),
    ],
)
def test_accept_encoding_is_read_with_its_weights(header, accepted):
    assert accepts_gzip(header) is accepted


def test_only_bodies_worth_compressing_are_kept_compressed():
    html = {"Content-Type": "text/html; charset=utf-8", "Content-Length": "9999"}
    text = b"<p>" + b"recommendation " * MIN_BYTES + b"</p>"

    small = stored(b"<p>short</p>", html)
    large = stored(text, html)
    xlsx = stored(text, {"Content-Type": "application/vnd.openxmlformats"})

    assert (small[2], large[2], xlsx[2]) == (False, True, False)
    assert gzip.decompress(large[0]) == text
    # The length set on the way out is the body's as sent, not the one drawn.
    assert "Content-Length" not in large[1]
