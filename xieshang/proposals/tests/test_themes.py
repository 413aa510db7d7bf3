"""Staff tag filed proposals with themes, on a page and over the API: the
same action and permission (staff who prepare consultations), the same 404
for another council's, a draft or a missing proposal, and nothing changed
for anyone refused. The proposal's page shows its themes."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from conftest import Cast
from xieshang.core.models import AuditEntry
from xieshang.core.testing import (
    Expect,
    JsonClient,
    assert_same_not_found,
    parse_html,
    refused_except,
    run_permission_matrix,
)
from xieshang.councils.models import Session
from xieshang.proposals.tests.factories import ProposalFactory
from xieshang.themes.actions import tag_item
from xieshang.themes.models import Theme, ThemeTag
from xieshang.themes.testing import run_tagging_matrix, tags

pytestmark = pytest.mark.django_db

API = "/api/v1/c"


def page_url(pk: int, council: str = "city") -> str:
    return reverse("proposals:themes", kwargs={"council_slug": council, "pk": pk})


def untag_url(pk: int, tag_id: int) -> str:
    return reverse("proposals:theme_untag", kwargs={"council_slug": "city", "pk": pk, "tag_id": tag_id})


def api_url(pk: int, council: str = "city") -> str:
    return f"{API}/{council}/theme-tags/proposal/{pk}"


def themes_shown(page: bytes) -> list[str]:
    """The theme names in the proposal page's themes panel."""
    panel = parse_html(page).one("section", data_testid="item-themes")
    return [badge.text for badge in panel.find_all("span", class_="badge text-bg-light")]


def proposal(cast: Cast, **extra: Any) -> Any:
    return ProposalFactory(
        council=cast.city,
        lead_proposer=cast.member_record,
        filed_by=cast.member,
        status=extra.pop("status", "submitted"),
        **extra,
    )


def post_json(client: Client, url: str, data: Any = None) -> Any:
    return JsonClient(client).post(url, data)


def test_staff_tag_a_proposal_on_its_page_and_remove_a_theme(cast: Cast, clients: dict[str, Client]) -> None:
    Theme.objects.create(council=cast.city, name="乡村振兴")
    item = proposal(cast, title="关于发展乡村数字经济的建议")
    staff = clients["staff"]
    page = staff.get(page_url(item.pk)).content.decode()
    assert '<option value="乡村振兴">' in page and "关于发展乡村数字经济的建议" in page
    response = staff.post(page_url(item.pk), {"names": "乡村振兴，数字政府, 乡村振兴"})
    assert response.status_code == 302
    assert tags() == [("乡村振兴", item.pk, 2026), ("数字政府", item.pk, 2026)]
    detail = reverse("proposals:detail", kwargs={"council_slug": "city", "pk": item.pk})
    shown = staff.get(detail).content
    assert themes_shown(shown) == ["乡村振兴", "数字政府"]
    assert parse_html(shown).one("a", data_testid="tag-themes").attrs["href"] == page_url(item.pk)

    tag = ThemeTag.objects.get(theme__name="数字政府")
    assert untag_url(item.pk, tag.pk) in staff.get(page_url(item.pk)).content.decode()
    assert staff.post(untag_url(item.pk, tag.pk)).status_code == 302
    assert tags() == [("乡村振兴", item.pk, 2026)]
    assert themes_shown(staff.get(detail).content) == ["乡村振兴"]
    assert set(AuditEntry.objects.filter(action__startswith="themes.").values_list("action", flat=True)) == {
        "themes.tagged",
        "themes.untagged",
    }


def test_a_proposal_counts_in_its_sessions_year(cast: Cast, clients: dict[str, Client]) -> None:
    session = Session.objects.create(
        council=cast.city,
        term=cast.term,
        number=2,
        year=2025,
        opens_on=dt.date(2025, 1, 10),
        closes_on=dt.date(2025, 1, 14),
    )
    item = proposal(cast, session=session)
    assert clients["staff"].post(page_url(item.pk), {"names": "乡村振兴"}).status_code == 302
    assert tags() == [("乡村振兴", item.pk, 2025)]


