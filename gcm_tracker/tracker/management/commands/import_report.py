import time
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
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
        "Import the recommendations and good practices of a consultation summary report (PDF, "
        "Word or plain text). Importing the same report again changes nothing; importing a "
        "corrected report updates the texts that differ and lists the differences. Statuses and "
        "their history are never touched. Everything that may be a recommendation and is not "
        "imported is listed, and then nothing is written and the command fails, unless "
        "--allow-skips is given."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help=_("The report: a .pdf, .docx or .txt file."))
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
        parser.add_argument(
            "--objective",
            type=int,
            metavar="N",
            help=_(
                "The GCM objective of a report on one objective: given to every paragraph whose "
                "objectives no heading names, instead of the objectives suggested from its words."
            ),
        )
        parser.add_argument(
            "--allow-skips",
            action="store_true",
            help=_(
                "Import what can be imported even when passages that may be recommendations or "
                "good practices cannot be (they are listed either way)."
            ),
        )

    def handle(
        self,
        *args,
        path,
        consultation=None,
        dry_run=False,
        objective=None,
        allow_skips=False,
        **options,
    ):
        started = time.perf_counter()
        self.verbosity = options["verbosity"]
        if objective is not None and not 1 <= objective <= 23:
            raise CommandError(_("--objective takes a GCM objective's number, from 1 to 23."))
        file = Path(path)
        report = self._read(file, objective)
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
            ngettext(
                "Importing %(count)d paragraph into “%(slug)s”…",
                "Importing %(count)d paragraphs into “%(slug)s”…",
                len(report.imported_paragraphs),
            )
            % {"count": len(report.imported_paragraphs), "slug": slug}
        )
        try:
            # One transaction: refusing the import below takes back everything it wrote.
            with transaction.atomic():
                summary = report_import(
                    report=report,
                    consultation=existing,
                    slug="" if existing else slug,
                    dry_run=dry_run,
                )
                self._summarise(summary)
                lost = len(report.possibly_lost) + len(summary.with_outcome(SKIPPED))
                if lost and not allow_skips:
                    raise CommandError(
                        ngettext(
                            "%(count)d passage that may be a recommendation or good practice "
                            "was not imported (listed above), so nothing was written. Correct "
                            "the report, or run again with --allow-skips to import the rest.",
                            "%(count)d passages that may be recommendations or good practices "
                            "were not imported (listed above), so nothing was written. Correct "
                            "the report, or run again with --allow-skips to import the rest.",
                            lost,
                        )
                        % {"count": lost}
                    )
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        if summary.dry_run:
            self._say(_("Dry run: nothing was written."))
        self._say(_("Took %(seconds).2f s.") % {"seconds": time.perf_counter() - started})

    def _read(self, file: Path, objective: int | None):
        try:
            if not file.is_file():
                raise CommandError(_("There is no file %(path)s.") % {"path": file})
            size = file.stat().st_size
            report_check_size(size=size, filename=file.name)
            self._say(
                _("Reading %(name)s (%(size)s)…")
                % {"name": file.name, "size": filesizeformat(size)}
            )
            report = report_read(data=file.read_bytes(), filename=file.name, objective=objective)
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
        for note in report.notes:
            text = f" “{note.text}”" if note.text else ""
            self._say(
                _("Note, %(where)s: %(what)s")
                % {"where": note.location, "what": note.reason + text}
            )
        if report.metadata.symbol:
            self._say(_("Document symbol: %(symbol)s.") % {"symbol": report.metadata.symbol})
        self._list_not_imported(report)
        return report

    def _list_not_imported(self, report) -> None:
        """Each paragraph, item of a paragraph and numbered list item that is not a
        recommendation or good practice, one line each with why: nothing is left out silently."""
        if not report.left_out:
            return
        count = len(report.left_out)
        self._say(
            ngettext(
                "Not imported: %(count)d paragraph, item or list item that is no recommendation "
                "or good practice:",
                "Not imported: %(count)d paragraphs, items and list items that are no "
                "recommendations or good practices:",
                count,
            )
            % {"count": count}
        )
        for item in report.left_out:
            self._say(
                _("  not imported %(name)s [%(kind)s]: %(where)s, %(reason)s")
                % {
                    "name": item.name,
                    "kind": item.kind_label.lower(),
                    "where": item.where,
                    "reason": item.reason,
                }
            )

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
            if row.suggested and row.outcome != SKIPPED:
                self._say(
                    _("  %(kind)s %(number)s: objectives suggested from its words: %(scores)s")
                    % {
                        "kind": kind,
                        "number": row.key,
                        "scores": ", ".join(
                            _("%(objective)d (score %(score).2f)")
                            % {"objective": number, "score": score}
                            for number, score in row.suggested
                        ),
                    }
                )
            if row.outcome == CHANGED:
                for change in row.changes:
                    self._say(
                        _("  changed %(kind)s %(number)s: %(change)s")
                        % {"kind": kind, "number": row.key, "change": change},
                        style=self.style.WARNING,
                    )
            elif row.outcome == SKIPPED:
                self._say(
                    _("  skipped %(kind)s %(number)s: %(reason)s")
                    % {"kind": kind, "number": row.key, "reason": row.reason},
                    style=self.style.WARNING,
                )
            elif self.verbosity >= 2:
                line = (
                    _("  created %(kind)s %(number)s (objectives %(objectives)s)")
                    if row.outcome == CREATED
                    else _("  unchanged %(kind)s %(number)s (objectives %(objectives)s)")
                )
                self._say(line % {"kind": kind, "number": row.key, "objectives": objectives})
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

    def _say(self, message: str, style=None) -> None:
        if self.verbosity >= 1:
            self.stdout.write(message, style_func=style)
