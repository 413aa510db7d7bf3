"""Looking inside a downloaded workbook the way Excel would: which cells
are live formulas, and which hold text a spreadsheet program could take for
one without the quote prefix that keeps it text."""

from __future__ import annotations

import io
import re
import zipfile

from openpyxl import load_workbook

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def unsafe_cells(content: bytes) -> list[str]:
    """The place ("sheet!A1") of every formula cell, and of every text cell that starts
    like a formula but is not quote-prefixed text, in every sheet."""
    unsafe = []
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        for name in archive.namelist():
            if name.startswith("xl/worksheets/") and re.search(rb"<f[ >]", archive.read(name)):
                unsafe.append(f"{name}: formula")
    book = load_workbook(io.BytesIO(content))
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                text = cell.value
                looks_like_formula = isinstance(text, str) and text.startswith(FORMULA_TRIGGERS)
                if looks_like_formula and (cell.data_type != "s" or not cell.quotePrefix):
                    unsafe.append(f"{sheet.title}!{cell.coordinate}")
    return unsafe


def texts(content: bytes) -> set[str]:
    """Every text value in every sheet."""
    book = load_workbook(io.BytesIO(content))
    return {
        cell.value
        for sheet in book.worksheets
        for row in sheet.iter_rows()
        for cell in row
        if isinstance(cell.value, str)
    }
