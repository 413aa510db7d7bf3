"""The opinion-report workflow (社情民意信息), as tables.

A report: draft → submitted → adopted / declined; an adopted report is
published once an issue of the bulletin carrying it is published. Staff edits
keep the status (they add a version). Forwarding to the party committee,
the government and the parent council is a fact recorded beside the status:
it needs an adopted (or published) report.

A report forwarded upward arrives in the parent council as a Forwarding,
which the parent's staff adopt or decline on their own: received → adopted /
declined.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from xieshang.core.states import TransitionTable, ensure_transition


class ReportStatus(models.TextChoices):
    DRAFT = "draft", _("draft")  # being written, seen by its filer only
    SUBMITTED = "submitted", _("submitted")  # waiting for staff to edit and decide
    ADOPTED = "adopted", _("adopted")  # adopted by the council; may be published and forwarded
    DECLINED = "declined", _("not adopted")  # not adopted, with a reason for the reporter
    PUBLISHED = "published", _("published")  # printed in a published bulletin issue


REPORT_TRANSITIONS: TransitionTable = {
    ReportStatus.DRAFT: frozenset({ReportStatus.SUBMITTED}),
    ReportStatus.SUBMITTED: frozenset({ReportStatus.ADOPTED, ReportStatus.DECLINED}),
    ReportStatus.ADOPTED: frozenset({ReportStatus.PUBLISHED}),
    ReportStatus.DECLINED: frozenset(),
    ReportStatus.PUBLISHED: frozenset(),
}

# Statuses in which the council has adopted the report (it may be forwarded).
ADOPTED_STATUSES = frozenset({ReportStatus.ADOPTED, ReportStatus.PUBLISHED})

REPORT_STATUS_CSS: dict[str, str] = {
    ReportStatus.DRAFT: "status-draft",
    ReportStatus.SUBMITTED: "status-waiting",
    ReportStatus.ADOPTED: "status-progress",
    ReportStatus.DECLINED: "status-closed",
    ReportStatus.PUBLISHED: "status-done",
}


def ensure_report_transition(current: str, target: str) -> None:
    """Raise InvalidTransition unless the report table allows current → target."""
    ensure_transition(REPORT_TRANSITIONS, current, target)


class ReceiptStatus(models.TextChoices):
    """A report forwarded upward, as the parent council handles it."""

    RECEIVED = "received", _("received")  # waiting for the parent's staff
    ADOPTED = "adopted", _("adopted")  # adopted by the parent council
    DECLINED = "declined", _("not adopted")  # the parent council did not adopt it


RECEIPT_TRANSITIONS: TransitionTable = {
    ReceiptStatus.RECEIVED: frozenset({ReceiptStatus.ADOPTED, ReceiptStatus.DECLINED}),
    ReceiptStatus.ADOPTED: frozenset(),
    ReceiptStatus.DECLINED: frozenset(),
}

RECEIPT_STATUS_CSS: dict[str, str] = {
    ReceiptStatus.RECEIVED: "status-waiting",
    ReceiptStatus.ADOPTED: "status-done",
    ReceiptStatus.DECLINED: "status-closed",
}


def ensure_receipt_transition(current: str, target: str) -> None:
    """Raise InvalidTransition unless the receipt table allows current → target."""
    ensure_transition(RECEIPT_TRANSITIONS, current, target)


class IssueStatus(models.TextChoices):
    DRAFT = "draft", _("being composed")
    PUBLISHED = "published", _("published")


ISSUE_TRANSITIONS: TransitionTable = {
    IssueStatus.DRAFT: frozenset({IssueStatus.PUBLISHED}),
    IssueStatus.PUBLISHED: frozenset(),
}


def ensure_issue_transition(current: str, target: str) -> None:
    ensure_transition(ISSUE_TRANSITIONS, current, target)


class AuthorKind(models.TextChoices):
    """Who the report is filed in the name of."""

    MEMBER = "member", _("member")
    AFFILIATION = "affiliation", _("affiliation")
    SECTOR = "sector", _("sector group")
    SPECIAL_COMMITTEE = "special_committee", _("special committee")


class ForwardTarget(models.TextChoices):
    """Where an adopted report is sent."""

    OVERSIGHT = "oversight", _("party committee or government")  # an office of this council's place
    PARENT = "parent", _("parent council")  # the next council up
    NATIONAL = "national", _("national committee")  # from a province, which has no parent here


class Level(models.TextChoices):
    """Levels a report reaches and leaders' instructions come from, lowest first."""

    COUNTY = "county", _("county")
    CITY = "city", _("city")
    PROVINCE = "province", _("province")
    NATIONAL = "national", _("national")


LEVEL_ORDER = {value: rank for rank, value in enumerate(Level.values)}


def higher_level(current: str, candidate: str) -> str:
    """The higher of two levels ("" is below every level)."""
    if not current:
        return candidate
    return candidate if LEVEL_ORDER[candidate] > LEVEL_ORDER[current] else current


class OriginKind(models.TextChoices):
    """Where a report came from when it was not written as a report."""

    NONE = "", _("written as a report")
    PROPOSAL = "proposal", _("converted from a proposal")
    CONCERN = "concern", _("raised on a liaison visit")


class EventType(models.TextChoices):
    """Event types written to a report's history, with timeline labels."""

    DRAFT_SAVED = "opinion.draft_saved", _("Draft saved")
    SUBMITTED = "opinion.submitted", _("Submitted")
    CONVERTED_IN = "opinion.converted_in", _("Arrived from another item")
    EDITED = "opinion.edited", _("Edited by staff")
    ADOPTED = "opinion.adopted", _("Adopted")
    DECLINED = "opinion.declined", _("Not adopted")
    PUBLISHED = "opinion.published", _("Published in the bulletin")
    FORWARDED = "opinion.forwarded", _("Forwarded")
    ADOPTED_UPWARD = "opinion.adopted_upward", _("Adopted by a higher council")
    DECLINED_UPWARD = "opinion.declined_upward", _("Not adopted by a higher council")
    INSTRUCTED = "opinion.instructed", _("Leader's instruction recorded")
