"""The member roster as an Excel workbook: the import template, the export,
and reading and checking an uploaded roster.

This package only reads and checks; the import itself is the
import_members action, which writes every row or none. Workbooks are
written and read only through core.spreadsheets.

- columns: the columns, the headers each answers to, cell values as text
- checking: one row, column by column
- reading: the uploaded file, its header row and all its rows
- writing: the template and the export
"""

from __future__ import annotations

from xieshang.councils.roster.checking import RosterRow, RowError
from xieshang.councils.roster.columns import COLUMNS, Column, columns_for
from xieshang.councils.roster.reading import (
    MAX_COLUMNS,
    MAX_LISTED_ERRORS,
    MAX_ROWS,
    RosterResult,
    read_roster,
)
from xieshang.councils.roster.writing import build_export, build_template

__all__ = [
    "COLUMNS",
    "MAX_COLUMNS",
    "MAX_LISTED_ERRORS",
    "MAX_ROWS",
    "Column",
    "RosterResult",
    "RosterRow",
    "RowError",
    "build_export",
    "build_template",
    "columns_for",
    "read_roster",
]
