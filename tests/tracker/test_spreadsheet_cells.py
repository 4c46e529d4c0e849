"""Item 9: the helper every spreadsheet download writes its cells through."""

from openpyxl import Workbook

from gcm_tracker.tracker.spreadsheet_cells import csv_row, xlsx_row


def test_item_9_csv_row_prefixes_formula_text_and_leaves_the_rest():
    row = csv_row(["=1+1", "+1", "-1", "@A1", "\t1", "\r1", "Plain", "", -5, 3, None])

    assert row == ["'=1+1", "'+1", "'-1", "'@A1", "'\t1", "'\r1", "Plain", "", -5, 3, None]


def test_item_9_xlsx_row_writes_text_as_string_cells_and_replaces_what_xlsx_cannot_hold():
    sheet = Workbook(write_only=True).create_sheet()

    cells = xlsx_row(sheet, ["=1+1", "#N/A", "bell\x07", 7])

    assert [(c.data_type, c.value) for c in cells] == [
        ("s", "=1+1"),
        ("s", "#N/A"),
        ("s", "bell\ufffd"),
        ("n", 7),
    ]
