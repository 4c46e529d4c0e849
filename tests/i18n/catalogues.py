"""The interface's catalogues as the tests read them (Babel's reader)."""

from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from django.conf import settings
from django.core.management import call_command

# Our language codes and their catalogues' directories (locale/<dir>/LC_MESSAGES/django.po).
LOCALES = {"fr": "fr", "ru": "ru", "zh-hans": "zh_Hans"}
# CLDR's plural forms: French one/other, Russian one/few/many, Chinese a single form.
PLURAL_FORMS = {"fr": 2, "ru": 3, "zh-hans": 1}
LOCALE_DIR = Path(settings.BASE_DIR) / "locale"


def po_path(language: str, base: Path = LOCALE_DIR) -> Path:
    return base / LOCALES[language] / "LC_MESSAGES" / "django.po"


def load(language: str, base: Path = LOCALE_DIR):
    """The catalogue of `language`; a test fails when there is none."""
    path = po_path(language, base)
    if not path.exists():
        pytest.fail(f"No catalogue for {language} ({path.relative_to(settings.BASE_DIR)}).")
    with path.open("rb") as po:
        return read_po(po, abort_invalid=True)


def compile_catalogues() -> None:
    """Compile the catalogues as `make test` does (files already up to date are skipped), so
    that tests of translated pages run on the .po files as they are, even under plain pytest."""
    if LOCALE_DIR.exists():
        call_command(
            "compilemessages",
            locale=[d.name for d in LOCALE_DIR.iterdir() if d.is_dir()],
            ignore_patterns=[".venv/*", "*/node_modules/*"],
            verbosity=0,
        )
