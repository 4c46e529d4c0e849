import io

import pytest
from django.core.management import call_command

from .reports import REFERENCE_FIXTURES


@pytest.fixture
def reference_data(db):
    """Objectives, principles, tags, countries and stakeholders: no consultation."""
    call_command("loaddata", *REFERENCE_FIXTURES, stdout=io.StringIO())
