"""The phone's bottom bar, derived per role from the side navigation: each
bar opens only modules of the role's own navigation, and no page names it."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from conftest import Cast
from xieshang.core.testing import parse_html
from xieshang.councils.navigation import MENU, bottom_bar, side_nav

pytestmark = pytest.mark.django_db

# The bar each role sees at 首页 (labels in English, the suite's language).
BARS = {
    "member": ["Home", "Proposals", "Opinions", "Meetings", "Me"],
    "staff": ["Home", "Proposals", "Opinions", "Consultations", "Menu"],
    "leader": ["Home", "Proposals", "Opinions", "Consultations", "Me"],
    "admin": ["Home", "Members", "Lower councils", "Duty", "Menu"],
    "liaison": ["Home", "Proposals", "Concerns to handle", "Messages", "Menu"],
    "oversight": ["Home", "Opinions", "Outcomes", "Concerns to handle", "Menu"],
}


@pytest.mark.parametrize("who", sorted(BARS))
def test_each_role_gets_a_bar_from_its_own_navigation(cast: Cast, who: str) -> None:
    actor = cast.actor(who)
    nav = side_nav(actor)
    bar = bottom_bar(actor, nav)
    assert [item["label"] for item in bar] == BARS[who]
    own = {item["url"] for item in nav}
    for item in bar:
        if item["url_name"] == MENU:
            assert item["url"] == ""
        elif item["url_name"] not in ("councils:inbox", "accounts:profile", "duty:mine"):
            assert item["url"] in own, item


def test_the_bar_menu_opens_the_side_navigation_sheet(cast: Cast, clients: dict[str, Client]) -> None:
    page = parse_html(
        clients["staff"].get(reverse("dashboards:home", kwargs={"council_slug": "city"})).content
    )
    sheet = page.one("nav", id="side-nav")
    assert "offcanvas-lg" in sheet.attrs["class"]
    assert page.one("button", data_testid="bar-menu").attrs["data-bs-target"] == "#side-nav"
    assert page.one("button", data_testid="menu-button").attrs["data-bs-target"] == "#side-nav"
    # One list of modules: the sheet is the side navigation itself.
    assert len(page.find_all("nav", class_="side-nav")) == 1
