"""Uploaded files: checked, stored under random names, served after a
permission check.

Rules every app follows:

- Store uploads only through store_upload(). It refuses files that are too
  large, of a kind the caller does not accept, or whose content does not
  match the extension of their name (a renamed .exe, a .pdf that is really a
  zip or text). The type is detected from the content, never from the
  browser's Content-Type.
- Files live in the default storage (var/media), outside the static root,
  under a random name; nothing serves that directory directly (there is no
  MEDIA_URL route and nginx must not expose it).
- Files are served ONLY by an app's view that first reads the owning object
  through its access_* function (same 404 for missing and forbidden) and
  checks the actor may see it, then returns attachment_response(). Never
  link to storage URLs.
- The original (often Chinese) file name is kept for display and download;
  it is never used as a path.
"""

from __future__ import annotations

import codecs
import hashlib
import posixpath
import unicodedata
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import filetype
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.files.base import File
from django.core.files.storage import default_storage
from django.db import models
from django.db.models import QuerySet
from django.http import FileResponse
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from xieshang.core.exports import content_disposition
from xieshang.core.models import Attachment

# Bytes read to detect the type; filetype looks at no more than this.
SNIFF_BYTES = 8192


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


def _extension(name: str) -> str:
    _stem, dot, ext = name.rpartition(".")
    return ext.lower() if dot else ""


def _read_head(upload: File) -> bytes:
    upload.seek(0)
    head = upload.read(SNIFF_BYTES)
    upload.seek(0)
    return bytes(head)


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
    guess = filetype.guess(_read_head(upload))
    if guess is not None:
        for kind, extension in _DETECTED.items():
            if guess.extension == extension:
                return kind
        return None
    return "txt" if _is_utf8_text(upload) else None


def _accepted_list(kinds: Iterable[Kind]) -> str:
    return "、".join(sorted(f".{ext}" for k in kinds for ext in k.extensions))


def validate_upload(upload: File, *, allowed_kinds: Iterable[str], max_bytes: int | None = None) -> Kind:
    """Return the upload's Kind, or raise ValidationError saying what is wrong."""
    kinds = [KINDS[name] for name in allowed_kinds]
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
    extension = _extension(clean_filename(upload.name or ""))
    claimed = next((k for k in kinds if extension in k.extensions), None)
    if claimed is None:
        raise ValidationError(
            _("Files of this type are not accepted here. Accepted: %(accepted)s."),
            code="kind_not_allowed",
            params={"accepted": _accepted_list(kinds)},
        )
    if detect_kind(upload) != claimed.name:
        raise ValidationError(
            _(
                "The file's content is not a %(kind)s file, although its name ends in .%(extension)s. "
                "Save it again in the right format and upload it once more."
            ),
            code="content_mismatch",
            params={"kind": claimed.name.upper(), "extension": extension},
        )
    return claimed


def store_upload(
    upload: File,
    *,
    council: Any,
    user: Any,
    allowed_kinds: Iterable[str],
    purpose: str = "",
    max_bytes: int | None = None,
) -> Attachment:
    """Check upload and store it under a random name; return the Attachment,
    not yet bound to an owner (see attach()).

    Raise ValidationError (shown next to the form field) when the file is
    empty, larger than max_bytes or settings.ATTACHMENT_MAX_BYTES, of a kind
    not in allowed_kinds, or when its content does not match its name.
    """
    kind = validate_upload(upload, allowed_kinds=allowed_kinds, max_bytes=max_bytes)
    original = clean_filename(upload.name or "")
    digest = hashlib.sha256()
    upload.seek(0)
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    extension = _extension(original)
    today = timezone.localdate()
    stored = default_storage.save(f"attachments/{today:%Y/%m}/{uuid.uuid4().hex}.{extension}", upload)
    try:
        return Attachment.objects.create(
            council=council,
            original_name=original,
            stored_name=stored,
            content_type=kind.mime,
            size=upload.size or 0,
            sha256=digest.hexdigest(),
            uploaded_by=user if getattr(user, "is_authenticated", False) else None,
            purpose=purpose[:64],
        )
    except Exception:
        default_storage.delete(stored)
        raise


def attach(attachment: Attachment, owner: models.Model) -> Attachment:
    """Bind a stored attachment to the object it belongs to.

    Raise ValueError when owner is in another council, or when the attachment
    already belongs to a different object.
    """
    owner_council = getattr(owner, "council_id", None)
    if owner_council is not None and owner_council != attachment.council_id:
        raise ValueError("an attachment can only belong to an object of its own council")
    owner_type = ContentType.objects.get_for_model(owner)
    bound = (
        Attachment.objects.filter(pk=attachment.pk)
        .filter(models.Q(owner_id__isnull=True) | models.Q(owner_type=owner_type, owner_id=owner.pk))
        .update(owner_type=owner_type, owner_id=owner.pk)
    )
    if not bound:
        raise ValueError("the attachment already belongs to another object")
    attachment.owner_type = owner_type
    attachment.owner_id = owner.pk
    return attachment


def attachments_of(owner: models.Model) -> QuerySet[Attachment]:
    """owner's attachments, oldest first."""
    return Attachment.objects.filter(
        owner_type=ContentType.objects.get_for_model(owner), owner_id=owner.pk
    ).order_by("uploaded_at", "id")


def attachment_response(attachment: Attachment, *, inline: bool = False) -> FileResponse:
    """Stream the file. Call only after checking the owner's permission.

    The download keeps the original name (RFC 5987 filename*), and browsers
    are told not to guess another type than the one detected at upload.
    """
    response = FileResponse(
        default_storage.open(attachment.stored_name, "rb"), content_type=attachment.content_type
    )
    response["Content-Disposition"] = content_disposition(attachment.original_name, inline=inline)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
