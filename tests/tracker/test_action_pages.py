"""The public list of actions paged from what the database keeps (tracker.action_pages): every
page, at every offset, holds the rows the filtered queryset's own slice holds, in its order, and
its length is the count, across days of the site's time zone, for a country, for an
organisation and for one type, progress or objective."""

import datetime
import re
import zoneinfo

import pytest
from django.urls import reverse

from gcm_tracker.tracker import enums, selectors
from gcm_tracker.tracker.action_count_models import PublishedActionCount
from gcm_tracker.tracker.action_pages import (
    PublishedActions,
    PublishedActionsBy,
    PublishedActionsOf,
    from_its_day,
    kept_pages,
)
from gcm_tracker.tracker.filters import ActionFilter
from gcm_tracker.tracker.models import Country, FollowUpAction, RecommendationObjective
from gcm_tracker.tracker.services.counts import summary_counts_repair
from tests import factories

pytestmark = pytest.mark.django_db

BANGKOK = zoneinfo.ZoneInfo("Asia/Bangkok")


@pytest.fixture
def actions(settings):
    """Thirteen published actions over four days in Bangkok, two pairs at the same moment, some an
    hour either side of midnight there (the other side of the day in UTC); two drafts; two
    countries."""
    settings.TIME_ZONE = "Asia/Bangkok"
    thailand, fiji = factories.CountryFactory(iso3="THA"), factories.CountryFactory(iso3="FJI")
    moments = [
        datetime.datetime(2025, 5, 1, 23, 30, tzinfo=BANGKOK),
        datetime.datetime(2025, 5, 2, 0, 30, tzinfo=BANGKOK),
        datetime.datetime(2025, 5, 2, 0, 30, tzinfo=BANGKOK),
        datetime.datetime(2025, 5, 2, 6, 0, tzinfo=BANGKOK),
        datetime.datetime(2025, 5, 2, 23, 59, tzinfo=BANGKOK),
        datetime.datetime(2025, 5, 3, 0, 0, tzinfo=BANGKOK),
        datetime.datetime(2025, 5, 3, 7, 0, tzinfo=BANGKOK),
        datetime.datetime(2025, 5, 3, 12, 0, tzinfo=BANGKOK),
        datetime.datetime(2025, 4, 30, 8, 0, tzinfo=BANGKOK),
        datetime.datetime(2025, 4, 30, 6, 0, tzinfo=BANGKOK),
        datetime.datetime(2025, 5, 1, 1, 0, tzinfo=BANGKOK),
    ]
    for i, moment in enumerate(moments):
        countries = [thailand, fiji] if i % 3 == 0 else [thailand] if i % 3 == 1 else [fiji]
        factories.PublishedActionFactory(published_at=moment, countries=countries)
    # Two more at one moment in Thailand alone, started in the reverse of their keys' order (the
    # list breaks ties by the newest key, not by the model's default order, the start date).
    tie = datetime.datetime(2025, 5, 2, 12, 0, tzinfo=BANGKOK)
    for start in (datetime.date(2021, 1, 1), datetime.date(2020, 1, 1)):
        factories.PublishedActionFactory(published_at=tie, countries=[thailand], start_date=start)
    factories.FollowUpActionFactory(countries=[thailand])
    factories.FollowUpActionFactory(countries=[fiji])
    thailand.refresh_from_db()
    fiji.refresh_from_db()
    return thailand, fiji


def _keys(rows) -> list[int]:
    return [action.pk for action in rows]


def test_every_slice_of_every_action_is_the_querysets(actions):
    everything = selectors.action_list()
    kept = PublishedActions()

    assert kept.count() == everything.count() == 13
    for offset in range(14):
        for length in (0, 1, 2, 3, 25):
            assert _keys(kept[offset : offset + length]) == _keys(
                everything[offset : offset + length]
            ), (offset, length)


@pytest.mark.parametrize("index", [0, 1])
def test_every_slice_of_a_countrys_actions_is_the_querysets(actions, index):
    country = actions[index]
    filtered = selectors.action_list().filter(pk__in=selectors.actions_in(country).values("pk"))
    kept = PublishedActions(country)

    assert kept.count() == filtered.count() == (10 if index == 0 else 7)
    for offset in range(11):
        for length in (1, 2, 25):
            assert _keys(kept[offset : offset + length]) == _keys(
                filtered[offset : offset + length]
            ), (offset, length)


def test_a_deep_offset_starts_from_the_end_of_its_day(actions):
    # Newest first: 3 May holds 3 actions, 2 May 6, so the 5th newest (offset 4) is on 2 May,
    # the second of that day; the rows start at the end of 2 May in Bangkok.
    rows, offset = from_its_day(4)

    assert offset == 1
    assert rows.order_by("-published_at").first().published_at == datetime.datetime(
        2025, 5, 2, 23, 59, tzinfo=BANGKOK
    )


def _cards(response) -> list[int]:
    return [
        int(pk)
        for pk in re.findall(r'<article class="card" id="action-(\d+)"', response.content.decode())
    ]


