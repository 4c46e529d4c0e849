"""{% detail_url "dashboards:country-detail" country.iso3 %}: `{% url %}` for a route with one
argument (a detail page), without reversing the route each time.

Reversing a URL takes Django 50–80 µs; a page that lists recommendations with their countries,
organisations and actions links to each of them, up to 200 links a page, which was a fifth of
what such a page cost to draw. The first address reversed for a route (per script prefix) shows
where its argument goes; each later link is that address with the value put in: the same
address, in a few microseconds.

It stays the same as `{% url %}`: a value the route's converter would refuse, or one that would
need quoting in a URL, goes through Django's reverse(), which raises or quotes as it always does.
"""

import re

from django import template
from django.conf import settings
from django.urls import get_script_prefix, get_urlconf, resolve, reverse
from django.urls.converters import get_converters

register = template.Library()

# Needs no quoting in a path: a number, a slug, a code.
PLAIN = re.compile(r"[-\w.~]+", re.ASCII)
CONVERTER = re.compile(r"<(?:(?P<converter>[^>:]+):)?(?P<parameter>[^>]+)>")
# What was learnt of each route (its name, the script prefix, the URLconf's module): the address
# before and after its argument and its converter's pattern, or None for a route that does not
# take exactly one argument through a converter.
_routes: dict[tuple, tuple[str, str, re.Pattern] | None] = {}


def _learn(address: str, text: str, script_prefix: str, urlconf) -> tuple | bool | None:
    """What `address`, reversed from the value `text`, says of its route; False when it cannot
    tell (the value occurs twice in it) and the next value should be tried."""
    if address.count(text) != 1:
        return False
    route = resolve(address.removeprefix(script_prefix.rstrip("/")), urlconf=urlconf).route
    parameters = CONVERTER.findall(route)
    # A regular expression (re_path) has groups, not converters.
    if "(?" in route or len(parameters) != 1:
        return None
    converter = get_converters()[parameters[0][0] or "str"]
    before, after = address.split(text)
    return before, after, re.compile(converter.regex)


def detail_url(view_name: str, value) -> str:
    """reverse(view_name, args=[value]): the same address, reversed once per route."""
    text = str(value)
    key = (view_name, get_script_prefix(), get_urlconf() or settings.ROOT_URLCONF)
    route = _routes.get(key)
    plain = PLAIN.fullmatch(text) is not None
    if route is not None and plain and route[2].fullmatch(text):
        return f"{route[0]}{text}{route[1]}"
    address = reverse(view_name, args=[value])
    if key not in _routes and plain:
        learnt = _learn(address, text, key[1], key[2])
        if learnt is not False:
            _routes[key] = learnt
    return address


register.simple_tag(detail_url, name="detail_url")
