"""One FilterSet per public list; the HTML page, its downloads and the API all use the same one, so
a shared URL means the same rows everywhere."""

import django_filters
from django import forms
from django.db import connection
from django.db.models import Exists, OuterRef, Q
from django.forms import ModelChoiceField
from django.utils.functional import SimpleLazyObject
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django_filters.constants import EMPTY_VALUES

from . import scope, search, selectors
from .cache import cached_public
from .choosing import (
    ACTING_ORGANISATIONS,
    CONSULTATION_PAGES,
    PUBLIC_COUNTRIES,
    THEMES,
    Chooser,
    ChooserWidget,
    prepare_choosers,
)
from .enums import (
    ActionProgress,
    ActionType,
    AssessmentVoice,
    MeetingFormat,
    RecommendationScope,
    RecommendationStatus,
    StakeholderKind,
    Subregion,
)
from .models import (
    LAST_MOVED,
    STATUS_RANK,
    UPDATED_OR_NEVER,
    ActionCountry,
    ActionRecommendation,
    Assessment,
    Consultation,
    Country,
    FollowUpAction,
    GoodPractice,
    GuidingPrinciple,
    Objective,
    Recommendation,
    RecommendationObjective,
    RecommendationScopeArea,
    Stakeholder,
    StakeholderRecommendation,
)
from .objective_bits import about_objective
from .paging import Keys, merged
from .widgets import QuickSelect


def _menu_filter(label, queryset, key: str, **kwargs) -> django_filters.ModelChoiceFilter:
    """A filter chosen from a menu of `queryset`, whose rows URLs name by their field `key`."""
    return django_filters.ModelChoiceFilter(
        widget=QuickSelect, label=label, queryset=queryset, to_field_name=key, **kwargs
    )


def _chooser_filter(label, chooser: Chooser, **kwargs) -> django_filters.ModelChoiceFilter:
    """A filter on one row of a table too long for a menu (it grows with the data), chosen
    through a search; URLs name the row by the chooser's key, as a menu's would."""
    return django_filters.ModelChoiceFilter(
        widget=ChooserWidget(chooser, single=True),
        label=label,
        queryset=chooser.rows(),
        to_field_name=chooser.key,
        **kwargs,
    )


def _menu(field: ModelChoiceField) -> list[tuple[str, str]]:
    return [
        (str(getattr(obj, field.to_field_name)), str(field.label_from_instance(obj)))
        for obj in field.queryset
    ]


CONSULTATION_HELP = _(
    "The consultation's code, as in the address of its page: e.g. border-governance-2020."
)

# Bounds on a search: each word is one more condition (on SQLite one more LIKE per row), and
# building and running the query grows faster than the words; 1,300 words took 6 s. Nobody
# searches a report with more than a sentence.
SEARCH_MAX_CHARACTERS = 500
SEARCH_MAX_WORDS = 32


def validate_search_words(value: str) -> None:
    words = len(value.split())
    if words > SEARCH_MAX_WORDS:
        raise forms.ValidationError(
            _("Search for at most %(limit)d words (this search has %(words)d)."),
            code="too_many_words",
            params={"limit": SEARCH_MAX_WORDS, "words": words},
        )


def _search_filter() -> django_filters.CharFilter:
    return django_filters.CharFilter(
        label=_("Search"),
        method="filter_search",
        max_length=SEARCH_MAX_CHARACTERS,
        validators=[validate_search_words],
    )


def search_paragraphs(queryset, text: str):
    """Rows whose text, in English or in the active language's translation, matches `text`, or
    whose reference is `text` (tracker.search: full-text search in each language on PostgreSQL,
    with web-search syntax; on SQLite, every word must occur). The FilterSets bound `text`
    (SEARCH_MAX_WORDS, SEARCH_MAX_CHARACTERS); a longer one is refused here too, so no other
    caller can stall the database with it."""
    text = text.strip()
    if len(text) > SEARCH_MAX_CHARACTERS or len(text.split()) > SEARCH_MAX_WORDS:
        raise ValueError("The search is longer than the FilterSets allow.")
    if not text:
        return queryset
    if search.is_postgresql(queryset):
        queryset, condition = search.search_condition(queryset, text)
        return queryset.filter(condition | Q(reference=text))
    return search.words_contained(queryset, text)


