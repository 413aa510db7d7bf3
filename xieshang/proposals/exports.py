"""Paper forms of proposals: the proposal form as a Word document, and the
proposal and the reply letter as PDF (WeasyPrint with the Noto CJK fonts).

What may be exported is decided by the caller (the views read the proposal
or reply through access_*); these functions only lay the document out.
"""

from __future__ import annotations

import functools
import shutil
import subprocess
from dataclasses import dataclass

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from xieshang.core.attachments import attachments_of
from xieshang.councils.roles import Actor, Perm
from xieshang.proposals.models import Assignment, Proposal, Reply
from xieshang.proposals.states import CosignStatus

# Fonts of Chinese official documents (GB/T 9704): a heavy face for titles,
# FangSong for text. Word substitutes what a computer lacks.
TITLE_FONT = "黑体"
BODY_FONT = "仿宋"
LABEL_FONT = "黑体"


class FontsMissing(RuntimeError):
    """The Chinese fonts PDF exports need are not installed."""


@functools.cache
def cjk_fonts_available() -> bool:
    """True when fontconfig knows a Noto CJK font (Debian: fonts-noto-cjk)."""
    fc_list = shutil.which("fc-list")
    if fc_list is None:
        return False
    found = subprocess.run([fc_list, ":lang=zh", "family"], capture_output=True, text=True, check=False)  # noqa: S603
    return "Noto" in found.stdout and "CJK" in found.stdout


@dataclass(frozen=True)
class ProposalSheet:
    """What the proposal form shows, already decided (contact masked or not)."""

    proposal: Proposal
    heading: str
    session: str
    author: str
    sector: str
    affiliation: str
    employer: str
    contact: str
    contact_revealed: bool
    cosigners: str
    category: str
    submitted: str
    suggested_units: str
    units: str
    sections: list[tuple[str, str]]
    # Names of the files attached to the proposal, listed on the form.
    attachments: str = ""


def _units(proposal: Proposal) -> str:
    rows = (
        Assignment.objects.filter(proposal=proposal, is_active=True)
        .select_related("unit")
        .order_by("role", "id")
    )
    return "；".join(f"{row.unit.name}（{row.get_role_display()}）" for row in rows)


def proposal_sheet(proposal: Proposal, *, actor: Actor) -> ProposalSheet:
    """The proposal's form fields. The mobile number is shown in full only to
    the proposer and to those who may read members' personal data."""
    member = proposal.lead_proposer
    contact, revealed = "", False
    if member is not None and member.mobile:
        own = actor.member is not None and actor.member.pk == member.pk
        revealed = own or actor.has(Perm.VIEW_PERSONAL_DATA)
        contact = member.mobile if revealed else member.masked_mobile
    cosigners = proposal.cosigners.filter(status=CosignStatus.CONFIRMED).select_related("member")
    session = proposal.session
    return ProposalSheet(
        proposal=proposal,
        heading=_("%(council)s proposal") % {"council": proposal.council.name},
        session=f"{proposal.term} · {session}" if session else str(proposal.term),
        author=proposal.author_name,
        sector=(proposal.author_sector.name if proposal.author_sector else "")
        or (member.sector.name if member and member.sector else ""),
        affiliation=(proposal.author_affiliation.name if proposal.author_affiliation else "")
        or (member.affiliation.name if member and member.affiliation else ""),
        employer=member.employer_title if member else "",
        contact=contact,
        contact_revealed=revealed,
        cosigners="、".join(c.member.full_name for c in cosigners),
        category=proposal.category.name if proposal.category else "",
        submitted=date_format(timezone.localtime(proposal.submitted_at), "DATE_FORMAT")
        if proposal.submitted_at
        else "",
        suggested_units="；".join(unit.name for unit in proposal.suggested_units.all()),
        units=_units(proposal),
        attachments="、".join(row.original_name for row in attachments_of(proposal)),
        sections=[
            (_("Situation"), proposal.situation),
            (_("Analysis"), proposal.analysis),
            (_("Suggestions"), proposal.suggestions),
        ],
    )


# --- Word --------------------------------------------------------------------


def proposal_docx(sheet: ProposalSheet) -> bytes:
    """The proposal form (提案表) as .docx (proposals.word). python-docx is
    imported on the first download, not in every web worker."""
    from xieshang.proposals.word import proposal_docx as build

    return build(sheet)


def _pdf(template: str, context: dict[str, object]) -> bytes:
    if not cjk_fonts_available():
        raise FontsMissing(
            _("PDF export needs the Noto CJK fonts; ask the administrator to install fonts-noto-cjk.")
        )
    from weasyprint import HTML  # Slow to import; only PDF downloads need it.

    html = render_to_string(template, context)
    # The document loads nothing: refuse every URL so that no text can make
    # the server fetch a file or a web address while printing.
    return bytes(HTML(string=html, url_fetcher=_refuse).write_pdf())


def _refuse(url: str, *args: object, **kwargs: object) -> dict[str, object]:
    raise ValueError(f"not fetched: {url[:80]}")


def proposal_pdf(sheet: ProposalSheet) -> bytes:
    """The proposal form as PDF, in the same layout as the Word form."""
    return _pdf("proposals/exports/proposal.html", {"sheet": sheet, "proposal": sheet.proposal})


def reply_pdf(reply: Reply) -> bytes:
    """The reply letter (答复函) as PDF: addressed to the proposer, the text,
    the result category, the unit and its signer, date and contact person."""
    proposal = reply.assignment.proposal
    released = reply.released_at or reply.submitted_at or timezone.now()
    return _pdf(
        "proposals/exports/reply.html",
        {
            "reply": reply,
            "proposal": proposal,
            "unit": reply.assignment.unit,
            "date": date_format(timezone.localtime(released), "DATE_FORMAT"),
            "paragraphs": [line for line in reply.text.splitlines() if line.strip()],
        },
    )
