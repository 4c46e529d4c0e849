"""{% per_language %} (dashboards.templatetags.per_language): a part of the page frame drawn once
per language, script prefix and values, and kept in the process."""

import pytest
from django.template import Context, Template, TemplateSyntaxError
from django.test import Client
from django.urls import set_script_prefix
from django.utils import translation

pytestmark = pytest.mark.django_db


PART = (
    '{% load i18n per_language %}{% per_language "part" flag %}'
    '{% translate "Countries" %} <a href="{% url "dashboards:country-list" %}">{{ drawn }}</a>'
    "{% end_per_language %}"
)


class Drawings:
    """A value that counts how often the template drew it, in a template of its own (the
    drawings are kept on the compiled template)."""

    def __init__(self):
        self.count = 0
        self.template = Template(PART)

    def __str__(self):
        self.count += 1
        return f"drawing {self.count}"


def _draw(drawings: Drawings, flag=True, language="en") -> str:
    with translation.override(language):
        return drawings.template.render(Context({"drawn": drawings, "flag": flag}))


def test_a_part_is_drawn_once_and_then_kept():
    drawings = Drawings()

    first, second = _draw(drawings), _draw(drawings)

    assert first == second == 'Countries <a href="/countries/">drawing 1</a>'
    assert drawings.count == 1


def test_each_language_and_value_gets_its_own_drawing():
    drawings = Drawings()

    english = _draw(drawings)
    french = _draw(drawings, language="fr")
    other_value = _draw(drawings, flag=False)

    assert english == 'Countries <a href="/countries/">drawing 1</a>'
    assert french == 'Pays <a href="/countries/">drawing 2</a>'
    assert other_value == 'Countries <a href="/countries/">drawing 3</a>'
    assert [_draw(drawings), _draw(drawings, language="fr")] == [english, french]
    assert drawings.count == 3


def test_a_script_prefix_gets_its_own_drawing():
    drawings = Drawings()
    plain = _draw(drawings)

    set_script_prefix("/tracker/")
    try:
        prefixed = _draw(drawings)
    finally:
        set_script_prefix("/")

    assert plain == 'Countries <a href="/countries/">drawing 1</a>'
    assert prefixed == 'Countries <a href="/tracker/countries/">drawing 2</a>'


def test_the_tag_needs_a_name():
    with pytest.raises(TemplateSyntaxError, match="needs a name"):
        Template("{% load per_language %}{% per_language %}x{% end_per_language %}")


def test_the_footer_offers_an_account_to_visitors_only(client, django_user_model):
    user = django_user_model.objects.create_user("reader", password="x")
    ask = 'href="/accounts/request/"'

    anonymous = client.get("/objectives/").content.decode()
    signed_in = Client()
    signed_in.force_login(user)
    member = signed_in.get("/objectives/").content.decode()
    anonymous_again = Client().get("/objectives/").content.decode()

    assert ask in anonymous.split('<footer class="site-footer">')[1]
    assert ask not in member.split('<footer class="site-footer">')[1]
    assert ask in anonymous_again.split('<footer class="site-footer">')[1]
