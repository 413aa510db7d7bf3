"""Radio buttons show which choice is made, in a real browser (Debian's
Chromium via Playwright): the member's rating of a reply (满意 / 基本满意 /
不满意) and the handling mode on the assignment form (办理方式).

A checked option must look different from an unchecked one: the computed
background of a ticked box differs from that of an empty one. Screenshots go
to test-artifacts/screenshots/choices-*.png.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.browser.conftest import Browser
from xieshang.accounts.tests.factories import PASSWORD
from xieshang.councils.tests.browsing import log_in, open_chromium
from xieshang.proposals.models import Reply
from xieshang.proposals.tests.conftest import World

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.xdist_group("browser"),
]

# What the eye sees of a box: its fill and the dot or tick drawn in it.
LOOK = "el => { const s = getComputedStyle(el); return [s.backgroundColor, s.backgroundImage, s.opacity]; }"


@pytest.fixture
def browser(monkeypatch: pytest.MonkeyPatch) -> Iterator[Browser]:
    with open_chromium(monkeypatch) as opened:
        yield opened


def _look(page: Any, selector: str) -> list[str]:
    return list(page.locator(selector).evaluate(LOOK))


def _assert_checked_looks_checked(page: Any, name: str, chosen: str, other: str) -> None:
    box = page.locator(f"input[name={name}][value={chosen}]")
    page.locator(f"label[for='{box.get_attribute('id')}']").click()
    assert box.is_checked() and box.is_visible()
    checked = _look(page, f"input[name={name}][value={chosen}]")
    unchecked = _look(page, f"input[name={name}][value={other}]")
    assert checked != unchecked, f"a checked {name} looks like an unchecked one: {checked}"


def test_the_chosen_rating_looks_chosen(live_server: Any, browser: Browser, world: World) -> None:
    proposal = world.released()
    reply = Reply.objects.get(assignment__proposal=proposal)
    log_in(browser, live_server.url, "member", PASSWORD)
    page = browser.page
    page.goto(f"{live_server.url}/c/city/proposals/replies/{reply.pk}/rate/")

    _assert_checked_looks_checked(page, "satisfaction", "basically_satisfied", "satisfied")
    browser.screenshot("choices-rating")
    assert browser.csp_violations == []
    assert browser.errors == []


def test_the_chosen_handling_mode_looks_chosen(live_server: Any, browser: Browser, world: World) -> None:
    proposal = world.accepted()
    log_in(browser, live_server.url, "staff", PASSWORD)
    page = browser.page
    page.goto(f"{live_server.url}/c/city/proposals/{proposal.pk}/assign/")

    _assert_checked_looks_checked(page, "mode", "split", "lead")
    browser.screenshot("choices-handling-mode")
    assert browser.csp_violations == []
    assert browser.errors == []
