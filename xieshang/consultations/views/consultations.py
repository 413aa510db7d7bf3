"""Consultations: the staff list, members' own list, the detail page with
its deadline chips and side panel, and the preparation and holding steps."""

from __future__ import annotations

from typing import Any, cast

from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from xieshang.consultations import permissions as can
from xieshang.consultations.actions import consultations as actions
from xieshang.consultations.forms import (
    ActivityForm,
    ConsultationForm,
    HeldForm,
    ListFilterForm,
    MaterialsForm,
    MinutesForm,
    ParticipantForm,
    ReasonForm,
)
from xieshang.consultations.models import Consultation
from xieshang.consultations.queries import (
    ConsultationFilters,
    access_consultation,
    access_plan_item_any,
    activities_of,
    consultation_status_counts,
    consultations_of_council,
    deadline_checks,
    my_consultations,
    my_joint_invitations,
    outcomes_of,
    speeches_of,
)
from xieshang.consultations.states import (
    CONSULTATION_STATUS_CSS,
    OUTCOME_STATUS_CSS,
    ConsultationKind,
    ConsultationStatus,
    EventType,
)
from xieshang.consultations.views.common import run_post
from xieshang.core.attachments import attachment_response, attachments_of
from xieshang.core.events import labelled_timeline
from xieshang.core.pages import form_page
from xieshang.councils.roles import Perm
from xieshang.councils.tenancy import CouncilRequest, council_view


def detail_url(request: CouncilRequest, consultation: Consultation) -> str:
    return reverse(
        "consultations:detail", kwargs={"council_slug": request.council.slug, "pk": consultation.pk}
    )


@council_view(Perm.VIEW_CONSULTATIONS)
def consultation_list(request: CouncilRequest) -> HttpResponse:
    """Consultations by status chip, kind, year and topic, newest first."""
    form = ListFilterForm(request.GET)
    form.is_valid()
    data = getattr(form, "cleaned_data", {})
    filters = ConsultationFilters(
        status=data.get("status") or "",
        year=data.get("year"),
        kind=data.get("kind") or "",
        text=data.get("q") or "",
    )
    page = Paginator(consultations_of_council(request.actor, filters), 20).get_page(request.GET.get("page"))
    counts = consultation_status_counts(request.actor, filters.year)
    chips = [
        {"value": "", "label": _("All"), "count": sum(counts.values()), "active": not filters.status},
        *[
            {"value": value, "label": label, "count": counts.get(value, 0), "active": value == filters.status}
            for value, label in ConsultationStatus.choices
        ],
    ]
    params = request.GET.copy()
    params.pop("page", None)
    return render(
        request,
        "consultations/list.html",
        {
            "page": page,
            "chips": chips,
            "filters": filters,
            "kinds": ConsultationKind.choices,
            "query": params.urlencode(),
            "status_css": CONSULTATION_STATUS_CSS,
            "may_create": can.can_create_consultation(request.actor),
            "year": timezone.localdate().year,
        },
    )


@council_view(Perm.SPEAK_AT_CONSULTATIONS)
def mine(request: CouncilRequest) -> HttpResponse:
    rows = list(my_consultations(request.actor)[:100])
    joint = list(my_joint_invitations(request.actor)[:100])
    return render(
        request,
        "consultations/mine.html",
        {"consultations": rows, "joint": joint, "status_css": CONSULTATION_STATUS_CSS},
    )


def _details(data: dict[str, Any]) -> actions.ConsultationDetails:
    return actions.ConsultationDetails(
        kind=data["kind"],
        topic=data["topic"],
        starts_at=data["starts_at"],
        place=data.get("place") or "",
        description=data.get("description") or "",
        lead_committee=data.get("lead_committee"),
        themes=data.get("themes") or [],
    )


@council_view(Perm.MANAGE_CONSULTATIONS)
def create(request: CouncilRequest) -> HttpResponse:
    """Set up a consultation; ?item=<id> starts from a plan item."""
    item = None
    raw = request.GET.get("item", "")
    if raw.isdigit():
        item = access_plan_item_any(request.actor, int(raw))
    initial: dict[str, Any] = {}
    if item is not None:
        initial = {
            "kind": item.kind,
            "topic": item.topic,
            "lead_committee": item.lead_committee_id,
            "themes": "，".join(t.name for t in item.themes.all()),
        }
    form = ConsultationForm(request.POST or None, initial=initial, council=request.council)
    return form_page(
        request,
        form,
        title=_("New consultation"),
        subject=item.topic if item else "",
        back=reverse("consultations:list", kwargs={"council_slug": request.council.slug}),
        call=lambda data: actions.create_consultation(
            details=_details(data), plan_item=item, actor=request.actor
        ),
        success=_("The consultation was set up. Add its participants."),
        done=lambda consultation: detail_url(request, consultation),
    )


