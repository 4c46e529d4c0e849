"""Staff record official country assessments: one cell (with a 409 on a stale save), or in bulk
from one government report, as a CSV file or a country × objective form, previewed with every
row's errors and confirmed in one transaction."""

import datetime

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.files.uploadedfile import SimpleUploadedFile
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.urls import reverse

from gcm_tracker.tracker import services
from gcm_tracker.tracker.enums import AssessmentVoice, RecommendationScope
from gcm_tracker.tracker.enums import RecommendationStatus as Status
from gcm_tracker.tracker.models import Assessment, AssessmentChange
from tests.factories import (
    ConsultationFactory,
    CountryFactory,
    ObjectiveFactory,
    RecommendationFactory,
    StaffFactory,
)

pytestmark = pytest.mark.django_db

SLUG = "border-governance-2020"


@pytest.fixture
def thailand(db):
    return CountryFactory(iso3="THA", name="Thailand")


@pytest.fixture
def nepal(db):
    return CountryFactory(iso3="NPL", name="Nepal", subregion="south_south_west_asia")


@pytest.fixture
def recommendations(db):
    """Paragraphs 87 and 88 under objective 13, and 26 under objective 4."""
    consultation = ConsultationFactory(slug=SLUG)
    thirteen, four = ObjectiveFactory(number=13), ObjectiveFactory(number=4)
    return {
        paragraph: RecommendationFactory(
            consultation=consultation, paragraph=paragraph, objectives=[objective]
        )
        for paragraph, objective in [(87, thirteen), (88, thirteen), (26, four)]
    }


def record(recommendation, country, user, **overrides):
    """An official assessment, written the only way there is."""
    arguments = {
        "recommendation": recommendation,
        "country": country,
        "status": Status.NOT_STARTED,
        "summary": "No plan yet.",
        "source_title": "Reply to ESCAP, 2023",
        "effective_date": datetime.date(2023, 1, 10),
        "recorded_by": user,
        "expected_version": None,
    }
    return services.assessment_record_official(**(arguments | overrides))


def _cell_url(recommendation, country):
    return reverse("workspace:official-record", args=[recommendation.reference, country.iso3])


def _form(**overrides):
    return {
        "status": Status.SUBSTANTIAL,
        "summary": "A law ends detention of children.",
        "source_title": "Voluntary GCM review of Thailand, 2024",
        "source_url": "https://example.org/review",
        "source_date": "2024-05-01",
        "effective_date": "2024-04-01",
        "reason": "",
        "version": "",
    } | overrides


def test_staff_record_an_official_assessment(staff_client, staff, recommendations, thailand):
    rec = recommendations[87]

    response = staff_client.post(_cell_url(rec, thailand), _form())

    assessment = Assessment.objects.get()
    assert response["Location"] == reverse("dashboards:country-detail", args=["THA"])
    assert (
        assessment.voice,
        assessment.recommendation,
        assessment.country,
        assessment.status,
        assessment.source_title,
        assessment.effective_date,
    ) == (
        AssessmentVoice.OFFICIAL,
        rec,
        thailand,
        Status.SUBSTANTIAL,
        "Voluntary GCM review of Thailand, 2024",
        datetime.date(2024, 4, 1),
    )
    assert list(AssessmentChange.objects.values_list("changed_by", flat=True)) == [staff.pk]


def test_record_returns_to_the_page_the_staff_member_came_from(
    staff_client, recommendations, thailand
):
    rec = recommendations[87]
    back = reverse("dashboards:recommendation-detail", args=[rec.reference])

    response = staff_client.post(_cell_url(rec, thailand), _form(next=back))

    assert response["Location"] == back


def test_record_never_redirects_to_another_site(staff_client, recommendations, thailand):
    response = staff_client.post(
        _cell_url(recommendations[87], thailand), _form(next="https://evil.example/")
    )

    assert response["Location"] == reverse("dashboards:country-detail", args=["THA"])


def test_form_shows_the_current_assessment_and_its_version(
    staff_client, staff, recommendations, thailand
):
    record(recommendations[87], thailand, staff)

    response = staff_client.get(_cell_url(recommendations[87], thailand))

    assert response.context["form"].initial["version"] == 1
    assert response.context["form"].initial["status"] == Status.NOT_STARTED


