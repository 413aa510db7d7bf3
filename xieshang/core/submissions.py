"""Submit once: the same form post sent twice (a double click, a resend
after going back) shows where the first one led instead of doing the work
again.

Every form of the platform carries a random submission key, rendered next
to its CSRF token (templatetags/submissions.py). The first post of a key
with given contents is claimed in the database (FormSubmission, so that
every web worker sees it); when it answers with a redirect, the redirect's
target is kept for settings.SUBMISSION_MEMORY_SECONDS. A second post of the
same key and contents waits for the first to finish and is sent to the same
place; a first post that answered anything else (a form with errors) is
forgotten, so that correcting and sending again works as usual.
SubmitOnceMiddleware (core.middleware) applies this to every page.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import secrets
import time
from dataclasses import dataclass

from django.conf import settings
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.utils import timezone

from xieshang.core.models import FormSubmission

FIELD = "submission_key"
CSRF_FIELD = "csrfmiddlewaretoken"
KEY_BYTES = 16
POLL_SECONDS = 0.1


def new_key() -> str:
    return secrets.token_urlsafe(KEY_BYTES)


def fingerprint(request: HttpRequest) -> str | None:
    """A digest of request's submission key and of everything it sent, or
    None when the post carries no submission key."""
    key = request.POST.get(FIELD, "")
    if not key or len(key) > 100:
        return None
    digest = hashlib.sha256()
    for name, values in sorted(request.POST.lists()):
        if name != CSRF_FIELD:
            digest.update(json.dumps([name, values], ensure_ascii=False).encode())
    for name, files in sorted(request.FILES.lists()):
        digest.update(json.dumps([name, [(upload.name, upload.size) for upload in files]]).encode())
    return digest.hexdigest()


def _expired_before() -> dt.datetime:
    return timezone.now() - dt.timedelta(seconds=settings.SUBMISSION_MEMORY_SECONDS)


def claim(user_id: int, digest: str) -> FormSubmission | None:
    """Record that the user is sending this post now; None when the same
    post was sent already and is remembered (see first_result)."""
    FormSubmission.objects.filter(user_id=user_id, created_at__lt=_expired_before()).delete()
    try:
        with transaction.atomic():
            return FormSubmission.objects.create(user_id=user_id, fingerprint=digest)
    except IntegrityError:
        return None


def remember(submission: FormSubmission, location: str) -> None:
    """Keep where the post led, for the same post sent again."""
    FormSubmission.objects.filter(pk=submission.pk).update(location=location[:2000])


def forget(submission: FormSubmission) -> None:
    """Drop a post whose answer was not a redirect: sending it again runs it again."""
    FormSubmission.objects.filter(pk=submission.pk).delete()


@dataclass(frozen=True)
class FirstResult:
    """What became of the first post: where it led (location), that it was
    forgotten (is_forgotten), or neither yet when waiting timed out."""

    location: str = ""
    is_forgotten: bool = False


def first_result(user_id: int, digest: str, *, wait_seconds: float) -> FirstResult:
    """Wait up to wait_seconds for the first post of digest to finish."""
    deadline = time.monotonic() + wait_seconds
    while True:
        row = FormSubmission.objects.filter(user_id=user_id, fingerprint=digest).values("location").first()
        if row is None:
            return FirstResult(is_forgotten=True)
        if row["location"]:
            return FirstResult(location=row["location"])
        if time.monotonic() >= deadline:
            return FirstResult()
        time.sleep(POLL_SECONDS)


def purge_expired() -> int:
    """Delete the posts no longer remembered; return how many."""
    deleted, _by_model = FormSubmission.objects.filter(created_at__lt=_expired_before()).delete()
    return deleted
