"""The proposal form as Word and PDF, and the reply letter as PDF: opened
again (python-docx, pdftotext) to check the Chinese content, the masked
contact number and who may download."""

from __future__ import annotations

import io
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from docx import Document
from docx.oxml.ns import qn

from xieshang.core.exports import DOCX_TYPE
from xieshang.core.models import AuditEntry
from xieshang.councils.models import Member
from xieshang.proposals import exports
from xieshang.proposals.models import Reply
from xieshang.proposals.tests.conftest import World

pytestmark = pytest.mark.django_db
MOBILE = "13812345678"
ARTIFACTS = Path(settings.BASE_DIR) / "test-artifacts"


def url(name: str, **kwargs: Any) -> str:
    return reverse(f"proposals:{name}", kwargs={"council_slug": "city", **kwargs})


def pdf_text(content: bytes) -> str:
    if shutil.which("pdftotext") is None:
        pytest.fail("pdftotext is missing: install Debian's poppler-utils (./test does)")
    done = subprocess.run(["pdftotext", "-layout", "-", "-"], input=content, capture_output=True, check=True)
    return done.stdout.decode()


def keep(name: str, content: bytes) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / name).write_bytes(content)


@pytest.fixture
def accepted(world: World) -> Any:
    member = Member.objects.get(pk=world.cast.member_record.pk)
    member.mobile = MOBILE
    member.employer_title = "市第一人民医院院长"
    member.save()
    return world.accepted()


def docx_text(content: bytes) -> tuple[str, Any]:
    document = Document(io.BytesIO(content))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts.extend(cell.text for cell in row.cells)
    return "\n".join(parts), document


class TestWord:
    def test_proposal_form_has_the_particulars_and_the_three_sections(
        self, accepted: Any, clients: dict[str, Client]
    ) -> None:
        response = clients["staff"].get(url("export_docx", pk=accepted.pk))
        assert response.status_code == 200
        assert response["Content-Type"] == DOCX_TYPE
        keep("proposal-form.docx", response.content)
        text, document = docx_text(response.content)
        assert "关于完善城市社区养老服务体系的建议" in text
        assert accepted.case_number in text
        assert "我市六十岁以上老年人口占比已超过百分之二十。" in text
        assert "一是新建社区养老服务中心；二是完善护理人员培训补贴。" in text
        assert "市第一人民医院院长" in text
        assert document.tables and len(document.tables[0].rows) >= 9

    def test_east_asian_text_has_a_chinese_font(self, accepted: Any, clients: dict[str, Client]) -> None:
        _text, document = docx_text(clients["staff"].get(url("export_docx", pk=accepted.pk)).content)
        title_run = document.paragraphs[0].runs[0]
        assert title_run._element.rPr.rFonts.get(qn("w:eastAsia")) == exports.TITLE_FONT
        cell_run = document.tables[0].rows[0].cells[1].paragraphs[0].runs[0]
        assert cell_run._element.rPr.rFonts.get(qn("w:eastAsia")) == exports.BODY_FONT

    def test_staff_get_the_mobile_masked_and_the_proposer_in_full(
        self, accepted: Any, clients: dict[str, Client]
    ) -> None:
        staff_text, _doc = docx_text(clients["staff"].get(url("export_docx", pk=accepted.pk)).content)
        assert "138****5678" in staff_text and MOBILE not in staff_text
        own_text, _doc = docx_text(clients["member"].get(url("export_docx", pk=accepted.pk)).content)
        assert MOBILE in own_text

    def test_each_download_is_audited(self, accepted: Any, clients: dict[str, Client]) -> None:
        clients["staff"].get(url("export_docx", pk=accepted.pk))
        entry = AuditEntry.objects.filter(action="proposals.export").latest("id")
        assert entry.data == {"document": "docx", "contact": "masked"}
        assert entry.object_id == str(accepted.pk)


class TestPdf:
    def test_proposal_pdf_carries_the_chinese_text(self, accepted: Any, clients: dict[str, Client]) -> None:
        response = clients["staff"].get(url("export_pdf", pk=accepted.pk))
        assert response.status_code == 200
        assert response["Content-Type"] == "application/pdf"
        keep("proposal-form.pdf", response.content)
        text = pdf_text(response.content)
        assert "关于完善城市社区养老服务体系的建议" in text
        assert "社区养老服务设施不足" in text
        assert "138****5678" in text

    def test_reply_letter_pdf_is_addressed_signed_and_dated(
        self, world: World, clients: dict[str, Client]
    ) -> None:
        proposal = world.released()
        reply = Reply.objects.get(assignment__proposal=proposal)
        response = clients["member"].get(url("reply_pdf", pk=reply.pk))
        assert response.status_code == 200
        keep("reply-letter.pdf", response.content)
        text = pdf_text(response.content)
        assert "经研究，我局已将社区养老服务中心建设纳入年度计划。" in text
        assert reply.assignment.unit.name in text
        assert "王局长" in text and "张科长" in text
        assert proposal.case_number in text
        # The letter greets the proposer as a member (委员).
        assert f"Dear Member {proposal.lead_proposer.full_name}:" in " ".join(text.split())

    def test_proposers_cannot_print_a_reply_before_it_is_released(
        self, world: World, clients: dict[str, Client]
    ) -> None:
        proposal = world.replied()
        reply = Reply.objects.get(assignment__proposal=proposal)
        assert clients["member"].get(url("reply_pdf", pk=reply.pk)).status_code == 404
        assert clients["liaison"].get(url("reply_pdf", pk=reply.pk)).status_code == 200

    def test_without_chinese_fonts_the_user_is_told_why(
        self, accepted: Any, clients: dict[str, Client], monkeypatch: pytest.MonkeyPatch
    ) -> None:
        monkeypatch.setattr(exports, "cjk_fonts_available", lambda: False)
        response = clients["staff"].get(url("export_pdf", pk=accepted.pk), follow=True)
        assert response.redirect_chain[-1][0] == url("detail", pk=accepted.pk)
        assert "fonts-noto-cjk" in response.content.decode()


class TestWhoMayDownload:
    def test_only_those_who_may_open_the_proposal(self, accepted: Any, clients: dict[str, Client]) -> None:
        for name, status in [
            ("staff", 200),
            ("leader", 200),
            ("member", 200),
            ("liaison", 404),
            ("outsider", 404),
        ]:
            assert clients[name].get(url("export_docx", pk=accepted.pk)).status_code == status, name
        assert clients["liaison"].get(url("export_pdf", pk=accepted.pk)).status_code == 404

    def test_detail_page_links_the_documents(self, accepted: Any, clients: dict[str, Client]) -> None:
        html = clients["member"].get(url("detail", pk=accepted.pk)).content.decode()
        assert url("export_docx", pk=accepted.pk) in html
        assert url("export_pdf", pk=accepted.pk) in html
