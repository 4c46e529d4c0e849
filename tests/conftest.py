import datetime
import io

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.utils import translation

from gcm_tracker.briefings import packs
from gcm_tracker.briefings.models import BriefingPack, PackState

from .factories import (
    ContributorFactory,
    RecommendationFactory,
    StaffFactory,
    StakeholderFactory,
    UserFactory,
    set_status,
)

# The fixtures that start a Chromium (tests/browser/conftest.py, the Lighthouse audit's).
BROWSER_FIXTURES = {"browser", "chromium_port"}


@pytest.hookimpl(tryfirst=True)  # before `-m` deselects by marker
def pytest_collection_modifyitems(items):
    for item in items:
        if BROWSER_FIXTURES & set(item.fixturenames):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    # Hashing strength is production's concern; tests create many users.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(scope="session", autouse=True)
def _compiled_catalogues():
    # Pages in French, Russian and Chinese need the compiled catalogues (make test compiles
    # them too; this covers a test run on its own).
    from tests.i18n.catalogues import compile_catalogues

    compile_catalogues()


@pytest.fixture(autouse=True)
def _back_to_english():
    # A request in another language leaves it active in this thread, as Django's own
    # LocaleMiddleware does: without this, a test after one that asked for French ran its
    # service code (e-mails, seed messages) in French.
    yield
    translation.activate("en")


@pytest.fixture(autouse=True)
def _empty_cache():
    # The public aggregates are cached; each test starts from a cold cache.
    cache.clear()


@pytest.fixture(autouse=True)
def _open_data_dir(settings, tmp_path):
    # Open-data files are built into the test's own directory, never the checkout's media/.
    settings.OPEN_DATA_DIR = tmp_path / "open-data"
    # Briefing packs likewise.
    settings.BRIEFING_PACK_DIR = tmp_path / "briefing-packs"


@pytest.fixture
def seed(db):
    """The seed data of fixtures/, as `make run` loads it."""
    call_command("load_seed", stdout=io.StringIO())


@pytest.fixture
def staff(db):
    """Persona: an ESCAP staff member who sets statuses."""
    return StaffFactory(username="staff")


@pytest.fixture
def outsider(db):
    """Persona: a signed-in user with no staff rights."""
    return UserFactory(username="outsider")


@pytest.fixture
def staff_client(client, staff):
    client.force_login(staff)
    return client


@pytest.fixture
def status_change(staff):
    """A recommendation moved once, from No information to Limited progress."""
    return set_status(RecommendationFactory(), staff, reason="Pilot programme started.")


@pytest.fixture
def titled_recommendation(db):
    """A recommendation whose short title holds markup (to be escaped), with a French title."""
    return RecommendationFactory(short_title="Firewall <script>", short_title_fr="Pare-feu")


@pytest.fixture
def organisation_a(db):
    return StakeholderFactory(slug="organisation-a", name="Organisation A")


@pytest.fixture
def organisation_b(db):
    return StakeholderFactory(slug="organisation-b", name="Organisation B")


@pytest.fixture
def contributor_a(organisation_a):
    """Persona: a contributor of organisation A."""
    return ContributorFactory(username="contributor-a", organisation=organisation_a)


@pytest.fixture
def contributor_b(organisation_b):
    """Persona: a contributor of organisation B."""
    return ContributorFactory(username="contributor-b", organisation=organisation_b)


@pytest.fixture
def briefing_pack(db):
    """Makes a PDF briefing pack of Thailand for 2024, as the pack form asks for it; the test
    gives its state, progress and file."""

    def briefing_pack(**fields) -> BriefingPack:
        return BriefingPack.objects.create(
            **{
                "kind": "country",
                "subject": "THA",
                "start": datetime.date(2024, 1, 1),
                "end": datetime.date(2024, 12, 31),
                "format": "pdf",
                "language": "en",
                "generation": 1,
            }
            | fields
        )

    return briefing_pack


@pytest.fixture
def ready_pack(briefing_pack):
    """A ready PDF pack of Thailand for 2024, with its file (not a real PDF)."""
    pack = briefing_pack(state=PackState.READY, file="pack-ready.pdf", progress=100)
    packs.pack_dir().mkdir(parents=True, exist_ok=True)
    (packs.pack_dir() / pack.file).write_bytes(b"%PDF-1.7 test")
    return pack
