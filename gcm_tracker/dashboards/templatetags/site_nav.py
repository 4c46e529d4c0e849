"""The site menu's links, each marked as the current page or section (aria-current)."""

from django import template
from django.urls import reverse
from django.utils.html import format_html

register = template.Library()


@register.simple_tag(takes_context=True)
def nav_link(context, url_name: str, label: str) -> str:
    """A menu link to `url_name`: aria-current="page" on that very page, "true" on the pages
    under it (a recommendation's page is in Recommendations), so the menu says where one is."""
    url = reverse(url_name)
    request = context.get("request")
    path = request.path if request is not None else ""
    if path == url:
        current = "page"
    elif url != "/" and path.startswith(url):
        current = "true"
    else:
        return format_html('<a href="{}">{}</a>', url, label)
    return format_html('<a href="{}" aria-current="{}">{}</a>', url, current, label)
