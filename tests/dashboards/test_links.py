"""{% detail_url %} (dashboards.templatetags.links) gives the very address `{% url %}` gives, for
every route of the site that takes one argument, and refuses what `{% url %}` refuses."""

import pytest
from django.conf import settings
from django.template import Context, Template
from django.urls import NoReverseMatch, get_resolver, reverse, set_script_prefix, set_urlconf

from gcm_tracker.dashboards.templatetags import links
from gcm_tracker.dashboards.templatetags.links import detail_url
from tests.routes import route_names

VALUES = ["THA", "synthetic-c13-1", 42, "0", "a.b~c", "a b", "x/y", "ü", "", "7919", "-1"]
NAMES = sorted(set(route_names(get_resolver().url_patterns)))


@pytest.fixture(autouse=True)
def nothing_learnt():
    links._routes.clear()


def _reversed(name, value):
    try:
        return reverse(name, args=[value])
    except NoReverseMatch:
        return NoReverseMatch


def _fast(name, value):
    try:
        return detail_url(name, value)
    except NoReverseMatch:
        return NoReverseMatch


@pytest.mark.parametrize("name", NAMES)
def test_each_route_gives_the_address_reverse_gives(name):
    # Twice: the first plain value teaches the route, the next ones use what was learnt.
    values = VALUES + VALUES

    assert [_fast(name, value) for value in values] == [_reversed(name, value) for value in values]


def test_routes_of_every_kind_of_argument_are_learnt():
    for name, value in [
        ("dashboards:country-detail", "THA"),  # <iso3:…>, a converter of the site's own
        ("dashboards:recommendation-detail", "synthetic-c13-1"),  # <slug:…>
        ("dashboards:action-detail", 42),  # <int:…>
        ("dashboards:matrix", None),  # no argument
    ]:
        _fast(name, value)

    assert links._routes[("dashboards:country-detail", "/", settings.ROOT_URLCONF)][:2] == (
        "/countries/",
        "/",
    )
    assert (
        links._routes[("dashboards:action-detail", "/", settings.ROOT_URLCONF)][2].pattern
        == "[0-9]+"
    )
    assert ("dashboards:recommendation-detail", "/", settings.ROOT_URLCONF) in links._routes
    assert ("dashboards:matrix", "/", settings.ROOT_URLCONF) not in links._routes
    assert len(NAMES) > 100


def test_a_script_prefix_is_kept():
    set_script_prefix("/tracker/")
    try:
        address, expected = (
            detail_url("dashboards:country-detail", "THA"),
            reverse("dashboards:country-detail", args=["THA"]),
        )
    finally:
        set_script_prefix("/")

    assert address == expected == "/tracker/countries/THA/"
    assert detail_url("dashboards:country-detail", "THA") == "/countries/THA/"


def test_a_value_that_is_also_in_the_routes_own_text_teaches_the_right_place():
    first = detail_url("dashboards:stakeholder-detail", "s")  # /stakeholders/s/

    assert first == "/stakeholders/s/"
    assert detail_url("dashboards:stakeholder-detail", "x-y") == "/stakeholders/x-y/"
    assert links._routes[("dashboards:stakeholder-detail", "/", settings.ROOT_URLCONF)][:2] == (
        "/stakeholders/",
        "/",
    )


def test_a_route_written_as_a_regular_expression_is_left_to_reverse():
    addresses = [detail_url("api:action-detail", 1), detail_url("api:action-detail", 7)]

    assert addresses == [reverse("api:action-detail", args=[pk]) for pk in (1, 7)]
    assert links._routes[("api:action-detail", "/", settings.ROOT_URLCONF)] is None


def test_a_converter_that_changes_the_value_is_left_to_reverse():
    set_urlconf("tests.dashboards.links_urls")
    try:
        addresses = [detail_url("code", "c"), detail_url("code", "xyz")]
        learnt = links._routes[("code", "/", "tests.dashboards.links_urls")]
    finally:
        set_urlconf(None)

    assert addresses == ["/codes/C/", "/codes/XYZ/"]
    assert learnt is None


def test_the_tag_draws_the_address():
    drawn = Template(
        '{% load links %}<a href="{% detail_url "dashboards:country-detail" iso3 %}">'
    ).render(Context({"iso3": "VNM"}))

    assert drawn == '<a href="/countries/VNM/">'
