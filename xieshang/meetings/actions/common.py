"""What every meetings action shares: locking, history, audit, messages."""

from __future__ import annotations

from collections.abc import Iterable

from django.urls import reverse

from xieshang.accounts.models import User
from xieshang.core.notifications import SMS, notify
from xieshang.councils.models import Role
from xieshang.meetings.models import Meeting


def lock_meeting(meeting: Meeting, council_id: int) -> Meeting:
    """Re-read the meeting under a row lock, within its council."""
    return (
        Meeting.objects.select_for_update(of=("self",))
        .select_related("council", "term")
        .get(pk=meeting.pk, council_id=council_id)
    )


def meeting_url(meeting: Meeting) -> str:
    return reverse("meetings:detail", kwargs={"council_slug": meeting.council.slug, "pk": meeting.pk})


def invitee_users(meeting: Meeting) -> list[User]:
    """Users of the invited members who have a login."""
    return list(
        User.objects.filter(memberships__meeting_invitations__meeting=meeting, is_active=True).distinct()
    )


def leave_deciders(meeting: Meeting) -> list[User]:
    """Staff of the council, who decide on leave requests."""
    return list(
        User.objects.filter(
            council_roles__council_id=meeting.council_id, council_roles__role=Role.STAFF, is_active=True
        ).distinct()
    )


def tell(
    recipients: Iterable[User],
    meeting: Meeting,
    title: str,
    *,
    kind: str,
    body: str = "",
    dedupe_key: str = "",
    by_sms: bool = False,
) -> None:
    """Put a message linking to the meeting in each recipient's inbox (and
    send it by SMS as well when by_sms)."""
    notify(
        recipients=recipients,
        council=meeting.council,
        title=title,
        body=body,
        url=meeting_url(meeting),
        kind=kind,
        channels=(SMS,) if by_sms else (),
        dedupe_key=dedupe_key,
    )
