"""Where automatic duty records come from: one entry per source, in a table.

Each source reads one app's tables (through that app's models; duty sits
above the domain apps) and yields the facts of one council's year. Apps that
land later (opinion reports, speeches, activities) add a collector here and an
entry in SOURCES; nothing else changes.

Rules every collector keeps:
- a fact names the member, the kind, the source object and the member's role;
- facts are read only from the council being rebuilt;
- a proposal converted to an opinion report yields nothing here: it counts as
  the report, once, when the opinions source lands.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from django.db import models
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext

from xieshang.consultations.models import Activity, Consultation, Speech
from xieshang.consultations.states import ConsultationStatus
from xieshang.councils.models import Council
from xieshang.duty.states import DutyKind, SourceRole
from xieshang.liaison.models import LiaisonVisit
from xieshang.meetings.models import Attendance, Meeting
from xieshang.meetings.states import AttendanceStatus, MeetingKind, MeetingStatus
from xieshang.opinions.models import OpinionReport, ReportInstruction
from xieshang.opinions.states import AuthorKind, ReportStatus
from xieshang.proposals.models import Cosigner, Proposal
from xieshang.proposals.states import CosignStatus, ProposalStatus
from xieshang.supervision.models import (
    AppraisalKind,
    Inspection,
    RecommendationLetter,
    SupervisionActivity,
    SupervisionAppraisal,
)

DESCRIPTION_MAX = 300


@dataclass(frozen=True)
class Fact:
    member_id: int
    kind: str
    source_model: type[models.Model]
    source_id: int
    role: str
    occurred_on: dt.date
    description: str


# A collector yields the facts of a council's year; given a member's id, it
# may narrow its reading to facts that can concern that member (the rebuild
# keeps only that member's facts either way).
Collector = Callable[[Council, int, int | None], Iterator[Fact]]
# The members an event on one row of a followed model may change the facts
# of: given the row's id and the event's data.
Concerned = Callable[[int, Mapping[str, Any]], Iterable[int]]


@dataclass(frozen=True)
class Source:
    name: str
    collect: Collector
    # The model whose events change these facts, and whom such an event concerns
    # (the records of those members are refreshed after it; duty/refresh.py).
    follows: type[models.Model]
    concerned: Concerned


def _of_member(rows: QuerySet[Any], member_id: int | None, field: str = "member_id") -> QuerySet[Any]:
    return rows if member_id is None else rows.filter(**{field: member_id})


def year_bounds(year: int) -> tuple[dt.datetime, dt.datetime]:
    """The year as an aware [start, end) range in the site's time zone."""
    tz = timezone.get_current_timezone()
    return dt.datetime(year, 1, 1, tzinfo=tz), dt.datetime(year + 1, 1, 1, tzinfo=tz)


@functools.lru_cache(maxsize=4096)  # many facts share one meeting's start
def _local_date(moment: dt.datetime | None) -> dt.date:
    assert moment is not None  # filtered by a range on this column
    return timezone.localdate(moment)


# Proposals that were filed (left the proposer's hands) and still count as
# proposals. Converted ones become opinion reports and score there.
NOT_FILED = (ProposalStatus.DRAFT, ProposalStatus.RETURNED, ProposalStatus.CONVERTED)