def test_stale_official_save_gets_409_with_the_current_value_and_writes_nothing(
    staff_client, recommendations, thailand
):
    colleague = StaffFactory(username="colleague", first_name="Ana", last_name="Reyes")
    rec = recommendations[87]
    record(rec, thailand, colleague, summary="Bill before parliament.", reason="New reply.")

    # This staff member opened the form before any assessment existed (version empty).
    response = staff_client.post(_cell_url(rec, thailand), _form(status=Status.IMPLEMENTED))

    content = response.content.decode()
    assert response.status_code == 409
    assert "Recorded by Ana Reyes" in content
    assert "Bill before parliament." in content
    assert response.context["form"]["version"].value() == 1
    assert list(Assessment.objects.values_list("status", flat=True)) == [Status.NOT_STARTED]
    assert AssessmentChange.objects.count() == 1


def test_official_save_without_a_source_is_refused(staff_client, recommendations, thailand):
    response = staff_client.post(_cell_url(recommendations[87], thailand), _form(source_title=""))

    assert response.status_code == 200
    assert response.context["form"].errors == {"source_title": ["This field is required."]}
    assert Assessment.objects.count() == 0


def test_official_assessment_outside_the_scope_answers_404(staff_client, thailand):
    regional = RecommendationFactory(scope=RecommendationScope.REGIONAL)

    response = staff_client.post(_cell_url(regional, thailand), _form())

    assert response.status_code == 404
    assert Assessment.objects.count() == 0


def test_contributor_cannot_record_official_assessments(
    client, contributor_a, recommendations, thailand
):
    client.force_login(contributor_a)

    response = client.post(_cell_url(recommendations[87], thailand), _form())

    assert response.status_code == 403
    assert Assessment.objects.count() == 0


# The CSV import.

HEADER = "reference,ISO3,status,effective date,source title,source link,summary\n"


def _csv(*lines):
    return HEADER + "".join(line + "\n" for line in lines)


def _upload(client, text, name="report.csv"):
    return client.post(
        reverse("workspace:official-import"),
        {"file": SimpleUploadedFile(name, text.encode("utf-8"), content_type="text/csv")},
    )


def _row(paragraph, iso3, status="Substantial progress", date="2024-04-01"):
    return (
        f"{SLUG}-{paragraph},{iso3},{status},{date},Voluntary GCM review 2024,"
        f'https://example.org/review,"Summary for {paragraph}, {iso3}."'
    )


def test_import_preview_lists_every_row_and_writes_nothing(
    staff_client, staff, recommendations, thailand, nepal
):
    record(recommendations[87], thailand, staff)

    response = _upload(staff_client, _csv(_row(87, "THA"), _row(88, "npl", "limited_progress")))

    preview = response.context["preview"]
    assert response.status_code == 200
    assert [
        (p["row"]["line"], p["row"]["reference"], p["row"]["iso3"], p["status"], p["errors"])
        for p in preview
    ] == [
        (2, f"{SLUG}-87", "THA", Status.SUBSTANTIAL, []),
        (3, f"{SLUG}-88", "NPL", Status.LIMITED, []),
    ]
    assert [str(p["outcome"]) for p in preview] == ["Changed", "New"]
    assert list(Assessment.objects.values_list("status", flat=True)) == [Status.NOT_STARTED]


def test_import_preview_shows_each_rows_errors(staff_client, recommendations, thailand):
    response = _upload(
        staff_client,
        _csv(_row(87, "THA"), _row(999, "THA"), _row(88, "THA", "Almost done")),
    )

    errors = [bool(p["errors"]) for p in response.context["preview"]]
    assert errors == [False, True, True]
    assert response.context["error_count"] == 2
    assert "Save all" not in response.content.decode()
    assert Assessment.objects.count() == 0


