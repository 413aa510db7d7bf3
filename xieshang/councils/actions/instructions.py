"""What every leader's instruction (批示) shares, whatever it is on (an
opinion report, a consultation outcome, a supervision letter): the checks
of its fields and the writing of its row. The subject's own action locks
the subject, decides who may record, and writes its history and messages."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from xieshang.councils.models import Instruction, InstructionLevel
from xieshang.councils.roles import Actor


@dataclass(frozen=True)
class InstructionDetails:
    """What the office user types: who gave the instruction, at which
    level, what it says and when."""

    leader_name: str
    level: str
    text: str
    instructed_on: dt.date
    leader_title: str = ""


def check_instruction(details: InstructionDetails, *, not_before: dt.date | None = None) -> None:
    """Raise ValidationError naming every problem: no leader, an unknown
    level, no text, a date in the future, or (given not_before, the day the
    subject was sent) a date before the subject existed."""
    errors: dict[str, str] = {}
    if not details.leader_name.strip():
        errors["leader_name"] = _("Name the leader who gave the instruction.")
    if details.level not in InstructionLevel.values:
        errors["level"] = _("Choose the leader's level.")
    if not details.text.strip():
        errors["text"] = _("Write the instruction's text.")
    if details.instructed_on > timezone.localdate():
        errors["instructed_on"] = _("The date of the instruction cannot be in the future.")
    elif not_before is not None and details.instructed_on < not_before:
        errors["instructed_on"] = _("The instruction cannot be older than the report it is on.")
    if errors:
        raise ValidationError(errors)


def add_instruction[I: Instruction](
    model: type[I],
    details: InstructionDetails,
    *,
    actor: Actor,
    office_id: int,
    not_before: dt.date | None = None,
    **subject: Any,
) -> I:
    """Check details and write the instruction as a row of model (the
    subject's instruction table, given its subject fields), recorded by
    actor for the office. Call inside the subject's action, which has
    checked the actor's right and locked the subject.

    Raise ValidationError as check_instruction does.
    """
    check_instruction(details, not_before=not_before)
    return model.objects.create(
        council=actor.council,
        office_id=office_id,
        leader_name=details.leader_name.strip()[:50],
        leader_title=details.leader_title.strip()[:100],
        level=details.level,
        text=details.text.strip(),
        instructed_on=details.instructed_on,
        recorded_by=actor.user,
        **subject,
    )
