"""Choosing rows of tables too large to list on a page: a search, bounded, and the widget that
shows what is chosen and what a search found.

A page never lists a table that grows with the data (recommendations, countries, organisations,
themes): a form shows the chosen rows, as ticked boxes, and a search box. Without JavaScript its
"Search" button sends the form back and the widget lists at most SEARCH_LIMIT matches to tick;
with JavaScript, static/js/chooser.js turns the box into a combobox that asks a search endpoint
(the workspace's `choices`, or the public `dashboards.choices`) and the ticked boxes into chips.

The workspace's forms choose several rows by id (workspace.choosers.ChooserField); the public
filters and a few single-valued form fields choose one row by its key in addresses (a slug, an
ISO code) with `single=True`: radio buttons instead of checkboxes, and a new choice replaces
the old.
"""

from collections.abc import Callable
from dataclasses import dataclass, replace

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import ProhibitNullCharactersValidator
from django.db.models import Model, Q, QuerySet
from django.forms.utils import flatatt
from django.http import JsonResponse
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.http import urlencode
from django.utils.translation import get_language, gettext_lazy, ngettext
from django.utils.translation import gettext as _

from gcm_tracker.i18n import countries

from .models import Consultation, Country, Recommendation, Stakeholder, Tag
from .scope import applicable_countries, escap_countries

SEARCH_LIMIT = 20
# Bounds on what is typed: a name, a reference or a few words of a recommendation.
QUERY_MAX_CHARACTERS = 100
QUERY_MAX_WORDS = 8
# The name of every chooser's "Search" button: sent, it makes a form a search, not a save.
SEARCH_BUTTON = "_search"


@dataclass(frozen=True)
class Chooser:
    """One kind of thing a chooser picks: every row it accepts (a form's queryset), how a row
    is named, how rows are found from what is typed, the row's field that forms send (`key`),
    and the URL name of the JSON search."""

    kind: str  # its part of the search endpoint's address
    noun: str  # plural, for "Search …" and "No … match"
    rows: Callable[[], QuerySet]
    label: Callable[[Model], str]
    matching: Callable[[str], QuerySet]
    url_name: str
    key: str = "pk"
    # Sent to the search as ?among=: which part of the table it searches (see countries_among).
    among: str = ""

    def search(self, query: str) -> tuple[list[Model], bool]:
        """At most SEARCH_LIMIT rows matching `query` (already cleaned), and whether more
        match."""
        rows = list(self.matching(query)[: SEARCH_LIMIT + 1])
        return rows[:SEARCH_LIMIT], len(rows) > SEARCH_LIMIT

    def value(self, row: Model) -> str:
        return str(getattr(row, self.key))

    def chosen(self, values) -> list[Model]:
        """The rows of `values` (as sent: strings, possibly not valid keys), in their order;
        values of no row are left out, the form's validation reports them. One query."""
        if self.key == "pk":
            wanted = [int(v) for v in values if str(v).isdigit() and len(str(v)) < 19]
        else:
            # A NUL byte cannot reach PostgreSQL (psycopg2 refuses the query) and names no row.
            wanted = [
                str(v)
                for v in values
                if v and len(str(v)) <= QUERY_MAX_CHARACTERS and "\x00" not in str(v)
            ]
        if not wanted:
            return []
        found = self.rows().in_bulk(wanted, field_name=self.key)
        return [found[value] for value in dict.fromkeys(wanted) if value in found]


def search_response(chooser: Chooser, request) -> JsonResponse:
    """The JSON answer of `chooser`'s search for the request's ?q=: {"query", "results": [{"id",
    "label"}, …], "more": bool} (an id is the row's key: its pk, slug or ISO code), or 400 with
    {"error"} for a missing or overlong q."""
    try:
        query = clean_query(request.GET.get("q"))
    except ValidationError as error:
        return JsonResponse({"error": error.messages[0]}, status=400)
    rows, more = chooser.search(query)
    results = [
        {"id": row.pk if chooser.key == "pk" else chooser.value(row), "label": chooser.label(row)}
        for row in rows
    ]
    return JsonResponse({"query": query, "results": results, "more": more})


