"""The one inspector every uploaded file passes before anything stores or
opens it: what the file really is, and whether it is safe to open.

- The type is judged from the content (magic bytes), never from the
  browser's Content-Type, and must agree with the name's extension.
- Word and Excel files are zip archives. Their directory is read first and
  the file refused when it holds too many parts, would unpack to too much,
  or is compressed far beyond what documents are (a "zip bomb"). Python's
  zipfile never inflates a part past the size its directory declares, so
  checking the declared sizes bounds what any later reader can unpack.
  They must also be the plain document type: macro-enabled content (.docm,
  .xlsm) renamed .docx or .xlsx is refused.
- A PDF must look like one to its end (not a PDF header over a web page).
- A picture's declared width × height is bounded, so that a small file
  cannot unpack to gigabytes in a viewer (a decompression bomb).

core.attachments stores what passed; core.spreadsheets reads workbooks and
read_docx_paragraphs() reads Word files, both only after this inspection.
No other module guesses types or opens uploads (a test enforces it).
"""

from __future__ import annotations

import codecs
import io
import posixpath
import re
import struct
import unicodedata
import warnings
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass
from typing import IO

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile, File
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

# Bytes read to detect the type; filetype looks at no more than this.
SNIFF_BYTES = 8192

# Archive limits for Word and Excel files. An ordinary document holds a few
# dozen parts and unpacks to a few times its size; a 5,000-member roster
# unpacks to about 5 MB.
MAX_ARCHIVE_ENTRIES = 1000
MAX_UNPACKED_BYTES = 100 * 1024 * 1024
# Text compresses well, but beyond this many times over only a file built
# to overload a reader does. Small parts (shared styles, empty sheets) may
# compress more without harm, so the ratio is judged above a grace size.
MAX_COMPRESSION_RATIO = 100
RATIO_GRACE_BYTES = 1024 * 1024
# [Content_Types].xml lists a document's parts; a real one is a few KB.
MAX_CONTENT_TYPES_BYTES = 1024 * 1024

# Pictures: 100 million pixels is more than an everyday phone photo; a
# decompression bomb declares tens of thousands of pixels a side.
MAX_IMAGE_PIXELS = 100_000_000

# A PDF ends with %%EOF; readers look for it within the last kilobyte.
PDF_TAIL_BYTES = 1024
# Markup that makes a "PDF" a web page. PDF hex strings hold only 0-9a-f,
# so none of these tag names can occur inside one.
HTML_MARKUP = re.compile(
    rb"<\s*(?:!doctype\s+html|html|head|body|script|iframe|object|embed|meta)[\s/>]", re.IGNORECASE
)


@dataclass(frozen=True)
class Kind:
    """A kind of file we accept: its name extensions and the type served."""

    name: str
    extensions: frozenset[str]
    mime: str


KINDS: dict[str, Kind] = {
    k.name: k
    for k in (
        Kind("pdf", frozenset({"pdf"}), "application/pdf"),
        Kind(
            "docx",
            frozenset({"docx"}),
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
        Kind(
            "xlsx", frozenset({"xlsx"}), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        ),
        Kind("png", frozenset({"png"}), "image/png"),
        Kind("jpg", frozenset({"jpg", "jpeg"}), "image/jpeg"),
        # Only where a caller allows it: content must be UTF-8 text.
        Kind("txt", frozenset({"txt"}), "text/plain; charset=utf-8"),
    )
}
DOCUMENTS = ("pdf", "docx", "xlsx")
IMAGES = ("png", "jpg")

# filetype's extension for each kind we detect from magic bytes.
_DETECTED = {"pdf": "pdf", "docx": "docx", "xlsx": "xlsx", "png": "png", "jpg": "jpg"}

# The content type of the main part of a plain (macro-free) document.
OFFICE_MAIN_TYPES = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
}
OFFICE_NAMES = {"docx": _("Word"), "xlsx": _("Excel")}
# Parts that only macro-enabled documents carry.
MACRO_PARTS = re.compile(r"(^|/)(vbaproject\.bin|vbadata\.xml)$", re.IGNORECASE)


def clean_filename(name: str) -> str:
    """The last path component of name, without control characters, in NFC,
    at most 255 characters with its extension kept. Never a path."""
    name = unicodedata.normalize("NFC", str(name)).replace("\\", "/")
    name = posixpath.basename(name)
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C").strip().strip(".")
    if not name:
        return "file"
    if len(name) > 255:
        stem, dot, ext = name.rpartition(".")
        name = f"{stem[: 254 - len(ext)]}.{ext}" if dot and len(ext) <= 10 else name[:255]
    return name