def proposal_facts(council: Council, year: int, member_id: int | None = None) -> Iterator[Fact]:
    """Proposals submitted in year: filed (lead and confirmed co-signers),
    accepted, outstanding and key. Every fact of a proposal belongs to the
    year it was filed in, whenever it was accepted."""
    start, end = year_bounds(year)
    proposals = Proposal.objects.filter(
        council=council, submitted_at__gte=start, submitted_at__lt=end, lead_proposer__isnull=False
    )
    if member_id is not None:
        signed = Cosigner.objects.filter(member_id=member_id, status=CosignStatus.CONFIRMED)
        proposals = proposals.filter(Q(lead_proposer_id=member_id) | Q(pk__in=signed.values("proposal_id")))
    rows = list(
        proposals.exclude(status__in=NOT_FILED)
        .values_list(
            "id",
            "lead_proposer_id",
            "title",
            "case_number",
            "submitted_at",
            "accepted_at",
            "is_outstanding",
            "is_key",
        )
        .order_by("id")
    )
    cosigners: dict[int, list[int]] = {}
    ids = [row[0] for row in rows]
    for chunk_start in range(0, len(ids), 500):
        chunk = ids[chunk_start : chunk_start + 500]
        for proposal_id, member_id in Cosigner.objects.filter(
            proposal_id__in=chunk, status=CosignStatus.CONFIRMED
        ).values_list("proposal_id", "member_id"):
            cosigners.setdefault(proposal_id, []).append(member_id)
    for proposal_id, lead_id, title, case_number, submitted_at, accepted_at, is_outstanding, is_key in rows:
        label = f"{case_number} {title}".strip()[:DESCRIPTION_MAX]
        filed_on = _local_date(submitted_at)
        people = [(lead_id, SourceRole.LEAD)] + [
            (m, SourceRole.COSIGNER) for m in cosigners.get(proposal_id, []) if m != lead_id
        ]
        for member_id, role in people:
            yield Fact(member_id, DutyKind.PROPOSAL_FILED, Proposal, proposal_id, role, filed_on, label)
            if accepted_at is not None:
                accepted_on = _local_date(accepted_at)
                yield Fact(
                    member_id, DutyKind.PROPOSAL_ACCEPTED, Proposal, proposal_id, role, accepted_on, label
                )
            if is_outstanding:
                yield Fact(
                    member_id, DutyKind.PROPOSAL_OUTSTANDING, Proposal, proposal_id, role, filed_on, label
                )
            if is_key:
                yield Fact(member_id, DutyKind.PROPOSAL_KEY, Proposal, proposal_id, role, filed_on, label)


# What a member's attendance of a closed meeting counts as, by meeting kind
# and attendance; pairs not listed count nothing (chair and secretary-general
# meetings are leadership work; only plenary absences cost points). Partial
# attendance of a plenary counts as an absence (DOMAIN.md §3).
A, M = AttendanceStatus, MeetingKind
ATTENDANCE_KINDS: dict[tuple[str, str], str] = {
    (M.PLENARY, A.PRESENT): DutyKind.PLENARY_PRESENT,
    (M.PLENARY, A.EXCUSED): DutyKind.PLENARY_EXCUSED,
    (M.PLENARY, A.ABSENT): DutyKind.PLENARY_ABSENT,
    (M.PLENARY, A.PARTIAL): DutyKind.PLENARY_ABSENT,
    (M.STANDING_COMMITTEE, A.PRESENT): DutyKind.STANDING_COMMITTEE_MEETING,
    (M.SPECIAL_COMMITTEE, A.PRESENT): DutyKind.ACTIVITY,
    (M.SECTOR_GROUP, A.PRESENT): DutyKind.ACTIVITY,
    (M.MEMBER_DAY, A.PRESENT): DutyKind.ACTIVITY,
    (M.TRAINING, A.PRESENT): DutyKind.ACTIVITY,
}


def attendance_facts(council: Council, year: int, member_id: int | None = None) -> Iterator[Fact]:
    """Attendance of the council's closed meetings that started in year."""
    start, end = year_bounds(year)
    rows = (
        _of_member(
            Attendance.objects.filter(
                council=council,
                meeting__council=council,
                meeting__status=MeetingStatus.CLOSED,
                meeting__starts_at__gte=start,
                meeting__starts_at__lt=end,
            ),
            member_id,
        )
        .values_list("id", "member_id", "status", "meeting__kind", "meeting__title", "meeting__starts_at")
        .order_by("id")
    )
    for attendance_id, member_id, status, meeting_kind, title, starts_at in rows.iterator(chunk_size=5000):
        kind = ATTENDANCE_KINDS.get((meeting_kind, status))
        if kind is not None:
            yield Fact(
                member_id,
                kind,
                Attendance,
                attendance_id,
                SourceRole.PARTICIPANT,
                _local_date(starts_at),
                str(title)[:DESCRIPTION_MAX],
            )