@council_view(Perm.MANAGE_CONSULTATIONS)
def edit(request: CouncilRequest, pk: int) -> HttpResponse:
    consultation = access_consultation(request.actor, pk)
    if not can.can_edit_consultation(request.actor, consultation):
        raise Http404
    initial = {
        "kind": consultation.kind,
        "topic": consultation.topic,
        "starts_at": timezone.localtime(consultation.starts_at),
        "place": consultation.place,
        "lead_committee": consultation.lead_committee_id,
        "description": consultation.description,
        "themes": "，".join(t.name for t in consultation.themes.all()),
        "version": consultation.version,
    }
    form = ConsultationForm(request.POST or None, initial=initial, council=request.council)
    return form_page(
        request,
        form,
        title=_("Change the consultation"),
        subject=consultation.topic,
        back=detail_url(request, consultation),
        call=lambda data: actions.update_consultation(
            consultation, details=_details(data), expected_version=data.get("version"), actor=request.actor
        ),
        success=_("The consultation was saved; its due dates follow the new day."),
    )


@council_view(Perm.VIEW_COUNCIL)
def detail(request: CouncilRequest, pk: int) -> HttpResponse:
    consultation = access_consultation(request.actor, pk)
    actor = request.actor
    staff_view = actor.has(Perm.VIEW_CONSULTATIONS)
    may = {
        "edit": can.can_edit_consultation(actor, consultation),
        "notice": can.can_send_notice(actor, consultation),
        "materials": can.can_send_materials(actor, consultation),
        "activity": can.can_record_activity(actor, consultation),
        "held": can.can_mark_held(actor, consultation),
        "cancel": can.can_cancel(actor, consultation),
        "minutes": can.can_send_minutes(actor, consultation),
        "close": can.can_close(actor, consultation),
        "arrange": can.can_arrange_speeches(actor, consultation),
        "time": can.can_time_speeches(actor, consultation),
        "book": can.can_book_speech(actor, consultation),
        "outcome": can.can_write_outcome(actor, consultation),
    }
    speeches = list(speeches_of(consultation))
    if not staff_view and actor.member is not None:
        # Members see the order and their own texts, not others' drafts.
        for speech in speeches:
            if speech.member_id != actor.member.pk:
                speech.text = ""
    return render(
        request,
        "consultations/detail.html",
        {
            "consultation": consultation,
            "status_css": CONSULTATION_STATUS_CSS,
            "outcome_css": OUTCOME_STATUS_CSS,
            "checks": deadline_checks(consultation, timezone.localdate()),
            "participants": list(consultation.participants.select_related("member", "handling_unit"))
            if staff_view
            else [],
            "activities": list(activities_of(consultation)) if staff_view else [],
            "speeches": speeches,
            "materials": list(attachments_of(consultation)),
            "outcomes": list(outcomes_of(consultation)) if staff_view else [],
            "themes": list(consultation.themes.all()),
            "may": may,
            "staff_view": staff_view,
            "events": labelled_timeline(consultation, EventType) if staff_view else [],
            "participant_form": ParticipantForm(council=request.council) if may["edit"] else None,
            "materials_form": MaterialsForm() if may["edit"] else None,
        },
    )


@council_view(Perm.VIEW_COUNCIL)
def material(request: CouncilRequest, pk: int, attachment_id: int) -> HttpResponse:
    """A material, for whoever may see the consultation."""
    consultation = access_consultation(request.actor, pk)
    attachment = attachments_of(consultation).filter(pk=attachment_id).first()
    if attachment is None:
        raise Http404
    return cast(HttpResponse, attachment_response(attachment))


@council_view(Perm.MANAGE_CONSULTATIONS)
def participant_add(request: CouncilRequest, pk: int) -> HttpResponse:
    consultation = access_consultation(request.actor, pk)
    form = ParticipantForm(request.POST or None, council=request.council)
    return form_page(
        request,
        form,
        title=_("Add a participant"),
        subject=consultation.topic,
        back=detail_url(request, consultation),
        call=lambda data: actions.add_participant(
            consultation,
            category=data["category"],
            member=data.get("member"),
            handling_unit=data.get("handling_unit"),
            name=data.get("name") or "",
            organisation=data.get("organisation") or "",
            phone=data.get("phone") or "",
            email=data.get("email") or "",
            actor=request.actor,
        ),
        success=_("The participant was added."),
    )


