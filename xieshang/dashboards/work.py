""" "My work": the pending tasks of one actor in one council, most urgent first.

Each app contributes a provider function (actor → WorkItems); the home page
calls every provider in PROVIDERS. Apps never import this module: it reads
them (see STYLE.md, import direction).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from functools import partial

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from xieshang.consultations import queries as consultation_queries
from xieshang.core.models import Notification
from xieshang.councils.roles import Actor, Perm
from xieshang.liaison import queries as liaison_queries
from xieshang.meetings import queries as meeting_queries
from xieshang.opinions import queries as opinion_queries
from xieshang.proposals import queries as proposal_queries
from xieshang.supervision import queries as supervision_queries
from xieshang.surveys import queries as survey_queries


def council_url(namespace: str, council_slug: str, name: str, **kwargs: object) -> str:
    """The URL of a council-scoped page, e.g. council_url("proposals", slug, "detail", pk=1)."""
    return reverse(f"{namespace}:{name}", kwargs={"council_slug": council_slug, **kwargs})


@dataclass(frozen=True)
class WorkItem:
    kind: str
    title: str
    source: str
    url: str
    action_label: str
    due_on: date | None = None
    # Smaller sorts first among items without a due date.
    priority: int = 50


def counted(
    kind: str, count: int, label: str, source: str, url: str, action: str, priority: int = 30
) -> list[WorkItem]:
    """One item saying how many things wait (label has %(count)s), or none
    when the count is zero."""
    if not count:
        return []
    return [WorkItem(kind, label % {"count": count}, source, url, action, priority=priority)]


def unread_notifications(actor: Actor) -> list[WorkItem]:
    return counted(
        "notifications",
        Notification.objects.filter(
            recipient=actor.user, council=actor.council, read_at__isnull=True
        ).count(),
        _("%(count)s unread messages"),
        _("Inbox"),
        council_url("councils", actor.council.slug, "inbox"),
        _("Read"),
        priority=90,
    )


def proposal_work(actor: Actor) -> list[WorkItem]:
    """Proposals (提案): co-sign requests, returned drafts, ratings due for
    members; the review queue, replies to check and objections for staff;
    replies due for unit liaisons."""
    url = partial(council_url, "proposals", actor.council.slug)
    source = _("Proposals")
    return [
        *_proposal_member_work(actor, url, source),
        *_proposal_staff_work(actor, url, source),
        *_proposal_unit_work(actor, url),
    ]


def _proposal_member_work(actor: Actor, url: Callable[..., str], source: str) -> list[WorkItem]:
    items: list[WorkItem] = []
    for row in proposal_queries.cosign_requests(actor)[:20]:
        items.append(
            WorkItem(
                "proposals.cosign",
                _("Co-sign: %(title)s") % {"title": row.proposal.title},
                source,
                url("cosign_requests"),
                _("Answer"),
                priority=20,
            )
        )
    for proposal in proposal_queries.returned_to_me(actor)[:20]:
        items.append(
            WorkItem(
                "proposals.returned",
                _("Revise: %(title)s") % {"title": proposal.title},
                source,
                url("edit", pk=proposal.pk),
                _("Revise"),
                priority=25,
            )
        )
    for reply in proposal_queries.ratings_due(actor, timezone.localdate())[:20]:
        items.append(
            WorkItem(
                "proposals.rate",
                _("Rate the reply to: %(title)s") % {"title": reply.assignment.proposal.title},
                source,
                url("rate", pk=reply.pk),
                _("Rate"),
                due_on=reply.feedback_due_on,
            )
        )
    return items


def _proposal_staff_work(actor: Actor, url: Callable[..., str], source: str) -> list[WorkItem]:
    counts = (
        (
            proposal_queries.status_counts(actor).get("submitted", 0)
            if actor.has(Perm.REVIEW_PROPOSALS)
            else 0,
            _("%(count)s proposals to review"),
            "queue",
            _("Review"),
        ),
        (
            proposal_queries.replies_to_check(actor).count(),
            _("%(count)s replies to check"),
            "replies",
            _("Check"),
        ),
        (
            proposal_queries.objections_waiting(actor).count(),
            _("%(count)s objections to assignments"),
            "queue",
            _("Reassign"),
        ),
        (
            proposal_queries.follow_ups_to_close(actor, timezone.localdate()).count(),
            _("%(count)s follow-ups reported by units"),
            "follow_ups",
            _("Close"),
        ),
    )
    items: list[WorkItem] = []
    for count, label, name, action in counts:
        items += counted("proposals.staff", count, label, source, url(name), action)
    return items


def _proposal_unit_work(actor: Actor, url: Callable[..., str]) -> list[WorkItem]:
    items: list[WorkItem] = []
    for assignment in proposal_queries.unit_inbox(actor).filter(
        proposal__status__in=("assigned", "rehandling")
    )[:50]:
        items.append(
            WorkItem(
                "proposals.reply",
                _("Reply to %(number)s %(title)s")
                % {"number": assignment.proposal.case_number, "title": assignment.proposal.title},
                assignment.unit.name,
                url("assignment", pk=assignment.pk),
                _("Handle"),
                due_on=assignment.effective_due_on,
            )
        )
    for follow_up in proposal_queries.follow_ups_to_report(actor, timezone.localdate())[:20]:
        items.append(
            WorkItem(
                "proposals.follow_up",
                _("Follow-up of %(number)s %(title)s: say what has been done")
                % {"number": follow_up.proposal.case_number, "title": follow_up.proposal.title},
                follow_up.unit.name,
                url("follow_up", pk=follow_up.pk),
                _("Report"),
                due_on=follow_up.due_on,
            )
        )
    return items


def meeting_work(actor: Actor) -> list[WorkItem]:
    """Meetings (会议): meetings in the next two weeks a member has not
    answered (attend, or ask for leave); leave requests for those who decide."""
    slug = actor.council.slug
    source = _("Meetings")
    items: list[WorkItem] = []
    now = timezone.now()
    for meeting in meeting_queries.meetings_to_answer(actor, now=now, within=timedelta(days=14))[:20]:
        items.append(
            WorkItem(
                "meetings.attend",
                _("Meeting: %(title)s") % {"title": meeting.title},
                source,
                reverse("meetings:detail", kwargs={"council_slug": slug, "pk": meeting.pk}),
                _("Attend or ask for leave"),
                due_on=timezone.localdate(meeting.starts_at),
            )
        )
    items += counted(
        "meetings.leave",
        meeting_queries.leave_requests_waiting(actor).count(),
        _("%(count)s leave requests to decide"),
        source,
        council_url("meetings", slug, "leave_queue"),
        _("Decide"),
    )
    return items


def opinion_work(actor: Actor) -> list[WorkItem]:
    """Opinion reports (社情民意信息): unfinished drafts for members; reports
    to decide on and reports forwarded from lower councils for staff; reports
    waiting for a leader's instruction for oversight offices."""
    slug = actor.council.slug
    source = _("Opinion reports")
    items: list[WorkItem] = []

    url = partial(council_url, "opinions", slug)

    for report in opinion_queries.my_drafts(actor)[:20]:
        items.append(
            WorkItem(
                "opinions.draft",
                _("Finish your draft: %(title)s") % {"title": report.title},
                source,
                url("edit", pk=report.pk),
                _("Continue"),
                priority=40,
            )
        )
    if actor.has(Perm.MANAGE_OPINIONS):
        counts = (
            (
                opinion_queries.status_counts(actor).get("submitted", 0),
                _("%(count)s opinion reports to edit and decide"),
                "queue",
            ),
            (
                opinion_queries.received_reports(actor, "received").count(),
                _("%(count)s opinion reports forwarded from lower councils"),
                "received",
            ),
        )
        for count, label, name in counts:
            items += counted("opinions.staff", count, label, source, url(name), _("Open"))
    items += counted(
        "opinions.office",
        opinion_queries.office_without_instructions(actor).count(),
        _("%(count)s forwarded opinion reports without an instruction"),
        source,
        url("office_inbox"),
        _("Open"),
    )
    return items


