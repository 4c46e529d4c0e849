import time
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.template.defaultfilters import filesizeformat
from django.utils.formats import date_format
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from ...enums import MeetingFormat
from ...importing.extract import report_check_size
from ...importing.parser import report_read
from ...importing.report import DROPPED_LABELS, ParagraphKind, ReportError
from ...importing.services import CHANGED, CREATED, SKIPPED, UNCHANGED, report_import
from ...models import Consultation


class Command(BaseCommand):
    help = _(
        "Import the recommendations and good practices of a consultation summary report (PDF or "
        "plain text). Importing the same report again changes nothing; importing a corrected "
        "report updates the texts that differ and lists the differences. Statuses and their "
        "history are never touched."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help=_("The report: a .pdf or .txt file."))
        parser.add_argument(
            "--consultation",
            metavar="SLUG",
            help=_(
                "The consultation the report belongs to (default: the file name without its "
                "extension). If none has this slug, it is created from the report's title page."
            ),
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help=_("Show what the import would do, and write nothing."),
        )

    def handle(self, *args, path, consultation=None, dry_run=False, **options):
        started = time.perf_counter()
        self.verbosity = options["verbosity"]
        file = Path(path)
        report = self._read(file)
        slug = consultation or slugify(file.stem)
        if not slug:
            raise CommandError(_("Give the consultation's slug with --consultation."))
        existing = Consultation.objects.filter(slug=slug).first()
        if existing is None:
            metadata = report.metadata
            self._say(
                _(
                    "There is no consultation “%(slug)s”: creating it from the report's title "
                    "page: “%(title)s”, %(date)s, %(format)s, objectives %(objectives)s."
                )
                % {
                    "slug": slug,
                    "title": metadata.title,
                    "date": date_format(metadata.date) if metadata.date else "?",
                    "format": MeetingFormat(metadata.format).label if metadata.format else "?",
                    "objectives": ", ".join(str(n) for n in metadata.objectives) or "?",
                }
            )
        self._say(
            _("Importing %(count)d paragraphs into “%(slug)s”…")
            % {"count": len(report.imported_paragraphs), "slug": slug}
        )
        try:
            summary = report_import(
                report=report,
                consultation=existing,
                slug="" if existing else slug,
                dry_run=dry_run,
            )
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        self._summarise(summary)
        self._say(_("Took %(seconds).2f s.") % {"seconds": time.perf_counter() - started})

    def _read(self, file: Path):
        try:
            if not file.is_file():
                raise CommandError(_("There is no file %(path)s.") % {"path": file})
            size = file.stat().st_size
            report_check_size(size=size, filename=file.name)
            self._say(
                _("Reading %(name)s (%(size)s)…")
                % {"name": file.name, "size": filesizeformat(size)}
            )
            report = report_read(data=file.read_bytes(), filename=file.name)
        except ReportError as error:
            raise CommandError(str(error)) from error
        except OSError as error:
            raise CommandError(
                _("Cannot read %(path)s: %(error)s") % {"path": file, "error": error.strerror}
            ) from error
        kinds = ", ".join(
            f"{label} ({report.count(kind)})"
            for kind, label in ParagraphKind.choices
            if report.count(kind)
        )
        self._say(
            _("Found %(count)d numbered paragraphs: %(kinds)s.")
            % {"count": len(report.paragraphs), "kinds": kinds}
        )
        if report.dropped:
            left_out = ", ".join(
                f"{DROPPED_LABELS.get(key, key)} ({count})" for key, count in report.dropped.items()
            )
            self._say(_("Left out: %(what)s.") % {"what": left_out})
        if report.unplaced:
            count = len(report.unplaced)
            self._say(
                ngettext(
                    "Could not place %(count)d passage; check it in the report:",
                    "Could not place %(count)d passages; check them in the report:",
                    count,
                )
                % {"count": count},
                style=self.style.WARNING,
            )
            for item in report.unplaced:
                text = f" “{item.text}”" if item.text else ""
                self._say(f"  {item.location}: {item.reason}{text}", style=self.style.WARNING)
        return report

    def _summarise(self, summary) -> None:
        if summary.consultation_created:
            # A dry run creates nothing, and must not say it did.
            created = (
                _("Would create the consultation “%(slug)s”.")
                if summary.dry_run
                else _("Created the consultation “%(slug)s”.")
            )
            self._say(created % {"slug": summary.consultation.slug})
        for row in summary.rows:
            kind = ParagraphKind(row.kind).label.lower()
            objectives = ", ".join(str(n) for n in row.objectives)
            if row.outcome == CHANGED:
                for change in row.changes:
                    self._say(
                        _("  changed %(kind)s %(number)d: %(change)s")
                        % {"kind": kind, "number": row.paragraph, "change": change},
                        style=self.style.WARNING,
                    )
            elif row.outcome == SKIPPED:
                self._say(
                    _("  skipped %(kind)s %(number)d: %(reason)s")
                    % {"kind": kind, "number": row.paragraph, "reason": row.reason},
                    style=self.style.WARNING,
                )
            elif self.verbosity >= 2:
                line = (
                    _("  created %(kind)s %(number)d (objectives %(objectives)s)")
                    if row.outcome == CREATED
                    else _("  unchanged %(kind)s %(number)d (objectives %(objectives)s)")
                )
                self._say(line % {"kind": kind, "number": row.paragraph, "objectives": objectives})
        if summary.absent:
            absent = ", ".join(
                f"{ParagraphKind(kind).label.lower()} {number}" for kind, number in summary.absent
            )
            self._say(
                _("Not in this report, kept as they are: %(rows)s.") % {"rows": absent},
                style=self.style.WARNING,
            )
        counts = summary.counts
        totals = (
            _(
                "Would create %(created)d, leave %(unchanged)d unchanged, change %(changed)d, "
                "skip %(skipped)d."
            )
            if summary.dry_run
            else _(
                "Created %(created)d, unchanged %(unchanged)d, changed %(changed)d, skipped "
                "%(skipped)d."
            )
        )
        self._say(
            totals
            % {
                "created": counts[CREATED],
                "unchanged": counts[UNCHANGED],
                "changed": counts[CHANGED],
                "skipped": counts[SKIPPED],
            },
            style=self.style.SUCCESS,
        )
        if summary.dry_run:
            self._say(_("Dry run: nothing was written."))

    def _say(self, message: str, style=None) -> None:
        if self.verbosity >= 1:
            self.stdout.write(message, style_func=style)
