"""`manage.py compilemessages`, which also works without GNU gettext.

Django's command runs GNU gettext's msgfmt, which a fresh machine (or a slim container) may not
have. When msgfmt is missing (or with --babel), this one writes the same .mo files with Babel's
pure-Python reader and writer instead, skipping fuzzy entries unless --use-fuzzy, and fails, as
msgfmt --check-format would, when a translation loses or adds a placeholder. Everything else
(which directories, --locale, --exclude, --ignore, up-to-date files skipped) is Django's.
"""

import re
import sys
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from django.core.management.commands import compilemessages
from django.core.management.utils import find_command

PLACEHOLDER = re.compile(r"%\(\w+\)[sdfir]|%[sdfir]|\{\w*\}")


def placeholder_errors(message) -> list[str]:
    """What msgfmt --check-format would say of a python-format or python-brace-format entry:
    a translation must keep the placeholders of its source (a plural form may leave the count
    out, as "une action" for one)."""
    if (
        not message.id
        or not message.string
        or not {"python-format", "python-brace-format"} & (message.flags)
    ):
        return []
    ids = message.id if isinstance(message.id, tuple) else (message.id,)
    strings = message.string if isinstance(message.string, tuple) else (message.string,)
    wanted = set(PLACEHOLDER.findall(ids[-1]))
    errors = []
    for string in strings:
        found = set(PLACEHOLDER.findall(string))
        if string and (found - wanted or (not message.pluralizable and found != wanted)):
            errors.append(f"the translation of {ids[0]!r} does not keep its placeholders")
    return errors


class Command(compilemessages.Command):
    help = compilemessages.Command.help + " Uses Babel when GNU gettext's msgfmt is missing."

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument(
            "--babel",
            action="store_true",
            help="Compile with Babel even when msgfmt is installed.",
        )

    def handle(self, **options):
        self.use_babel = options["babel"] or find_command("msgfmt") is None
        self.use_fuzzy = options["fuzzy"]
        if self.use_babel:
            # Django's handle() insists that its program exists before it walks the locale
            # directories; ours is Python itself, and compile_messages() below never runs it.
            self.program = sys.executable
        super().handle(**options)

    def compile_messages(self, locations):
        if not self.use_babel:
            return super().compile_messages(locations)
        for dirpath, filename in locations:
            po_path = Path(dirpath) / filename
            mo_path = po_path.with_suffix(".mo")
            if mo_path.exists() and mo_path.stat().st_mtime >= po_path.stat().st_mtime:
                continue
            if self.verbosity > 0:
                self.stdout.write(f"processing file {filename} in {dirpath} (Babel)")
            self.compile_one(po_path, mo_path)

    def compile_one(self, po_path: Path, mo_path: Path) -> None:
        with po_path.open("rb") as po:
            try:
                catalog = read_po(po, abort_invalid=True)
            except Exception as error:  # Babel's PoFileError, and worse
                self.stderr.write(f"{po_path}: {error}")
                self.has_errors = True
                return
        for message in catalog:
            for error in placeholder_errors(message):
                self.stderr.write(f"{po_path}:{message.lineno}: {error}")
                self.has_errors = True
        if self.has_errors:
            return
        with mo_path.open("wb") as mo:
            write_mo(mo, catalog, use_fuzzy=self.use_fuzzy)
