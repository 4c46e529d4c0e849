"""Reading (and writing back) the CSV of official assessments from one government report.

The preview carries the file's text in the confirmation form, so confirming needs no state on
the server and re-reads exactly what was previewed; the service validates every row again.
"""

import csv
import io

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from gcm_tracker.tracker.services.assessments import IMPORT_COLUMNS as COLUMNS

# Header spellings people use for the same column (after lower-casing and trimming).
ALIASES = {"source_link": "source_url", "link": "source_url", "source": "source_title"}
MAX_BYTES = 2 * 1024 * 1024
MAX_ROWS = 2000


def decode(data: bytes) -> str:
    """The file's text: UTF-8 (with or without the byte-order mark Excel writes), else
    Windows-1252, which is what Excel saves as "CSV" on many desktops."""
    if len(data) > MAX_BYTES:
        raise ValidationError(
            _("The file is larger than %(size)d MB.") % {"size": MAX_BYTES // 1024 // 1024}
        )
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def _column(name: str) -> str:
    key = name.strip().casefold().replace(" ", "_").replace("-", "_")
    return ALIASES.get(key, key)


def read_rows(text: str) -> list[dict]:
    """The rows of a CSV text as the import service takes them (which reads statuses written as
    labels or values, and the dates), each with its line number in the file as "line". Raises
    ValidationError for a file that is not such a table at all."""
    reader = csv.reader(io.StringIO(text))
    try:
        header = next(reader)
    except StopIteration:
        raise ValidationError(_("The file is empty.")) from None
    except csv.Error as error:
        raise ValidationError(
            _("The file is not a CSV table: %(error)s") % {"error": error}
        ) from None
    names = [_column(name) for name in header]
    missing = [column for column in COLUMNS if column not in names]
    if missing:
        raise ValidationError(
            _("The first line must name the columns; missing: %(columns)s.")
            % {"columns": ", ".join(missing)}
        )
    rows = []
    try:
        for cells in reader:
            if not any(cell.strip() for cell in cells):
                continue
            values = dict(zip(names, cells, strict=False))
            row = {column: values.get(column, "").strip() for column in COLUMNS}
            row["iso3"] = row["iso3"].upper()
            row["line"] = reader.line_num
            rows.append(row)
            if len(rows) > MAX_ROWS:
                raise ValidationError(
                    _("The file has more than %(count)d rows; split it.") % {"count": MAX_ROWS}
                )
    except csv.Error as error:
        raise ValidationError(
            _("Line %(line)d is not valid CSV: %(error)s")
            % {"line": reader.line_num, "error": error}
        ) from None
    if not rows:
        raise ValidationError(_("The file names the columns but has no rows."))
    return rows


def write_rows(rows: list[dict]) -> str:
    """CSV text with the columns read_rows expects (the country × objective form's rows go
    through the same preview and confirmation as an uploaded file)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    for row in rows:
        writer.writerow([row.get(column, "") for column in COLUMNS])
    return out.getvalue()
