"""Files attached to the proposal itself: members attach PDF, Word, Excel and
images while drafting and may remove them while the proposal is a draft or
returned for revision; whoever may read the proposal may download them.

Limits are council settings: 5 files of up to 10 MB each by default. A wrong
file is named next to the field, and what was typed is kept.
"""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from docx import Document

from xieshang.core.attachments import attach, attachments_of
from xieshang.core.errors import InvalidTransition, StaleEdit
from xieshang.core.events import timeline
from xieshang.core.models import Attachment
from xieshang.core.testing import assert_nothing_changed
from xieshang.councils.actions.settings import change_setting
from xieshang.councils.models import Role
from xieshang.councils.tests.factories import CouncilRoleFactory, UserFactory
from xieshang.proposals.actions.filing import save_draft, submit_proposal
from xieshang.proposals.actions.handling import UnitRole, assign_proposal
from xieshang.proposals.actions.review import accept_proposal, return_for_revision
from xieshang.proposals.models import Proposal
from xieshang.proposals.states import AssignmentRole, ProposalStatus
from xieshang.proposals.tests.conftest import ASSIGNED_ON, World
from xieshang.proposals.tests.factories import ProposalFactory

pytestmark = pytest.mark.django_db
S = ProposalStatus
PDF = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + b"\x00" * 64


def url(name: str, **kwargs: Any) -> str:
    return reverse(f"proposals:{name}", kwargs={"council_slug": "city", **kwargs})


def pdf(name: str = "调研报告.pdf", content: bytes = PDF) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def form_data(world: World, **changes: Any) -> dict[str, Any]:
    data = {
        "title": "关于推进老旧小区加装电梯的建议",
        "category": world.category.pk,
        "window": "session",
        "situation": "老旧小区多为六层以下住宅，老年居民上下楼困难。",
        "analysis": "加装电梯涉及业主协商、资金分摊和审批流程。",
        "suggestions": "一是简化审批；二是设立专项补贴。",
    }
    data.update(changes)
    return data


def names(proposal: Proposal) -> list[str]:
    return [row.original_name for row in attachments_of(proposal)]


class TestAttaching:
    def test_member_attaches_files_while_writing_and_they_are_listed_on_the_proposal(
        self, world: World, clients: dict[str, Client]
    ) -> None:
        response = clients["member"].post(
            url("create"),
            {**form_data(world, save="1"), "attachments": [pdf(), SimpleUploadedFile("现场照片.png", PNG)]},
        )
        assert response.status_code == 302
        proposal = Proposal.objects.get()
        assert names(proposal) == ["调研报告.pdf", "现场照片.png"]
        assert {row.purpose for row in attachments_of(proposal)} == {"proposal.attachment"}
        page = clients["member"].get(url("detail", pk=proposal.pk)).content.decode()
        assert "调研报告.pdf" in page and 'data-testid="attachment-link"' in page

    def test_submitting_an_incomplete_proposal_with_new_files_keeps_them_with_the_draft(
        self, world: World, clients: dict[str, Client]
    ) -> None:
        # A browser cannot show chosen files again, so they are not thrown away.
        response = clients["member"].post(
            url("create"), {**form_data(world, suggestions="", submit="1"), "attachments": [pdf()]}
        )
        proposal = Proposal.objects.get()
        assert response.status_code == 302 and response.url == url("edit", pk=proposal.pk)
        assert proposal.status == S.DRAFT and names(proposal) == ["调研报告.pdf"]
        page = clients["member"].get(response.url).content.decode()
        assert "without concrete suggestions is incomplete" in page and "调研报告.pdf" in page

    def test_files_are_kept_when_the_proposal_is_submitted(self, world: World) -> None:
        draft = save_draft(None, actor=world.actor("member"), content=world.content(), files=[pdf()])
        submitted = submit_proposal(draft, actor=world.actor("member"))
        assert names(submitted) == ["调研报告.pdf"]

    def test_the_history_names_added_and_removed_files(self, world: World) -> None:
        member = world.actor("member")
        draft = save_draft(None, actor=member, content=world.content(), files=[pdf()])
        [row] = attachments_of(draft)
        save_draft(draft, actor=member, content=world.content(), remove_files=[row.pk])
        data = [event.data for event in timeline(draft)]
        assert any(d.get("files_added") == "调研报告.pdf" for d in data)
        assert any(d.get("files_removed") == "调研报告.pdf" for d in data)


