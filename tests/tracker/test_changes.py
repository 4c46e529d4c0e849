"""The changes selector (tracker.changes): what changed between two dates, and distributions on
a date, read from the append-only histories."""

import datetime

import pytest
from django.utils import timezone

from gcm_tracker.tracker.changes import ChangeFilters, changes_between, distribution_as_of
from gcm_tracker.tracker.enums import (
    AssessmentVoice,
    RecommendationScope,
    RecommendationStatus,
    ReviewState,
    Subregion,
)
from gcm_tracker.tracker.models import FollowUpAction
from tests.factories import (
    CountryFactory,
    FollowUpActionFactory,
    ObjectiveFactory,
    PublishedActionFactory,
    RecommendationFactory,
    record_official,
    set_status,
)

S = RecommendationStatus
D = datetime.date


@pytest.fixture
def timeline(staff):
    """One recommendation moved up on 1 March 2024 and down on 1 June 2024; one cell of Thailand
    assessed on 1 February 2024 and moved up on 1 May 2024."""
    objective = ObjectiveFactory(number=7)
    recommendation = RecommendationFactory(objectives=[objective])
    first = set_status(
        recommendation, staff, new_status=S.SUBSTANTIAL, effective_date=D(2024, 3, 1)
    )
    recommendation.refresh_from_db()
    second = set_status(recommendation, staff, new_status=S.LIMITED, effective_date=D(2024, 6, 1))
    thailand = CountryFactory(iso3="THA", subregion=Subregion.SOUTH_EAST_ASIA)
    assessed = record_official(
        recommendation, thailand, staff, status=S.NOT_STARTED, effective_date=D(2024, 2, 1)
    )
    moved = record_official(
        recommendation, thailand, staff, status=S.IMPLEMENTED, effective_date=D(2024, 5, 1)
    )
    return {
        "recommendation": recommendation,
        "objective": objective,
        "thailand": thailand,
        "first": first,
        "second": second,
        "assessed": assessed,
        "moved": moved,
    }


def test_a_date_between_two_status_changes_lists_exactly_the_later_one(timeline):
    changes = changes_between(since=D(2024, 4, 1), until=D(2024, 12, 31))
    assert list(changes.regional) == [timeline["second"]]
    assert list(changes.cells) == [timeline["moved"]]
    assert list(changes.new_assessments) == []
    counts = changes.counts
    assert (counts.regional_up, counts.regional_down) == (0, 1)
    assert (counts.cells_up, counts.cells_down, counts.new_assessments) == (1, 0, 0)


def test_both_ends_are_included(timeline):
    changes = changes_between(since=D(2024, 3, 1), until=D(2024, 6, 1))
    assert list(changes.regional) == [timeline["second"], timeline["first"]]
    assert (changes.counts.regional_up, changes.counts.regional_down) == (1, 1)
    only_first = changes_between(since=D(2024, 2, 1), until=D(2024, 3, 1))
    assert list(only_first.regional) == [timeline["first"]]
    assert list(only_first.new_assessments) == [timeline["assessed"]]
    assert only_first.counts.new_assessments == 1


def test_until_before_since_is_refused(db):
    with pytest.raises(ValueError, match="until is before since"):
        changes_between(since=D(2024, 3, 1), until=D(2024, 2, 1))


def test_filters_keep_only_matching_items(timeline):
    other = CountryFactory(iso3="FJI", subregion=Subregion.PACIFIC)
    since = D(2024, 1, 1)
    until = D(2024, 12, 31)
    fiji = changes_between(since=since, until=until, filters=ChangeFilters(country=other))
    assert list(fiji.cells) == []
    thailand = changes_between(
        since=since, until=until, filters=ChangeFilters(subregion=Subregion.SOUTH_EAST_ASIA)
    )
    assert list(thailand.cells) == [timeline["moved"]]
    civil = changes_between(
        since=since, until=until, filters=ChangeFilters(voice=AssessmentVoice.CIVIL_SOCIETY)
    )
    assert list(civil.cells) == []
    assert civil.counts.regional == 2
    same = ChangeFilters(objective=timeline["objective"], country=timeline["thailand"])
    kept = changes_between(since=since, until=until, filters=same)
    assert list(kept.regional) == [timeline["second"], timeline["first"]]
    assert list(kept.cells) == [timeline["moved"]]
    assert list(kept.new_assessments) == [timeline["assessed"]]
    consultation = ChangeFilters(consultation=timeline["recommendation"].consultation)
    assert changes_between(since=since, until=until, filters=consultation).counts.total == 4
    official = ChangeFilters(voice=AssessmentVoice.OFFICIAL, subregion=Subregion.SOUTH_EAST_ASIA)
    assert changes_between(since=since, until=until, filters=official).counts.cells == 1
    elsewhere = changes_between(
        since=since, until=until, filters=ChangeFilters(objective=ObjectiveFactory(number=8))
    )
    assert elsewhere.counts.total == 0
    assert list(elsewhere.recommendations) == []


