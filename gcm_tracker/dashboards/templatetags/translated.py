"""Staff's translations of public texts on pages, in the active language (tracker/translation.py).

    {% load translated %}
    {% tr recommendation "label" %}                    in lists, cards, table cells
    {% tr recommendation "text" note=True linebreaks=True %}   on a detail page
    {{ recommendation|tr_text:"label" }}               in attributes and page titles: text only

A text that is not yet translated is shown in English inside an element with `lang="en"` (so
screen readers and hyphenation read it as English), followed by a compact "EN" mark in lists or
the sentence "(not yet translated)" on detail pages. A UN name that is our own translation gets a
mark, and the page's footer explains it (base.html, `request.unofficial_names_shown`).
"""

from django import template
from django.template.defaultfilters import linebreaksbr, truncatewords
from django.utils.html import conditional_escape, format_html
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from gcm_tracker.tracker.translation import SOURCE_LANGUAGE, Translated, translated

register = template.Library()


def text_of(obj, field: str) -> Translated:
    """`obj`'s `field` in the active language. "label" is a paragraph's short title, or
    "Paragraph 26" (an interface string, already in the active language) while it has none."""
    if field == "label":
        title = translated(obj, "short_title")
        return title if title.text else Translated(str(obj.label), get_language())
    return translated(obj, field)


@register.filter
def tr_text(obj, field: str) -> str:
    """The text alone, for attributes, page titles and plain-text e-mails."""
    if obj is None or obj == "":
        return ""
    return text_of(obj, field).text


@register.simple_tag(takes_context=True)
def tr(context, obj, field: str, note: bool = False, linebreaks: bool = False, words: int = 0):
    """The text as HTML, marked as English when it falls back and as unofficial when it is our
    translation of a UN name. `note` writes the sentence rather than the compact mark (detail
    pages); `linebreaks` keeps the paragraph's line breaks; `words` shortens it."""
    if obj is None or obj == "":
        return ""
    shown = text_of(obj, field)
    text = shown.text
    if words:
        text = truncatewords(text, words)
    html = linebreaksbr(text) if linebreaks else conditional_escape(text)
    if shown.is_source:
        return format_html(
            '<span lang="{}">{}</span>{}', SOURCE_LANGUAGE, html, untranslated_mark(note)
        )
    if shown.unofficial:
        request = context.get("request")
        if request is not None:
            request.unofficial_names_shown = True
        return format_html("{}{}", html, unofficial_mark())
    return html


def untranslated_mark(sentence: bool) -> str:
    if sentence:
        return format_html(
            ' <small class="untranslated-note">{}</small>', _("(not yet translated)")
        )
    return format_html(
        '<small class="untranslated-mark"><span aria-hidden="true"> EN</span>'
        '<span class="visually-hidden"> {}</span></small>',
        _("(not yet translated)"),
    )


def unofficial_mark() -> str:
    # Not a link to the footnote: the names it follows are mostly links themselves.
    return format_html(
        '<sup class="unofficial-mark" title="{0}"><span aria-hidden="true">*</span>'
        '<span class="visually-hidden"> ({0})</span></sup>',
        _("unofficial translation"),
    )


@register.simple_tag(takes_context=True)
def unofficial_names_note(context) -> str:
    """The footnote that explains the unofficial mark, once, on pages that showed one. base.html
    puts it after the content; a fragment cached with its marks (the dashboard's) holds its own,
    as its marks set nothing when it comes from the cache."""
    request = context.get("request")
    if not getattr(request, "unofficial_names_shown", False) or getattr(
        request, "unofficial_names_noted", False
    ):
        return ""
    request.unofficial_names_noted = True
    return format_html(
        '<p class="unofficial-names" id="unofficial-names"><span aria-hidden="true">* </span>{}'
        "</p>",
        _(
            "Unofficial translation: the UN's official wording of this name in this language "
            "was not available to us, so the name shown is our own translation."
        ),
    )