class TestBadFiles:
    def test_disguised_pdf_is_refused_next_to_the_field_and_the_text_kept(
        self, world: World, clients: dict[str, Client]
    ) -> None:
        fake = pdf("调研报告.pdf", b"MZ\x90\x00 this is a program, not a pdf")
        response = clients["member"].post(
            url("create"), {**form_data(world, save="1"), "attachments": [fake]}
        )
        assert response.status_code == 200
        [error] = response.context["form"].errors["attachments"]
        assert "调研报告.pdf" in error and "PDF" in error
        assert "一是简化审批" in response.content.decode()
        assert not Proposal.objects.exists()
        assert not Attachment.objects.exists()

    def test_oversize_file_is_refused_and_the_draft_is_unchanged(
        self, world: World, clients: dict[str, Client]
    ) -> None:
        draft = world.draft()
        change_setting(
            actor=world.actor("admin"),
            key="proposal_attachment_max_mb",
            raw_value="1",
            reason="存储有限",
        )
        big = pdf("大文件.pdf", PDF + b"0" * (1024 * 1024))
        response = clients["member"].post(
            url("edit", pk=draft.pk),
            {
                **form_data(world, analysis="修改后的分析", save="1", version=draft.version),
                "attachments": [big],
            },
        )
        assert response.status_code == 200
        assert "at most 1.0" in response.context["form"].errors["attachments"][0]
        assert "修改后的分析" in response.content.decode()
        unchanged = Proposal.objects.get(pk=draft.pk)
        assert (unchanged.version, unchanged.analysis) == (draft.version, draft.analysis)
        assert not Attachment.objects.exists()

    def test_more_files_than_the_limit_are_refused(self, world: World) -> None:
        member = world.actor("member")
        draft = save_draft(
            None, actor=member, content=world.content(), files=[pdf(f"附件{i}.pdf") for i in range(5)]
        )
        with pytest.raises(ValidationError) as excinfo:
            save_draft(
                draft,
                actor=member,
                content=world.content(),
                files=[pdf("第六个.pdf")],
                expected_version=draft.version,
            )
        assert "5" in excinfo.value.message_dict["attachments"][0]
        assert len(names(draft)) == 5

    def test_removing_one_makes_room_for_another_in_the_same_save(self, world: World) -> None:
        member = world.actor("member")
        draft = save_draft(
            None, actor=member, content=world.content(), files=[pdf(f"附件{i}.pdf") for i in range(5)]
        )
        first = attachments_of(draft).first()
        assert first is not None
        save_draft(
            draft, actor=member, content=world.content(), files=[pdf("替换.pdf")], remove_files=[first.pk]
        )
        assert (
            len(names(draft)) == 5 and "替换.pdf" in names(draft) and first.original_name not in names(draft)
        )

    def test_a_stale_form_adds_and_removes_nothing(self, world: World, clients: dict[str, Client]) -> None:
        member = world.actor("member")
        draft = save_draft(None, actor=member, content=world.content(), files=[pdf()])
        [kept] = attachments_of(draft)
        old_version = draft.version
        save_draft(
            draft, actor=member, content=world.content(analysis="另一处修改"), expected_version=old_version
        )
        with pytest.raises(StaleEdit):
            save_draft(
                draft,
                actor=member,
                content=world.content(),
                files=[pdf("新附件.pdf")],
                remove_files=[kept.pk],
                expected_version=old_version,
            )
        assert names(draft) == ["调研报告.pdf"]
        response = clients["member"].post(
            url("edit", pk=draft.pk),
            {**form_data(world, save="1", version=old_version), "attachments": [pdf("新附件.pdf")]},
        )
        assert response.status_code == 409
        assert names(draft) == ["调研报告.pdf"]


class TestRemoving:
    def test_member_removes_a_file_from_a_draft_and_the_stored_file_goes(
        self, world: World, clients: dict[str, Client], django_capture_on_commit_callbacks: Any
    ) -> None:
        draft = save_draft(None, actor=world.actor("member"), content=world.content(), files=[pdf()])
        [row] = attachments_of(draft)
        with django_capture_on_commit_callbacks(execute=True):
            response = clients["member"].post(
                url("edit", pk=draft.pk),
                {**form_data(world, save="1", version=draft.version), "remove_attachments": [row.pk]},
            )
        assert response.status_code == 302
        assert names(draft) == []
        assert not default_storage.exists(row.stored_name)

    def test_a_returned_proposal_may_lose_a_file(self, world: World) -> None:
        member = world.actor("member")
        draft = save_draft(None, actor=member, content=world.content(), files=[pdf()])
        returned = return_for_revision(
            submit_proposal(draft, actor=member), actor=world.actor("staff"), reason="请删去无关附件"
        )
        [row] = attachments_of(returned)
        save_draft(returned, actor=member, content=world.content(), remove_files=[row.pk])
        assert names(returned) == []

    def test_files_of_a_submitted_proposal_cannot_be_removed(self, world: World) -> None:
        member = world.actor("member")
        draft = save_draft(None, actor=member, content=world.content(), files=[pdf()])
        submitted = submit_proposal(draft, actor=member)
        [row] = attachments_of(submitted)
        with assert_nothing_changed(submitted, row), pytest.raises(InvalidTransition):
            save_draft(submitted, actor=member, content=world.content(), remove_files=[row.pk])
        assert names(submitted) == ["调研报告.pdf"]

    def test_a_file_of_another_proposal_cannot_be_removed_through_mine(self, world: World) -> None:
        member = world.actor("member")
        mine = save_draft(None, actor=member, content=world.content())
        cosigner = world.actor("cosigner_user")
        other = save_draft(None, actor=cosigner, content=world.content(), files=[pdf()])
        [row] = attachments_of(other)
        with pytest.raises(ValidationError):
            save_draft(mine, actor=member, content=world.content(), remove_files=[row.pk])
        assert names(other) == ["调研报告.pdf"]


