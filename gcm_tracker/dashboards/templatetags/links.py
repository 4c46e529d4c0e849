"""{% detail_url "dashboards:country-detail" country.iso3 %}: `{% url %}` for a route with one
argument (a detail page), without reversing the route each time.

Reversing a URL takes Django 50–90 µs here; a page that lists recommendations with their countries,
organisations and actions links to each of them, up to 220 links a page, about a tenth of
what such a page cost to draw. The first link to a route (per script prefix) is reversed and
resolved back to the route's text, which shows where the argument goes (kept only when that
text with the value put in is the very address reverse() gave); each later link is the route's
text with its value put in: the same address, in a few microseconds.

It stays the same as `{% url %}`: a value the route's converter would refuse, or one that would
need quoting in a URL, goes through Django's reverse(), which raises or quotes as it always does.
"""

import re
from collections.abc import Callable

from django import template
from django.conf import settings
from django.urls import Resolver404, get_script_prefix, get_urlconf, resolve, reverse
from django.urls.converters import get_converters

register = template.Library()

# Needs no quoting in a path: a number, a slug, a code.
PLAIN = re.compile(r"[-\w.~]+", re.ASCII)
CONVERTER = re.compile(r"<(?:(?P<converter>[^>:]+):)?(?P<parameter>[^>]+)>")
# What was learnt of each route (its name, the script prefix, the URLconf's module): the address
# before and after its argument and its converter's pattern, or None for a route that does not
# take exactly one argument through a converter.
_routes: dict[tuple, tuple[str, str, re.Pattern] | None] = {}


def _learn(address: str, text: str, script_prefix: str, urlconf) -> tuple | None:
    """What `address`, reversed from the value `text`, says of its route: the text before and
    after the argument, and its converter's pattern; None when its address is not the route's
    text with the value put in (a converter whose to_url() changes the value, a route written as
    a regular expression or with more than one argument)."""
    try:
        match = resolve(address.removeprefix(script_prefix.rstrip("/")), urlconf=urlconf)
    except Resolver404:
        return None
    route = match.route
    parameters = list(CONVERTER.finditer(route))
    if "(?" in route or len(parameters) != 1:  # re_path() routes have groups, not converters
        return None
    parameter = parameters[0]
    before = script_prefix + route[: parameter.start()]
    after = route[parameter.end() :]
    if f"{before}{text}{after}" != address:
        return None
    converter = get_converters()[parameter["converter"] or "str"]
    return before, after, re.compile(converter.regex)


def detail_url(view_name: str, value) -> str:
    """reverse(view_name, args=[value]): the same address, reversed once per route."""
    return detail_urls(view_name)(value)


def detail_urls(view_name: str) -> Callable[[object], str]:
    """detail_url for the many links of one table to one route: the script prefix and the
    URLconf are read once, not for each link (each is a lookup in Django's per-request state)."""
    key = (view_name, get_script_prefix(), get_urlconf() or settings.ROOT_URLCONF)

    def address(value) -> str:
        text = str(value)
        route = _routes.get(key)
        plain = PLAIN.fullmatch(text) is not None
        if route is not None and plain and route[2].fullmatch(text):
            return f"{route[0]}{text}{route[1]}"
        found = reverse(view_name, args=[value])
        if key not in _routes and plain:
            _routes[key] = _learn(found, text, key[1], key[2])
        return found

    return address


register.simple_tag(detail_url, name="detail_url")