FILED_REPORTS = (ReportStatus.SUBMITTED, ReportStatus.ADOPTED, ReportStatus.DECLINED, ReportStatus.PUBLISHED)
ADOPTED_REPORTS = (ReportStatus.ADOPTED, ReportStatus.PUBLISHED)


def opinion_facts(council: Council, year: int, member_id: int | None = None) -> Iterator[Fact]:
    """Opinion reports of year filed by a member of the council: filed,
    adopted, and instructed by a leader (once per report however many
    instructions it drew). A report converted from a proposal counts here,
    and only here (proposal_facts skips converted proposals)."""
    rows = list(
        _of_member(
            OpinionReport.objects.filter(
                council=council,
                year=year,
                author_kind=AuthorKind.MEMBER,
                member__isnull=False,
                member__council=council,
                counts_for_duty=True,
                status__in=FILED_REPORTS,
            ),
            member_id,
        )
        .values_list("id", "member_id", "title", "status", "submitted_at", "decided_at")
        .order_by("id")
    )
    instructed: dict[int, dt.date] = {}
    ids = [row[0] for row in rows]
    for chunk_start in range(0, len(ids), 500):
        chunk = ids[chunk_start : chunk_start + 500]
        for report_id, instructed_on in (
            ReportInstruction.objects.filter(report_id__in=chunk)
            .order_by("instructed_on")
            .values_list("report_id", "instructed_on")
        ):
            instructed.setdefault(report_id, instructed_on)
    lead = SourceRole.LEAD
    for report_id, member_id, title, status, submitted_at, decided_at in rows:
        label = str(title)[:DESCRIPTION_MAX]
        filed_on = _local_date(submitted_at) if submitted_at is not None else dt.date(year, 1, 1)
        yield Fact(member_id, DutyKind.OPINION_REPORT, OpinionReport, report_id, lead, filed_on, label)
        if status in ADOPTED_REPORTS:
            adopted_on = _local_date(decided_at) if decided_at is not None else filed_on
            yield Fact(member_id, DutyKind.OPINION_ADOPTED, OpinionReport, report_id, lead, adopted_on, label)
        if report_id in instructed:
            on = instructed[report_id]
            yield Fact(member_id, DutyKind.OPINION_INSTRUCTED, OpinionReport, report_id, lead, on, label)


TOOK_PLACE = (ConsultationStatus.HELD, ConsultationStatus.CLOSED)


def speech_facts(council: Council, year: int, member_id: int | None = None) -> Iterator[Fact]:
    """Speeches members gave at the council's consultations of year that took place."""
    rows = (
        _of_member(
            Speech.objects.filter(
                council=council,
                consultation__council=council,
                consultation__year=year,
                consultation__status__in=TOOK_PLACE,
                member__council=council,
            ),
            member_id,
        )
        .values_list("id", "member_id", "title", "consultation__held_on", "consultation__starts_at")
        .order_by("id")
    )
    for speech_id, member_id, title, held_on, starts_at in rows.iterator(chunk_size=5000):
        on = held_on or _local_date(starts_at)
        yield Fact(
            member_id, DutyKind.SPEECH, Speech, speech_id, SourceRole.LEAD, on, str(title)[:DESCRIPTION_MAX]
        )


def activity_facts(council: Council, year: int, member_id: int | None = None) -> Iterator[Fact]:
    """Research and inspections (调研 / 视察) of year that members took part in,
    unless their consultation was cancelled."""
    start, end = dt.date(year, 1, 1), dt.date(year + 1, 1, 1)
    through = Activity.members.through
    rows = (
        _of_member(
            through.objects.filter(
                activity__council=council,
                activity__held_on__gte=start,
                activity__held_on__lt=end,
                member__council=council,
            ),
            member_id,
        )
        .exclude(activity__consultation__status=ConsultationStatus.CANCELLED)
        .values_list("activity_id", "member_id", "activity__title", "activity__held_on")
        .order_by("activity_id", "member_id")
    )
    for activity_id, member_id, title, held_on in rows.iterator(chunk_size=5000):
        yield Fact(
            member_id,
            DutyKind.ACTIVITY,
            Activity,
            activity_id,
            SourceRole.PARTICIPANT,
            held_on,
            str(title)[:DESCRIPTION_MAX],
        )


