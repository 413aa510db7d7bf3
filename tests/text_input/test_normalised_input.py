"""Text is normalised once, wherever it comes in: a title of blanks and a
zero-width space is refused as empty, and no zero-width character stays in
a member's name, whether typed on a page, sent to the API or imported from a
roster (core.textinput)."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from xieshang.accounts.tokens import create_token
from xieshang.councils.models import Member
from xieshang.councils.tests.rosters import post, row, xlsx
from xieshang.councils.tests.test_members_pages import valid_post
from xieshang.proposals.actions.config import create_default_lists
from xieshang.proposals.models import Proposal

pytestmark = pytest.mark.django_db

ZWSP = "\u200b"
BLANK_TITLE = f"  {ZWSP} \u3000"


@pytest.fixture
def api(cast: Any) -> dict[str, Client]:
    def client(user: Any) -> Client:
        return Client(HTTP_AUTHORIZATION=f"Bearer {create_token(user=user, name='测试')[1]}")

    return {"member": client(cast.member), "staff": client(cast.staff)}


def test_a_title_of_blanks_and_a_zero_width_space_is_refused_on_the_page(cast: Any, clients: Any) -> None:
    create_default_lists(cast.city, user=None)
    response = clients["member"].post("/c/city/proposals/new/", {"title": BLANK_TITLE, "window": "regular"})
    assert response.status_code == 200
    assert "title" in response.context["form"].errors
    assert not Proposal.objects.exists()


def test_a_title_of_blanks_and_a_zero_width_space_is_refused_by_the_api(api: dict[str, Client]) -> None:
    body = json.dumps({"title": BLANK_TITLE})
    response = api["member"].post("/api/v1/c/city/proposals", body, content_type="application/json")
    assert response.status_code == 422
    assert response.json()["errors"]["title"] == ["This field may not be empty."]
    assert not Proposal.objects.exists()


def test_a_member_name_typed_on_the_page_loses_its_zero_width_characters(cast: Any, clients: Any) -> None:
    data = valid_post(cast, full_name=f"陈{ZWSP}新\u200d委员")
    response = clients["staff"].post("/c/city/members/new/", data)
    assert response.status_code == 302
    assert Member.objects.filter(full_name="陈新委员").exists()


def test_a_member_name_sent_to_the_api_loses_its_zero_width_characters(api: dict[str, Client]) -> None:
    body = json.dumps({"full_name": f"\ufeff陈{ZWSP}新委员", "gender": "male"})
    response = api["staff"].post("/api/v1/c/city/members", body, content_type="application/json")
    assert response.status_code == 201
    assert response.json()["full_name"] == "陈新委员"
    assert Member.objects.filter(full_name="陈新委员").exists()


def test_a_member_name_imported_from_a_roster_drops_zero_width_characters(cast: Any, clients: Any) -> None:
    content = xlsx([row(1, 姓名=f"导入{ZWSP}委员001", 党派团体="", 界别="", 专门委员会="", 委员小组="")])
    response = post(clients["admin"], cast, content)
    assert response.status_code == 302
    assert Member.objects.filter(full_name="导入委员001").exists()
