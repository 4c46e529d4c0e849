"""{% per_language "name" value… %}…{% end_per_language %}: a part of a template that depends
only on the language and the values given, drawn once and kept in the process.

The frame of every page (base.html: the head's links, the site's name, the footer) reverses a
dozen URLs, looks up static files and translates a dozen strings on every request, to draw the
same markup for everyone who reads in one language. Signed-in users get no shared page cache,
so for them it is drawn on every first view of a page (tracker.own_pages keeps their repeat
views). Inside the tag, the markup is drawn once per language, script prefix
(the URLs include it) and values, and kept: a few dozen drawings in a process.

Only for markup that depends on nothing else: not the request, the user (beyond a value passed
in), the data or a CSRF token. The values are part of the key; keep them few and small (a flag,
a URL name).
"""

from django import template
from django.urls import get_script_prefix
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

register = template.Library()

# Drawings kept per part: far more than its languages and values make; past it, all are dropped.
KEPT = 64


class PerLanguageNode(template.Node):
    """Its drawings are kept on the node, which lives as long as its compiled template (the whole
    process with the cached template loader, as production has)."""

    def __init__(self, name: str, values: list, nodelist: template.NodeList):
        self.name = name
        self.values = values
        self.nodelist = nodelist
        self.drawings: dict[tuple, str] = {}

    def render(self, context):
        key = (
            get_language(),
            get_script_prefix(),
            *(value.resolve(context) for value in self.values),
        )
        drawing = self.drawings.get(key)
        if drawing is None:
            drawing = self.nodelist.render(context)
            if len(self.drawings) >= KEPT:
                self.drawings.clear()
            self.drawings[key] = drawing
        return mark_safe(drawing)


@register.tag("per_language")
def per_language(parser, token):
    """{% per_language "footer" user.is_authenticated %}…{% end_per_language %}"""
    bits = token.split_contents()
    if len(bits) < 2:
        raise template.TemplateSyntaxError(
            f"{bits[0]} needs a name for the part, and then the values it depends on, if any."
        )
    nodelist = parser.parse(("end_per_language",))
    parser.delete_first_token()
    values = [parser.compile_filter(bit) for bit in bits[2:]]
    return PerLanguageNode(bits[1], values, nodelist)
