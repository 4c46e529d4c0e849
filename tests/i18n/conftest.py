import pytest
from django.utils import translation

from tests.factories import CountryFactory

from .catalogues import compile_catalogues


@pytest.fixture(scope="session", autouse=True)
def _compiled_catalogues():
    compile_catalogues()


@pytest.fixture(autouse=True)
def _back_to_english():
    # A request in another language leaves it active in this thread, as Django's own
    # LocaleMiddleware does; the next test starts in English.
    yield
    translation.activate("en")


@pytest.fixture
def thailand(db):
    return CountryFactory(iso3="THA", name="Thailand", short_name="Thailand")