def test_import_confirm_writes_every_row(staff_client, staff, recommendations, thailand, nepal):
    preview = _upload(staff_client, _csv(_row(87, "THA"), _row(88, "NPL")))
    hidden = preview.context["form"].initial

    response = staff_client.post(reverse("workspace:official-import"), hidden | {"confirm": ""})

    assert response["Location"] == reverse("workspace:home")
    assert sorted(
        Assessment.objects.values_list("recommendation__paragraph", "country__iso3", "status")
    ) == [(87, "THA", Status.SUBSTANTIAL), (88, "NPL", Status.SUBSTANTIAL)]


def test_import_confirm_with_an_invalid_row_writes_nothing(staff_client, recommendations, thailand):
    # A confirmation is checked again: a tampered or outdated text cannot slip a row through.
    text = _csv(_row(87, "THA"), _row(88, "THA", date="2999-01-01"))

    response = staff_client.post(
        reverse("workspace:official-import"), {"csv_text": text, "seen": "{}", "confirm": ""}
    )

    assert response.status_code == 200
    assert response.context["error_count"] == 1
    assert Assessment.objects.count() == 0


def test_import_confirm_after_a_cell_changed_gets_409_and_writes_nothing(
    staff_client, recommendations, thailand
):
    preview = _upload(staff_client, _csv(_row(87, "THA"), _row(88, "THA")))
    record(recommendations[87], thailand, StaffFactory(username="colleague"))

    response = staff_client.post(
        reverse("workspace:official-import"), preview.context["form"].initial | {"confirm": ""}
    )

    assert response.status_code == 409
    assert response.context["changed"] == [f"{SLUG}-87|THA"]
    assert list(Assessment.objects.values_list("status", flat=True)) == [Status.NOT_STARTED]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (HEADER + ",,,,,,\n", "The file names the columns but has no rows."),
        (
            "reference,iso3\nx,THA\n",
            "The first line must name the columns; missing: status, "
            "effective_date, source_title, source_url, summary.",
        ),
        (HEADER, "The file names the columns but has no rows."),
    ],
)
def test_import_of_a_file_that_is_not_the_table_says_why(staff_client, text, message):
    response = _upload(staff_client, text)

    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == [message]
    assert Assessment.objects.count() == 0


def test_import_of_an_empty_file_says_so(staff_client):
    response = _upload(staff_client, "")

    assert response.status_code == 200
    assert response.context["form"].errors == {"file": ["The submitted file is empty."]}


def test_import_without_a_file_says_what_to_do(staff_client):
    response = staff_client.post(reverse("workspace:official-import"), {})

    assert response.context["form"].errors == {"__all__": ["Choose a CSV file to upload."]}


def test_import_reads_a_windows_1252_file(staff_client, recommendations, thailand):
    text = _csv(_row(87, "THA")).replace("Summary for", "Résumé for")

    response = staff_client.post(
        reverse("workspace:official-import"),
        {"file": SimpleUploadedFile("r.csv", text.encode("cp1252"), content_type="text/csv")},
    )

    assert response.context["preview"][0]["row"]["summary"] == "Résumé for 87, THA."


# The country-by-objective form.


def _by_objective_url(country, objective):
    return reverse("workspace:official-by-objective") + f"?country={country}&objective={objective}"


def test_by_objective_form_lists_the_objectives_applicable_recommendations(
    staff_client, recommendations, thailand
):
    RecommendationFactory(
        consultation=recommendations[87].consultation,
        paragraph=91,
        objectives=[ObjectiveFactory(number=13)],
        scope=RecommendationScope.REGIONAL,
    )

    response = staff_client.get(_by_objective_url("THA", 13))

    assert [r.paragraph for r, _current, _form in response.context["rows"]] == [87, 88]


def test_by_objective_form_previews_the_chosen_rows(staff_client, recommendations, thailand):
    rec = recommendations[87]

    response = staff_client.post(
        _by_objective_url("THA", 13),
        {
            "source-source_title": "Voluntary GCM review of Thailand, 2024",
            "source-source_url": "https://example.org/review",
            "source-effective_date": "2024-04-01",
            f"r{rec.pk}-status": Status.IMPLEMENTED,
            f"r{rec.pk}-summary": "Done.",
            f"r{recommendations[88].pk}-status": "",
        },
    )

    assert [
        (p["row"]["reference"], p["row"]["status"], p["errors"])
        for p in response.context["preview"]
    ] == [(rec.reference, Status.IMPLEMENTED, [])]
    assert Assessment.objects.count() == 0