class PublicFilterSet(django_filters.FilterSet):
    """Filters whose values are the natural keys people see in URLs (objective 13, THA, a slug).

    The menus of the model filters are built from cached (value, label) lists rather than by
    walking their querysets on every request; a value sent is still checked against the database.
    """

    def __init__(self, data=None, *args, **kwargs):
        super().__init__(data, *args, **kwargs)
        language = get_language()
        for name, field in self.form.fields.items():
            if isinstance(field, ModelChoiceField) and isinstance(field.widget, forms.Select):
                # Built only when the menu is rendered: API requests use no form.
                menu = SimpleLazyObject(
                    lambda name=name, field=field: cached_public(
                        f"menu:{type(self).__name__}:{name}:{language}",
                        lambda: [("", str(_("Any"))), *_menu(field)],
                    )
                )
                # Set directly: django-filter's choices setter would wrap them in an iterator.
                field._choices = field.widget.choices = menu
            elif isinstance(field.widget, ChooserWidget):
                continue
            elif getattr(field, "empty_label", None) is not None:
                field.empty_label = _("Any")
                # The widget's choices still name the class's field (a form deep-copies its
                # fields, not the link from widget to field): point them at this one.
                field.widget.choices = field.choices
        prepare_choosers(self.form, data)

    objective = _menu_filter(
        _("Objective"), Objective.objects.order_by("number"), "number", field_name="objectives"
    )
    country = _chooser_filter(_("Country"), PUBLIC_COUNTRIES, method="filter_country")

    def kept_count(self) -> int | None:
        """The filtered list's length when it is kept somewhere, so a page need not count it;
        None (count it) unless a subclass knows better. For a valid form."""
        return None

    def page_keys(self) -> Keys | None:
        """How a page's keys are found when the list's own query would be slow (a
        paging.DeferredJoinPaginator's `keys`); None (read them in the list's query) unless a
        subclass knows better. For a valid form."""
        return None

    def count_limit(self) -> int | None:
        """How many of the list's rows are counted at most, where counting every one would
        cost what its matches grow with (a broad search); None: every one. For a valid form."""
        return None


