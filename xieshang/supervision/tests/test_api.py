"""The supervision API: the same permissions, tenant rule and bad input as
the pages; the upper council reads the figures and nothing else."""

from __future__ import annotations

import json
from typing import Any

import pytest
import time_machine
from django.test import Client

from xieshang.core.testing import assert_nothing_changed
from xieshang.supervision.models import Inspection, LetterReply, SupervisionTarget
from xieshang.supervision.tests.conftest import TODAY, World, photo

pytestmark = pytest.mark.django_db
BASE = "/api/v1/c/city/supervision"


def post(client: Client, url: str, data: dict[str, object]) -> Any:
    return client.post(url, json.dumps(data), content_type="application/json")


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(TODAY):
        yield


def _inspection(world: World, **changes: object) -> dict[str, object]:
    body: dict[str, object] = {
        "target_id": world.river.pk,
        "inspected_on": TODAY.isoformat(),
        "is_unannounced": True,
        "participant_ids": [world.cast.member_record.pk],
        "findings": "河面有漂浮物。",
        "problems": [{"description": "排污口偷排", "handling_unit_id": world.unit.pk}],
    }
    body.update(changes)
    return body


def test_upper_council_reads_the_figures_but_no_records(world: World, clients: dict[str, Client]) -> None:
    world.inspect()
    figures = clients["upper"].get(f"{BASE}/statistics?year=2026")
    assert figures.status_code == 200
    assert figures.json()["unannounced"] == {"numerator": 1, "denominator": 1, "percent": 100.0}
    for path in ("/campaigns", f"/campaigns/{world.campaign.pk}/targets", "/letters", "/recommendations"):
        assert clients["upper"].get(f"{BASE}{path}").status_code == 403, path
    assert clients["member"].get(f"{BASE}/statistics").status_code == 403


def test_member_records_an_inspection_then_adds_a_photo(world: World, clients: dict[str, Client]) -> None:
    response = post(
        clients["member"], f"{BASE}/campaigns/{world.campaign.pk}/inspections", _inspection(world)
    )
    assert response.status_code == 201, response.content
    inspection_id = response.json()["id"]
    added = clients["member"].post(f"{BASE}/inspections/{inspection_id}/photos", {"file": photo()})
    assert added.status_code == 201, added.content
    assert len(added.json()["photo_ids"]) == 1
    targets = clients["leader"].get(f"{BASE}/campaigns/{world.campaign.pk}/targets").json()["items"]
    assert {row["code"]: row["state"] for row in targets} == {
        "HC-01": "problems_open",
        "HC-02": "not_inspected",
    }


def test_inspection_of_a_target_outside_the_campaign_names_the_field(
    world: World, clients: dict[str, Client]
) -> None:
    other = post(
        clients["staff"],
        f"{BASE}/campaigns",
        {"title": "市容", "year": 2026, "starts_on": "2026-01-01", "ends_on": "2026-12-31"},
    ).json()
    post(
        clients["staff"],
        f"{BASE}/campaigns/{other['id']}/targets",
        {
            "targets": [
                {
                    "code": "JD-1",
                    "name": "人民路",
                    "district": "城东区",
                    "kind_id": world.kind.pk,
                    "handling_unit_id": world.unit.pk,
                }
            ]
        },
    )
    foreign = SupervisionTarget.objects.get(code="JD-1")
    with assert_nothing_changed(Inspection):
        response = post(
            clients["staff"],
            f"{BASE}/campaigns/{world.campaign.pk}/inspections",
            _inspection(world, target_id=foreign.pk),
        )
    assert response.status_code == 400
    assert "target of this campaign" in response.json()["errors"]["target_id"][0]


def test_photo_that_is_not_an_image_is_refused(world: World, clients: dict[str, Client]) -> None:
    inspection = world.inspect()
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = clients["member"].post(
        f"{BASE}/inspections/{inspection.pk}/photos",
        {"file": SimpleUploadedFile("a.jpg", b"<html>hi</html>")},
    )
    assert response.status_code == 400
    assert "photos" in response.json()["errors"]


def test_letter_answer_from_another_council_is_404_and_a_second_one_409(
    world: World, clients: dict[str, Client]
) -> None:
    letter = world.letter()
    other = Client()
    other.force_login(world.other_liaison, backend="xieshang.accounts.backends.UsernameOrMobileBackend")
    with assert_nothing_changed(letter, LetterReply):
        assert (
            post(
                other, f"/api/v1/c/othercity/supervision/letters/{letter.pk}/replies", {"text": "答复"}
            ).status_code
            == 404
        )
    assert (
        post(clients["liaison"], f"{BASE}/letters/{letter.pk}/replies", {"text": "已落实。"}).status_code
        == 201
    )
    second = post(clients["liaison"], f"{BASE}/letters/{letter.pk}/replies", {"text": "补充"})
    assert second.status_code == 409
    assert LetterReply.objects.count() == 1


def test_import_targets_from_excel(world: World, clients: dict[str, Client]) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from xieshang.core.spreadsheets import table_workbook

    good = table_workbook(
        sheet_title="点位",
        headers=["编号", "名称", "类型", "所在区县", "责任单位", "经度", "纬度"],
        rows=[["HC-10", "东湖", world.kind.name, "城东区", world.unit.name, 120.1, 30.2]],
    )
    response = clients["staff"].post(
        f"{BASE}/campaigns/{world.campaign.pk}/targets/import",
        {"file": SimpleUploadedFile("点位.xlsx", good)},
    )
    assert response.status_code == 201, response.content
    assert [row["code"] for row in response.json()] == ["HC-10"]


def test_import_names_every_bad_row_and_stores_nothing(world: World, clients: dict[str, Client]) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from xieshang.core.spreadsheets import table_workbook

    bad = table_workbook(
        sheet_title="点位",
        headers=["编号", "名称", "类型", "所在区县", "责任单位"],
        rows=[
            ["HC-11", "南湖", world.kind.name, "城南区", world.unit.name],
            ["HC-12", "", world.kind.name, "城南区", world.unit.name],
            ["HC-13", "北湖", "湖泊", "城北区", "不存在的局"],
        ],
    )
    with assert_nothing_changed(SupervisionTarget):
        response = clients["staff"].post(
            f"{BASE}/campaigns/{world.campaign.pk}/targets/import",
            {"file": SimpleUploadedFile("点位.xlsx", bad)},
        )
    assert response.status_code == 400
    errors = response.json()["errors"]["file"]
    assert errors[0].startswith("Row 3:") and "Name the target" in errors[0]
    assert errors[1].startswith("Row 4:") and "湖泊" in errors[1] and "不存在的局" in errors[1]
