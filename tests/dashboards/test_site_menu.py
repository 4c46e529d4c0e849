"""The main menu (dashboards.templatetags.site_nav): drawn on every page, twice, and kept in the
process per language and current link, so it must still say where one is, in one's language."""

import pytest
from django.template import Context, Template
from django.test import RequestFactory
from django.utils import translation

from gcm_tracker.dashboards.templatetags import site_nav

MENU = Template("{% load site_nav %}{% main_menu %}")


def _menu(path: str, language: str = "en") -> str:
    with translation.override(language):
        return MENU.render(Context({"request": RequestFactory().get(path)}))


def test_the_menu_marks_the_page_and_the_section_it_is_on():
    on_list, in_section, elsewhere = _menu("/objectives/"), _menu("/objectives/13/"), _menu("/")

    assert '<a href="/objectives/" aria-current="page">Objectives</a>' in on_list
    assert '<a href="/objectives/" aria-current="true">Objectives</a>' in in_section
    assert "aria-current" not in elsewhere
    assert elsewhere.count("<li>") == len(site_nav.MAIN_MENU) == 8
    assert elsewhere.startswith('<nav aria-label="Main">\n  <ul class="nav">\n    <li>')


@pytest.mark.parametrize("language", ["fr", "ru", "zh-hans"])
def test_each_language_gets_its_own_menu(language):
    english = _menu("/matrix/")
    with translation.override(language):
        expected = [str(label) for _name, label in site_nav.MAIN_MENU]

    translated = _menu("/matrix/", language)

    assert translated != english
    assert all(f">{label}</a>" in translated for label in expected)
    assert f'aria-current="page">{expected[3]}</a>' in translated


def test_a_page_already_drawn_is_not_drawn_again():
    site_nav._main_menu_html.cache_clear()
    first = _menu("/countries/THA/")
    drawn = site_nav._main_menu_html.cache_info()

    again = _menu("/countries/VNM/")  # the same link is current: the same menu

    assert again == first
    assert site_nav._main_menu_html.cache_info().hits == drawn.hits + 1
    assert site_nav._main_menu_html.cache_info().misses == drawn.misses