def test_the_list_shows_the_kept_pages_and_counts(client, actions):
    everything = _keys(selectors.action_list())
    url = reverse("dashboards:action-list")

    first = client.get(url)
    assert _cards(first) == everything
    assert "13 published actions" in first.content.decode()
    # Past the last page: the last page, as Django's paginator gives it.
    assert _cards(client.get(url, {"page": 2})) == everything
    in_thailand = client.get(url, {"country": "THA"})
    assert "10 published actions" in in_thailand.content.decode()
    assert _cards(in_thailand) == _keys(
        selectors.action_list().filter(countries__iso3="THA").distinct()
    )


def test_a_country_and_a_kind_show_the_kept_pages_and_counts(client, actions):
    training = selectors.action_list().filter(countries__iso3="THA", action_type="training")
    factories.PublishedActionFactory(countries=[actions[0]], action_type="research_data")
    filterset = ActionFilter({"country": "THA", "action_type": "training"})
    assert filterset.is_valid()
    assert isinstance(kept_pages(filterset), PublishedActions)

    response = client.get(
        reverse("dashboards:action-list"), {"country": "THA", "action_type": "training"}
    )

    assert "10 published actions" in response.content.decode()
    assert _cards(response) == _keys(training.distinct())


@pytest.fixture
def kinds(actions):
    """Besides the thirteen (training, ongoing, their recommendations regrouped under objective
    1), six published actions of other kinds about objective 4 or 13 or both, and a draft of
    each kind, which nothing counts."""
    RecommendationObjective.objects.update(objective=factories.ObjectiveFactory(number=1))
    o4, o13 = factories.ObjectiveFactory(number=4), factories.ObjectiveFactory(number=13)
    groupings = [[o4], [o13], [o4, o13]]
    for i in range(6):
        recommendation = factories.RecommendationFactory(objectives=groupings[i % 3])
        factories.PublishedActionFactory(
            recommendations=[recommendation],
            action_type=[enums.ActionType.ADVOCACY, enums.ActionType.LEGAL_AID][i % 2],
            progress=[enums.ActionProgress.PLANNED, enums.ActionProgress.COMPLETED][i // 3],
            published_at=datetime.datetime(2025, 5, 2, 9, i, tzinfo=BANGKOK),
            countries=[actions[0]] if i % 2 == 0 else list(actions),
        )
        factories.FollowUpActionFactory(
            recommendations=[recommendation],
            action_type=enums.ActionType.ADVOCACY,
            countries=list(actions),
        )
    return o4, o13


KINDS = [
    ("action_type", "advocacy", 3),
    ("action_type", "training", 13),
    ("progress", "completed", 3),
    ("progress", "ongoing", 13),
    ("objective", 4, 4),
    ("objective", 13, 4),
]


def _assert_kept_slices_are_the_querysets(form: dict, kind: type, expected: int) -> None:
    """The kept list ActionFilter(form) pages from is a `kind`, of `expected` actions, and each
    of its slices, at every offset, holds the filter's queryset's."""
    filterset = ActionFilter(form, queryset=selectors.action_list())
    assert filterset.is_valid()
    filtered = filterset.qs
    kept = kept_pages(filterset)

    assert isinstance(kept, kind)
    assert kept.count() == filtered.count() == expected
    for offset in range(expected + 1):
        for length in (0, 1, 2, 3, 25):
            assert _keys(kept[offset : offset + length]) == _keys(
                filtered[offset : offset + length]
            ), (offset, length)


@pytest.mark.parametrize(("name", "value", "expected"), KINDS)
def test_every_slice_of_the_actions_of_one_kind_is_the_querysets(kinds, name, value, expected):
    _assert_kept_slices_are_the_querysets({name: value}, PublishedActionsOf, expected)


# Of the six (i = 0 to 5): about objective 4 when i % 3 != 1 and 13 when i % 3 != 0, advocacy
# when i is even (else legal aid), planned when i < 3 (else completed); the even ones in
# Thailand, the odd ones in Thailand and Fiji. The thirteen: training, ongoing, objective 1.
MIXED_KINDS = [
    ({"objective": 13, "action_type": "advocacy"}, 2),
    ({"action_type": "advocacy", "progress": "completed"}, 1),
    ({"objective": 4, "progress": "completed", "action_type": "legal_aid"}, 2),
    ({"objective": 1, "progress": "ongoing"}, 13),
    ({"objective": 1, "progress": "completed"}, 0),
]


@pytest.mark.parametrize(("form", "expected"), MIXED_KINDS)
def test_every_slice_of_two_or_three_kinds_is_the_querysets(kinds, form, expected):
    _assert_kept_slices_are_the_querysets(form, PublishedActionsOf, expected)


COUNTRY_AND_KINDS = [
    ({"country": "THA", "objective": 13, "action_type": "advocacy"}, 2),
    ({"country": "FJI", "progress": "completed"}, 2),
    ({"country": "FJI", "objective": 1}, 7),
    ({"country": "THA", "objective": 4}, 4),
    ({"country": "THA", "action_type": "legal_aid", "objective": 4}, 2),
    ({"country": "FJI", "action_type": "advocacy"}, 0),
    ({"country": "THA", "objective": 1, "progress": "ongoing", "action_type": "training"}, 10),
]


@pytest.mark.parametrize(("form", "expected"), COUNTRY_AND_KINDS)
def test_every_slice_of_a_country_and_kinds_is_the_querysets(kinds, form, expected):
    _assert_kept_slices_are_the_querysets(form, PublishedActions, expected)


def test_two_kinds_at_once_show_their_count(client, kinds):
    response = client.get(
        reverse("dashboards:action-list"), {"objective": 13, "action_type": "advocacy"}
    )

    # Objective 13's advocacy: the third (4 and 13) and the fifth (13) of the six.
    assert "2 published actions" in response.content.decode()
    assert _cards(response) == _keys(
        selectors.action_list().filter(
            action_type="advocacy", recommendations__objectives__number=13
        )
    )


def test_the_list_of_one_kind_shows_its_kept_count(client, kinds):
    # The counts are the kept ones: a kept count set wrong shows (repair_counts mends it).
    PublishedActionCount.objects.filter(facet="objective", value="4").update(count=30)

    response = client.get(reverse("dashboards:action-list"), {"objective": 4})

    assert "30 published actions" in response.content.decode()
    assert len(_cards(response)) == 4


@pytest.fixture
def organisations(actions):
    """Besides the thirteen (led by organisations of their own), an organisation that leads four
    published actions and partners four, one of them both (as the admin and seed_synthetic
    allow), some at the same moments as the thirteen or as each other, and leads and partners a
    draft each; another that partners two of its led ones; a third that leads and partners a
    draft only."""
    busy, other = factories.StakeholderFactory(), factories.StakeholderFactory()
    newest_two = list(selectors.action_list()[:2])
    moments = [
        datetime.datetime(2025, 5, 2, 0, 30, tzinfo=BANGKOK),
        datetime.datetime(2025, 5, 2, 6, 0, tzinfo=BANGKOK),
        datetime.datetime(2025, 4, 29, 9, 0, tzinfo=BANGKOK),
        datetime.datetime(2025, 5, 2, 6, 0, tzinfo=BANGKOK),
    ]
    led = [
        factories.PublishedActionFactory(lead_stakeholder=busy, published_at=moment)
        for moment in moments
    ]
    for action in [*led[2:], *factories.PublishedActionFactory.create_batch(2)]:
        action.partners.add(busy)
    for action in newest_two:
        action.partners.add(busy)
    for action in led[:2]:
        action.partners.add(other)
    factories.FollowUpActionFactory(lead_stakeholder=busy)
    factories.FollowUpActionFactory().partners.add(busy)
    idle = factories.StakeholderFactory()
    factories.FollowUpActionFactory(lead_stakeholder=idle).partners.add(idle)
    # Partners added to published actions (only out of band: the services and the admin forbid
    # it) reach the organisations' kept lists through repair_counts.
    summary_counts_repair()
    return busy, other, idle


@pytest.mark.parametrize(("index", "expected"), [(0, 8), (1, 2), (2, 0)])
def test_every_slice_of_an_organisations_actions_is_the_querysets(organisations, index, expected):
    form = {"stakeholder": organisations[index].slug}
    _assert_kept_slices_are_the_querysets(form, PublishedActionsBy, expected)


# The busy organisation's eight: three of its four led ones given Thailand, Fiji, and both
# (oldest first: each also has a country of its own, as the fourth); the two it only partners
# of the factory's, elsewhere; the newest two of the thirteen, in Thailand (i = 7) and in
# Thailand and Fiji (i = 6). Thailand: 2 + 2, Fiji: 2 + 1; none in Nepal.
ORGANISATION_AND_COUNTRY = [("THA", 4), ("FJI", 3), ("NPL", 0)]


@pytest.mark.parametrize(("country", "expected"), ORGANISATION_AND_COUNTRY)
def test_every_slice_of_an_organisation_in_a_country_is_the_querysets(
    organisations, country, expected
):
    thailand, fiji = Country.objects.get(iso3="THA"), Country.objects.get(iso3="FJI")
    factories.CountryFactory(iso3="NPL")
    busy = organisations[0]
    led = FollowUpAction.objects.filter(lead_stakeholder=busy, review_state="published")
    for action, countries in zip(
        led.order_by("published_at", "id"), ([thailand], [fiji], [thailand, fiji]), strict=False
    ):
        action.countries.add(*countries)
    # So do countries added to published actions.
    summary_counts_repair()

    form = {"stakeholder": busy.slug, "country": country}
    _assert_kept_slices_are_the_querysets(form, PublishedActionsBy, expected)


def test_an_organisation_and_a_kind_go_the_filters_way(client, organisations):
    filterset = ActionFilter(
        {"stakeholder": organisations[0].slug, "action_type": "training"},
        queryset=selectors.action_list(),
    )
    assert filterset.is_valid()

    assert kept_pages(filterset) is None