class RecommendationFilter(PublicFilterSet):
    SORTS = {
        # The unique index on (consultation, paragraph) serves this order without sorting.
        "paragraph": ("consultation_id", "paragraph"),
        "-updated": (UPDATED_OR_NEVER.desc(), "consultation_id", "paragraph"),
        # The expression of the index tracker_rec_sort_quiet: the longest without an update
        # first (the dashboard's "no status update for six months" links here).
        "updated": (LAST_MOVED.asc(), "consultation_id", "paragraph"),
        "status": ("status_rank", "consultation_id", "paragraph"),
        "-status": ("-status_rank", "consultation_id", "paragraph"),
        "-actions": ("-published_action_count", "consultation_id", "paragraph"),
    }

    q = _search_filter()
    objective = _menu_filter(
        _("Objective"), Objective.objects.order_by("number"), "number", method="filter_objective"
    )
    status = django_filters.MultipleChoiceFilter(
        # Five values: checkboxes, which need no Ctrl-click and show what is chosen.
        widget=forms.CheckboxSelectMultiple,
        # Translators: how far a recommendation has been implemented (a filter's label).
        label=_("Status"),
        choices=RecommendationStatus.choices,
        # A plain column: no duplicate rows to remove, so no DISTINCT over the whole list.
        distinct=False,
        method="filter_status",
    )
    # Thousands at scale, too many for a menu: chosen through a search (its slug in addresses).
    consultation = _chooser_filter(_("Consultation"), CONSULTATION_PAGES)
    principle = _menu_filter(
        _("Guiding principle"),
        GuidingPrinciple.objects.order_by("letter"),
        "letter",
        field_name="guiding_principles",
    )
    theme = _chooser_filter(_("Theme or SDG target"), THEMES, field_name="tags")
    stakeholder = _chooser_filter(
        _("Acted on by"), ACTING_ORGANISATIONS, method="filter_stakeholder"
    )
    has_actions = django_filters.ChoiceFilter(
        widget=QuickSelect,
        label=_("Has published actions"),
        choices=[("true", _("Yes")), ("false", _("No"))],
        method="filter_has_actions",
    )
    sort = django_filters.ChoiceFilter(
        widget=QuickSelect,
        label=_("Sort by"),
        choices=[
            ("paragraph", _("Report and paragraph")),
            ("-updated", _("Most recently updated")),
            ("updated", _("Longest without an update")),
            ("status", _("Least progress first")),
            ("-status", _("Most progress first")),
            ("-actions", _("Most follow-up actions")),
        ],
        empty_label=None,
        method="sort_by",
    )

    class Meta:
        model = Recommendation
        fields = []

    def __init__(self, data=None, *args, **kwargs):
        super().__init__(data, *args, **kwargs)
        self.form.fields["country"].label = _("Acted on in country")

    @property
    def qs(self):
        queryset = super().qs
        if not getattr(self.form, "cleaned_data", {}).get("sort"):
            queryset = self.sort_by(queryset, "sort", "paragraph")
        return queryset

    def kept_count(self) -> int | None:
        """The list's length when a country, an organisation or statuses are its only filter
        (its order aside), read from the rows kept for it (CountryRecommendation,
        StakeholderRecommendation: one row per recommendation; ScopeStatusCount) instead of
        counting the recommendations among them (Thailand's 19,354 at 200,000: 30 ms, a scan of
        every recommendation's key; the 80,000 with no information, 40 ms); None for any other
        choice. For a valid form."""
        chosen = {
            name
            for name, value in self.form.cleaned_data.items()
            if name != "sort" and value not in EMPTY_VALUES
        }
        if chosen == {"country"}:
            return selectors.recommendation_keys_acted_in(self.form.cleaned_data["country"]).count()
        if chosen == {"stakeholder"}:
            stakeholder = self.form.cleaned_data["stakeholder"]
            return StakeholderRecommendation.objects.filter(stakeholder=stakeholder).count()
        if chosen == {"status"}:
            return selectors.recommendation_count(statuses=self.form.cleaned_data["status"])
        return None

    # A search's matches are counted up to this many. For a word in a third of 200,000
    # recommendations, counting all took 46 ms (a text index holds no row's visibility: every
    # match's row is visited). Up to 1,001, PostgreSQL either reads the table until that many
    # match, turning each row's text into words again (3,500 rows at 9 µs: 28 to 33 ms), or
    # rechecks the rows its text index found (26 ms); it rates the two about the same, so a
    # fresh ANALYZE can switch between them. Up to 101 it reads 300 rows: 2.8 ms. The list then
    # says "more than 100" and pages those; a narrower search or a filter finds the others; the
    # API and the downloads (up to their row cap) take every match.
    SEARCH_COUNT_LIMIT = 100

    def count_limit(self) -> int | None:
        """With a search, its matches are counted up to SEARCH_COUNT_LIMIT. For a valid form."""
        return self.SEARCH_COUNT_LIMIT if self.form.cleaned_data.get("q") else None

    def page_keys(self) -> Keys | None:
        """With two or more statuses (and no other filter) in a date order, a page's keys are
        each status's first rows from the sort's index that leads with the status
        (tracker_rec_status_updated, tracker_rec_status_quiet), merged (paging.merged): that
        index gives one status's rows in order, not several's. For a valid form."""
        data = self.form.cleaned_data
        chosen = {name for name, value in data.items() if value not in EMPTY_VALUES}
        # A status named twice in the address is one status (and one part of the merge).
        sort, statuses = data.get("sort"), list(dict.fromkeys(data.get("status") or []))
        if chosen != {"status", "sort"} or len(statuses) < 2 or sort not in {"updated", "-updated"}:
            return None
        return merged(
            [
                self.sort_by(self.filter_status(self.queryset, "status", [status]), "sort", sort)
                for status in statuses
            ]
        )

    def filter_search(self, queryset, name, value):
        return search_paragraphs(queryset, value)

    def filter_objective(self, queryset, name, value):
        return queryset.filter(
            Exists(
                RecommendationObjective.objects.filter(
                    recommendation=OuterRef("pk"), objective=value
                )
            )
        )

    def filter_country(self, queryset, name, value):
        return queryset.filter(pk__in=selectors.recommendation_keys_acted_in(value))

    def filter_stakeholder(self, queryset, name, value):
        return queryset.filter(pk__in=selectors.recommendations_acted_on_by(value).values("pk"))

    def filter_status(self, queryset, name, value):
        # The status's rank too, which the sorts by status lead with: their index then gives
        # the chosen statuses' rows in order (at N = 200,000, the least progress first of the
        # implemented walked the 160,000 others first: 240 ms).
        ranks = [RecommendationStatus.values.index(status) for status in value]
        return (
            queryset.filter(status__in=value)
            .alias(chosen_rank=STATUS_RANK)
            .filter(chosen_rank__in=ranks)
        )

    def filter_has_actions(self, queryset, name, value):
        if value == "true":
            return queryset.filter(published_action_count__gt=0)
        return queryset.filter(published_action_count=0)

    def sort_by(self, queryset, name, value):
        return queryset.annotate(status_rank=STATUS_RANK).order_by(*self.SORTS[value])