def clean_query(value: str | None) -> str:
    """What was typed, stripped; ValidationError when it is missing, holds a NUL character (no
    row has one, and PostgreSQL refuses it in a query) or is longer than a search."""
    query = (value or "").strip()
    ProhibitNullCharactersValidator()(query)
    if not query:
        raise ValidationError(_("Type something to search for."), code="required")
    if len(query) > QUERY_MAX_CHARACTERS:
        raise ValidationError(
            _("Search for at most %(limit)d characters.") % {"limit": QUERY_MAX_CHARACTERS},
            code="max_length",
        )
    if len(query.split()) > QUERY_MAX_WORDS:
        raise ValidationError(
            _("Search for at most %(limit)d words.") % {"limit": QUERY_MAX_WORDS},
            code="too_many_words",
        )
    return query


def country_label(country: Country) -> str:
    return f"{country.localized_name} ({country.iso3})"


def countries_matching(query: str) -> QuerySet[Country]:
    match = Q(short_name__icontains=query) | Q(name__icontains=query)
    if get_language() != settings.LANGUAGE_CODE:
        # Also the names the reader sees in their language (CLDR's, kept in memory).
        match |= Q(
            iso3__in=countries.matching(query, Country.objects.values_list("iso3", "short_name"))
        )
    if len(query) == 3:
        match |= Q(iso3=query.upper())
    return Country.objects.filter(match).order_by("short_name")


def organisation_label(stakeholder: Stakeholder) -> str:
    return (
        f"{stakeholder.name} ({stakeholder.acronym})" if stakeholder.acronym else stakeholder.name
    )


def organisations_matching(query: str) -> QuerySet[Stakeholder]:
    """Organisations whose name or acronym contains `query`, or whose slug it is, by name."""
    match = Q(name__icontains=query) | Q(acronym__icontains=query) | Q(slug=query.lower())
    return Stakeholder.objects.filter(match).order_by("name")


def _acting_organisations_matching(query: str) -> QuerySet[Stakeholder]:
    """Only organisations with published actions: the public filters that choose one ask which
    recommendations or actions an organisation acted on."""
    acting = Q(led_action_count__gt=0) | Q(partner_action_count__gt=0)
    return organisations_matching(query).filter(acting)


def _themes_matching(query: str) -> QuerySet[Tag]:
    match = Q(name__icontains=query) | Q(slug=query.lower())
    return Tag.objects.filter(match).order_by("kind", "name")


# What the public filters choose from, by the keys their addresses use. Their searches
# (dashboards.choices) are public: every row they return is on public pages already.
PUBLIC_COUNTRIES = Chooser(
    kind="countries",
    noun=gettext_lazy("countries"),
    rows=lambda: Country.objects.all(),
    label=country_label,
    matching=countries_matching,
    url_name="dashboards:choices-countries",
    key="iso3",
)
ACTING_ORGANISATIONS = Chooser(
    kind="organisations",
    noun=gettext_lazy("organisations"),
    rows=lambda: Stakeholder.objects.all(),
    label=organisation_label,
    matching=_acting_organisations_matching,
    url_name="dashboards:choices-organisations",
    key="slug",
)
THEMES = Chooser(
    kind="themes",
    noun=gettext_lazy("themes and SDG targets"),
    rows=lambda: Tag.objects.all(),
    label=lambda tag: tag.name,
    matching=_themes_matching,
    url_name="dashboards:choices-themes",
    key="slug",
)


def _consultations_matching(query: str) -> QuerySet[Consultation]:
    match = Q(title__icontains=query) | Q(slug__startswith=query.lower())
    return Consultation.objects.filter(match).order_by("-date", "slug")


# Thousands at scale; chosen by id (the report import's form).
CONSULTATIONS = Chooser(
    kind="consultations",
    noun=gettext_lazy("consultations"),
    rows=lambda: Consultation.objects.all(),
    label=lambda consultation: f"{consultation.title} ({consultation.date:%Y})",
    matching=_consultations_matching,
    url_name="dashboards:choices-consultations",
)
# The public filters name a consultation by its slug, as its page's address does (the import
# form, which links to consultations by key, keeps CONSULTATIONS).
CONSULTATION_PAGES = replace(
    CONSULTATIONS,
    kind="consultation-pages",
    key="slug",
    url_name="dashboards:choices-consultation-pages",
)
PUBLIC_CHOOSERS = {
    c.kind: c
    for c in (PUBLIC_COUNTRIES, ACTING_ORGANISATIONS, THEMES, CONSULTATIONS, CONSULTATION_PAGES)
}
# ?among= for the country search: the ESCAP members and associates, or (a recommendation's
# reference) the countries it applies to.
AMONG_ESCAP = "escap"


