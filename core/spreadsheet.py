"""Cells that spreadsheets would run as formulas: the one rule every CSV and XLSX the portal writes
follows (report files, the SQL that reports COPY on PostgreSQL, and the personal "My data" export).

A cell whose text starts with a formula trigger gets a leading single quote, so Excel, LibreOffice
and Google Sheets show it as text instead of evaluating `=HYPERLINK(...)`, `+cmd|...` or `@SUM(...)`.
Numbers stay numbers: a negative point total is data, not a formula.
"""

# A spreadsheet treats a cell starting with one of these as a formula (or a DDE payload).
FORMULA_TRIGGERS = frozenset("=+-@\t\r")


def cell_safe(value):
    """The value as a spreadsheet cell: text starting with a trigger is prefixed with a quote."""
    if isinstance(value, str) and value[:1] in FORMULA_TRIGGERS:
        return "'" + value
    return value


def row_safe(row) -> list:
    """cell_safe over a row, inlined: this runs once per exported row (a million times at scale)."""
    return [("'" + v) if isinstance(v, str) and v[:1] in FORMULA_TRIGGERS else v for v in row]
