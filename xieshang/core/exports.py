"""Downloads every app offers: Excel sheets (written by core.spreadsheets),
and the Content-Disposition header that keeps Chinese file names intact."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import Any
from urllib.parse import quote

from django.http import HttpResponse

from xieshang.core.spreadsheets import table_workbook

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

_UNSAFE_FILENAME = re.compile(r'[\x00-\x1f\x7f"\\/;]')


def content_disposition(filename: str, *, inline: bool = False) -> str:
    """A Content-Disposition value naming the file twice, Chinese kept in both:
    filename*=UTF-8''… (RFC 5987, which current browsers prefer) and a plain
    filename="…" carrying the name's UTF-8 bytes, which the browsers and
    download tools that ignore filename* read as UTF-8 too, instead of an
    ASCII stand-in. (Header values travel as Latin-1: each UTF-8 byte is
    written as the Latin-1 character of that byte.)"""
    clean = _UNSAFE_FILENAME.sub("_", filename).strip() or "download"
    plain = clean.encode("utf-8").decode("latin-1")
    disposition = "inline" if inline else "attachment"
    return f"{disposition}; filename=\"{plain}\"; filename*=UTF-8''{quote(clean, safe='')}"


def xlsx_response(
    *, filename: str, sheet_title: str, headers: Sequence[str], rows: Iterable[Sequence[Any]]
) -> HttpResponse:
    """An .xlsx download with one sheet: a bold header row, then rows. Text
    stays text (core.spreadsheets.make_cell)."""
    return xlsx_download(
        table_workbook(sheet_title=sheet_title, headers=headers, rows=rows), filename=filename
    )


def xlsx_download(content: bytes, *, filename: str) -> HttpResponse:
    """A workbook written by core.spreadsheets as a download named filename."""
    response = HttpResponse(content, content_type=XLSX_TYPE)
    response["Content-Disposition"] = content_disposition(filename)
    response["X-Content-Type-Options"] = "nosniff"
    return response
