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
