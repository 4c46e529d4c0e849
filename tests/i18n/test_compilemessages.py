"""`manage.py compilemessages` writes the .mo files with Babel where GNU gettext's msgfmt is
missing, and refuses a catalogue whose translation drops a placeholder, as msgfmt does."""

import contextlib
import gettext

import pytest
from django.core.management import CommandError, call_command
from django.test import override_settings

HEADER = """msgid ""
msgstr ""
"Content-Type: text/plain; charset=UTF-8\\n"
"Language: fr\\n"
"Plural-Forms: nplurals=2; plural=(n > 1);\\n"

"""


def _compile(tmp_path, entries: str):
    directory = tmp_path / "locale" / "fr" / "LC_MESSAGES"
    directory.mkdir(parents=True)
    (directory / "django.po").write_text(HEADER + entries, encoding="utf-8")
    with contextlib.chdir(tmp_path), override_settings(LOCALE_PATHS=[tmp_path / "locale"]):
        call_command("compilemessages", babel=True, verbosity=0)
    return directory / "django.mo"


def test_babel_writes_a_catalogue_gettext_reads(tmp_path):
    mo = _compile(
        tmp_path,
        'msgid "Countries"\nmsgstr "Pays"\n\n'
        '#, fuzzy\nmsgid "Objectives"\nmsgstr "Objectifs ?"\n\n'
        'msgid "%(count)d action"\nmsgid_plural "%(count)d actions"\n'
        'msgstr[0] "%(count)d action"\nmsgstr[1] "%(count)d actions"\n',
    )

    with mo.open("rb") as compiled:
        catalogue = gettext.GNUTranslations(compiled)
    assert catalogue.gettext("Countries") == "Pays"
    # A fuzzy entry is not used, as with msgfmt.
    assert catalogue.gettext("Objectives") == "Objectives"
    assert catalogue.ngettext("%(count)d action", "%(count)d actions", 2) == "%(count)d actions"


def test_a_lost_placeholder_is_refused(tmp_path, capsys):
    with pytest.raises(CommandError):
        _compile(
            tmp_path, '#, python-format\nmsgid "%(name)s joined"\nmsgstr "Quelqu’un a rejoint"\n'
        )

    assert not (tmp_path / "locale" / "fr" / "LC_MESSAGES" / "django.mo").exists()
