"""The API's JSON parser: DRF's, with a bound on how deeply a body may nest."""

from django.utils.translation import gettext as _
from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser

# No body the API takes nests deeper than an object of lists; 32 leaves room for any future one.
MAX_DEPTH = 32


def _depth(value) -> int:
    """How deeply `value` nests (a scalar is 0), walked without recursion."""
    deepest, stack = 0, [(value, 1)]
    while stack:
        item, depth = stack.pop()
        children = item.values() if isinstance(item, dict) else item
        if isinstance(item, dict | list):
            deepest = max(deepest, depth)
            stack.extend((child, depth + 1) for child in children)
    return deepest


class BoundedJSONParser(JSONParser):
    """Refuses (400) a body nested more than MAX_DEPTH levels. Python's json module recurses per
    level, so a body nested about a thousand deep raised RecursionError, which DRF does not
    catch: the client got a 500."""

    def parse(self, stream, media_type=None, parser_context=None):
        try:
            data = super().parse(stream, media_type, parser_context)
        except RecursionError:
            raise _too_deep() from None
        if _depth(data) > MAX_DEPTH:
            raise _too_deep()
        return data


def _too_deep() -> ParseError:
    return ParseError(
        _("JSON parse error - the body nests deeper than %(depth)d levels.") % {"depth": MAX_DEPTH}
    )
