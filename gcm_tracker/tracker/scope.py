"""Which countries a recommendation applies to (its scope), for reads.

A recommendation's scope is ESCAP (every ESCAP member and associate member: the default),
SELECTED (the subregions and countries of its RecommendationScopeArea rows) or REGIONAL (no
country: only its regional status applies). Cells outside the scope are "not applicable" and are
never counted as "no information".
"""

from collections.abc import Iterable

from django.db.models import Exists, OuterRef, Q, QuerySet

from .enums import EscapMembership, RecommendationScope
from .models import Country, Recommendation, RecommendationScopeArea

ESCAP_MEMBERSHIPS = (EscapMembership.MEMBER, EscapMembership.ASSOCIATE_MEMBER)


def escap_countries() -> QuerySet[Country]:
    """The countries a recommendation with the default scope applies to."""
    return Country.objects.filter(membership__in=ESCAP_MEMBERSHIPS)


def recommendations_applicable_to(country: Country) -> Q:
    """A filter on Recommendation: those that apply to `country` (two EXISTS subqueries at most,
    no join, so it never duplicates rows)."""
    areas = RecommendationScopeArea.objects.filter(recommendation=OuterRef("pk"))
    named = Q(Exists(areas.filter(country=country)))
    if country.subregion:
        named |= Q(Exists(areas.filter(subregion=country.subregion)))
    selected = Q(scope=RecommendationScope.SELECTED) & named
    if country.membership in ESCAP_MEMBERSHIPS:
        return Q(scope=RecommendationScope.ESCAP) | selected
    return selected


def selected_naming(country: Country) -> QuerySet[Recommendation]:
    """The recommendations of scope SELECTED that name `country` or its subregion: read from
    their scope areas (a small table) first, so a count of them never visits every recommendation
    of another scope (recommendations_applicable_to() tests each of those with two EXISTS; 100 ms
    over the 20,000 of them at N = 200,000)."""
    named = Q(country=country)
    if country.subregion:
        named |= Q(subregion=country.subregion)
    return Recommendation.objects.filter(
        scope=RecommendationScope.SELECTED,
        pk__in=RecommendationScopeArea.objects.filter(named).values("recommendation_id"),
    )


def applicable_countries(recommendation: Recommendation) -> QuerySet[Country]:
    """The countries `recommendation` applies to (one query, or two to read its areas)."""
    if recommendation.scope == RecommendationScope.REGIONAL:
        return Country.objects.none()
    if recommendation.scope == RecommendationScope.ESCAP:
        return escap_countries()
    areas = list(recommendation.scope_areas.all())
    return Country.objects.filter(
        Q(pk__in=[a.country_id for a in areas if a.country_id])
        | Q(subregion__in=[a.subregion for a in areas if a.subregion])
    )


def is_applicable(
    recommendation: Recommendation, country: Country, areas: Iterable | None = None
) -> bool:
    """Whether `country` is in `recommendation`'s scope, in Python: pass `areas` (its
    RecommendationScopeArea rows, e.g. prefetched) to avoid a query per recommendation."""
    if recommendation.scope == RecommendationScope.REGIONAL:
        return False
    if recommendation.scope == RecommendationScope.ESCAP:
        return country.membership in ESCAP_MEMBERSHIPS
    if areas is None:
        areas = recommendation.scope_areas.all()
    return any(
        a.country_id == country.pk or (a.subregion and a.subregion == country.subregion)
        for a in areas
    )


def assessments_in_scope() -> Q:
    """A filter on Assessment: those whose country is in their recommendation's scope (the ones
    the roll-ups count; the others are kept, but not applicable)."""
    areas = RecommendationScopeArea.objects.filter(recommendation=OuterRef("recommendation_id"))
    escap = Q(recommendation__scope=RecommendationScope.ESCAP) & Q(
        country__membership__in=ESCAP_MEMBERSHIPS
    )
    selected = Q(recommendation__scope=RecommendationScope.SELECTED) & (
        Q(Exists(areas.filter(country=OuterRef("country_id"))))
        # Country rows have an empty subregion: never match a country without one to them.
        | Q(Exists(areas.exclude(subregion="").filter(subregion=OuterRef("country__subregion"))))
    )
    return escap | selected