def countries_among(among: str) -> Chooser | None:
    """PUBLIC_COUNTRIES narrowed to the countries a form accepts: `among` is AMONG_ESCAP or a
    recommendation's reference (None when no recommendation has it)."""
    if among == AMONG_ESCAP:
        countries = escap_countries()
    else:
        recommendation = Recommendation.objects.filter(reference=among).first()
        if recommendation is None:
            return None
        countries = applicable_countries(recommendation)
    countries = countries.order_by("short_name")
    return replace(
        PUBLIC_COUNTRIES,
        rows=lambda: countries,
        matching=lambda query: countries_matching(query).filter(pk__in=countries.values("pk")),
        among=among,
    )


def _boxes(name: str, rows, chooser: Chooser, *, checked: bool, kind: str):
    return format_html_join(
        "",
        '<li><label><input type="{}" name="{}" value="{}"{}> {}</label></li>',
        (
            (kind, name, chooser.value(row), " checked" if checked else "", chooser.label(row))
            for row in rows
        ),
    )


class ChooserWidget(forms.Widget):
    """The chosen rows as ticked boxes, a search box and its button, and, when the form is a
    search, the matches. The form sets `query` and `searching` on its copy (the workspace's
    ChooserFormMixin, PublicFilterSet)."""

    allow_multiple_selected = True
    use_fieldset = False

    def __init__(self, chooser: Chooser, attrs=None, *, single: bool = False):
        super().__init__(attrs)
        self.chooser = chooser
        self.single = single
        self.allow_multiple_selected = not single
        self.query = ""
        self.searching = False

    def value_from_datadict(self, data, files, name):
        values = data.getlist(name) if hasattr(data, "getlist") else data.get(name)
        if values is None:
            return None if self.single else []
        values = [values] if isinstance(values, str) else values
        values = list(dict.fromkeys(str(value) for value in values))  # ticked twice counts once
        if self.single:
            # The last one sent: a match ticked after the chosen one replaces it.
            return next((value for value in reversed(values) if value), None)
        return values

    def value_omitted_from_data(self, data, files, name):
        # An empty choice sends nothing, like unticked checkboxes.
        return False

    def format_value(self, value):
        if value is None or value == "":
            return []
        return [str(v) for v in (value if isinstance(value, list | tuple) else [value])]

    def id_for_label(self, id_):
        # The field's label names the search box, the one control a chooser always has.
        return f"{id_}_q" if id_ else id_

    def render(self, name, value, attrs=None, renderer=None):
        attrs = self.build_attrs(self.attrs, attrs)
        base_id = attrs.pop("id", None) or f"id_{name}"
        chooser = self.chooser
        chosen = chooser.chosen(self.format_value(value))
        search_attrs = {
            "type": "search",
            "id": f"{base_id}_q",
            "name": f"{name}_q",
            "value": self.query,
            "autocomplete": "off",
            "maxlength": QUERY_MAX_CHARACTERS,
            **{key: val for key, val in attrs.items() if key.startswith("aria-")},
        }
        return format_html(
            '<div class="chooser" id="{id}_chooser" data-chooser data-source="{source}"'
            ' data-name="{name}"{single} {texts}>'
            '<p class="chooser-chosen-label" id="{id}_chosen_label">{chosen_label}</p>'
            '<ul class="chooser-chosen" id="{id}_chosen" aria-labelledby="{id}_chosen_label">'
            "{chosen}</ul>"
            '<div class="chooser-search"><input{search_attrs}>'
            '<button type="submit" name="{button}" value="{name}" class="chooser-search-button">'
            "{search}</button></div>{results}</div>",
            id=base_id,
            source=self._source(),
            name=name,
            single=" data-single" if self.single else "",
            texts=flatatt(self._texts()),
            chosen_label=_("Chosen:") if chosen else _("None chosen yet."),
            chosen=self._chosen(name, chosen),
            search_attrs=flatatt(search_attrs),
            button=SEARCH_BUTTON,
            search=_("Search %(things)s") % {"things": chooser.noun},
            results=self._results(name, {chooser.value(row) for row in chosen}),
        )

    def _chosen(self, name: str, chosen: list[Model]):
        boxes = _boxes(name, chosen, self.chooser, checked=True, kind=self._box())
        if not (self.single and chosen):
            return boxes
        # Without JavaScript a radio button cannot be unticked: this one clears the choice.
        return format_html(
            '{}<li class="chooser-any"><label><input type="radio" name="{}" value=""> {}</label>'
            "</li>",
            boxes,
            name,
            _("None (any)"),
        )

    def _source(self) -> str:
        url = reverse(self.chooser.url_name)
        return f"{url}?{urlencode({'among': self.chooser.among})}" if self.chooser.among else url

    def _box(self) -> str:
        return "radio" if self.single else "checkbox"

    def _texts(self) -> dict:
        """What the script says, translated here ({} stands for a name or a number)."""
        return {
            "data-text-remove": _("Remove {}"),
            "data-text-added": _("{} added."),
            "data-text-removed": _("{} removed."),
            "data-text-one": _("1 match. Use the arrow keys to choose it."),
            "data-text-many": _("{} matches. Use the up and down arrow keys to choose one."),
            "data-text-more": _(
                "More than {} match; the first are listed. Type more words to narrow the search."
            ),
            "data-text-none": _("Nothing matches."),
            "data-text-failed": _("The search failed. Try again."),
            "data-text-chosen": _("Chosen:"),
            "data-text-empty": _("None chosen yet."),
        }

    def _results(self, name: str, chosen: set[str]):
        """The matches of a search made without JavaScript, those already chosen left out."""
        if not (self.searching and self.query):
            return ""
        try:
            query = clean_query(self.query)
        except ValidationError as error:
            return format_html('<p class="field-error" role="alert">{}</p>', error.messages[0])
        rows, more = self.chooser.search(query)
        rows = [row for row in rows if self.chooser.value(row) not in chosen]
        if not rows:
            return format_html(
                '<p class="chooser-results" role="status">{}</p>',
                _("No other %(things)s match “%(query)s”.")
                % {"things": self.chooser.noun, "query": query},
            )
        if self.single:
            legend = ngettext(
                "%(count)d match for “%(query)s”: choose it.",
                "%(count)d matches for “%(query)s”: choose one.",
                len(rows),
            ) % {"count": len(rows), "query": query}
        else:
            legend = ngettext(
                "%(count)d match for “%(query)s”: tick it to add it.",
                "%(count)d matches for “%(query)s”: tick those to add.",
                len(rows),
            ) % {"count": len(rows), "query": query}
        return format_html(
            '<fieldset class="chooser-results"><legend>{}</legend><ul>{}</ul>{}</fieldset>',
            legend,
            _boxes(name, rows, self.chooser, checked=False, kind=self._box()),
            format_html(
                "<p>{}</p>",
                _("More match: only the first %(limit)d are shown. Add words to narrow the search.")
                % {"limit": SEARCH_LIMIT},
            )
            if more
            else "",
        )


def prepare_choosers(form, data) -> None:
    """Give `form`'s chooser widgets what was typed in their search boxes and whether the form
    was sent by a "Search" button (a bound form's copy of each widget)."""
    if data is None:
        return
    searching = SEARCH_BUTTON in data
    for name, field in form.fields.items():
        if isinstance(field.widget, ChooserWidget):
            field.widget.searching = searching
            field.widget.query = str(data.get(f"{form.add_prefix(name)}_q", ""))


class ChooserFormMixin:
    """For a form with ChooserFields: a POST carrying SEARCH_BUTTON is a search. Such a form is
    never valid (so no view saves it) and shows no errors; its choosers show their matches."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.searching = self.is_bound and SEARCH_BUTTON in self.data
        prepare_choosers(self, self.data if self.is_bound else None)

    def full_clean(self):
        if self.searching:
            self._errors = forms.utils.ErrorDict()
            self.cleaned_data = {}
            return
        super().full_clean()

    def is_valid(self):
        return not self.searching and super().is_valid()