def test_distribution_as_of_reads_the_latest_change_effective_by_then(timeline):
    before = distribution_as_of(D(2024, 1, 31))
    assert before.by_objective == {7: {S.NO_INFORMATION: 1}}
    assert before.by_country == {}
    spring = distribution_as_of(D(2024, 3, 15))
    assert spring.by_objective == {7: {S.SUBSTANTIAL: 1}}
    thailand = timeline["thailand"].pk
    assert spring.by_country == {thailand: {AssessmentVoice.OFFICIAL: {S.NOT_STARTED: 1}}}
    assert spring.by_subregion == {
        Subregion.SOUTH_EAST_ASIA: {AssessmentVoice.OFFICIAL: {S.NOT_STARTED: 1}}
    }
    summer = distribution_as_of(D(2024, 7, 1))
    assert summer.by_objective == {7: {S.LIMITED: 1}}
    assert summer.by_country == {thailand: {AssessmentVoice.OFFICIAL: {S.IMPLEMENTED: 1}}}


def test_a_correction_recorded_later_with_an_earlier_effective_date_holds_from_that_date(
    timeline, staff
):
    # Recorded after the June change, effective in April: the newest recorded change holds, as
    # it does for the current status.
    recommendation = timeline["recommendation"]
    recommendation.refresh_from_db()
    set_status(recommendation, staff, new_status=S.IMPLEMENTED, effective_date=D(2024, 4, 1))
    recommendation.refresh_from_db()
    assert recommendation.status == S.IMPLEMENTED
    assert distribution_as_of(D(2024, 3, 15)).by_objective == {7: {S.SUBSTANTIAL: 1}}
    assert distribution_as_of(D(2024, 7, 1)).by_objective == {7: {S.IMPLEMENTED: 1}}
    today = timezone.localdate()
    assert distribution_as_of(today).by_objective == {7: {S.IMPLEMENTED: 1}}


def test_query_counts_are_constant(timeline, django_assert_num_queries):
    changes = changes_between(since=D(2024, 1, 1), until=D(2024, 12, 31))
    with django_assert_num_queries(4):
        assert changes.counts.total == 4
    with django_assert_num_queries(4):
        distribution_as_of(D(2024, 7, 1))


def test_dates_at_the_edges_of_the_calendar_do_not_overflow(timeline):
    changes = changes_between(since=D(1, 1, 1), until=D(9999, 12, 31))
    # Everything: the four status changes and the recommendation, imported today.
    assert changes.counts.total == 5
    assert changes.counts.recommendations == 1


def _published_on(day: datetime.date, countries, **kwargs):
    at = datetime.datetime.combine(day, datetime.time(12), tzinfo=datetime.UTC)
    return PublishedActionFactory(published_at=at, countries=countries, **kwargs)


def test_a_countrys_actions_are_those_published_in_the_range_and_still_published(timeline):
    thailand, fiji = timeline["thailand"], CountryFactory(iso3="FJI", subregion=Subregion.PACIFIC)
    inside = [_published_on(D(2024, 4, day), [thailand]) for day in (1, 9)]
    both = _published_on(D(2024, 4, 30), [thailand, fiji])
    _published_on(D(2024, 3, 31), [thailand])  # before the range
    _published_on(D(2024, 5, 1), [thailand])  # after it
    _published_on(D(2024, 4, 5), [fiji])  # elsewhere
    FollowUpActionFactory(countries=[thailand])  # not published
    # Published in the range, then sent back around the services: no longer listed.
    gone = _published_on(D(2024, 4, 2), [thailand])
    FollowUpAction.objects.filter(pk=gone.pk).update(review_state=ReviewState.DRAFT)

    april = changes_between(
        since=D(2024, 4, 1), until=D(2024, 4, 30), filters=ChangeFilters(country=thailand)
    )

    assert [a.pk for a in april.actions] == [both.pk, inside[1].pk, inside[0].pk]
    assert april.counts.actions == 3


