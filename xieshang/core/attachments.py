"""Uploaded files: checked, stored under random names, served after a
permission check.

Rules every app follows:

- Store uploads only through store_upload(). It refuses files that are too
  large, of a kind the caller does not accept, whose content does not match
  the extension of their name (a renamed .exe, a .pdf that is really a zip,
  text or a web page), or that are unsafe to open (archive bombs, macros,
  oversized pictures): core.uploads inspects every file. The type is
  detected from the content, never from the browser's Content-Type.
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

import hashlib
import uuid
from collections.abc import Iterable
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.files.base import File
from django.core.files.storage import default_storage
from django.db import models
from django.db.models import QuerySet
from django.http import FileResponse
from django.utils import timezone

from xieshang.core.exports import content_disposition
from xieshang.core.models import Attachment
from xieshang.core.uploads import (
    DOCUMENTS,
    IMAGES,
    KINDS,
    Kind,
    clean_filename,
    extension_of,
    validate_upload,
)

__all__ = [
    "DOCUMENTS",
    "IMAGES",
    "KINDS",
    "Kind",
    "attach",
    "attachment_response",
    "attachments_of",
    "clean_filename",
    "store_upload",
    "validate_upload",
]


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
    not in allowed_kinds, or when its content does not match its name or
    is unsafe to open (core.uploads.inspect_content).
    """
    kind = validate_upload(upload, allowed_kinds=allowed_kinds, max_bytes=max_bytes)
    original = clean_filename(upload.name or "")
    digest = hashlib.sha256()
    upload.seek(0)
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    extension = extension_of(original)
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
