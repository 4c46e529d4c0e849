"""The site menu's links, each marked as the current page or section (aria-current)."""

import functools

from django import template
from django.urls import get_script_prefix, reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import get_language, gettext, gettext_lazy

register = template.Library()

# The main menu: each link's URL name and label.
MAIN_MENU = [
    ("dashboards:recommendation-list", gettext_lazy("Recommendations")),
    ("dashboards:objective-list", gettext_lazy("Objectives")),
    ("dashboards:country-list", gettext_lazy("Countries")),
    ("dashboards:matrix", gettext_lazy("By country")),
    ("dashboards:stakeholder-list", gettext_lazy("Stakeholders")),
    ("dashboards:consultation-list", gettext_lazy("Consultations")),
    ("dashboards:action-list", gettext_lazy("Actions")),
    ("dashboards:good-practice-list", gettext_lazy("Good practices")),
]


def _current(path: str, url: str) -> str:
    """ "page" on that very page, "true" on the pages under it (a recommendation's page is in
    Recommendations), "" elsewhere."""
    if path == url:
        return "page"
    if url != "/" and path.startswith(url):
        return "true"
    return ""


def _link(url: str, label, current: str) -> SafeString:
    if not current:
        return format_html('<a href="{}">{}</a>', url, label)
    return format_html('<a href="{}" aria-current="{}">{}</a>', url, current, label)


@register.simple_tag(takes_context=True)
def nav_link(context, url_name: str, label: str) -> str:
    """A menu link to `url_name`, marked as the current page or section, so the menu says where
    one is."""
    url = _url(url_name, get_script_prefix())
    request = context.get("request")
    return _link(url, label, _current(request.path if request is not None else "", url))


@functools.lru_cache(maxsize=64)
def _url(url_name: str, script_prefix: str) -> str:
    # The links of the menus take no argument: one address per route and script prefix.
    return reverse(url_name)


@functools.lru_cache(maxsize=16)
def _menu_urls(script_prefix: str) -> tuple[str, ...]:
    return tuple(_url(name, script_prefix) for name, _label in MAIN_MENU)


@register.simple_tag(takes_context=True)
def main_menu(context) -> SafeString:
    """The main menu. It is drawn on every page, twice (base.html), and depends only on the
    language and on which of its links is current, so each drawing is kept in the process: a
    few dozen of them, instead of eight URLs reversed and eight labels translated each time."""
    request = context.get("request")
    path = request.path if request is not None else ""
    prefix = get_script_prefix()
    current = tuple(_current(path, url) for url in _menu_urls(prefix))
    return _main_menu_html(get_language(), prefix, current)


@functools.lru_cache(maxsize=256)
def _main_menu_html(language: str, script_prefix: str, current: tuple[str, ...]) -> SafeString:
    # The language is part of the key only: the labels are translated into the active one.
    links = format_html_join(
        "\n    ",
        "<li>{}</li>",
        (
            (_link(url, label, marker),)
            for (_name, label), url, marker in zip(
                MAIN_MENU, _menu_urls(script_prefix), current, strict=True
            )
        ),
    )
    return format_html(
        '<nav aria-label="{}">\n  <ul class="nav">\n    {}\n  </ul>\n</nav>',
        # Translators: the name of the site's main menu, for screen readers ("main menu").
        gettext("Main"),
        links,
    )