@require_POST
@council_view(Perm.MANAGE_CONSULTATIONS)
def participant_remove(request: CouncilRequest, pk: int, participant_id: int) -> HttpResponse:
    consultation = access_consultation(request.actor, pk)
    participant = consultation.participants.filter(pk=participant_id).first()
    if participant is None:
        raise Http404
    return run_post(
        request,
        lambda: actions.remove_participant(participant, actor=request.actor),
        _("The participant was removed."),
        detail_url(request, consultation),
    )


@council_view(Perm.MANAGE_CONSULTATIONS)
def materials_add(request: CouncilRequest, pk: int) -> HttpResponse:
    consultation = access_consultation(request.actor, pk)
    form = MaterialsForm(request.POST or None, request.FILES or None)
    return form_page(
        request,
        form,
        title=_("Add materials"),
        subject=consultation.topic,
        back=detail_url(request, consultation),
        call=lambda data: actions.add_materials(
            consultation, uploads=request.FILES.getlist("material"), actor=request.actor
        ),
        success=_("The materials were added."),
        multipart=True,
    )


@require_POST
@council_view(Perm.MANAGE_CONSULTATIONS)
def notice(request: CouncilRequest, pk: int) -> HttpResponse:
    consultation = access_consultation(request.actor, pk)
    return run_post(
        request,
        lambda: actions.send_notice(consultation, actor=request.actor),
        _("The notice was sent to the participants."),
        detail_url(request, consultation),
    )


@require_POST
@council_view(Perm.MANAGE_CONSULTATIONS)
def materials_send(request: CouncilRequest, pk: int) -> HttpResponse:
    consultation = access_consultation(request.actor, pk)
    return run_post(
        request,
        lambda: actions.send_materials(consultation, actor=request.actor),
        _("The participants were told that the materials are ready."),
        detail_url(request, consultation),
    )


@council_view(Perm.MANAGE_CONSULTATIONS)
def activity_add(request: CouncilRequest, pk: int) -> HttpResponse:
    consultation = access_consultation(request.actor, pk)
    form = ActivityForm(request.POST or None, council=request.council)
    return form_page(
        request,
        form,
        title=_("Record research or an inspection"),
        subject=consultation.topic,
        back=detail_url(request, consultation),
        call=lambda data: actions.record_activity(
            consultation,
            kind=data["kind"],
            title=data["title"],
            held_on=data["held_on"],
            place=data.get("place") or "",
            report=data.get("report") or "",
            members=list(data.get("members") or []),
            actor=request.actor,
        ),
        success=_("The activity was recorded; it counts in the members' duty records."),
    )


@council_view(Perm.MANAGE_CONSULTATIONS)
def held(request: CouncilRequest, pk: int) -> HttpResponse:
    consultation = access_consultation(request.actor, pk)
    day = timezone.localtime(consultation.starts_at).date()
    form = HeldForm(request.POST or None, initial={"held_on": min(day, timezone.localdate())})
    return form_page(
        request,
        form,
        title=_("Record that the consultation was held"),
        subject=consultation.topic,
        back=detail_url(request, consultation),
        call=lambda data: actions.mark_held(consultation, held_on=data["held_on"], actor=request.actor),
        success=_("Recorded as held. The minutes are now due."),
    )


@council_view(Perm.MANAGE_CONSULTATIONS)
def minutes(request: CouncilRequest, pk: int) -> HttpResponse:
    consultation = access_consultation(request.actor, pk)
    form = MinutesForm(request.POST or None, initial={"minutes": consultation.minutes})
    return form_page(
        request,
        form,
        title=_("Send the minutes to the party committee and government"),
        subject=consultation.topic,
        back=detail_url(request, consultation),
        call=lambda data: actions.send_minutes(consultation, minutes=data["minutes"], actor=request.actor),
        success=_("The minutes were sent."),
        confirm=_("Send the minutes to the party-committee and government offices?"),
    )


@require_POST
@council_view(Perm.MANAGE_CONSULTATIONS)
def close(request: CouncilRequest, pk: int) -> HttpResponse:
    consultation = access_consultation(request.actor, pk)
    return run_post(
        request,
        lambda: actions.close_consultation(consultation, actor=request.actor),
        _("The consultation was closed."),
        detail_url(request, consultation),
    )


@council_view(Perm.MANAGE_CONSULTATIONS)
def cancel(request: CouncilRequest, pk: int) -> HttpResponse:
    consultation = access_consultation(request.actor, pk)
    form = ReasonForm(request.POST or None)
    return form_page(
        request,
        form,
        title=_("Cancel the consultation"),
        subject=consultation.topic,
        back=detail_url(request, consultation),
        call=lambda data: actions.cancel_consultation(
            consultation, reason=data["reason"], actor=request.actor
        ),
        success=_("The consultation was cancelled."),
        confirm=_("Cancel the consultation? Invited members are told."),
    )
