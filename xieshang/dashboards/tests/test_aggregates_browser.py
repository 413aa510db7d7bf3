"""The aggregates chart in a real browser: province staff open a city's
figures, the chart draws from the json_script data under the strict content
security policy, and the table beside it holds the same numbers.

Screenshots go to test-artifacts/screenshots/aggregates-*.png.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from conftest import Cast
from tests.browser.conftest import Browser
from xieshang.accounts.tests.factories import PASSWORD
from xieshang.councils.tests.browsing import log_in, open_chromium
from xieshang.councils.tests.factories import MemberFactory, SectorFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.xdist_group("browser"),
]


@pytest.fixture
def chart_page(monkeypatch: pytest.MonkeyPatch) -> Iterator[Browser]:
    with open_chromium(monkeypatch) as browser:
        yield browser


def test_upper_staff_see_a_lower_councils_chart_and_table(
    live_server: Any, chart_page: Browser, cast: Cast
) -> None:
    for name, count in (("经济界", 3), ("教育界", 2)):
        sector = SectorFactory(council=cast.city, name=name)
        for i in range(count):
            MemberFactory(council=cast.city, term=cast.term, sector=sector, full_name=f"{name}委员{i}")
    page = chart_page.page
    base = live_server.url
    log_in(chart_page, base, "upper", PASSWORD)

    page.goto(f"{base}/c/city/aggregates/")
    page.locator("[data-chart] canvas").first.wait_for()
    chart_page.screenshot("aggregates-city")
    table = page.locator("[data-testid=aggregates-table]").inner_text()
    assert "经济界" in table and "教育界" in table
    assert page.locator("[data-testid=total-city]").inner_text() == "6"
    assert "经济界委员0" not in page.content()
    assert chart_page.csp_violations == []
    assert chart_page.errors == []