def test_by_objective_row_with_a_status_needs_a_summary(staff_client, recommendations, thailand):
    rec = recommendations[87]

    response = staff_client.post(
        _by_objective_url("THA", 13),
        {
            "source-source_title": "Report",
            "source-effective_date": "2024-04-01",
            f"r{rec.pk}-status": Status.IMPLEMENTED,
        },
    )

    _rec, _current, form = response.context["rows"][0]
    assert form.errors == {"summary": ["Summarise what the report says for this recommendation."]}


def test_by_objective_form_with_an_unknown_country_answers_400(staff_client, recommendations):
    response = staff_client.get(_by_objective_url("XXX", 13))

    assert response.status_code == 400


# The link pages show to whoever may record an official assessment.


def _assess_link(user, **context):
    request = RequestFactory().get("/")
    request.user = user
    return render_to_string("includes/assess_link.html", context, request=request).strip()


def test_assess_link_is_shown_to_staff_with_the_cell(staff, recommendations, thailand):
    html = _assess_link(staff, recommendation=recommendations[87], country=thailand)

    assert _cell_url(recommendations[87], thailand) in html


def test_assess_link_is_hidden_from_the_public(recommendations, thailand):
    assert _assess_link(AnonymousUser(), recommendation=recommendations[87], country=thailand) == ""


def test_official_chooser_goes_to_the_cell_form(staff_client, recommendations, thailand):
    response = staff_client.get(
        reverse("workspace:official-choose"),
        {"recommendation": recommendations[87].reference, "country": "THA"},
    )

    assert response["Location"] == _cell_url(recommendations[87], thailand)


def test_by_objective_form_preview_then_confirm_writes_the_rows(
    staff_client, staff, recommendations, thailand
):
    rec = recommendations[87]
    preview = staff_client.post(
        _by_objective_url("THA", 13),
        {
            "source-source_title": "Voluntary GCM review of Thailand, 2024",
            "source-effective_date": "2024-04-01",
            f"r{rec.pk}-status": Status.IMPLEMENTED,
            f"r{rec.pk}-summary": "Done.",
        },
    )

    response = staff_client.post(
        reverse("workspace:official-import"), preview.context["form"].initial | {"confirm": ""}
    )

    assert response["Location"] == reverse("workspace:home")
    assert list(
        Assessment.objects.values_list("recommendation", "country", "status", "source_title")
    ) == [(rec.pk, thailand.pk, Status.IMPLEMENTED, "Voluntary GCM review of Thailand, 2024")]
    assert list(AssessmentChange.objects.values_list("changed_by", flat=True)) == [staff.pk]


def test_import_of_too_many_rows_is_refused(staff_client, recommendations, thailand):
    response = _upload(staff_client, _csv(*[_row(87, "THA")] * 2001))

    assert response.context["form"].non_field_errors() == [
        "The file has more than 2000 rows; split it."
    ]
    assert Assessment.objects.count() == 0


def test_assess_link_for_a_contributor_offers_their_organisations_assessment(
    contributor_a, recommendations, thailand
):
    html = _assess_link(contributor_a, recommendation=recommendations[87], country=thailand)

    assert (
        reverse("workspace:assessment-create", args=[recommendations[87].reference, "THA"]) in html
    )
    assert "/workspace/official/" not in html


def test_workspace_offers_official_assessments_to_staff_only(client, staff, contributor_a):
    pages = {}
    for user in [staff, contributor_a]:
        client.force_login(user)
        response = client.get(reverse("workspace:home"))
        pages[user.username] = (
            response.context["records_official"],
            reverse("workspace:official-import") in response.content.decode(),
        )

    assert pages == {"staff": (True, True), "contributor-a": (False, False)}


def test_by_objective_form_lists_at_most_fifty_recommendations(staff_client, thailand):
    thirteen = ObjectiveFactory(number=13)
    RecommendationFactory.create_batch(51, objectives=[thirteen])

    response = staff_client.get(_by_objective_url("THA", 13))

    assert (len(response.context["rows"]), response.context["truncated"]) == (50, True)
