"""The proposal form (提案表) as a Word document. Imported only when one is
downloaded: python-docx costs a web worker about 16 MB."""

from __future__ import annotations

import io

from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from docx import Document
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Cm, Pt
from docx.table import _Cell

from xieshang.proposals.exports import BODY_FONT, LABEL_FONT, TITLE_FONT, ProposalSheet


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