def liaison_visit_facts(council: Council, year: int, member_id: int | None = None) -> Iterator[Fact]:
    """Leaders' liaison visits (三联系) of year: the visited member, who met the
    visiting leaders with their constituents, counts it as an activity."""
    start, end = dt.date(year, 1, 1), dt.date(year + 1, 1, 1)
    rows = (
        _of_member(
            LiaisonVisit.objects.filter(
                council=council, visited_on__gte=start, visited_on__lt=end, member__council=council
            ),
            member_id,
        )
        .values_list("id", "member_id", "visited_on", "discussion")
        .order_by("id")
    )
    for visit_id, member_id, visited_on, discussion in rows.iterator(chunk_size=5000):
        label = gettext("Liaison visit: %(discussion)s") % {"discussion": discussion}
        yield Fact(
            member_id,
            DutyKind.ACTIVITY,
            LiaisonVisit,
            visit_id,
            SourceRole.PARTICIPANT,
            visited_on,
            label[:DESCRIPTION_MAX],
        )


def proposal_people(proposal_id: int, data: Mapping[str, Any]) -> Iterable[int]:
    """The lead proposer and every co-signer, whatever their answer (an
    answer withdrawn or a proposal returned takes a fact away)."""
    lead = Proposal.objects.filter(pk=proposal_id).values_list("lead_proposer_id", flat=True)
    cosigners = Cosigner.objects.filter(proposal_id=proposal_id).values_list("member_id", flat=True)
    return {*lead, *cosigners} - {None}


def meeting_people(meeting_id: int, data: Mapping[str, Any]) -> Iterable[int]:
    """The member a check-in, leave or correction names; on closing, everyone
    whose attendance was fixed."""
    member_id = data.get("member_id")
    if isinstance(member_id, int):
        return [member_id]
    return Attendance.objects.filter(meeting_id=meeting_id).values_list("member_id", flat=True)


def report_author(report_id: int, data: Mapping[str, Any]) -> Iterable[int]:
    reports = OpinionReport.objects.filter(pk=report_id, member__isnull=False)
    return reports.values_list("member_id", flat=True)


def consultation_people(consultation_id: int, data: Mapping[str, Any]) -> Iterable[int]:
    """The speakers and the members of its research and inspections."""
    speakers = Speech.objects.filter(consultation_id=consultation_id, member__isnull=False)
    through = Activity.members.through
    joined = through.objects.filter(activity__consultation_id=consultation_id)
    return {*speakers.values_list("member_id", flat=True), *joined.values_list("member_id", flat=True)}


def visited_member(visit_id: int, data: Mapping[str, Any]) -> Iterable[int]:
    return LiaisonVisit.objects.filter(pk=visit_id, member__isnull=False).values_list("member_id", flat=True)


def _participant_facts(
    council: Council, year: int, member_id: int | None, model: type[models.Model], day: str, label: str
) -> Iterator[Fact]:
    """The participants of model's rows of year (inspections, activities)."""
    through = model.participants.through  # type: ignore[attr-defined]
    name = model._meta.model_name
    rows = (
        _of_member(
            through.objects.filter(
                **{f"{name}__council": council, f"{name}__year": year, "member__council": council}
            ),
            member_id,
        )
        .values_list(f"{name}_id", "member_id", f"{name}__{day}")
        .order_by(f"{name}_id", "member_id")
    )
    for source_id, person, on in rows.iterator(chunk_size=5000):
        yield Fact(person, DutyKind.SUPERVISION, model, source_id, SourceRole.PARTICIPANT, on, label)


def inspection_facts(council: Council, year: int, member_id: int | None = None) -> Iterator[Fact]:
    """Democratic supervision (民主监督): each member who took part in an
    inspection of year counts it once."""
    yield from _participant_facts(council, year, member_id, Inspection, "inspected_on", gettext("Inspection"))


