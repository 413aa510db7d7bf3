"""Theme tags on proposals and opinion reports over the API: the same action
and permission as the tagging page (staff who prepare consultations), the
same 404 for another council's, a draft's or a missing item, and nothing
changed for anyone refused. Outside the apps because it needs proposals and
opinions beside consultations."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from xieshang.consultations.actions.continuity import tag_item
from xieshang.consultations.models import Theme, ThemeTag
from xieshang.core.models import AuditEntry
from xieshang.core.testing import Expect, JsonClient, assert_same_not_found, run_permission_matrix
from xieshang.opinions.tests.factories import OpinionReportFactory
from xieshang.proposals.tests.factories import ProposalFactory

pytestmark = pytest.mark.django_db

API = "/api/v1/c"

REFUSED = {
    "admin": Expect(403),
    "leader": Expect(403),
    "member": Expect(403),
    "liaison": Expect(403),
    "oversight": Expect(403),
    "platform": Expect(403),
    "upper": Expect(403),
    "outsider": Expect(404),
    "anonymous": Expect(401),
}


def json_clients(clients: dict[str, Client]) -> dict[str, Client]:
    return {name: JsonClient(client) for name, client in clients.items()}  # type: ignore[misc]


def post(client: Client, url: str, data: Any = None) -> Any:
    return client.post(url, json.dumps(data or {}), content_type="application/json")


def item_url(kind: str, pk: int, council: str = "city") -> str:
    return f"{API}/{council}/theme-tags/{kind}/{pk}"


def tags() -> list[tuple[str, int, int]]:
    return sorted(ThemeTag.objects.values_list("theme__name", "object_id", "year"))


def proposal(cast: Any, **extra: Any) -> Any:
    return ProposalFactory(
        council=cast.city,
        lead_proposer=cast.member_record,
        filed_by=cast.member,
        status=extra.pop("status", "submitted"),
        **extra,
    )


def test_staff_tag_a_proposal_with_an_existing_and_a_new_theme_and_remove_one(
    cast: Any, clients: dict[str, Client]
) -> None:
    Theme.objects.create(council=cast.city, name="乡村振兴")
    item = proposal(cast, title="关于发展乡村数字经济的建议")
    staff = clients["staff"]
    before = staff.get(item_url("proposal", item.pk)).json()
    assert (before["kind"], before["id"], before["title"], before["tags"]) == (
        "proposal",
        item.pk,
        "关于发展乡村数字经济的建议",
        [],
    )
    response = post(staff, item_url("proposal", item.pk), {"names": ["乡村振兴", " 数字政府 ", "乡村振兴"]})
    assert response.status_code == 200, response.content
    assert [(t["name"], t["year"]) for t in response.json()["tags"]] == [
        ("乡村振兴", 2026),
        ("数字政府", 2026),
    ]
    assert tags() == [("乡村振兴", item.pk, 2026), ("数字政府", item.pk, 2026)]
    assert staff.get(f"{API}/city/themes").json() == ["乡村振兴", "数字政府"]
    # Tagging again with a theme the item has keeps it once.
    again = post(staff, item_url("proposal", item.pk), {"names": ["数字政府"]})
    assert again.status_code == 200 and len(again.json()["tags"]) == 2

    tag = ThemeTag.objects.get(theme__name="数字政府")
    removed = post(staff, f"{item_url('proposal', item.pk)}/{tag.pk}/remove")
    assert removed.status_code == 200
    assert [t["name"] for t in removed.json()["tags"]] == ["乡村振兴"]
    assert tags() == [("乡村振兴", item.pk, 2026)]
    assert post(staff, f"{item_url('proposal', item.pk)}/{tag.pk}/remove").status_code == 404
    assert set(
        AuditEntry.objects.filter(action__startswith="consultations.theme_").values_list("action", flat=True)
    ) == {"consultations.theme_tagged", "consultations.theme_untagged"}


def test_an_opinion_report_is_tagged_in_its_own_year(cast: Any, clients: dict[str, Client]) -> None:
    report = OpinionReportFactory(
        council=cast.city, member=cast.member_record, filed_by=cast.member, year=2024
    )
    response = post(clients["staff"], item_url("opinion", report.pk), {"names": ["营商环境"]})
    assert response.status_code == 200
    assert response.json()["year"] == 2024
    assert tags() == [("营商环境", report.pk, 2024)]


def test_empty_theme_names_are_refused_with_a_message_on_names(cast: Any, clients: dict[str, Client]) -> None:
    item = proposal(cast)
    none = post(clients["staff"], item_url("proposal", item.pk), {"names": []})
    assert none.status_code == 400
    assert none.json()["errors"] == {"names": ["Choose or type a theme."]}
    # Blank names are empty once normalised, and refused on the name itself.
    for names in ([" "], ["\u200b", "\t"]):
        response = post(clients["staff"], item_url("proposal", item.pk), {"names": names})
        assert response.status_code == 422, names
        assert response.json()["errors"]["names.0"] == ["This field may not be empty."]
    too_long = post(clients["staff"], item_url("proposal", item.pk), {"names": ["长" * 51]})
    assert too_long.status_code == 422
    assert tags() == [] and not Theme.objects.exists()


def test_who_may_read_an_items_themes(cast: Any, clients: dict[str, Client]) -> None:
    item = proposal(cast)
    tag_item(item, year=2026, names=["养老服务"], actor=cast.actor("staff"))
    run_permission_matrix(
        clients=clients,
        method="get",
        url=item_url("proposal", item.pk),
        snapshot=tags,
        expectations={**REFUSED, "staff": Expect(200)},
    )


def test_who_may_tag_an_item_and_nothing_changes_for_the_others(
    cast: Any, clients: dict[str, Client]
) -> None:
    item = proposal(cast)
    run_permission_matrix(
        clients=json_clients(clients),
        method="post",
        url=item_url("proposal", item.pk),
        data={"names": ["乡村振兴"]},
        snapshot=lambda: (tags(), list(Theme.objects.values_list("name", flat=True))),
        reset=lambda: Theme.objects.all().delete(),
        expectations={**REFUSED, "staff": Expect(200, changes=True)},
    )


def test_who_may_remove_a_theme_and_nothing_changes_for_the_others(
    cast: Any, clients: dict[str, Client]
) -> None:
    report = OpinionReportFactory(council=cast.city, member=cast.member_record, filed_by=cast.member)

    def tagged() -> None:
        ThemeTag.objects.all().delete()
        tag_item(report, year=2026, names=["生态环境"], actor=cast.actor("staff"))

    tagged()
    run_permission_matrix(
        clients=json_clients(clients),
        method="post",
        url=lambda: f"{item_url('opinion', report.pk)}/{ThemeTag.objects.get().pk}/remove",
        snapshot=tags,
        reset=tagged,
        expectations={**REFUSED, "staff": Expect(200, changes=True)},
    )


def test_another_councils_items_drafts_and_unknown_kinds_are_not_found(
    cast: Any, clients: dict[str, Client]
) -> None:
    item = proposal(cast)
    outsider = clients["outsider"]
    # The other city's staff, in their own space, asking for the city's proposal.
    assert_same_not_found(
        outsider, item_url("proposal", item.pk, "othercity"), item_url("proposal", 999999, "othercity")
    )
    assert (
        post(outsider, item_url("proposal", item.pk, "othercity"), {"names": ["乡村振兴"]}).status_code == 404
    )
    staff = clients["staff"]
    draft = proposal(cast, status="draft")
    assert_same_not_found(staff, item_url("proposal", draft.pk), item_url("proposal", 999999))
    assert post(staff, item_url("proposal", draft.pk), {"names": ["乡村振兴"]}).status_code == 404
    assert staff.get(item_url("member", cast.member_record.pk)).status_code == 422
    # A tag of another item is not removed through this item's address.
    other = proposal(cast)
    [tag] = tag_item(other, year=2026, names=["生态环境"], actor=cast.actor("staff"))
    assert post(staff, f"{item_url('proposal', item.pk)}/{tag.pk}/remove").status_code == 404
    # Nor another council's tag through an item of this one.
    far_item = ProposalFactory(council=cast.other_city, status="submitted")
    far_staff = cast.actor("outsider", "other_city")
    [far_tag] = tag_item(far_item, year=2026, names=["城市更新"], actor=far_staff)
    assert post(staff, f"{item_url('proposal', far_item.pk)}/{far_tag.pk}/remove").status_code == 404
    assert post(staff, f"{item_url('proposal', item.pk)}/{far_tag.pk}/remove").status_code == 404
    assert tags() == sorted([("生态环境", other.pk, 2026), ("城市更新", far_item.pk, 2026)])
    assert not Theme.objects.filter(name="乡村振兴").exists()


def test_the_councils_themes_are_listed_for_staff_and_leaders_only(
    cast: Any, clients: dict[str, Client]
) -> None:
    Theme.objects.create(council=cast.city, name="乡村振兴")
    Theme.objects.create(council=cast.other_city, name="城市更新")
    assert clients["leader"].get(f"{API}/city/themes").json() == ["乡村振兴"]
    assert clients["outsider"].get(f"{API}/othercity/themes").json() == ["城市更新"]
    for name, status in {"member": 403, "liaison": 403, "outsider": 404, "anonymous": 401}.items():
        assert clients[name].get(f"{API}/city/themes").status_code == status, name


def test_removing_a_theme_someone_removed_meanwhile_is_a_conflict(cast: Any) -> None:
    from xieshang.consultations.actions.continuity import untag_item
    from xieshang.core.errors import Conflict

    item = proposal(cast)
    [tag] = tag_item(item, year=2026, names=["生态环境"], actor=cast.actor("staff"))
    ThemeTag.objects.filter(pk=tag.pk).delete()  # the other request won
    with pytest.raises(Conflict):
        untag_item(tag, actor=cast.actor("staff"))
    assert tags() == []