def liaison_work(actor: Actor) -> list[WorkItem]:
    """Liaison (三联系): concerns assigned to the unit or office, with their
    due dates; overdue concerns for staff; this month's planned visits not
    yet recorded for a leader."""
    slug = actor.council.slug
    source = _("Liaison")
    items: list[WorkItem] = []

    url = partial(council_url, "liaison", slug)

    for concern in liaison_queries.unit_open_concerns(actor)[:20]:
        items.append(
            WorkItem(
                "liaison.concern",
                _("Concern to handle: %(title)s") % {"title": concern.title},
                source,
                url("concern", pk=concern.pk),
                _("Handle"),
                due_on=concern.due_on,
            )
        )
    if actor.has(Perm.MANAGE_CONCERNS):
        items += counted(
            "liaison.overdue",
            liaison_queries.overdue_count(actor),
            _("%(count)s liaison concerns overdue"),
            source,
            url("concerns") + "?overdue=on",
            _("Open"),
            priority=25,
        )
    if actor.has(Perm.RECORD_VISITS):
        today = timezone.localdate()
        for planned in liaison_queries.planned_not_visited(actor, today.year, today.month)[:5]:
            items.append(
                WorkItem(
                    "liaison.planned",
                    _("Visit planned this month: %(name)s") % {"name": planned.member.full_name},
                    source,
                    url("record") + f"?member={planned.member_id}",
                    _("Record the visit"),
                    priority=45,
                )
            )
    return items


def supervision_work(actor: Actor) -> list[WorkItem]:
    """Democratic supervision (民主监督): recommendations and letters waiting
    for the unit's answer (a letter sent back for rework too), with their
    due dates."""
    source = _("Democratic supervision")
    url = partial(council_url, "supervision", actor.council.slug)
    items = [
        WorkItem(
            "supervision.recommendation",
            _("Supervision recommendation to answer: %(title)s") % {"title": row.title},
            source,
            url("recommendation", pk=row.pk),
            _("Answer"),
            due_on=row.due_on,
        )
        for row in supervision_queries.unit_open_recommendations(actor)[:20]
    ]
    items += [
        WorkItem(
            "supervision.letter",
            _("Recommendation letter to answer: %(title)s") % {"title": row.title},
            source,
            url("letter", pk=row.pk),
            _("Answer"),
            due_on=row.due_on,
        )
        for row in supervision_queries.unit_open_letters(actor)[:20]
    ]
    return items


