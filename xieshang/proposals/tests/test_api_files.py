"""The proposals API for files: the unit's signed reply letters and the proposer's attachments."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from xieshang.proposals.models import Proposal, Reply
from xieshang.proposals.tests.conftest import World
from xieshang.proposals.tests.test_api import BASE, post

pytestmark = pytest.mark.django_db


PDF = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"


def upload(client: Client, assignment_id: int, content: bytes, **form: Any) -> Any:
    from django.core.files.uploadedfile import SimpleUploadedFile

    letter = SimpleUploadedFile("答复函.pdf", content, content_type="application/pdf")
    return client.post(f"{BASE}/assignments/{assignment_id}/reply/letter", {"letter": letter, **form})


def test_the_unit_adds_a_signed_letter_that_the_proposer_downloads_after_release(
    world: World, clients: dict[str, Client]
) -> None:
    from xieshang.core.attachments import attachments_of

    assignment = world.assignment(world.assigned())
    draft = post(
        clients["liaison"],
        f"{BASE}/assignments/{assignment.pk}/reply",
        {
            "category_id": world.reply_category.pk,
            "text": "已纳入计划。",
            "signer": "王局长",
            "contact_person": "张科长",
        },
    )
    uploaded = upload(clients["liaison"], assignment.pk, PDF, version=draft.json()["version"])
    assert uploaded.status_code == 200, uploaded.content
    assert (uploaded.json()["text"], uploaded.json()["status"]) == ("已纳入计划。", "draft")
    reply = Reply.objects.get()
    [stored] = attachments_of(reply)
    letters = f"{BASE}/replies/{reply.pk}/letters"
    assert [row["id"] for row in clients["staff"].get(letters).json()] == [stored.pk]
    # The proposer reads neither the reply nor its letter before release.
    assert clients["member"].get(letters).status_code == 404
    assert clients["member"].get(f"{letters}/{stored.pk}").status_code == 404
    sent = post(
        clients["liaison"],
        f"{BASE}/assignments/{assignment.pk}/reply",
        {
            "category_id": world.reply_category.pk,
            "text": "已纳入计划。",
            "signer": "王局长",
            "contact_person": "张科长",
            "submit": True,
            "version": uploaded.json()["version"],
        },
    )
    assert sent.status_code == 200
    assert post(clients["staff"], f"{BASE}/replies/{reply.pk}/release", {}).status_code == 200
    download = clients["member"].get(f"{letters}/{stored.pk}")
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == PDF  # type: ignore[attr-defined]
    assert clients["outsider"].get(f"{letters}/{stored.pk}").status_code == 404


def test_a_letter_that_is_not_a_pdf_a_stale_version_or_a_sent_reply_changes_nothing(
    world: World, clients: dict[str, Client]
) -> None:
    from xieshang.core.models import Attachment

    assignment = world.assignment(world.assigned())
    not_pdf = upload(clients["liaison"], assignment.pk, b"MZ\x90\x00 not a pdf at all")
    assert (not_pdf.status_code, list(not_pdf.json()["errors"])) == (400, ["signed_letter"])
    assert not Reply.objects.exists()
    reply_url = f"{BASE}/assignments/{assignment.pk}/reply"
    text = {
        "category_id": world.reply_category.pk,
        "text": "初稿",
        "signer": "王局长",
        "contact_person": "张科长",
    }
    draft = post(clients["liaison"], reply_url, text)
    stale = upload(clients["liaison"], assignment.pk, PDF, version=draft.json()["version"] - 1)
    assert stale.status_code == 409
    assert upload(clients["member"], assignment.pk, PDF).status_code == 403
    sent = post(clients["liaison"], reply_url, {**text, "submit": True, "version": draft.json()["version"]})
    assert sent.status_code == 200
    assert upload(clients["liaison"], assignment.pk, PDF).status_code == 409
    assert not Attachment.objects.exists()
    assert Reply.objects.get().version == sent.json()["version"]


def attach_file(
    client: Client, proposal_id: int, content: bytes, name: str = "调研报告.pdf", **form: Any
) -> Any:
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile(name, content, content_type="application/octet-stream")
    return client.post(f"{BASE}/{proposal_id}/files", {"file": upload, **form})


def test_the_proposer_attaches_files_that_readers_of_the_proposal_download(
    world: World, clients: dict[str, Client]
) -> None:
    from xieshang.proposals.actions.filing import submit_proposal

    proposal = world.draft()
    added = attach_file(clients["member"], proposal.pk, PDF, version=proposal.version)
    assert added.status_code == 201, added.content
    [row] = added.json()
    assert row["name"] == "调研报告.pdf"
    files = f"{BASE}/{proposal.pk}/files"
    assert clients["member"].get(files).json() == added.json()
    # Staff do not see drafts, nor their files.
    assert clients["staff"].get(f"{files}/{row['id']}").status_code == 404
    submit_proposal(Proposal.objects.get(), actor=world.actor("member"))
    download = clients["staff"].get(f"{files}/{row['id']}")
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == PDF  # type: ignore[attr-defined]
    assert clients["outsider"].get(f"{files}/{row['id']}").status_code == 404
    # Filed: the files no longer change (a conflict with its status, not a denial).
    assert attach_file(clients["member"], proposal.pk, PDF).status_code == 409
    assert len(clients["staff"].get(files).json()) == 1


def test_a_wrong_file_a_stale_version_or_someone_elses_draft_attaches_nothing(
    world: World, clients: dict[str, Client]
) -> None:
    from xieshang.core.models import Attachment

    proposal = world.draft()
    wrong = attach_file(clients["member"], proposal.pk, b"MZ\x90\x00 a program", name="报告.exe")
    assert (wrong.status_code, list(wrong.json()["errors"])) == (400, ["attachments"])
    stale = attach_file(clients["member"], proposal.pk, PDF, version=proposal.version + 1)
    assert stale.status_code == 409
    cosigner = Client()
    cosigner.force_login(world.cosigner_user)
    assert attach_file(cosigner, proposal.pk, PDF).status_code == 404
    assert attach_file(clients["outsider"], proposal.pk, PDF).status_code == 404
    assert not Attachment.objects.exists()
    assert Proposal.objects.get().version == proposal.version


def test_the_proposer_removes_a_file_once(world: World, clients: dict[str, Client]) -> None:
    proposal = world.draft()
    [row] = attach_file(clients["member"], proposal.pk, PDF).json()
    url = f"{BASE}/{proposal.pk}/files/{row['id']}/remove"
    assert post(clients["member"], url, {}).json() == []
    again = post(clients["member"], url, {})
    assert (again.status_code, list(again.json()["errors"])) == (400, ["attachments"])