class TestDownloading:
    @pytest.fixture
    def assigned(self, world: World) -> tuple[Proposal, Attachment]:
        draft = save_draft(None, actor=world.actor("member"), content=world.content(), files=[pdf()])
        submit_proposal(draft, actor=world.actor("member"))
        accepted = accept_proposal(draft, actor=world.actor("staff"))
        proposal = assign_proposal(
            accepted,
            actor=world.actor("staff"),
            units=(UnitRole(world.unit, AssignmentRole.LEAD),),
            assigned_on=ASSIGNED_ON,
        )
        [row] = attachments_of(proposal)
        return proposal, row

    def test_exactly_those_who_may_read_the_proposal_download_its_files(
        self, assigned: tuple[Proposal, Attachment], clients: dict[str, Client]
    ) -> None:
        proposal, row = assigned
        address = url("attachment", pk=proposal.pk, attachment_id=row.pk)
        expected = {
            "staff": 200,
            "leader": 200,
            "member": 200,
            "liaison": 200,
            "outsider": 404,
            "anonymous": 302,
        }
        for name, client in clients.items():
            detail = client.get(url("detail", pk=proposal.pk)).status_code
            download = client.get(address)
            assert download.status_code == detail, name
            if name in expected:
                assert download.status_code == expected[name], name
            if download.status_code == 200:
                assert b"".join(download.streaming_content) == PDF  # type: ignore[attr-defined]
                assert download["Content-Type"] == "application/pdf"

    def test_a_unit_not_assigned_gets_the_same_404_as_for_nothing(
        self, world: World, assigned: tuple[Proposal, Attachment]
    ) -> None:
        proposal, row = assigned
        other_liaison = UserFactory(username="other_liaison")
        CouncilRoleFactory(
            user=other_liaison,
            council=world.cast.city,
            role=Role.UNIT_LIAISON,
            handling_unit=world.other_unit,
        )
        client = Client()
        client.force_login(other_liaison, backend="xieshang.accounts.backends.UsernameOrMobileBackend")
        assert client.get(url("attachment", pk=proposal.pk, attachment_id=row.pk)).status_code == 404
        assert client.get(url("attachment", pk=proposal.pk, attachment_id=row.pk + 1000)).status_code == 404

    def test_a_file_asked_for_under_another_proposal_is_not_found(
        self, world: World, assigned: tuple[Proposal, Attachment], clients: dict[str, Client]
    ) -> None:
        _proposal, row = assigned
        mine = world.draft()
        assert clients["member"].get(url("attachment", pk=mine.pk, attachment_id=row.pk)).status_code == 404

    def test_another_councils_proposal_files_are_not_found(
        self, world: World, clients: dict[str, Client]
    ) -> None:
        foreign = ProposalFactory(council=world.cast.other_city, status=S.SUBMITTED)
        stored = Attachment.objects.create(
            council=world.cast.other_city,
            original_name="外市附件.pdf",
            stored_name="attachments/test/foreign.pdf",
            content_type="application/pdf",
            size=len(PDF),
            sha256="0" * 64,
        )
        attach(stored, foreign)
        for name in ("staff", "outsider"):
            status = clients[name].get(url("attachment", pk=foreign.pk, attachment_id=stored.pk)).status_code
            assert status == 404, name

    def test_a_draft_s_files_are_the_filer_s_alone(self, world: World, clients: dict[str, Client]) -> None:
        draft = save_draft(None, actor=world.actor("member"), content=world.content(), files=[pdf()])
        [row] = attachments_of(draft)
        address = url("attachment", pk=draft.pk, attachment_id=row.pk)
        assert clients["member"].get(address).status_code == 200
        for name in ("staff", "leader", "liaison"):
            assert clients[name].get(address).status_code == 404, name


def test_the_word_form_lists_the_attached_files(world: World, clients: dict[str, Client]) -> None:
    draft = save_draft(
        None,
        actor=world.actor("member"),
        content=world.content(),
        files=[pdf(), SimpleUploadedFile("现场照片.png", PNG)],
    )
    response = clients["member"].get(url("export_docx", pk=draft.pk))
    assert response.status_code == 200
    document = Document(io.BytesIO(response.content))
    cells = [cell.text for row in document.tables[0].rows for cell in row.cells]
    assert "调研报告.pdf、现场照片.png" in cells