def consultation_work(actor: Actor) -> list[WorkItem]:
    """Consultations (协商): notices and materials due and minutes to send for
    staff; plan items past their decision date without consultation for
    staff and leaders; outcomes waiting for their conversion for offices."""
    url = partial(council_url, "consultations", actor.council.slug)
    source = _("Consultations")
    return [
        *_consultation_preparation(actor, url, source),
        *_joint_consultations(actor, url, source),
        *_consultation_counts(actor, url, source),
    ]


def _consultation_preparation(actor: Actor, url: Callable[..., str], source: str) -> list[WorkItem]:
    items: list[WorkItem] = []
    for consultation in consultation_queries.preparation_to_do(actor)[:20]:
        if consultation.notice_sent_at is None:
            title, due = _("Send the notice: %(topic)s"), consultation.notice_due_on
        elif consultation.materials_sent_at is None:
            title, due = _("Send the materials: %(topic)s"), consultation.materials_due_on
        else:
            continue
        items.append(
            WorkItem(
                "consultations.prepare",
                title % {"topic": consultation.topic},
                source,
                url("detail", pk=consultation.pk),
                _("Open"),
                due_on=due,
            )
        )
    for consultation in consultation_queries.minutes_to_send(actor)[:20]:
        items.append(
            WorkItem(
                "consultations.minutes",
                _("Send the minutes: %(topic)s") % {"topic": consultation.topic},
                source,
                url("minutes", pk=consultation.pk),
                _("Write"),
                due_on=consultation.minutes_due_on,
            )
        )
    return items


def _joint_consultations(actor: Actor, url: Callable[..., str], source: str) -> list[WorkItem]:
    items: list[WorkItem] = []
    # Joint consultations of the upper council: the lower council's staff
    # name participants; the named members see theirs until it is held.
    for invitation in consultation_queries.joint_invitations_to_accept(actor)[:20]:
        items.append(
            WorkItem(
                "consultations.joint_accept",
                _("Name participants: %(topic)s (%(council)s)")
                % {"topic": invitation.consultation.topic, "council": invitation.council.name},
                source,
                url("joint_detail", pk=invitation.pk),
                _("Open"),
                due_on=timezone.localtime(invitation.consultation.starts_at).date(),
            )
        )
    for invitation in consultation_queries.upcoming_joint_invitations(actor, timezone.now())[:20]:
        items.append(
            WorkItem(
                "consultations.joint",
                _("Joint consultation: %(topic)s (%(council)s)")
                % {"topic": invitation.consultation.topic, "council": invitation.council.name},
                source,
                url("joint_detail", pk=invitation.pk),
                _("Open"),
                due_on=timezone.localtime(invitation.consultation.starts_at).date(),
            )
        )
    return items


def _consultation_counts(actor: Actor, url: Callable[..., str], source: str) -> list[WorkItem]:
    items: list[WorkItem] = []
    items += counted(
        "consultations.undecided",
        consultation_queries.flagged_items(actor, timezone.localdate()).count(),
        _("%(count)s plan items past their decision date without consultation"),
        source,
        url("flags"),
        _("Open"),
        priority=20,
    )
    items += counted(
        "consultations.office",
        consultation_queries.office_outcomes_waiting(actor).count(),
        _("%(count)s consultation outcomes waiting for what became of them"),
        source,
        url("office_inbox"),
        _("Open"),
    )
    return items


def survey_work(actor: Actor) -> list[WorkItem]:
    """Surveys (问卷): open surveys put to a member or a unit that they have
    not answered, due on their closing day."""
    now = timezone.now()
    items = []
    for row in survey_queries.my_surveys(actor):
        if row.answered or not row.survey.takes_answers(now):
            continue
        items.append(
            WorkItem(
                "surveys.answer",
                _("Survey: %(title)s") % {"title": row.survey.title},
                _("Surveys"),
                reverse("surveys:answer", kwargs={"council_slug": actor.council.slug, "pk": row.survey.pk}),
                _("Answer"),
                due_on=timezone.localdate(row.survey.closes_at),
            )
        )
    return items


PROVIDERS: tuple[Callable[[Actor], list[WorkItem]], ...] = (
    unread_notifications,
    proposal_work,
    meeting_work,
    opinion_work,
    liaison_work,
    supervision_work,
    consultation_work,
    survey_work,
)


def work_for(actor: Actor) -> list[WorkItem]:
    items: list[WorkItem] = []
    for provider in PROVIDERS:
        items.extend(provider(actor))
    far = date.max
    return sorted(items, key=lambda item: (item.due_on or far, item.priority))
