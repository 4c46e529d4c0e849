"""With Accept-Language fr, ru or zh-hans, the pages the issue names hold no English interface
string: no msgid of the catalogue (one whose translation differs from it) shows in the page's
visible text, its title or its labels for assistive technology. Content that is not translated
yet is marked with its own `lang` attribute and is left out, as are scripts and styles."""

import re
from html.parser import HTMLParser

import pytest
from django.urls import reverse

from tests.factories import (
    ConsultationFactory,
    ContributorFactory,
    CountryFactory,
    RecommendationFactory,
    StakeholderFactory,
)

from .catalogues import LOCALES, load

pytestmark = pytest.mark.django_db

LABEL_ATTRIBUTES = ("aria-label", "placeholder", "alt", "title")
VOID = {
    "area",
    "base",
    "br",
    "col",
    "embed",
    "hr",
    "img",
    "input",
    "link",
    "meta",
    "source",
    "track",
    "wbr",
}
HIDDEN = {"script", "style", "template"}
# What a msgid is cut at: placeholders and markup, which the translation keeps as they are.
URL = re.compile(r"\S+://\S+")
CUTS = re.compile(r"%\(\w+\)[sdfir]|%[sdfir]|\{\w*\}|<[^>]*>|&\w+;")


class VisibleText(HTMLParser):
    """The text a reader of `language` meets: everything but scripts, styles, the head (its
    title aside) and elements in another language."""

    def __init__(self, language: str):
        super().__init__(convert_charrefs=True)
        self.language = language.split("-")[0].lower()
        self.stack: list[bool] = []  # per open element: is its content left out?
        self.parts: list[str] = []

    def _left_out(self) -> bool:
        return bool(self.stack) and self.stack[-1]

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        lang = (attrs.get("lang") or "").split("-")[0].lower()
        left_out = (
            self._left_out()
            or tag in HIDDEN
            or tag == "head"
            or (lang and lang != self.language and tag != "html")
        )
        if tag == "title":
            left_out = False
        if not left_out:
            self.parts.extend(attrs[name] for name in LABEL_ATTRIBUTES if attrs.get(name))
        if tag not in VOID:
            self.stack.append(left_out)

    def handle_endtag(self, tag):
        if tag not in VOID and self.stack:
            self.stack.pop()

    def handle_data(self, data):
        if not self._left_out():
            self.parts.append(data)


def visible_text(html: str, language: str) -> str:
    parser = VisibleText(language)
    parser.feed(html)
    # Addresses (a citation's link) are not words.
    return " ".join(URL.sub(" ", " ".join(parser.parts)).split())


def english_phrases(catalogue) -> list[str]:
    """The pieces of each msgid (placeholders and markup cut out) worth looking for: longer than
    three characters, with letters, and not in any translation of the catalogue (a proper name,
    or a word French shares with English, such as "Actions")."""
    translations = " ".join(
        " ".join(m.string) if isinstance(m.string, tuple) else m.string for m in catalogue if m.id
    )
    phrases = set()
    for message in catalogue:
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        if not message.id or set(ids) & set(strings):
            continue
        for msgid in ids:
            for piece in CUTS.split(msgid):
                piece = " ".join(piece.split()).strip(" .,:;·()“”\"'—–-")
                if (
                    len(piece) > 3
                    and re.search(r"[A-Za-z]{2}", piece)
                    and not (
                        piece in translations  # quick, before the exact test
                        and re.search(rf"(?<!\w){re.escape(piece)}(?!\w)", translations)
                    )
                ):
                    phrases.add(piece)
    return sorted(phrases)


@pytest.fixture
def pages(client):
    """The pages of the issue's acceptance: the dashboard, a recommendation, the matrix, the
    sign-in page, and the contributor's new-action form (signed in)."""
    # Content (names, titles, texts) in no language's interface words: untranslated content
    # is marked with its own lang attribute, and this test is about the interface.
    CountryFactory(iso3="THA", name="Thailand", short_name="Thailand")
    recommendation = RecommendationFactory(
        text="Xyz.", consultation=ConsultationFactory(title="Bangkok 2020")
    )
    contributor = ContributorFactory(organisation=StakeholderFactory(name="Bayanihan"))

    def fetch(language):
        headers = {"accept-language": language}
        client.logout()
        public = {
            url: client.get(url, headers=headers)
            for url in (
                reverse("dashboards:dashboard"),
                reverse("dashboards:recommendation-detail", args=[recommendation.reference]),
                reverse("dashboards:matrix"),
                reverse("accounts:login"),
            )
        }
        client.force_login(contributor)
        url = reverse("workspace:action-create")
        return public | {url: client.get(url, headers=headers)}

    return fetch


@pytest.mark.parametrize("language", list(LOCALES))
def test_no_english_interface_words(pages, language):
    phrases = english_phrases(load(language))
    found = {}
    for url, response in pages(language).items():
        assert response.status_code == 200, url
        text = visible_text(response.content.decode(), language)
        english = [p for p in phrases if re.search(rf"(?<!\w){re.escape(p)}(?!\w)", text)]
        if english:
            found[url] = english
    assert found == {}