def extension_of(name: str) -> str:
    """The lower-case extension of a file name, without the dot ("" if none)."""
    _stem, dot, ext = name.rpartition(".")
    return ext.lower() if dot else ""


def _read_at(upload: IO[bytes], offset: int, size: int) -> bytes:
    upload.seek(offset)
    data = upload.read(size)
    upload.seek(0)
    return bytes(data)


def _is_utf8_text(upload: File) -> bool:
    decoder = codecs.getincrementaldecoder("utf-8")()
    upload.seek(0)
    try:
        for chunk in upload.chunks():
            if b"\x00" in chunk:
                return False
            decoder.decode(chunk)
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    finally:
        upload.seek(0)
    return True


def detect_kind(upload: File) -> str | None:
    """The kind of upload judged from its content, or None when it is none
    of ours. Text is reported as "txt" only when it is valid UTF-8."""
    guess = filetype.guess(_read_at(upload, 0, SNIFF_BYTES))
    if guess is not None:
        for kind, extension in _DETECTED.items():
            if guess.extension == extension:
                return kind
        return None
    return "txt" if _is_utf8_text(upload) else None


def _accepted_list(kinds: Iterable[Kind]) -> str:
    return "、".join(sorted(f".{ext}" for k in kinds for ext in k.extensions))


def _check_size(upload: File, *, max_bytes: int | None) -> None:
    limit = (
        settings.ATTACHMENT_MAX_BYTES if max_bytes is None else min(max_bytes, settings.ATTACHMENT_MAX_BYTES)
    )
    size = upload.size or 0
    if size == 0:
        raise ValidationError(_("The file is empty."), code="empty")
    if size > limit:
        raise ValidationError(
            _("The file is %(size)s; files may be at most %(limit)s."),
            code="too_large",
            params={"size": filesizeformat(size), "limit": filesizeformat(limit)},
        )


def validate_upload(upload: File, *, allowed_kinds: Iterable[str], max_bytes: int | None = None) -> Kind:
    """Return the upload's Kind, or raise ValidationError saying what is wrong:
    empty or too large, a name of a kind not allowed, content that is not
    what the name says, or content unsafe to open (see inspect_content)."""
    kinds = [KINDS[name] for name in allowed_kinds]
    _check_size(upload, max_bytes=max_bytes)
    extension = extension_of(clean_filename(upload.name or ""))
    claimed = next((k for k in kinds if extension in k.extensions), None)
    if claimed is None:
        raise ValidationError(
            _("Files of this type are not accepted here. Accepted: %(accepted)s."),
            code="kind_not_allowed",
            params={"accepted": _accepted_list(kinds)},
        )
    inspect_content(upload, claimed, extension=extension)
    return claimed


def inspect_content(upload: File, kind: Kind, *, extension: str = "") -> None:
    """Raise ValidationError unless upload's content is a kind file that is
    safe to open: "content_mismatch" when it is something else, and the
    kind's own refusals (archive limits, macros, a disguised PDF, an
    oversized picture)."""
    if detect_kind(upload) != kind.name:
        raise ValidationError(
            _(
                "The file's content is not a %(kind)s file, although its name ends in .%(extension)s. "
                "Save it again in the right format and upload it once more."
            ),
            code="content_mismatch",
            params={"kind": kind.name.upper(), "extension": extension or kind.name},
        )
    if kind.name in OFFICE_MAIN_TYPES:
        with open_archive(upload) as archive:
            check_office_parts(archive, kind)
    elif kind.name == "pdf":
        _check_pdf(upload)
    elif kind.name in IMAGES:
        _check_picture_size(upload, kind)


# ---------------------------------------------------------------- archives


def open_archive(upload: IO[bytes]) -> zipfile.ZipFile:
    """upload opened as a zip archive whose directory is within the archive
    limits. Raise ValidationError ("damaged", "too_many_parts",
    "unpacks_too_large", "compression_ratio") otherwise."""
    upload.seek(0)
    try:
        archive = zipfile.ZipFile(upload)
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
        raise ValidationError(
            _("The file is damaged and cannot be opened. Save it again and upload it once more."),
            code="damaged",
        ) from exc
    try:
        _check_archive_limits(archive.infolist())
    except ValidationError:
        archive.close()
        raise
    return archive