class ActionFilter(PublicFilterSet):
    objective = _menu_filter(
        _("Objective"), Objective.objects.order_by("number"), "number", method="filter_objective"
    )
    stakeholder = _chooser_filter(
        _("Organisation"), ACTING_ORGANISATIONS, method="filter_stakeholder"
    )
    recommendation = django_filters.CharFilter(
        label=_("Recommendation reference"), method="filter_recommendation"
    )
    action_type = django_filters.ChoiceFilter(
        widget=QuickSelect, label=_("Type of action"), choices=ActionType.choices
    )
    progress = django_filters.ChoiceFilter(
        widget=QuickSelect, label=_("Progress"), choices=ActionProgress.choices
    )

    class Meta:
        model = FollowUpAction
        fields = []

    # The filters that choose actions by their links.
    LINKED = ("recommendation", "country", "stakeholder")

    def filter_objective(self, queryset, name, value):
        return queryset.filter(about_objective(value.number))

    # A recommendation, a country or an organisation has few of the actions: their keys are read
    # from the links first (selectors.key_among), not found by walking every published action
    # newest first and testing each for a link (at 2,000,000 actions, an organisation's first
    # page took half a second that way).
    def filter_linked(self, queryset, name, value):
        return queryset.filter(selectors.key_among(self.linked_keys(name, value)))

    filter_recommendation = filter_country = filter_stakeholder = filter_linked

    @staticmethod
    def linked_keys(name: str, value):
        """The keys (one column) of the actions linked to the recommendation, country or
        organisation `value` of filter `name`."""
        if name == "recommendation":
            links = ActionRecommendation.objects.filter(recommendation__reference=value.strip())
            return links.values("action")
        if name == "country":
            return ActionCountry.objects.filter(country=value).values("action")
        return selectors.acted_by_keys(value)

    def filter_queryset(self, queryset):
        """Each filter in turn (one link filter reads its keys: filter_linked), but two or more
        link filters on PostgreSQL choose the keys their links have in common, as one list (an
        INTERSECT, then key_among): given each list apart, PostgreSQL 15 scanned the primary
        key for every pair of keys of the two arrays (Thailand's 32,258 actions and an
        organisation's 8,000 at 2,000,000 actions: 2.8 s, and as long again for the page)."""
        linked = {
            name: value
            for name, value in self.form.cleaned_data.items()
            if name in self.LINKED and value not in EMPTY_VALUES
        }
        if len(linked) < 2 or connection.vendor != "postgresql":
            return super().filter_queryset(queryset)
        for name, value in self.form.cleaned_data.items():
            if name not in linked:
                queryset = self.filters[name].filter(queryset, value)
        first, *others = (self.linked_keys(name, value) for name, value in linked.items())
        return queryset.filter(selectors.key_among(first.intersection(*others)))