def supervision_activity_facts(council: Council, year: int, member_id: int | None = None) -> Iterator[Fact]:
    """Each member who took part in a resident supervisor group's activity of year."""
    label = gettext("Resident supervision activity")
    yield from _participant_facts(council, year, member_id, SupervisionActivity, "held_on", label)


def letter_facts(council: Council, year: int, member_id: int | None = None) -> Iterator[Fact]:
    """Each member of the posted group whose recommendation letter was issued in year."""
    rows = (
        _of_member(
            RecommendationLetter.objects.filter(
                council=council, year=year, posting__group__members__council=council
            ),
            member_id,
            "posting__group__members",
        )
        .values_list("id", "posting__group__members", "issued_on", "title")
        .order_by("id")
    )
    for letter_id, person, issued_on, title in rows.iterator(chunk_size=5000):
        label = gettext("Recommendation letter: %(title)s") % {"title": title}
        yield Fact(
            person,
            DutyKind.SUPERVISION,
            RecommendationLetter,
            letter_id,
            SourceRole.PARTICIPANT,
            issued_on,
            label[:DESCRIPTION_MAX],
        )


def appraisal_facts(council: Council, year: int, member_id: int | None = None) -> Iterator[Fact]:
    """The unit's yearly feedback on its supervisors and the supervisors'
    yearly report: each member of the posted group counts each once."""
    rows = (
        _of_member(
            SupervisionAppraisal.objects.filter(
                council=council, year=year, posting__group__members__council=council
            ),
            member_id,
            "posting__group__members",
        )
        .values_list("id", "posting__group__members", "recorded_on", "kind")
        .order_by("id")
    )
    labels = {
        AppraisalKind.UNIT_FEEDBACK: gettext("The unit's feedback on its supervisors"),
        AppraisalKind.GROUP_REPORT: gettext("The supervisors' yearly report"),
    }
    for appraisal_id, person, on, kind in rows.iterator(chunk_size=5000):
        yield Fact(
            person,
            DutyKind.SUPERVISION,
            SupervisionAppraisal,
            appraisal_id,
            SourceRole.PARTICIPANT,
            on,
            labels[kind],
        )


def appraisal_group(appraisal_id: int, data: Mapping[str, Any]) -> Iterable[int]:
    rows = SupervisionAppraisal.objects.filter(pk=appraisal_id, posting__group__members__isnull=False)
    return rows.values_list("posting__group__members", flat=True)


def inspection_people(inspection_id: int, data: Mapping[str, Any]) -> Iterable[int]:
    return Inspection.participants.through.objects.filter(inspection_id=inspection_id).values_list(
        "member_id", flat=True
    )


def activity_people(activity_id: int, data: Mapping[str, Any]) -> Iterable[int]:
    return SupervisionActivity.participants.through.objects.filter(
        supervisionactivity_id=activity_id
    ).values_list("member_id", flat=True)


def letter_group(letter_id: int, data: Mapping[str, Any]) -> Iterable[int]:
    rows = RecommendationLetter.objects.filter(pk=letter_id, posting__group__members__isnull=False)
    return rows.values_list("posting__group__members", flat=True)


# Later apps add their collectors here (circulars read, training).
SOURCES: tuple[Source, ...] = (
    Source("proposals", proposal_facts, Proposal, proposal_people),
    Source("meetings", attendance_facts, Meeting, meeting_people),
    Source("opinions", opinion_facts, OpinionReport, report_author),
    Source("speeches", speech_facts, Consultation, consultation_people),
    Source("activities", activity_facts, Consultation, consultation_people),
    Source("liaison", liaison_visit_facts, LiaisonVisit, visited_member),
    Source("inspections", inspection_facts, Inspection, inspection_people),
    Source("supervision_activities", supervision_activity_facts, SupervisionActivity, activity_people),
    Source("supervision_letters", letter_facts, RecommendationLetter, letter_group),
    Source("supervision_appraisals", appraisal_facts, SupervisionAppraisal, appraisal_group),
)
