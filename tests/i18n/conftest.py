import pytest

from tests.factories import CountryFactory


@pytest.fixture
def thailand(db):
    return CountryFactory(iso3="THA", name="Thailand", short_name="Thailand")
