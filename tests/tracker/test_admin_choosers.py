"""Admin forms pick recommendations, countries and organisations through autocomplete widgets:
with hundreds of rows a form lists none of them as options (issue 13)."""

import pytest

from gcm_tracker.tracker.models import Recommendation
from tests.factories import (
    ConsultationFactory,
    CountryFactory,
    FollowUpActionFactory,
    StakeholderFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def many_rows(db):
    consultation = ConsultationFactory()
    Recommendation.objects.bulk_create(
        Recommendation(
            consultation=consultation,
            paragraph=n,
            reference=f"{consultation.slug}-{n}",
            text=f"Measure {n}.",
        )
        for n in range(1, 201)
    )
    CountryFactory.create_batch(60)
    StakeholderFactory.create_batch(60)


@pytest.mark.parametrize(
    "path",
    [
        "/admin/tracker/followupaction/add/",
        "/admin/tracker/goodpractice/add/",
        "/admin/tracker/accountrequest/add/",
        "/admin/tracker/stakeholder/add/",
        "/admin/tracker/consultation/add/",
    ],
)
def test_admin_add_forms_list_no_recommendation_country_or_organisation(
    admin_client, many_rows, path
):
    html = admin_client.get(path).content.decode()

    assert "Measure 1." not in html
    assert "Country Q" not in html  # CountryFactory's names
    assert "Organisation " not in html.replace("Organisation type", "")
    assert html.count("<option") < 60


def test_admin_action_change_form_lists_only_what_is_linked(admin_client, many_rows):
    linked, other = (
        list(Recommendation.objects.order_by("id")[:2]),
        Recommendation.objects.order_by("id")[2],
    )
    action = FollowUpActionFactory(
        recommendations=linked,
        countries=[CountryFactory(iso3="THA", short_name="Thailand")],
    )

    html = admin_client.get(f"/admin/tracker/followupaction/{action.pk}/change/").content.decode()

    assert all(f"selected>{r}</option>" in html for r in linked)
    assert f">{other}<" not in html
    assert html.count("<option") < 60
