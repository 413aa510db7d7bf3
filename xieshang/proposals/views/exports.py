"""Downloads of a proposal (Word form, PDF) and of a reply letter (PDF), for
whoever may read them; every download is recorded in the audit log."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from xieshang.core.audit import audit
from xieshang.core.exports import DOCX_TYPE, content_disposition
from xieshang.councils.tenancy import CouncilRequest, council_view
from xieshang.proposals.exports import (
    FontsMissing,
    proposal_docx,
    proposal_pdf,
    proposal_sheet,
    reply_pdf,
)
from xieshang.proposals.models import Proposal
from xieshang.proposals.queries import access_proposal, access_reply


def _download(content: bytes, *, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = content_disposition(filename)
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _name(proposal: Proposal) -> str:
    return proposal.case_number or proposal.title[:30]


def _record(request: CouncilRequest, proposal: Proposal, kind: str, contact: str = "") -> None:
    audit(
        "proposals.export",
        user=request.user,
        council=request.council,
        obj=proposal,
        data={"document": kind, "contact": contact},
        request=request,
    )


@council_view()
def proposal_word(request: CouncilRequest, pk: int) -> HttpResponse:
    """The proposal form as a Word document."""
    proposal = access_proposal(request.actor, pk)
    sheet = proposal_sheet(proposal, actor=request.actor)
    _record(request, proposal, "docx", "revealed" if sheet.contact_revealed else "masked")
    filename = f"{_('Proposal')}-{_name(proposal)}.docx"
    return _download(proposal_docx(sheet), content_type=DOCX_TYPE, filename=filename)


@council_view()
def proposal_print(request: CouncilRequest, pk: int) -> HttpResponse:
    """The proposal form as PDF."""
    proposal = access_proposal(request.actor, pk)
    sheet = proposal_sheet(proposal, actor=request.actor)
    try:
        pdf = proposal_pdf(sheet)
    except FontsMissing as error:
        messages.error(request, str(error))
        return redirect("proposals:detail", council_slug=request.council.slug, pk=proposal.pk)
    _record(request, proposal, "pdf", "revealed" if sheet.contact_revealed else "masked")
    return _download(pdf, content_type="application/pdf", filename=f"{_('Proposal')}-{_name(proposal)}.pdf")


@council_view()
def reply_letter(request: CouncilRequest, pk: int) -> HttpResponse:
    """A reply letter as PDF, for whoever may read the reply."""
    reply = access_reply(request.actor, pk)
    proposal = reply.assignment.proposal
    try:
        pdf = reply_pdf(reply)
    except FontsMissing as error:
        messages.error(request, str(error))
        return redirect("proposals:detail", council_slug=request.council.slug, pk=proposal.pk)
    _record(request, proposal, "reply_pdf")
    filename = f"{_('Reply')}-{_name(proposal)}-{reply.assignment.unit.name}.pdf"
    return _download(pdf, content_type="application/pdf", filename=filename)
