"""What a briefing pack is about: a country, an objective, a subregion or a consultation, named
by a key (ISO3 code, objective number, subregion code, consultation slug), and what each covers:
its recommendations, the countries whose assessments count, and its published actions."""

from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Q, QuerySet

from gcm_tracker.tracker import selectors
from gcm_tracker.tracker.enums import RecommendationScope, Subregion
from gcm_tracker.tracker.models import (
    Consultation,
    Country,
    FollowUpAction,
    Objective,
    Recommendation,
    RecommendationScopeArea,
)
from gcm_tracker.tracker.scope import escap_countries, recommendations_applicable_to

from .models import PackKind


class UnknownSubject(LookupError):
    """No subject of that kind has that key."""


@dataclass(frozen=True)
class Subject:
    kind: str
    key: str
    label: str
    # The object itself (Country, Objective, Consultation) or None for a subregion.
    instance: object | None

    @property
    def kind_label(self) -> str:
        return str(PackKind(self.kind).label)

    @property
    def country(self) -> Country | None:
        return self.instance if isinstance(self.instance, Country) else None

    def recommendations(self) -> QuerySet[Recommendation]:
        """The subject's recommendations (no duplicates, unordered)."""
        if self.kind == PackKind.COUNTRY:
            return Recommendation.objects.filter(recommendations_applicable_to(self.instance))
        if self.kind == PackKind.OBJECTIVE:
            return Recommendation.objects.filter(
                pk__in=Recommendation.objects.filter(objectives=self.instance).values("pk")
            )
        if self.kind == PackKind.CONSULTATION:
            return Recommendation.objects.filter(consultation=self.instance)
        areas = RecommendationScopeArea.objects.filter(recommendation=OuterRef("pk"))
        named = Exists(areas.filter(Q(subregion=self.key) | Q(country__subregion=self.key)))
        return Recommendation.objects.filter(
            Q(scope=RecommendationScope.ESCAP) | (Q(scope=RecommendationScope.SELECTED) & named)
        )

    def countries(self) -> QuerySet[Country] | None:
        """The countries whose assessments the pack reads, or None for every country."""
        if self.kind == PackKind.COUNTRY:
            return Country.objects.filter(pk=self.instance.pk)
        if self.kind == PackKind.SUBREGION:
            return escap_countries().filter(subregion=self.key)
        return None

    def actions(self) -> QuerySet[FollowUpAction]:
        """The subject's published actions (no duplicates, unordered)."""
        if self.kind == PackKind.COUNTRY:
            return selectors.actions_in(self.instance)
        if self.kind == PackKind.SUBREGION:
            return selectors.actions_in(self.countries())
        if self.kind == PackKind.OBJECTIVE:
            linked = Q(recommendations__objectives=self.instance)
        else:
            linked = Q(recommendations__consultation=self.instance)
        return selectors.published_actions().filter(
            pk__in=FollowUpAction.objects.filter(linked).values("pk")
        )


def resolve(kind: str, key: str) -> Subject:
    """The subject of `kind` named `key`; UnknownSubject when there is none."""
    key = (key or "").strip()
    if kind == PackKind.COUNTRY:
        country = Country.objects.filter(iso3=key.upper()).first() if len(key) == 3 else None
        if country is None:
            raise UnknownSubject(key)
        return Subject(kind, country.iso3, country.short_name, country)
    if kind == PackKind.OBJECTIVE:
        objective = (
            Objective.objects.filter(number=int(key)).first()
            if key.isascii() and key.isdigit() and len(key) < 4
            else None
        )
        if objective is None:
            raise UnknownSubject(key)
        return Subject(kind, str(objective.number), str(objective), objective)
    if kind == PackKind.CONSULTATION:
        consultation = Consultation.objects.filter(slug=key).first() if len(key) <= 80 else None
        if consultation is None:
            raise UnknownSubject(key)
        return Subject(kind, consultation.slug, str(consultation), consultation)
    if kind == PackKind.SUBREGION and key in Subregion.values:
        return Subject(kind, key, str(Subregion(key).label), None)
    raise UnknownSubject(key)


def choices(kind: str) -> list[tuple[str, str]]:
    """(key, label) of every subject of `kind`, for the pack form's menus."""
    if kind == PackKind.COUNTRY:
        return list(escap_countries().order_by("short_name").values_list("iso3", "short_name"))
    if kind == PackKind.OBJECTIVE:
        return [(str(o.number), str(o)) for o in Objective.objects.order_by("number")]
    if kind == PackKind.CONSULTATION:
        return list(Consultation.objects.order_by("-date", "slug").values_list("slug", "title"))
    return [(value, str(label)) for value, label in Subregion.choices]
