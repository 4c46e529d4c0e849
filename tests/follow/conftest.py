import pytest

from tests.factories import CountryFactory


@pytest.fixture
def thailand(db):
    """The country the digests, reminders and feeds of these tests are about; assessments of it
    come from staff and from contributor A (tests/conftest.py)."""
    return CountryFactory(iso3="THA", short_name="Thailand")