def test_an_empty_theme_is_refused_next_to_the_field(cast: Cast, clients: dict[str, Client]) -> None:
    item = proposal(cast)
    response = clients["staff"].post(page_url(item.pk), {"names": " ，, "})
    assert response.status_code == 400 and "Choose or type a theme." in response.content.decode()
    assert tags() == []


def test_the_proposer_sees_the_themes_but_may_not_tag(cast: Cast, clients: dict[str, Client]) -> None:
    item = proposal(cast)
    tag_item(item, year=2026, names=["养老服务"], actor=cast.actor("staff"))
    page = clients["member"].get(reverse("proposals:detail", kwargs={"council_slug": "city", "pk": item.pk}))
    assert themes_shown(page.content) == ["养老服务"]
    assert parse_html(page.content).find_all("a", data_testid="tag-themes") == []


@pytest.mark.parametrize("over", ["page", "api"])
def test_who_may_tag_a_proposal(cast: Cast, clients: dict[str, Client], over: str) -> None:
    item = proposal(cast)
    run_tagging_matrix(
        clients,
        over=over,
        url=page_url(item.pk) if over == "page" else api_url(item.pk),
        names=["乡村振兴"],
        reset=lambda: Theme.objects.all().delete(),
    )


@pytest.mark.parametrize("over", ["page", "api"])
def test_who_may_remove_a_theme_from_a_proposal(cast: Cast, clients: dict[str, Client], over: str) -> None:
    item = proposal(cast)

    def tagged() -> None:
        ThemeTag.objects.all().delete()
        tag_item(item, year=2026, names=["生态环境"], actor=cast.actor("staff"))

    def url() -> str:
        tag = ThemeTag.objects.get()
        return untag_url(item.pk, tag.pk) if over == "page" else f"{api_url(item.pk)}/{tag.pk}/remove"

    tagged()
    run_tagging_matrix(clients, over=over, url=url, reset=tagged)


def test_who_may_read_a_proposals_themes_over_the_api(cast: Cast, clients: dict[str, Client]) -> None:
    item = proposal(cast)
    tag_item(item, year=2026, names=["养老服务"], actor=cast.actor("staff"))
    run_permission_matrix(
        clients=clients,
        method="get",
        url=api_url(item.pk),
        snapshot=tags,
        expectations=refused_except({"staff": Expect(200)}, anonymous=401),
    )


def test_staff_tag_and_untag_a_proposal_over_the_api(cast: Cast, clients: dict[str, Client]) -> None:
    Theme.objects.create(council=cast.city, name="乡村振兴")
    item = proposal(cast, title="关于发展乡村数字经济的建议")
    staff = clients["staff"]
    before = staff.get(api_url(item.pk)).json()
    assert (before["kind"], before["id"], before["title"], before["tags"]) == (
        "proposal",
        item.pk,
        "关于发展乡村数字经济的建议",
        [],
    )
    response = post_json(staff, api_url(item.pk), {"names": ["乡村振兴", " 数字政府 ", "乡村振兴"]})
    assert response.status_code == 200, response.content
    assert [(t["name"], t["year"]) for t in response.json()["tags"]] == [
        ("乡村振兴", 2026),
        ("数字政府", 2026),
    ]
    assert staff.get(f"{API}/city/themes").json() == ["乡村振兴", "数字政府"]
    again = post_json(staff, api_url(item.pk), {"names": ["数字政府"]})
    assert again.status_code == 200 and len(again.json()["tags"]) == 2

    tag = ThemeTag.objects.get(theme__name="数字政府")
    removed = post_json(staff, f"{api_url(item.pk)}/{tag.pk}/remove")
    assert removed.status_code == 200
    assert [t["name"] for t in removed.json()["tags"]] == ["乡村振兴"]
    assert tags() == [("乡村振兴", item.pk, 2026)]
    assert post_json(staff, f"{api_url(item.pk)}/{tag.pk}/remove").status_code == 404


