"""Contributors' civil-society country assessments in the workspace: choosing the cell, writing,
submitting, editing and withdrawing their organisation's assessments."""

import pytest
from django.urls import reverse

from gcm_tracker.tracker import services
from gcm_tracker.tracker.enums import RecommendationScope, ReviewState
from gcm_tracker.tracker.enums import RecommendationStatus as Status
from gcm_tracker.tracker.models import AssessmentSubmission
from tests.factories import (
    AssessmentSubmissionFactory,
    CountryFactory,
    RecommendationFactory,
    StaffFactory,
    submit_civil_society,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def thailand(db):
    return CountryFactory(iso3="THA", name="Thailand")


@pytest.fixture
def recommendation(db):
    return RecommendationFactory(text="Governments should end child immigration detention.")


@pytest.fixture
def contributor_client(client, contributor_a):
    client.force_login(contributor_a)
    return client


def _form(**overrides):
    return {
        "status": Status.LIMITED,
        "summary": "Two provinces run community placement.",
        "source_title": "Shadow report 2024",
        "source_url": "https://example.org/shadow",
        "source_date": "2024-03-01",
        "effective_date": "2024-02-15",
    } | overrides


def _create_url(recommendation, country):
    return reverse("workspace:assessment-create", args=[recommendation.reference, country.iso3])


def test_chooser_search_lists_matching_recommendations_only(contributor_client, recommendation):
    RecommendationFactory(text="Governments should train border officials.")

    response = contributor_client.get(reverse("workspace:assessment-choose"), {"q": "detention"})

    assert response.status_code == 200
    assert response.context["results"] == [recommendation]


def test_chooser_search_shows_at_most_twenty_matches(contributor_client):
    RecommendationFactory.create_batch(21, text="Governments should act on detention.")

    response = contributor_client.get(reverse("workspace:assessment-choose"), {"q": "detention"})

    assert len(response.context["results"]) == 20
    assert response.context["more"] is True
    assert "The first 20 matches are shown" in response.content.decode()


def test_chooser_offers_only_the_countries_the_recommendation_applies_to(
    contributor_client, recommendation, thailand
):
    CountryFactory(iso3="QAT", membership="non_member", subregion="")

    response = contributor_client.get(
        reverse("workspace:assessment-choose"), {"recommendation": recommendation.reference}
    )

    country_field = response.context["country_form"].fields["country"]
    assert [c.iso3 for c in country_field.queryset] == ["THA"]


def test_chooser_with_a_country_goes_to_the_cell_form(contributor_client, recommendation, thailand):
    response = contributor_client.get(
        reverse("workspace:assessment-choose"),
        {"recommendation": recommendation.reference, "country": "THA"},
    )

    assert response["Location"] == _create_url(recommendation, thailand)


def test_chooser_with_an_unknown_reference_answers_404_with_a_message(contributor_client):
    response = contributor_client.get(
        reverse("workspace:assessment-choose"), {"recommendation": "no-such-1"}
    )

    assert response.status_code == 404
    assert "No recommendation has the reference “no-such-1”." in response.content.decode()


def test_regional_recommendation_cannot_be_assessed_for_a_country(contributor_client, thailand):
    regional = RecommendationFactory(scope=RecommendationScope.REGIONAL)

    response = contributor_client.post(_create_url(regional, thailand), _form())

    assert response.status_code == 404
    assert AssessmentSubmission.objects.count() == 0


def test_contributor_saves_a_draft_assessment(
    contributor_client, contributor_a, organisation_a, recommendation, thailand
):
    response = contributor_client.post(
        _create_url(recommendation, thailand), _form(stakeholder=organisation_a.pk, save="")
    )

    submission = AssessmentSubmission.objects.get()
    assert response["Location"] == reverse("workspace:assessment-detail", args=[submission.pk])
    assert (
        submission.recommendation,
        submission.country,
        submission.stakeholder,
        submission.status,
        submission.review_state,
        submission.source_url,
    ) == (
        recommendation,
        thailand,
        organisation_a,
        Status.LIMITED,
        ReviewState.DRAFT,
        "https://example.org/shadow",
    )


def test_contributor_saves_and_submits_in_one_go(
    contributor_client, organisation_a, recommendation, thailand
):
    contributor_client.post(
        _create_url(recommendation, thailand), _form(stakeholder=organisation_a.pk, submit="")
    )

    assert list(AssessmentSubmission.objects.values_list("review_state", flat=True)) == [
        ReviewState.SUBMITTED
    ]


def test_contributor_cannot_write_for_another_organisation(
    contributor_client, organisation_b, recommendation, thailand
):
    response = contributor_client.post(
        _create_url(recommendation, thailand), _form(stakeholder=organisation_b.pk)
    )

    assert response.status_code == 200
    assert list(response.context["form"].errors) == ["stakeholder"]
    assert AssessmentSubmission.objects.count() == 0


def test_assessment_without_summary_is_refused_and_nothing_is_written(
    contributor_client, organisation_a, recommendation, thailand
):
    response = contributor_client.post(
        _create_url(recommendation, thailand), _form(stakeholder=organisation_a.pk, summary="")
    )

    assert response.context["form"].errors == {"summary": ["This field is required."]}
    assert AssessmentSubmission.objects.count() == 0


def test_workspace_lists_the_organisations_assessments_only(
    contributor_client, organisation_a, organisation_b
):
    own = [
        AssessmentSubmissionFactory(stakeholder=organisation_a),
        AssessmentSubmissionFactory(stakeholder=organisation_a, review_state=ReviewState.PUBLISHED),
    ]
    AssessmentSubmissionFactory(stakeholder=organisation_b)

    response = contributor_client.get(reverse("workspace:home"))

    assert sorted(s.pk for s in response.context["assessments"]) == sorted(s.pk for s in own)


def test_another_organisations_assessment_answers_404(contributor_client, organisation_b):
    theirs = AssessmentSubmissionFactory(stakeholder=organisation_b)

    response = contributor_client.get(reverse("workspace:assessment-detail", args=[theirs.pk]))

    assert response.status_code == 404


def test_contributor_edits_a_returned_assessment(contributor_client, organisation_a):
    submission = AssessmentSubmissionFactory(
        stakeholder=organisation_a, review_state=ReviewState.RETURNED, review_note="Which law?"
    )

    response = contributor_client.post(
        reverse("workspace:assessment-edit", args=[submission.pk]),
        _form(status=Status.SUBSTANTIAL, version=submission.version, save=""),
    )

    submission.refresh_from_db()
    assert response["Location"] == reverse("workspace:assessment-detail", args=[submission.pk])
    assert (submission.status, submission.summary, submission.stakeholder) == (
        Status.SUBSTANTIAL,
        "Two provinces run community placement.",
        organisation_a,
    )


def test_stale_edit_gets_409_and_writes_nothing(contributor_client, organisation_a):
    submission = AssessmentSubmissionFactory(stakeholder=organisation_a, version=3)

    response = contributor_client.post(
        reverse("workspace:assessment-edit", args=[submission.pk]),
        _form(status=Status.IMPLEMENTED, version=2),
    )

    submission.refresh_from_db()
    assert response.status_code == 409
    assert response.context["form"]["version"].value() == 3
    assert (submission.status, submission.version) == (Status.LIMITED, 3)


def test_submitted_assessment_cannot_be_edited(contributor_client, organisation_a):
    submission = AssessmentSubmissionFactory(
        stakeholder=organisation_a, review_state=ReviewState.SUBMITTED
    )

    response = contributor_client.post(
        reverse("workspace:assessment-edit", args=[submission.pk]),
        _form(status=Status.IMPLEMENTED, version=submission.version),
    )

    submission.refresh_from_db()
    assert response["Location"] == reverse("workspace:assessment-detail", args=[submission.pk])
    assert submission.status == Status.LIMITED


def test_contributor_submits_a_draft(contributor_client, organisation_a):
    submission = AssessmentSubmissionFactory(stakeholder=organisation_a)

    contributor_client.post(reverse("workspace:assessment-submit", args=[submission.pk]))

    submission.refresh_from_db()
    assert submission.review_state == ReviewState.SUBMITTED


def test_contributor_withdraws_a_draft(contributor_client, organisation_a):
    submission = AssessmentSubmissionFactory(stakeholder=organisation_a)

    response = contributor_client.post(
        reverse("workspace:assessment-withdraw", args=[submission.pk])
    )

    assert response["Location"] == reverse("workspace:home")
    assert AssessmentSubmission.objects.filter(pk=submission.pk).exists() is False


def test_published_assessment_cannot_be_withdrawn(contributor_client, organisation_a):
    submission = AssessmentSubmissionFactory(
        stakeholder=organisation_a, review_state=ReviewState.PUBLISHED
    )

    response = contributor_client.post(
        reverse("workspace:assessment-withdraw", args=[submission.pk])
    )

    assert response["Location"] == reverse("workspace:assessment-detail", args=[submission.pk])
    assert AssessmentSubmission.objects.filter(pk=submission.pk).exists() is True


def test_contributor_edits_and_submits_in_one_go(contributor_client, organisation_a):
    submission = AssessmentSubmissionFactory(stakeholder=organisation_a, version=1)

    contributor_client.post(
        reverse("workspace:assessment-edit", args=[submission.pk]),
        _form(version=1, submit=""),
    )

    submission.refresh_from_db()
    assert (submission.review_state, submission.summary) == (
        ReviewState.SUBMITTED,
        "Two provinces run community placement.",
    )


# Submit and withdraw name the version the page showed: a press on a stale page does nothing. ----


@pytest.mark.parametrize("step", ["submit", "withdraw"])
def test_submit_or_withdraw_on_a_stale_page_answers_409_and_changes_nothing(
    contributor_client, contributor_a, recommendation, thailand, refused_as_stale, step
):
    submission = submit_civil_society(recommendation, thailand, contributor_a, submit=False)
    seen_on = "detail" if step == "submit" else "withdraw"
    page = reverse(f"workspace:assessment-{seen_on}", args=[submission.pk])
    assert (
        '<input type="hidden" name="version" value="1">'
        in contributor_client.get(page).content.decode()
    )
    # Meanwhile it was submitted and returned: a second, stale press must not act on it again.
    services.assessment_submission_submit(submission=submission, author=contributor_a)
    services.assessment_submission_return(
        submission=submission, reviewer=StaffFactory(), reason="Name the source."
    )

    response = contributor_client.post(
        reverse(f"workspace:assessment-{step}", args=[submission.pk]), {"version": "1"}
    )

    submission.refresh_from_db()
    done = {"submit": "submitted", "withdraw": "withdrawn"}[step]
    refused_as_stale(
        response,
        "This assessment changed after you opened it",
        "This assessment changed after you opened it: it is now “Returned for changes”, version "
        f"3, so it was not {done}. Review it as it is now and try again.",
        version=3,
    )
    assert (submission.review_state, submission.version) == (ReviewState.RETURNED, 3)


@pytest.mark.parametrize("step", ["submit", "withdraw"])
def test_submit_or_withdraw_with_the_version_seen_goes_ahead(
    contributor_client, contributor_a, recommendation, thailand, step
):
    submission = submit_civil_society(recommendation, thailand, contributor_a, submit=False)

    response = contributor_client.post(
        reverse(f"workspace:assessment-{step}", args=[submission.pk]), {"version": "1"}
    )

    assert response.status_code == 302
    assert list(AssessmentSubmission.objects.values_list("review_state", flat=True)) == (
        [ReviewState.SUBMITTED] if step == "submit" else []
    )
