"""Resident supervision pages: postings of supervisor groups, a posting with
its activities and letters, and a letter with the unit's answers."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from xieshang.core.events import labelled_timeline
from xieshang.core.pages import form_page, version_of
from xieshang.councils.roles import Perm
from xieshang.councils.tenancy import CouncilRequest, council_view
from xieshang.supervision import permissions as can
from xieshang.supervision import queries
from xieshang.supervision.actions import (
    PostingData,
    answer_letter,
    close_letter,
    issue_letter,
    post_group,
    record_activity,
    record_appraisal,
    return_letter,
)
from xieshang.supervision.forms import (
    ActivityForm,
    AppraisalForm,
    LetterForm,
    PostingForm,
    ReplyForm,
    ReturnForm,
)
from xieshang.supervision.states import STATUS_CSS, EventType
from xieshang.supervision.views.common import act_on_form, url


def _sees_resident(request: CouncilRequest) -> None:
    if not (request.actor.has(Perm.VIEW_SUPERVISION) or request.actor.has(Perm.ANSWER_SUPERVISION)):
        raise Http404


@council_view()
def postings(request: CouncilRequest) -> HttpResponse:
    _sees_resident(request)
    return render(
        request,
        "supervision/postings.html",
        {"postings": queries.visible_postings(request.actor), "may_manage": can.is_staff(request.actor)},
    )


@council_view(Perm.MANAGE_SUPERVISION)
def posting_create(request: CouncilRequest) -> HttpResponse:
    form = PostingForm(request.POST or None, council=request.council)
    return form_page(
        request,
        form,
        title=_("Post a supervisor group"),
        back=url(request, "postings"),
        call=lambda d: post_group(
            actor=request.actor,
            data=PostingData(d["group"], d["handling_unit"], d["leader"], d["starts_on"], d["ends_on"]),
        ),
        success=_("The group was posted to the unit."),
        done=lambda row: url(request, "posting", pk=row.pk),
    )


@council_view()
def posting(request: CouncilRequest, pk: int) -> HttpResponse:
    actor = request.actor
    row = queries.access_posting(actor, pk)
    return render(
        request,
        "supervision/posting.html",
        {
            "posting": row,
            "members": list(row.group.members.order_by("full_name")),
            "activities": list(queries.activities_of(row)),
            "appraisals": list(queries.appraisals_of(row)),
            "letters": list(queries.visible_letters(actor).filter(posting=row)),
            "status_css": STATUS_CSS,
            "may_record": can.can_record_activity(
                actor, row, in_group=queries.member_in_group(actor, row.group_id)
            ),
            "may_issue": can.is_staff(actor),
        },
    )


@council_view()
def activity_add(request: CouncilRequest, pk: int) -> HttpResponse:
    row = queries.access_posting(request.actor, pk)
    form = ActivityForm(request.POST or None, group=row.group)
    return form_page(
        request,
        form,
        title=_("Record an activity"),
        subject=f"{row.group.name} → {row.handling_unit.name}",
        back=url(request, "posting", pk=row.pk),
        call=lambda d: record_activity(
            row,
            actor=request.actor,
            kind=d["kind"],
            held_on=d["held_on"],
            participants=list(d["participants"]),
            outcome=d["outcome"],
        ),
        success=_("The activity was recorded."),
    )


@council_view()
def appraisal_add(request: CouncilRequest, pk: int) -> HttpResponse:
    """The unit's yearly feedback on its supervisors, or the group's yearly report."""
    row = queries.access_posting(request.actor, pk)
    form = AppraisalForm(request.POST or None)
    return form_page(
        request,
        form,
        title=_("Yearly feedback or report"),
        subject=f"{row.group.name} → {row.handling_unit.name}",
        back=url(request, "posting", pk=row.pk),
        call=lambda d: record_appraisal(
            row, actor=request.actor, kind=d["kind"], year=d["year"], text=d["text"]
        ),
        success=_("It was recorded."),
    )


@council_view(Perm.MANAGE_SUPERVISION)
def letter_issue(request: CouncilRequest, pk: int) -> HttpResponse:
    row = queries.access_posting(request.actor, pk)
    form = LetterForm(request.POST or None)
    return form_page(
        request,
        form,
        title=_("Issue a recommendation letter"),
        subject=f"{row.group.name} → {row.handling_unit.name}",
        back=url(request, "posting", pk=row.pk),
        call=lambda d: issue_letter(row, actor=request.actor, title=d["title"], text=d["text"]),
        success=_("The letter was issued to the unit."),
        done=lambda letter: url(request, "letter", pk=letter.pk),
        submit=_("Issue"),
    )


@council_view()
def letters(request: CouncilRequest) -> HttpResponse:
    _sees_resident(request)
    rows = queries.visible_letters(request.actor)
    page = Paginator(rows, 30).get_page(request.GET.get("page"))
    return render(request, "supervision/letters.html", {"page": page, "status_css": STATUS_CSS})


@council_view()
def letter(request: CouncilRequest, pk: int) -> HttpResponse:
    actor = request.actor
    row = queries.access_letter(actor, pk)
    return render(
        request,
        "supervision/letter.html",
        {
            "letter": row,
            "status_css": STATUS_CSS.get(row.status, ""),
            "replies": list(queries.letter_replies(row)),
            "answer_form": ReplyForm() if can.can_answer_letter(actor, row) else None,
            "return_form": ReturnForm(initial={"version": row.version})
            if can.can_return_letter(actor, row)
            else None,
            "may_close": can.can_close_letter(actor, row),
            "events": labelled_timeline(row, EventType),
        },
    )


@require_POST
@council_view()
def letter_answer(request: CouncilRequest, pk: int) -> HttpResponse:
    row = queries.access_letter(request.actor, pk)
    return act_on_form(
        request,
        ReplyForm(request.POST),
        back=url(request, "letter", pk=row.pk),
        invalid=_("Write the reply."),
        call=lambda d: answer_letter(row, actor=request.actor, text=d["text"]),
        success=_("The reply was sent."),
    )


@require_POST
@council_view(Perm.MANAGE_SUPERVISION)
def letter_return(request: CouncilRequest, pk: int) -> HttpResponse:
    row = queries.access_letter(request.actor, pk)
    return act_on_form(
        request,
        ReturnForm(request.POST),
        back=url(request, "letter", pk=row.pk),
        invalid=_("Say what the answer lacks."),
        call=lambda d: return_letter(
            row, actor=request.actor, reason=d["reason"], expected_version=d.get("version")
        ),
        success=_("The answer was sent back for rework."),
    )


@require_POST
@council_view(Perm.MANAGE_SUPERVISION)
def letter_close(request: CouncilRequest, pk: int) -> HttpResponse:
    row = queries.access_letter(request.actor, pk)
    close_letter(row, actor=request.actor, expected_version=version_of(request))
    messages.success(request, _("The answer was accepted."))
    return redirect(url(request, "letter", pk=row.pk))
