import pytest

from tests.factories import CountryFactory, RecommendationFactory


@pytest.fixture
def form_data(db):
    """A valid action form as a contributor posts it (the organisation left for the test)."""
    return {
        "lead_stakeholder": "",
        "title": "Legal clinic for stateless migrants",
        "description": "Weekly legal clinic in Sabah.",
        "recommendations": [RecommendationFactory().pk],
        "countries": [CountryFactory(iso3="MYS").pk],
        "action_type": "legal_aid",
        "progress": "ongoing",
        "start_date": "2021-02-01",
        "end_date": "",
        "evidence_urls": "https://example.org/clinic\nhttps://example.org/news",
    }


@pytest.fixture
def refused_as_stale():
    """Checks the answer to a submit or withdraw pressed on a stale page (an action's or an
    assessment's): 409, the heading and the message saying why, and the page's forms carrying
    the current version. Returns the page's HTML."""

    def refused_as_stale(response, heading: str, message: str, version: int) -> str:
        html = response.content.decode()
        assert response.status_code == 409
        assert heading in html
        assert message in html
        assert f'<input type="hidden" name="version" value="{version}">' in html
        return html

    return refused_as_stale
