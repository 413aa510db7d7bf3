"""Every Excel workbook the platform writes, and every uploaded one it reads.

Writing: WorkbookWriter (sheets, styles, widths, dropdowns) and, for a
one-table download, core.exports.xlsx_response built on it. Each value goes
through one cell factory, so that text a person typed can never become a
formula when an administrator opens the file in Excel or WPS.

Reading: read_rows() inspects the upload (core.uploads: the type, the
archive's sizes, macros) before openpyxl parses anything, then hands out the
rows of one sheet within a row and column limit.

No other module imports openpyxl (a test enforces it).
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from collections.abc import Collection, Iterator, Sequence
from dataclasses import dataclass
from typing import IO, TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.core.files.base import File
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from xieshang.core.uploads import KINDS, inspect_content

# openpyxl is imported where a workbook is written or read, not with this
# module: it costs every web worker about 20 MB, and few requests need it.
if TYPE_CHECKING:
    from openpyxl.cell.cell import Cell

# Control characters the file format does not allow (openpyxl's own
# ILLEGAL_CHARACTERS_RE, which a test compares with this one).
ILLEGAL_CHARACTERS_RE = re.compile(r"[\000-\010]|[\013-\014]|[\016-\037]")


def load_workbook(*args: Any, **kwargs: Any) -> Any:
    from openpyxl import load_workbook as load

    return load(*args, **kwargs)


def get_column_letter(column: int) -> str:
    from openpyxl.utils import get_column_letter as letter

    return letter(column)  # type: ignore[no-any-return]


# Text starting with one of these is read as a formula (or as the start of
# one) by Excel, WPS and LibreOffice when the cell is edited or the sheet is
# saved as CSV: "=WEBSERVICE(…)" in a member's job title would send the row
# off-site. Tab and carriage return let such text hide after a blank.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class Style:
    """How a row looks: bold or italic text, a text colour and a fill
    colour as RRGGBB."""

    bold: bool = False
    italic: bool = False
    color: str = ""
    fill: str = ""


def is_formula_like(text: str) -> bool:
    """Whether a spreadsheet program could take text for a formula."""
    return text.startswith(FORMULA_TRIGGERS)


def _plain(value: Any) -> Any:
    if isinstance(value, Promise):
        return str(value)
    if isinstance(value, dt.datetime) and timezone.is_aware(value):
        # Excel has no time zones: write the local wall-clock time.
        return timezone.localtime(value).replace(tzinfo=None)
    if isinstance(value, str):
        # Control characters other than tab and line breaks are not allowed in the file format.
        return ILLEGAL_CHARACTERS_RE.sub("", value)
    return value


def make_cell(sheet: Any, value: Any, *, style: Style | None = None, as_text: bool = False) -> Cell:
    """One cell holding value: numbers, dates and booleans stay what they
    are; every string is a text cell, never a formula.

    A string a spreadsheet program could take for a formula also gets the
    cell style's quote prefix. That is how Excel stores a typed leading
    apostrophe, and WPS and LibreOffice honour it the same way: the text
    shows exactly as typed, stays text when someone edits the cell, and the
    stored value keeps no extra character, so an exported roster imports
    again unchanged (a literal apostrophe would show, and travel with the
    data). as_text formats the cell as text ("@") so that what is typed into
    it later (18-digit ID numbers) is kept as text too.
    """
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font, PatternFill

    value = _plain(value)
    cell = WriteOnlyCell(sheet, value=value)
    if isinstance(value, str):
        cell.data_type = "s"
        if is_formula_like(value):
            cell.quotePrefix = True
    if as_text:
        cell.number_format = "@"
    if style is not None:
        cell.font = Font(bold=style.bold, italic=style.italic, color=style.color or None)
        if style.fill:
            cell.fill = PatternFill("solid", fgColor=style.fill)
    return cell


class SheetWriter:
    """One sheet being written, row after row."""

    def __init__(self, worksheet: Any) -> None:
        self._sheet = worksheet

    @property
    def title(self) -> str:
        return str(self._sheet.title)

    def append(
        self, values: Sequence[Any], *, style: Style | None = None, text_columns: Collection[int] = ()
    ) -> None:
        """Add a row; text_columns (1-based) are formatted as text."""
        self._sheet.append(
            [
                make_cell(self._sheet, value, style=style, as_text=position in text_columns)
                for position, value in enumerate(values, start=1)
            ]
        )

    def hide(self) -> None:
        self._sheet.sheet_state = "hidden"

    def add_choice_list(
        self,
        *,
        column: int,
        rows: range,
        source: SheetWriter,
        source_column: int,
        source_rows: range,
        error: str,
    ) -> None:
        """A dropdown on column (1-based) for rows, offering the values of
        source_column in source_rows of the source sheet."""
        if not source_rows or not rows:
            return
        from openpyxl.worksheet.datavalidation import DataValidation

        letter = get_column_letter(source_column)
        rule = DataValidation(
            type="list",
            formula1=f"'{source.title}'!${letter}${source_rows[0]}:${letter}${source_rows[-1]}",
            allow_blank=True,
            showErrorMessage=True,
        )
        rule.error = error
        target = get_column_letter(column)
        rule.add(f"{target}{rows[0]}:{target}{rows[-1]}")
        self._sheet.data_validations.append(rule)


class WorkbookWriter:
    """A workbook written row by row (openpyxl's streaming mode: memory stays
    flat however long the export)."""

    def __init__(self) -> None:
        from openpyxl import Workbook

        self._book = Workbook(write_only=True)

    def add_sheet(
        self, title: str, *, widths: Sequence[int] = (), freeze_header: bool = False
    ) -> SheetWriter:
        """A new sheet; widths are the first columns' widths in characters,
        freeze_header keeps the first row in view."""
        sheet = self._book.create_sheet(title=str(title)[:31])
        for position, width in enumerate(widths, start=1):
            sheet.column_dimensions[get_column_letter(position)].width = width
        if freeze_header:
            sheet.freeze_panes = "A2"
        return SheetWriter(sheet)

    def to_bytes(self) -> bytes:
        buffer = io.BytesIO()
        self._book.save(buffer)
        return buffer.getvalue()


def table_workbook(*, sheet_title: str, headers: Sequence[Any], rows: Any) -> bytes:
    """A workbook with one sheet: a bold header row, then rows."""
    book = WorkbookWriter()
    sheet = book.add_sheet(sheet_title)
    sheet.append(list(headers), style=Style(bold=True))
    for row in rows:
        sheet.append(list(row))
    return book.to_bytes()


# ---------------------------------------------------------------- reading


@dataclass(frozen=True)
class SheetLimits:
    """The most rows (header included, empty ones too) and columns a sheet
    may use to be read."""

    rows: int
    columns: int


NOT_A_WORKBOOK = _("This file is not an Excel workbook (.xlsx). Save it from Excel or WPS as .xlsx.")
UNREADABLE = _("This file could not be read as an Excel workbook (.xlsx). Save it again from Excel or WPS.")

# What a damaged or disguised file makes openpyxl raise (and its own
# InvalidFileException, added where it is imported).
READ_ERRORS: tuple[type[Exception], ...] = (
    zipfile.BadZipFile,
    KeyError,
    OSError,
    ValueError,
    TypeError,
    SyntaxError,
    EOFError,
)


def read_errors() -> tuple[type[Exception], ...]:
    from openpyxl.utils.exceptions import InvalidFileException

    return (*READ_ERRORS, InvalidFileException)


def read_rows(upload: IO[bytes], *, limits: SheetLimits, sheet_name: str = "") -> Iterator[tuple[Any, ...]]:
    """The rows (values, limits.columns wide) of the sheet named sheet_name,
    else of the first sheet, of an uploaded .xlsx.

    The file is inspected before it is parsed. Raise ValidationError with a
    message for the person who uploaded it when it is not a workbook, is
    unsafe to open (archive limits, macros), cannot be read, or uses more
    rows or columns than limits allow; the last two may also be raised
    while iterating.
    """
    _inspect(upload)
    try:
        upload.seek(0)
        book = load_workbook(upload, read_only=True, data_only=True)
        sheet = book[sheet_name] if sheet_name in book.sheetnames else book.worksheets[0]
        # The size a file declares is not trusted: rows are counted as read.
        sheet.reset_dimensions()
    except read_errors() as exc:
        raise ValidationError(UNREADABLE, code="unreadable") from exc
    return _limited_rows(book, sheet, limits)


def _inspect(upload: IO[bytes]) -> None:
    upload.seek(0)
    if upload.read(4) != b"PK\x03\x04":
        raise ValidationError(NOT_A_WORKBOOK, code="not_xlsx")
    file = upload if isinstance(upload, File) else File(upload)
    try:
        inspect_content(file, KINDS["xlsx"])
    except ValidationError as error:
        if error.code in ("content_mismatch", "damaged"):
            raise ValidationError(UNREADABLE, code="unreadable") from error
        raise
    finally:
        upload.seek(0)


def _limited_rows(book: Any, sheet: Any, limits: SheetLimits) -> Iterator[tuple[Any, ...]]:
    try:
        rows = sheet.iter_rows(max_col=limits.columns + 1, values_only=True)
        for number, row in enumerate(rows, start=1):
            if number > limits.rows:
                raise ValidationError(
                    _("The sheet has more than %(n)s rows. Split it into several files."),
                    code="too_many_rows",
                    params={"n": limits.rows},
                )
            if len(row) > limits.columns and row[limits.columns] not in (None, ""):
                raise ValidationError(
                    _("The sheet has more than %(n)s columns. Delete the columns that are not needed."),
                    code="too_many_columns",
                    params={"n": limits.columns},
                )
            yield tuple(row[: limits.columns])
    except read_errors() as exc:
        raise ValidationError(UNREADABLE, code="unreadable") from exc
    finally:
        book.close()
