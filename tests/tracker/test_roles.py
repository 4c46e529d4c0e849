import pytest

pytestmark = pytest.mark.django_db


def test_staff_may_record_and_review_country_assessments(staff):
    assert [
        staff.has_perm(f"tracker.{codename}")
        for codename in ("record_official", "review_assessmentsubmission", "view_assessment")
    ] == [True, True, True]


def test_contributors_may_write_but_not_review_country_assessments(contributor_a):
    assert [
        contributor_a.has_perm(f"tracker.{codename}")
        for codename in (
            "add_assessmentsubmission",
            "change_assessmentsubmission",
            "record_official",
            "review_assessmentsubmission",
        )
    ] == [True, True, False, False]
