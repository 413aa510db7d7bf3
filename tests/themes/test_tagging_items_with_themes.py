"""Staff tag proposals and opinion reports with themes from the
consultations app (which may not import the proposals app: this test sits
outside the apps because it needs both). The item's page shows its themes;
the themes page counts the tagged items; nobody else tags or untags, and
another council's items are not found."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse

from xieshang.consultations.actions.continuity import tag_item
from xieshang.consultations.models import Theme, ThemeTag
from xieshang.core.models import AuditEntry
from xieshang.core.testing import (
    Expect,
    assert_nothing_changed,
    assert_same_not_found,
    parse_html,
    run_permission_matrix,
)
from xieshang.opinions.tests.factories import OpinionReportFactory
from xieshang.proposals.tests.factories import ProposalFactory

pytestmark = pytest.mark.django_db

REFUSED = {
    "admin": Expect(403),
    "leader": Expect(403),
    "member": Expect(403),
    "liaison": Expect(403),
    "oversight": Expect(403),
    "platform": Expect(403),
    "upper": Expect(403),
    "outsider": Expect(404),
    "anonymous": Expect(302),
}


def tag_url(kind: str, pk: int, council: str = "city") -> str:
    return reverse("consultations:theme_tag", kwargs={"council_slug": council, "kind": kind, "item_id": pk})


def untag_url(kind: str, pk: int, tag_id: int) -> str:
    return reverse(
        "consultations:theme_untag",
        kwargs={"council_slug": "city", "kind": kind, "item_id": pk, "tag_id": tag_id},
    )


def tags() -> list[tuple[str, int, int]]:
    return sorted(ThemeTag.objects.values_list("theme__name", "object_id", "year"))


def themes_shown(page: bytes) -> list[str]:
    """The theme names in the item page's themes panel."""
    panel = parse_html(page).one("section", data_testid="item-themes")
    return [badge.text for badge in panel.find_all("span", class_="badge text-bg-light")]


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
    page = staff.get(tag_url("proposal", item.pk)).content.decode()
    assert '<option value="乡村振兴">' in page and "关于发展乡村数字经济的建议" in page
    response = staff.post(tag_url("proposal", item.pk), {"names": "乡村振兴，数字政府, 乡村振兴"})
    assert response.status_code == 302
    assert tags() == [("乡村振兴", item.pk, 2026), ("数字政府", item.pk, 2026)]
    assert Theme.objects.filter(council=cast.city).count() == 2
    detail = reverse("proposals:detail", kwargs={"council_slug": "city", "pk": item.pk})
    shown = staff.get(detail).content.decode()
    assert "乡村振兴" in shown and "数字政府" in shown and tag_url("proposal", item.pk) in shown

    tag = ThemeTag.objects.get(theme__name="数字政府")
    assert staff.post(untag_url("proposal", item.pk, tag.pk)).status_code == 302
    assert tags() == [("乡村振兴", item.pk, 2026)]
    assert themes_shown(staff.get(detail).content) == ["乡村振兴"]
    assert set(
        AuditEntry.objects.filter(action__startswith="consultations.theme_").values_list("action", flat=True)
    ) == {
        "consultations.theme_tagged",
        "consultations.theme_untagged",
    }


def test_an_empty_theme_is_refused_next_to_the_field(cast: Any, clients: dict[str, Client]) -> None:
    item = proposal(cast)
    response = clients["staff"].post(tag_url("proposal", item.pk), {"names": " ，, "})
    assert response.status_code == 400 and "Choose or type a theme." in response.content.decode()
    assert tags() == []


def test_the_proposer_sees_the_themes_but_may_not_tag(cast: Any, clients: dict[str, Client]) -> None:
    item = proposal(cast)
    staff = cast.actor("staff")
    tag_item(item, year=2026, names=["养老服务"], actor=staff)
    page = clients["member"].get(reverse("proposals:detail", kwargs={"council_slug": "city", "pk": item.pk}))
    body = page.content.decode()
    assert "养老服务" in body and 'data-testid="tag-themes"' not in body


