"""Paper forms of proposals: the proposal form as a Word document, and the
proposal and the reply letter as PDF (WeasyPrint with the Noto CJK fonts).

What may be exported is decided by the caller (the views read the proposal
or reply through access_*); these functions only lay the document out.
"""

from __future__ import annotations

import functools
import io
import shutil
import subprocess
from dataclasses import dataclass

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from docx import Document
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Cm, Pt
from docx.table import _Cell

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


def _font(run: object, name: str, size: float, *, bold: bool = False) -> None:
    font = run.font  # type: ignore[attr-defined]
    font.name = name
    font.size = Pt(size)
    font.bold = bold
    # Word picks East Asian text's font from w:eastAsia, not from w:ascii.
    run._element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), name)  # type: ignore[attr-defined]


def _write(cell: _Cell, text: str, *, font: str = BODY_FONT, size: float = 14, bold: bool = False) -> None:
    cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
    paragraph = cell.paragraphs[0]
    _font(paragraph.add_run(text), font, size, bold=bold)


def _label(cell: _Cell, text: str) -> None:
    _write(cell, text, font=LABEL_FONT, size=12)
    cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
    cell.width = Cm(3)


def proposal_docx(sheet: ProposalSheet) -> bytes:
    """The proposal form (提案表) as .docx: heading, case number, a form
    table of the proposal's particulars, and its text in three sections."""
    document = Document()
    section = document.sections[0]
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    section.top_margin, section.bottom_margin = Cm(3.7), Cm(3.5)
    section.left_margin, section.right_margin = Cm(2.8), Cm(2.6)
    normal = document.styles["Normal"]
    normal.font.name = BODY_FONT  # type: ignore[attr-defined]
    normal.font.size = Pt(14)  # type: ignore[attr-defined]
    normal.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), BODY_FONT)  # type: ignore[attr-defined]

    proposal = sheet.proposal
    title = document.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _font(title.add_run(sheet.heading), TITLE_FONT, 22, bold=True)
    info = document.add_paragraph()
    info.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _font(info.add_run(sheet.session), BODY_FONT, 14)
    number = document.add_paragraph()
    number.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    case_number = proposal.case_number or _("(not yet numbered)")
    _font(number.add_run(_("Case number: %(number)s") % {"number": case_number}), BODY_FONT, 14)

    table = document.add_table(rows=0, cols=4)
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER

    def pair(left: str, left_value: str, right: str, right_value: str) -> None:
        cells = table.add_row().cells
        _label(cells[0], left)
        _write(cells[1], left_value)
        _label(cells[2], right)
        _write(cells[3], right_value)

    def wide(label: str, value: str, *, bold: bool = False) -> _Cell:
        cells = table.add_row().cells
        _label(cells[0], label)
        merged = cells[1].merge(cells[3])
        _write(merged, value, bold=bold)
        return merged

    wide(_("Title"), proposal.title, bold=True)
    pair(_("Proposer"), sheet.author, _("Sector"), sheet.sector)
    pair(_("Affiliation"), sheet.affiliation, _("Contact"), sheet.contact)
    wide(_("Employer and title"), sheet.employer)
    wide(_("Cosigners"), sheet.cosigners)
    pair(_("Category"), sheet.category, pgettext("proposal", "Submitted"), sheet.submitted)
    wide(_("Suggested handling units"), sheet.suggested_units)
    wide(_("Handling units"), sheet.units)
    if sheet.attachments:
        wide(_("Attachments"), sheet.attachments)
    # Fixed columns (label, value, label, value) filling the text width.
    table.autofit = False
    for column, width in zip(table.columns, (Cm(3), Cm(4.8), Cm(3), Cm(4.8)), strict=True):
        column.width = width
    content = wide(_("Content"), "")
    for heading, text in sheet.sections:
        paragraph = content.add_paragraph()
        _font(paragraph.add_run(heading), LABEL_FONT, 14)
        for line in text.splitlines() or [""]:
            body = content.add_paragraph()
            body.paragraph_format.first_line_indent = Pt(28)
            _font(body.add_run(line), BODY_FONT, 14)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


# --- PDF ---------------------------------------------------------------------


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