def _check_archive_limits(entries: list[zipfile.ZipInfo]) -> None:
    if len(entries) > MAX_ARCHIVE_ENTRIES:
        raise ValidationError(
            _("The file is made of more than %(n)s parts, far more than a document has. It was not opened."),
            code="too_many_parts",
            params={"n": MAX_ARCHIVE_ENTRIES},
        )
    if sum(entry.file_size for entry in entries) > MAX_UNPACKED_BYTES:
        raise ValidationError(
            _(
                "The file would unpack to more than %(limit)s, far more than a document does. "
                "It was not opened."
            ),
            code="unpacks_too_large",
            params={"limit": filesizeformat(MAX_UNPACKED_BYTES)},
        )
    for entry in entries:
        if entry.file_size > RATIO_GRACE_BYTES and entry.file_size > MAX_COMPRESSION_RATIO * max(
            entry.compress_size, 1
        ):
            raise ValidationError(
                _(
                    "Part of the file is compressed more than %(n)s times over, as only a file built "
                    "to overload a server is. It was not opened."
                ),
                code="compression_ratio",
                params={"n": MAX_COMPRESSION_RATIO},
            )


def check_office_parts(archive: zipfile.ZipFile, kind: Kind) -> None:
    """Raise ValidationError unless archive is a plain kind document: "macros"
    when it carries macros, "content_mismatch" when its main part is of
    another type (or it has none)."""
    if any(MACRO_PARTS.search(name) for name in archive.namelist()):
        raise _macros(kind)
    types = _content_types(archive)
    if any("macroenabled" in t.lower() or "vbaproject" in t.lower() for t in types):
        raise _macros(kind)
    if OFFICE_MAIN_TYPES[kind.name] not in types:
        raise ValidationError(
            _("The file is not a %(name)s document (.%(extension)s). Save it again in that format."),
            code="content_mismatch",
            params={"name": OFFICE_NAMES[kind.name], "extension": kind.name},
        )


def _macros(kind: Kind) -> ValidationError:
    return ValidationError(
        _(
            "The file contains macros, which are not accepted. Save it as an ordinary %(name)s "
            "document (.%(extension)s) without macros and upload it again."
        ),
        code="macros",
        params={"name": OFFICE_NAMES[kind.name], "extension": kind.name},
    )


# The attribute is all we need from [Content_Types].xml; reading it with a
# pattern instead of an XML parser leaves no entity tricks to worry about.
CONTENT_TYPE_ATTRIBUTE = re.compile(rb"""ContentType\s*=\s*(["'])(.*?)\1""", re.DOTALL)


def _content_types(archive: zipfile.ZipFile) -> set[str]:
    try:
        info = archive.getinfo("[Content_Types].xml")
        if info.file_size > MAX_CONTENT_TYPES_BYTES:
            return set()
        data = archive.read(info)
    except (KeyError, zipfile.BadZipFile, OSError, ValueError, EOFError):
        return set()
    return {m.group(2).decode("utf-8", "replace").strip() for m in CONTENT_TYPE_ATTRIBUTE.finditer(data)}


# ---------------------------------------------------------------- PDF


def _check_pdf(upload: File) -> None:
    size = upload.size or 0
    tail = _read_at(upload, max(size - PDF_TAIL_BYTES, 0), PDF_TAIL_BYTES)
    if _holds_markup(upload):
        raise ValidationError(
            _(
                "The file starts like a PDF but holds a web page. "
                "Save the document as PDF again and upload it once more."
            ),
            code="content_mismatch",
        )
    if b"%%EOF" not in tail or b"obj" not in _read_at(upload, 0, SNIFF_BYTES) + tail:
        raise ValidationError(
            _("The PDF file is incomplete or damaged. Save it again and upload it once more."),
            code="damaged",
        )


def _holds_markup(upload: File) -> bool:
    upload.seek(0)
    carry = b""
    try:
        for chunk in upload.chunks():
            if HTML_MARKUP.search(carry + chunk):
                return True
            carry = chunk[-32:]
    finally:
        upload.seek(0)
    return False


# ---------------------------------------------------------------- pictures