def test_an_opinion_report_counts_in_its_own_year_on_the_themes_page(
    cast: Any, clients: dict[str, Client]
) -> None:
    report = OpinionReportFactory(
        council=cast.city, member=cast.member_record, filed_by=cast.member, year=2024
    )
    item = proposal(cast)
    staff = clients["staff"]
    staff.post(tag_url("opinion", report.pk), {"names": "营商环境"})
    staff.post(tag_url("proposal", item.pk), {"names": "营商环境"})
    assert tags() == sorted([("营商环境", report.pk, 2024), ("营商环境", item.pk, 2026)])
    detail = reverse("opinions:detail", kwargs={"council_slug": "city", "pk": report.pk})
    assert "营商环境" in staff.get(detail).content.decode()
    page = staff.get(reverse("consultations:themes", kwargs={"council_slug": "city"}))
    result = {t.name: t for t in page.context["result"].themes}
    assert result["营商环境"].counts == {2024: 1, 2026: 1}
    assert (result["营商环境"].proposals, result["营商环境"].opinion_reports) == (1, 1)
    assert 'data-testid="tagged-proposals">1<' in page.content.decode()


def test_who_may_tag_a_proposal(cast: Any, clients: dict[str, Client]) -> None:
    item = proposal(cast)
    run_permission_matrix(
        clients=clients,
        method="post",
        url=tag_url("proposal", item.pk),
        data={"names": "乡村振兴"},
        snapshot=lambda: (tags(), list(Theme.objects.values_list("name", flat=True))),
        reset=lambda: Theme.objects.all().delete(),
        expectations={**REFUSED, "staff": Expect(302, changes=True)},
    )


def test_who_may_remove_a_theme(cast: Any, clients: dict[str, Client]) -> None:
    report = OpinionReportFactory(council=cast.city, member=cast.member_record, filed_by=cast.member)
    staff = cast.actor("staff")

    def tagged() -> None:
        ThemeTag.objects.all().delete()
        tag_item(report, year=2026, names=["生态环境"], actor=staff)

    tagged()
    run_permission_matrix(
        clients=clients,
        method="post",
        url=lambda: untag_url("opinion", report.pk, ThemeTag.objects.get().pk),
        snapshot=tags,
        reset=tagged,
        expectations={**REFUSED, "staff": Expect(302, changes=True)},
    )


def test_another_councils_items_drafts_and_unknown_kinds_are_not_found(
    cast: Any, clients: dict[str, Client]
) -> None:
    item = proposal(cast)
    far_staff = cast.actor("outsider", "other_city")
    # The other city's staff, in their own space, asking for the city's proposal.
    outsider = clients["outsider"]
    assert_same_not_found(
        outsider, tag_url("proposal", item.pk, "othercity"), tag_url("proposal", 999999, "othercity")
    )
    assert outsider.post(tag_url("proposal", item.pk, "othercity"), {"names": "乡村振兴"}).status_code == 404
    with assert_nothing_changed(item, ThemeTag), pytest.raises(PermissionDenied):
        tag_item(item, year=2026, names=["乡村振兴"], actor=far_staff)
    draft = proposal(cast, status="draft")
    staff = clients["staff"]
    assert staff.post(tag_url("proposal", draft.pk), {"names": "乡村振兴"}).status_code == 404
    assert staff.get(tag_url("member", cast.member_record.pk)).status_code == 404
    # A tag of another item is not removed through this item's address.
    other = proposal(cast)
    city_staff = cast.actor("staff")
    [tag] = tag_item(other, year=2026, names=["生态环境"], actor=city_staff)
    assert staff.post(untag_url("proposal", item.pk, tag.pk)).status_code == 404
    assert tags() == [("生态环境", other.pk, 2026)]


def test_the_demo_tags_proposals_and_reports_whose_titles_name_a_theme(cast: Any) -> None:
    from xieshang.consultations.demo import tag_items_with_themes

    rural = proposal(cast, title="关于发展农村电商的建议")
    proposal(cast, title="关于改善农村道路的建议", status="draft")
    proposal(cast, title="关于加强社区养老服务的建议")
    report = OpinionReportFactory(
        council=cast.city,
        member=cast.member_record,
        filed_by=cast.member,
        title="河湖治理存在短板",
        year=2025,
    )
    staff = cast.actor("staff")
    assert tag_items_with_themes(cast.city, staff) == 2
    assert tags() == sorted([("乡村振兴", rural.pk, 2026), ("水环境治理", report.pk, 2025)])