def test_a_countrys_actions_page_from_its_links_as_the_actions_would_sort(timeline):
    """Every slice of a country's actions (read through its links' index) equals the same
    slice of the actions themselves sorted newest first, ties broken by the newest key; an
    objective keeps those recommended under it."""
    thailand, objective = timeline["thailand"], timeline["objective"]
    other = RecommendationFactory(objectives=[ObjectiveFactory(number=8)])
    mine = [timeline["recommendation"]]
    same_instant = [_published_on(D(2024, 4, 10), [thailand], recommendations=mine) for _ in "ab"]
    dated = [
        _published_on(D(2024, 4, day), [thailand], recommendations=recommendations)
        for day, recommendations in ((3, mine), (4, [other]), (20, mine), (28, [other]))
    ]
    _published_on(D(2024, 5, 2), [thailand], recommendations=mine)  # after the range

    for filters, expected in (
        (ChangeFilters(country=thailand), [*same_instant, *dated]),
        (ChangeFilters(country=thailand, objective=objective), [*same_instant, *dated[::2]]),
    ):
        april = changes_between(since=D(2024, 4, 1), until=D(2024, 4, 30), filters=filters)
        newest_first = sorted(expected, key=lambda a: (a.published_at, a.pk), reverse=True)
        keys = [a.pk for a in newest_first]
        assert april.counts.actions == april.actions.count() == len(keys)
        for start in range(len(keys) + 1):
            for stop in range(start, len(keys) + 2):
                assert [a.pk for a in april.actions[start:stop]] == keys[start:stop]
        assert [a.pk for a in april.actions] == keys
        # What each card shows is read with the page, not row by row.
        assert april.actions[:1][0].lead_stakeholder.name


def test_actions_by_subregion_objective_and_consultation_count_as_they_list(timeline):
    """A subregion's actions are counted from its countries' links (one in two of its countries
    counts once); an objective is read from the actions' objective bits, which follow a
    recommendation regrouped after publication; a consultation through the recommendations."""
    thailand, objective = timeline["thailand"], timeline["objective"]
    vietnam = CountryFactory(iso3="VNM", subregion=Subregion.SOUTH_EAST_ASIA)
    fiji = CountryFactory(iso3="FJI", subregion=Subregion.PACIFIC)
    mine, other = timeline["recommendation"], RecommendationFactory()
    both = _published_on(D(2024, 4, 3), [thailand, vietnam], recommendations=[mine])
    one = _published_on(D(2024, 4, 4), [vietnam], recommendations=[other])
    _published_on(D(2024, 4, 5), [fiji], recommendations=[mine])
    _published_on(D(2024, 5, 5), [thailand], recommendations=[mine])  # after the range
    # Regrouped after publication: the other recommendation joins objective 7 too.
    other.objectives.add(objective)

    def april(**filters):
        changes = changes_between(
            since=D(2024, 4, 1), until=D(2024, 4, 30), filters=ChangeFilters(**filters)
        )
        listed = [a.pk for a in changes.actions]
        assert changes.counts.actions == len(listed)
        return listed

    south_east_asia = Subregion.SOUTH_EAST_ASIA
    assert april(subregion=south_east_asia) == [one.pk, both.pk]
    assert len(april(objective=objective)) == 3
    assert april(objective=objective, subregion=south_east_asia) == [one.pk, both.pk]
    assert april(consultation=mine.consultation, subregion=south_east_asia) == [both.pk]
    assert april(consultation=mine.consultation, country=vietnam) == [both.pk]


def test_a_places_regional_changes_are_those_of_the_recommendations_applying_there(staff):
    """By a country or a subregion, the regional changes counted, up and down, are the listed
    ones: those of recommendations of the default scope and of those selecting the place."""
    thailand = CountryFactory(iso3="THA", subregion=Subregion.SOUTH_EAST_ASIA)
    fiji = CountryFactory(iso3="FJI", subregion=Subregion.PACIFIC)
    everywhere = RecommendationFactory()
    in_fiji = RecommendationFactory(scope=RecommendationScope.SELECTED)
    in_fiji.scope_areas.create(country=fiji)
    in_south_east_asia = RecommendationFactory(scope=RecommendationScope.SELECTED)
    in_south_east_asia.scope_areas.create(subregion=Subregion.SOUTH_EAST_ASIA)
    nowhere = RecommendationFactory(scope=RecommendationScope.REGIONAL)
    for recommendation, statuses in (
        (everywhere, [S.LIMITED, S.NOT_STARTED]),
        (in_fiji, [S.IMPLEMENTED]),
        (in_south_east_asia, [S.SUBSTANTIAL, S.LIMITED, S.IMPLEMENTED]),
        (nowhere, [S.LIMITED]),
    ):
        for day, status in enumerate(statuses, start=1):
            set_status(recommendation, staff, new_status=status, effective_date=D(2024, 4, day))
            recommendation.refresh_from_db()

    expected = {
        ChangeFilters(country=thailand): (3, 2),
        ChangeFilters(country=fiji): (2, 1),
        ChangeFilters(subregion=Subregion.SOUTH_EAST_ASIA, voice="official"): (3, 2),
        ChangeFilters(subregion=Subregion.PACIFIC): (2, 1),
    }
    for filters, (up, down) in expected.items():
        april = changes_between(since=D(2024, 4, 1), until=D(2024, 4, 30), filters=filters)
        moves = [change.moved > 0 for change in april.regional]
        assert (moves.count(True), moves.count(False)) == (up, down), filters
        assert (april.counts.regional_up, april.counts.regional_down) == (up, down), filters
