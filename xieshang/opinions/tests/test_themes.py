"""Staff tag filed opinion reports with themes, on a page and over the API;
a report's tags count in the report's own year. The same permission as for
proposals (staff who prepare consultations), the same 404 for another
council's, a draft or a missing report, and nothing changed for anyone
refused."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from conftest import Cast
from xieshang.core.testing import JsonClient, assert_same_not_found
from xieshang.opinions.models import OpinionReport
from xieshang.opinions.tests.factories import OpinionReportFactory
from xieshang.themes.actions import tag_item
from xieshang.themes.demo import tag_by_title
from xieshang.themes.models import Theme, ThemeTag
from xieshang.themes.testing import run_tagging_matrix, tags

pytestmark = pytest.mark.django_db

API = "/api/v1/c"


def page_url(pk: int, council: str = "city") -> str:
    return reverse("opinions:themes", kwargs={"council_slug": council, "pk": pk})


def untag_url(pk: int, tag_id: int) -> str:
    return reverse("opinions:theme_untag", kwargs={"council_slug": "city", "pk": pk, "tag_id": tag_id})


def api_url(pk: int, council: str = "city") -> str:
    return f"{API}/{council}/theme-tags/opinion/{pk}"


def report(cast: Cast, **extra: Any) -> OpinionReport:
    return OpinionReportFactory(council=cast.city, member=cast.member_record, filed_by=cast.member, **extra)


def test_a_report_is_tagged_in_its_own_year_on_its_page_and_shows_the_theme(
    cast: Cast, clients: dict[str, Client]
) -> None:
    item = report(cast, year=2024)
    staff = clients["staff"]
    assert staff.post(page_url(item.pk), {"names": "营商环境"}).status_code == 302
    assert tags() == [("营商环境", item.pk, 2024)]
    detail = staff.get(reverse("opinions:detail", kwargs={"council_slug": "city", "pk": item.pk}))
    body = detail.content.decode()
    assert "营商环境" in body and page_url(item.pk) in body


def test_a_report_is_tagged_in_its_own_year_over_the_api(cast: Cast, clients: dict[str, Client]) -> None:
    item = report(cast, year=2024, title="河湖治理存在短板")
    response = JsonClient(clients["staff"]).post(api_url(item.pk), {"names": ["营商环境"]})
    assert response.status_code == 200
    assert (response.json()["kind"], response.json()["year"], response.json()["title"]) == (
        "opinion",
        2024,
        "河湖治理存在短板",
    )
    assert tags() == [("营商环境", item.pk, 2024)]


def test_the_reporter_sees_the_themes_but_may_not_tag(cast: Cast, clients: dict[str, Client]) -> None:
    item = report(cast)
    tag_item(item, year=item.year, names=["养老服务"], actor=cast.actor("staff"))
    page = clients["member"].get(reverse("opinions:detail", kwargs={"council_slug": "city", "pk": item.pk}))
    body = page.content.decode()
    assert "养老服务" in body and 'data-testid="tag-themes"' not in body


@pytest.mark.parametrize("over", ["page", "api"])
def test_who_may_tag_a_report(cast: Cast, clients: dict[str, Client], over: str) -> None:
    item = report(cast)
    run_tagging_matrix(
        clients,
        over=over,
        url=page_url(item.pk) if over == "page" else api_url(item.pk),
        names=["乡村振兴"],
        reset=lambda: Theme.objects.all().delete(),
    )


@pytest.mark.parametrize("over", ["page", "api"])
def test_who_may_remove_a_theme_from_a_report(cast: Cast, clients: dict[str, Client], over: str) -> None:
    item = report(cast)

    def tagged() -> None:
        ThemeTag.objects.all().delete()
        tag_item(item, year=2026, names=["生态环境"], actor=cast.actor("staff"))

    def url() -> str:
        tag = ThemeTag.objects.get()
        return untag_url(item.pk, tag.pk) if over == "page" else f"{api_url(item.pk)}/{tag.pk}/remove"

    tagged()
    run_tagging_matrix(clients, over=over, url=url, reset=tagged)


def test_another_councils_reports_and_drafts_are_not_found(cast: Cast, clients: dict[str, Client]) -> None:
    item = report(cast)
    outsider, staff = clients["outsider"], clients["staff"]
    assert_same_not_found(outsider, page_url(item.pk, "othercity"), page_url(999999, "othercity"))
    assert_same_not_found(outsider, api_url(item.pk, "othercity"), api_url(999999, "othercity"))
    draft = report(cast, status="draft")
    assert_same_not_found(staff, page_url(draft.pk), page_url(999999))
    assert_same_not_found(staff, api_url(draft.pk), api_url(999999))
    assert staff.post(page_url(draft.pk), {"names": "乡村振兴"}).status_code == 404
    assert JsonClient(staff).post(api_url(draft.pk), {"names": ["乡村振兴"]}).status_code == 404
    assert tags() == [] and not Theme.objects.exists()


def test_the_demo_tags_filed_reports_whose_titles_name_a_theme(cast: Cast) -> None:
    water = report(cast, title="河湖治理存在短板", year=2025)
    report(cast, title="流域污水处理滞后", status="draft")
    report(cast, title="社区养老服务不足")
    filed = OpinionReport.objects.filter(council=cast.city).exclude(status="draft")
    assert tag_by_title(filed, year_of=lambda r: r.year, staff=cast.actor("staff")) == 1
    assert tags() == [("水环境治理", water.pk, 2025)]