def _check_picture_size(upload: File, kind: Kind) -> None:
    width, height = (_png_size if kind.name == "png" else _jpeg_size)(upload)
    if width * height > MAX_IMAGE_PIXELS:
        raise ValidationError(
            _(
                "The picture is %(width)s × %(height)s pixels; pictures may have at most %(limit)s "
                "million pixels. Make it smaller and upload it again."
            ),
            code="picture_too_large",
            params={"width": width, "height": height, "limit": MAX_IMAGE_PIXELS // 1_000_000},
        )


def _png_size(upload: File) -> tuple[int, int]:
    # The signature (8 bytes), then the IHDR chunk: length, "IHDR", width, height.
    header = _read_at(upload, 0, 24)
    if len(header) < 24 or header[12:16] != b"IHDR":
        return 0, 0
    width, height = struct.unpack(">II", header[16:24])
    return int(width), int(height)


# JPEG frame headers (SOF0–SOF15, except the DHT, JPG and DAC markers) carry the size.
_JPEG_FRAMES = frozenset(range(0xC0, 0xD0)) - {0xC4, 0xC8, 0xCC}


def _jpeg_size(upload: File) -> tuple[int, int]:
    """The width and height in the first frame header, walking the segments
    (each says its length) from the start of the file."""
    size = upload.size or 0
    offset = 2
    try:
        while offset + 9 <= size:
            marker = _read_at(upload, offset, 9)
            if marker[0] != 0xFF:
                break
            if marker[1] == 0xFF:  # a fill byte before the marker
                offset += 1
                continue
            if marker[1] in _JPEG_FRAMES:
                height, width = struct.unpack(">HH", marker[5:9])
                return int(width), int(height)
            if marker[1] == 0xDA:  # image data starts: no frame header found before it
                break
            offset += 2 + struct.unpack(">H", marker[2:4])[0]
    finally:
        upload.seek(0)
    return 0, 0


# ---------------------------------------------------------------- photo metadata

# The EXIF directory that holds where a photo was taken.
GPS_IFD = 0x8825


def strip_photo_metadata(upload: File, *, keep_gps: bool) -> ContentFile:
    """A copy of an inspected picture (call validate_upload first) without
    its metadata: camera, owner, time and thumbnails go; the location stays
    only when keep_gps. The picture is turned upright first, since the
    orientation tag goes with the rest. Raise ValidationError when the
    picture cannot be decoded or turns out larger than MAX_IMAGE_PIXELS."""
    from PIL import Image, ImageOps, UnidentifiedImageError

    kind = KINDS["png"] if extension_of(upload.name or "") == "png" else KINDS["jpg"]
    upload.seek(0)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(upload, formats=["PNG", "JPEG"]) as image:
                if image.width * image.height > MAX_IMAGE_PIXELS:
                    raise Image.DecompressionBombError
                gps = image.getexif().get_ifd(GPS_IFD) if keep_gps else {}
                upright = ImageOps.exif_transpose(image)
                kept = Image.Exif()
                if gps:
                    kept[GPS_IFD] = gps
                out = io.BytesIO()
                if kind.name == "png":
                    upright.save(out, "PNG", exif=kept if gps else None)
                else:
                    upright.convert("RGB").save(out, "JPEG", quality=90, exif=kept)
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise ValidationError(
            _(
                "The picture unpacks to more than %(limit)s million pixels. "
                "Make it smaller and upload it again."
            ),
            code="picture_too_large",
            params={"limit": MAX_IMAGE_PIXELS // 1_000_000},
        ) from exc
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError) as exc:
        raise ValidationError(
            _("The picture could not be read. Take it again or save it as JPG or PNG."), code="unreadable"
        ) from exc
    finally:
        upload.seek(0)
    return ContentFile(out.getvalue(), name=upload.name)


# ---------------------------------------------------------------- reading Word files


def read_docx_paragraphs(upload: File) -> list[str]:
    """The paragraphs' text of an uploaded Word file, after inspecting it.

    Raise ValidationError when it is not a readable .docx document, or is
    unsafe to open (archive limits, macros).
    """
    unreadable = ValidationError(_("The file is not a readable Word (.docx) document."), code="unreadable")
    try:
        inspect_content(upload, KINDS["docx"])
    except ValidationError as error:
        if error.code in ("content_mismatch", "damaged"):
            raise unreadable from error
        raise
    from docx import Document  # Loaded only when a Word file is read.

    upload.seek(0)
    try:
        document = Document(io.BytesIO(upload.read()))
    except Exception as exc:  # python-docx raises several kinds for a broken file
        raise unreadable from exc
    return [paragraph.text for paragraph in document.paragraphs]
