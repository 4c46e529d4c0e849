"""Every catalogue is complete, current and valid: no untranslated or fuzzy entry, nothing the
canonical makemessages command (`make messages`) would add, every placeholder kept and the
plural forms each language has. A missing catalogue fails too."""

import contextlib
import re
import shutil
import subprocess

import pytest
from babel.messages.pofile import read_po
from django.conf import settings
from django.core.management import call_command
from django.core.management.utils import find_command
from django.test import override_settings

from gcm_tracker.i18n.management.commands.compilemessages import placeholder_errors

from .catalogues import LOCALES, PLURAL_FORMS, load, po_path

# The command of the Makefile's `messages` target, word for word (docs/translating.md).
MAKEMESSAGES_OPTIONS = {
    "locale": ["fr", "ru", "zh_Hans"],
    "add_location": "file",
    "ignore_patterns": [".venv/*", "tests/*", "bench/*", "*/node_modules/*", "static/vendor/*"],
    "verbosity": 0,
}
LANGUAGES = list(LOCALES)


def _strings(message) -> tuple[str, ...]:
    return message.string if isinstance(message.string, tuple) else (message.string,)


def _messages(catalogue):
    return [message for message in catalogue if message.id]


def test_the_makefile_runs_the_command_these_tests_check():
    makefile = (settings.BASE_DIR / "Makefile").read_text()
    for pattern in MAKEMESSAGES_OPTIONS["ignore_patterns"]:
        assert f'--ignore "{pattern}"' in makefile
    assert "LOCALES := --locale fr --locale ru --locale zh_Hans" in makefile
    assert "makemessages $(LOCALES) --add-location file $(MAKEMESSAGES_IGNORE)" in makefile


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_entry_is_translated_and_none_is_fuzzy(language):
    catalogue = load(language)
    untranslated = [m.id for m in _messages(catalogue) if not all(_strings(m))]
    fuzzy = [m.id for m in _messages(catalogue) if m.fuzzy]
    assert (untranslated, fuzzy) == ([], [])


@pytest.mark.parametrize("language", LANGUAGES)
def test_placeholders_are_kept(language):
    catalogue = load(language)
    assert [error for m in _messages(catalogue) for error in placeholder_errors(m)] == []


# French puts a non-breaking space (U+00A0 or the narrow U+202F) before : ; ? ! and inside « »,
# so that a line never breaks between the mark and its word. A plain space, or none, is a slip;
# placeholders, addresses and code (an HTTP header) are not French prose.
FRENCH_SPACING = re.compile(
    r"(?:[^\u00a0\u202f]|^)[:;?!](?=\s|$)"  # a mark after a plain space, or after nothing
    r"|«(?![\u00a0\u202f])|(?<![\u00a0\u202f])»"  # guillemets without theirs
)
NOT_PROSE = re.compile(r"%\(\w+\)s|\{\{[^}]*\}\}|https?://\S+|<code>.*?</code>")


def test_french_punctuation_has_its_non_breaking_space():
    catalogue = load("fr")

    slips = [
        text
        for message in _messages(catalogue)
        for text in _strings(message)
        if FRENCH_SPACING.search(NOT_PROSE.sub("x", text))
    ]

    assert slips == []


@pytest.mark.parametrize("language", LANGUAGES)
def test_plural_forms_are_the_languages(language):
    catalogue = load(language)
    assert catalogue.num_plurals == PLURAL_FORMS[language]
    wrong = [
        m.id
        for m in _messages(catalogue)
        if m.pluralizable and len(_strings(m)) != PLURAL_FORMS[language]
    ]
    assert wrong == []


@pytest.mark.skipif(find_command("msgfmt") is None, reason="GNU gettext's msgfmt is not installed")
@pytest.mark.parametrize("language", LANGUAGES)
def test_msgfmt_accepts_the_catalogue(language, tmp_path):
    load(language)
    result = subprocess.run(
        ["msgfmt", "--check", "-o", str(tmp_path / "django.mo"), str(po_path(language))],
        capture_output=True,
        text=True,
    )
    assert (result.returncode, result.stderr) == (0, "")


@pytest.fixture(scope="module")
def remade(tmp_path_factory):
    """The catalogues as `make messages` would leave them, made in a copy of the sources (so
    that the real catalogues are never touched)."""
    copy = tmp_path_factory.mktemp("project") / "project"
    shutil.copytree(
        settings.BASE_DIR,
        copy,
        ignore=shutil.ignore_patterns(
            ".*", "tests", "bench", "node_modules", "staticfiles", "media", "__pycache__", "*.mo"
        ),
    )
    (copy / "locale").mkdir(exist_ok=True)
    with contextlib.chdir(copy), override_settings(LOCALE_PATHS=[copy / "locale"]):
        call_command("makemessages", **MAKEMESSAGES_OPTIONS)
    return copy / "locale"


@pytest.mark.parametrize("language", LANGUAGES)
def test_makemessages_would_add_nothing(language, remade):
    catalogue = load(language)
    with po_path(language, remade).open("rb") as po:
        current = read_po(po)
    added = {m.id for m in _messages(current)} - {m.id for m in _messages(catalogue)}
    assert sorted(added, key=str) == []
