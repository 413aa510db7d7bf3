"""Reading an uploaded roster: the file through core.spreadsheets (which
inspects it before parsing), the header row matched to the columns, then
every row checked. Nothing is written here."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import IO, Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from xieshang.core.spreadsheets import SheetLimits, read_rows
from xieshang.councils.models import Council, Term
from xieshang.councils.roster.checking import RosterRow, RowChecker, RowError
from xieshang.councils.roster.columns import (
    ROSTER_SHEET,
    Column,
    HeaderMatch,
    columns_for,
    match_headers,
    text_of,
)

# Rows of the sheet, the header and the template's example row included.
MAX_ROWS = 5000
# More than the template's columns and those offices commonly add.
MAX_COLUMNS = 100
SHEET_LIMITS = SheetLimits(rows=MAX_ROWS, columns=MAX_COLUMNS)
# Rows whose errors are listed on the page; the rest are only counted.
MAX_LISTED_ERRORS = 50
# Rows whose name starts with this are the template's example and are skipped.
EXAMPLE_MARK = "（示例）"
EXAMPLE_MARKS = (EXAMPLE_MARK, "(示例)")


@dataclass
class RosterResult:
    """The outcome of checking a file: a problem with the whole file, or the
    rows with the first MAX_LISTED_ERRORS bad rows and their reasons (and
    how many there are in all), and the columns that are not imported.
    Import only when is_valid."""

    problem: str = ""
    rows: list[RosterRow] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    error_count: int = 0
    ignored_columns: tuple[str, ...] = ()

    @property
    def is_valid(self) -> bool:
        return not self.problem and not self.error_count and bool(self.rows)

    @property
    def unlisted_error_count(self) -> int:
        return self.error_count - len(self.errors)

    @property
    def ignored_notice(self) -> str:
        """What to tell the person importing about the ignored columns ("" if none)."""
        if not self.ignored_columns:
            return ""
        return _(
            "These columns were not imported, because the template has no such column: %(columns)s. "
            "To import one, give it a header from the template."
        ) % {"columns": "、".join(self.ignored_columns)}

    def add(self, checked: RosterRow | RowError) -> None:
        if isinstance(checked, RosterRow):
            self.rows.append(checked)
            return
        self.error_count += 1
        if len(self.errors) < MAX_LISTED_ERRORS:
            self.errors.append(checked)


def read_roster(upload: IO[bytes], *, council: Council, term: Term) -> RosterResult:
    """Read and check every row of an uploaded roster for council's term.

    Nothing is written. The result names the file's problem (not Excel,
    unsafe or too large to open, empty, missing columns, too many rows) or
    the bad rows with their reasons, and the columns it ignored.
    """
    columns = columns_for(council)
    try:
        rows = read_rows(upload, limits=SHEET_LIMITS, sheet_name=ROSTER_SHEET)
        header = _read_header(rows, columns)
        checker = RowChecker(
            council=council,
            term=term,
            positions=header.positions,
            id_number_required=any(c.key == "id_number" and c.required for c in columns),
        )
        result = _check_rows(rows, checker)
    except ValidationError as error:
        return RosterResult(problem=error.messages[0])
    result.ignored_columns = header.ignored
    return result


def _read_header(rows: Iterator[tuple[Any, ...]], columns: tuple[Column, ...]) -> HeaderMatch:
    header_row = next(rows, None)
    if header_row is None or not any(text_of(v) for v in header_row):
        raise ValidationError(
            _("The sheet is empty. Fill in the template's first sheet and upload it again.")
        )
    header = match_headers(header_row)
    missing = [c.header for c in columns if c.required and c.key not in header.positions]
    if missing:
        raise ValidationError(
            _("The first row must hold the template's column headers. Missing columns: %(columns)s.")
            % {"columns": "、".join(missing)}
        )
    return header


def _check_rows(rows: Iterator[tuple[Any, ...]], checker: RowChecker) -> RosterResult:
    result = RosterResult()
    name_at = checker.positions["full_name"]
    for row_number, values in enumerate(rows, start=2):
        if not any(text_of(v) for v in values):
            continue
        if text_of(values[name_at] if name_at < len(values) else "").startswith(EXAMPLE_MARKS):
            continue
        result.add(checker.check(row_number, values))
    if not result.rows and not result.error_count:
        result.problem = _("The sheet has column headers but no members. Fill in one row per member.")
    return result