class GoodPracticeFilter(PublicFilterSet):
    q = _search_filter()
    # Thousands at scale, too many for a menu: chosen through a search (its slug in addresses).
    consultation = _chooser_filter(_("Consultation"), CONSULTATION_PAGES)

    class Meta:
        model = GoodPractice
        fields = []

    def filter_search(self, queryset, name, value):
        return search_paragraphs(queryset, value)

    def filter_country(self, queryset, name, value):
        return queryset.filter(countries=value)


def _objective_q(value, recommendation_field: str = "pk") -> Q:
    """Rows whose recommendation (`recommendation_field` of the row) is under objective `value`."""
    return Q(
        Exists(
            RecommendationObjective.objects.filter(
                recommendation=OuterRef(recommendation_field), objective=value
            )
        )
    )


# What the matrix's voice filter offers: one voice, or both side by side (the default).
BOTH_VOICES = "both"
MATRIX_VOICES = {
    AssessmentVoice.OFFICIAL.value: (AssessmentVoice.OFFICIAL.value,),
    AssessmentVoice.CIVIL_SOCIETY.value: (AssessmentVoice.CIVIL_SOCIETY.value,),
    BOTH_VOICES: tuple(AssessmentVoice.values),
}


class MatrixFilter(PublicFilterSet):
    """The rows (recommendations) of the recommendation × country matrix, and its columns.

    Objective and consultation choose rows. Subregion and country choose the columns, and keep
    the rows that apply to at least one of them (a regional-only recommendation applies to no
    country, so it is listed only when no column filter is set). Voice chooses which voices the
    cells show. Status keeps the rows with at least one published assessment at one of the
    statuses, in the voices and columns shown ("no information" matches only an explicit
    assessment of it, not a cell nobody assessed).
    """

    objective = _menu_filter(
        _("Objective"), Objective.objects.order_by("number"), "number", method="filter_objective"
    )
    # Thousands at scale, too many for a menu: chosen through a search (its slug in addresses).
    consultation = _chooser_filter(_("Consultation"), CONSULTATION_PAGES)
    subregion = django_filters.ChoiceFilter(
        widget=QuickSelect,
        label=_("ESCAP subregion"),
        choices=Subregion.choices,
        method="filter_subregion",
    )
    voice = django_filters.ChoiceFilter(
        widget=QuickSelect,
        # Translators: whose assessment: the government's (official) or civil society's.
        label=_("Voice"),
        choices=[
            (BOTH_VOICES, _("Both voices")),
            (AssessmentVoice.OFFICIAL.value, _("Official only")),
            (AssessmentVoice.CIVIL_SOCIETY.value, _("Civil society only")),
        ],
        empty_label=None,
        method="filter_nothing",
    )
    status = django_filters.MultipleChoiceFilter(
        # Five values: checkboxes, which need no Ctrl-click and show what is chosen.
        widget=forms.CheckboxSelectMultiple,
        label=_("Has an assessment at"),
        choices=RecommendationStatus.choices,
        method="filter_status",
    )

    class Meta:
        model = Recommendation
        fields = []

    def __init__(self, data=None, *args, **kwargs):
        super().__init__(data, *args, **kwargs)
        self.form.fields["country"].label = _("Country (one column)")

    @property
    def qs(self):
        # The index on (consultation, paragraph) serves this order without sorting.
        return super().qs.order_by("consultation_id", "paragraph")

    @property
    def voices(self) -> tuple[str, ...]:
        """The voices the cells show."""
        value = getattr(self.form, "cleaned_data", {}).get("voice") or BOTH_VOICES
        return MATRIX_VOICES[value]

    def column_q(self) -> Q:
        """A filter on Country: the columns the filters allow (before scope narrows them)."""
        data = getattr(self.form, "cleaned_data", {})
        columns = Q()
        if data.get("subregion"):
            columns &= Q(subregion=data["subregion"])
        if data.get("country"):
            columns &= Q(pk=data["country"].pk)
        return columns

    def kept_count(self) -> int | None:
        """How many rows the valid filter keeps, when the database keeps that number: with an
        objective and no other filter on rows (the voice chooses cells), the objective's count
        (selectors.objective_total); None otherwise (the rows are counted)."""
        data = self.form.cleaned_data
        narrowing = {name for name, value in data.items() if value and name != "voice"}
        return selectors.objective_total(data["objective"]) if narrowing == {"objective"} else None

    def filter_nothing(self, queryset, name, value):
        return queryset  # read by the matrix (voices), not a filter on rows

    def filter_objective(self, queryset, name, value):
        return queryset.filter(_objective_q(value))

    def filter_subregion(self, queryset, name, value):
        areas = RecommendationScopeArea.objects.filter(recommendation=OuterRef("pk"))
        named = Exists(areas.filter(subregion=value)) | Exists(
            areas.filter(country__subregion=value)
        )
        # Every subregion holds ESCAP members, so recommendations of the default scope apply.
        return queryset.filter(
            Q(scope=RecommendationScope.ESCAP) | (Q(scope=RecommendationScope.SELECTED) & named)
        )

    def filter_country(self, queryset, name, value):
        return queryset.filter(scope.recommendations_applicable_to(value))

    def filter_status(self, queryset, name, value):
        if not value:
            return queryset
        assessed = Assessment.objects.filter(
            recommendation=OuterRef("pk"), status__in=value, voice__in=self.voices
        )
        columns = self.column_q()
        if columns:
            assessed = assessed.filter(country__in=Country.objects.filter(columns))
        return queryset.filter(Exists(assessed))


def _name_search(*fields: str) -> django_filters.CharFilter:
    """A search for text contained in any of `fields` (case-insensitive), of bounded length."""

    def search(queryset, name, value):
        condition = Q()
        for field in fields:
            condition |= Q(**{f"{field}__icontains": value.strip()})
        return queryset.filter(condition)

    return django_filters.CharFilter(
        label=_("Search"), method=search, max_length=SEARCH_MAX_CHARACTERS
    )


class StakeholderFilter(PublicFilterSet):
    """The stakeholder list: a search in names, the kind of organisation, the country it is
    based in."""

    q = _name_search("name", "acronym", "slug")
    objective = None
    kind = django_filters.ChoiceFilter(
        widget=QuickSelect, label=_("Kind"), choices=StakeholderKind.choices
    )

    class Meta:
        model = Stakeholder
        fields = []

    def filter_country(self, queryset, name, value):
        return queryset.filter(country=value)


class ConsultationFilter(PublicFilterSet):
    """The consultation list: a search in titles, an objective it covered, its format."""

    q = _name_search("title", "slug")
    country = None
    format = django_filters.ChoiceFilter(
        widget=QuickSelect, label=_("Format"), choices=MeetingFormat.choices
    )

    class Meta:
        model = Consultation
        fields = []
