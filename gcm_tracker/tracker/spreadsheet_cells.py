"""Cells for the files people open in a spreadsheet, made safe from formula injection.

Every file that a spreadsheet may open (the CSV and XLSX downloads and open-data files) writes its
rows through these functions, so that text typed by contributors, staff or a report can never
run as a formula (OWASP, "CSV Injection"). JSON is data for programs and stays as written.
"""

from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

# A spreadsheet reads a cell starting with one of these as a formula (or, for tab and carriage
# return, skips them and reads what follows as one).
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value: object) -> object:
    """`value`, with text that a spreadsheet would read as a formula prefixed by an apostrophe,
    which makes it text (OWASP's advice). Numbers stay numbers."""
    if isinstance(value, str) and value.startswith(FORMULA_TRIGGERS):
        return "'" + value
    return value


def csv_row(values: list) -> list:
    return [csv_cell(value) for value in values]


def xlsx_cell(sheet, value: object):
    """A cell of `sheet` (write-only) holding `value`: text as a string cell whatever it starts
    with (openpyxl would store text starting with "=" as a formula, and "#N/A" as an error).
    Characters XLSX cannot hold (control characters other than tab and line breaks) become U+FFFD
    instead of failing the whole download."""
    if not isinstance(value, str):
        return WriteOnlyCell(sheet, value=value)
    cell = WriteOnlyCell(sheet, value=ILLEGAL_CHARACTERS_RE.sub("\ufffd", value))
    cell.data_type = "s"
    return cell


def xlsx_row(sheet, values: list) -> list:
    return [xlsx_cell(sheet, value) for value in values]