def test_bad_theme_names_are_refused_over_the_api(cast: Cast, clients: dict[str, Client]) -> None:
    item = proposal(cast)
    staff = clients["staff"]
    none = post_json(staff, api_url(item.pk), {"names": []})
    assert none.status_code == 400
    assert none.json()["errors"] == {"names": ["Choose or type a theme."]}
    # Blank names are empty once normalised, and refused on the name itself.
    for names in ([" "], ["\u200b", "\t"]):
        response = post_json(staff, api_url(item.pk), {"names": names})
        assert response.status_code == 422, names
        assert response.json()["errors"]["names.0"] == ["This field may not be empty."]
    assert post_json(staff, api_url(item.pk), {"names": ["长" * 51]}).status_code == 422
    assert tags() == [] and not Theme.objects.exists()


def test_another_councils_proposals_drafts_and_other_tags_are_not_found(
    cast: Cast, clients: dict[str, Client]
) -> None:
    item = proposal(cast)
    outsider, staff = clients["outsider"], clients["staff"]
    # The other city's staff, in their own space, asking for the city's proposal.
    assert_same_not_found(outsider, page_url(item.pk, "othercity"), page_url(999999, "othercity"))
    assert_same_not_found(outsider, api_url(item.pk, "othercity"), api_url(999999, "othercity"))
    assert outsider.post(page_url(item.pk, "othercity"), {"names": "乡村振兴"}).status_code == 404
    assert post_json(outsider, api_url(item.pk, "othercity"), {"names": ["乡村振兴"]}).status_code == 404
    draft = proposal(cast, status="draft")
    assert_same_not_found(staff, page_url(draft.pk), page_url(999999))
    assert_same_not_found(staff, api_url(draft.pk), api_url(999999))
    assert staff.post(page_url(draft.pk), {"names": "乡村振兴"}).status_code == 404
    assert post_json(staff, api_url(draft.pk), {"names": ["乡村振兴"]}).status_code == 404
    # A tag of another proposal is not removed through this one's address.
    other = proposal(cast)
    [tag] = tag_item(other, year=2026, names=["生态环境"], actor=cast.actor("staff"))
    assert staff.post(untag_url(item.pk, tag.pk)).status_code == 404
    assert post_json(staff, f"{api_url(item.pk)}/{tag.pk}/remove").status_code == 404
    # Nor another council's tag through a proposal of this one.
    far_item = ProposalFactory(council=cast.other_city, status="submitted")
    far_staff = cast.actor("outsider", "other_city")
    [far_tag] = tag_item(far_item, year=2026, names=["城市更新"], actor=far_staff)
    assert post_json(staff, f"{api_url(item.pk)}/{far_tag.pk}/remove").status_code == 404
    assert tags() == sorted([("生态环境", other.pk, 2026), ("城市更新", far_item.pk, 2026)])
    assert not Theme.objects.filter(name="乡村振兴").exists()


def test_the_demo_tags_filed_proposals_whose_titles_name_a_theme(cast: Cast) -> None:
    from xieshang.proposals.models import Proposal
    from xieshang.proposals.queries import theme_year
    from xieshang.themes.demo import tag_by_title

    rural = proposal(cast, title="关于发展农村电商的建议")
    proposal(cast, title="关于改善农村道路的建议", status="draft")
    proposal(cast, title="关于加强社区养老服务的建议")
    filed = Proposal.objects.filter(council=cast.city).exclude(status="draft")
    assert tag_by_title(filed, year_of=theme_year, staff=cast.actor("staff")) == 1
    assert tags() == [("乡村振兴", rural.pk, 2026)]
