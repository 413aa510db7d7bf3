"""Files built to hurt whoever opens them, attached to a proposal: each is
refused next to the field with a message that says why, what the member
typed is kept, and nothing is stored."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from xieshang.core.models import Attachment
from xieshang.core.testing import assert_nothing_changed
from xieshang.core.tests import hostile_files as hostile
from xieshang.councils.tests.expectations import in_english
from xieshang.proposals.models import Proposal
from xieshang.proposals.tests.conftest import World
from xieshang.proposals.tests.test_proposal_attachments import form_data

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("name", "content", "says"),
    [
        ("调研报告.docx", hostile.macro_document(), "contains macros"),
        ("调研报告.pdf", hostile.PDF_OVER_HTML, "holds a web page"),
        ("现场照片.png", hostile.png(100_000, 100_000), "100000 × 100000 pixels"),
        ("委员名单.xlsx", hostile.xlsx_bomb(), "would unpack to more than"),
    ],
    ids=["docm-named-docx", "pdf-over-html", "png-bomb", "xlsx-zip-bomb"],
)
def test_a_hostile_attachment_is_refused_next_to_the_field_and_the_text_kept(
    world: World, clients: dict[str, Client], name: str, content: bytes, says: str
) -> None:
    with assert_nothing_changed(Proposal, Attachment):
        response = in_english(clients["member"]).post(
            reverse("proposals:create", kwargs={"council_slug": "city"}),
            {**form_data(world, save="1"), "attachments": [SimpleUploadedFile(name, content)]},
        )
    assert response.status_code == 200
    [error] = response.context["form"].errors["attachments"]
    assert name in error and says in error
    assert "一是简化审批" in response.content.decode()
