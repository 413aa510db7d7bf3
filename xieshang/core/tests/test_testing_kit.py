"""The test kit itself: assert_nothing_changed fails on every kind of change
a refused action could leave behind (the object's row, its events, its audit
rows, a new event or audit entry anywhere, a row in a watched table);
parse_html reads what an element holds; the cast gives each persona's actor
and refused_except the expectations of the whole cast."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied

from xieshang.core.audit import audit
from xieshang.core.events import record_event
from xieshang.core.models import AuditEntry, Event, Notification
from xieshang.core.testing import (
    PERSONAS,
    Expect,
    assert_nothing_changed,
    parse_html,
    refused_except,
    snapshot_rows,
)

pytestmark = pytest.mark.django_db


def _rename(cast: Any) -> None:
    type(cast.city).objects.filter(pk=cast.city.pk).update(name="改名政协")


def _event(cast: Any) -> None:
    record_event(cast.city, "council.renamed", council=cast.city, actor=cast.admin)


def _event_elsewhere(cast: Any) -> None:
    record_event(cast.other_city, "council.renamed", council=cast.other_city, actor=cast.outsider)


def _event_rewritten(cast: Any) -> None:
    Event.objects.filter(object_id=cast.city.pk, type="council.created").update(data={"forged": True})


def _audit(cast: Any) -> None:
    audit("council.update", user=cast.admin, council=cast.city, obj=cast.city)


def _audit_rewritten(cast: Any) -> None:
    AuditEntry.objects.filter(object_id=str(cast.city.pk)).update(username="someone-else")


def _deleted(cast: Any) -> None:
    Notification.objects.filter(recipient=cast.member).delete()


CHANGES: dict[str, tuple[Callable[[Any], None], str]] = {
    "the object's row": (_rename, r"councils\.council #\d+: name '某某市政协' → '改名政协'"),
    "a new event of the object": (_event, r"events: 1 rows before, 2 after"),
    "a new event of another object": (_event_elsewhere, r"event council\.renamed #\d+ appended"),
    "an event of the object rewritten": (_event_rewritten, r"events: #\d+ data \{\} → \{'forged': True\}"),
    "a new audit entry": (_audit, r"audit entry council\.update \(ok\) appended"),
    "an audit row of the object rewritten": (
        _audit_rewritten,
        r"audit entries: #\d+ username 'platform' → 'someone-else'",
    ),
    "a row of a watched table": (_deleted, r"core\.notification table: 1 rows before, 0 after"),
}


@pytest.fixture
def history(cast: Any) -> None:
    """The city has one event and one audit entry already, and the member one message."""
    record_event(cast.city, "council.created", council=cast.city, actor=cast.platform)
    audit("council.create", user=cast.platform, council=cast.city, obj=cast.city)
    Notification.objects.create(council=cast.city, recipient=cast.member, title="通知", url="/c/city/")


def test_a_block_that_only_reads_passes(cast: Any, history: None) -> None:
    with assert_nothing_changed(cast.city, Notification):
        assert Event.objects.count() == 1


@pytest.mark.parametrize("change", list(CHANGES), ids=list(CHANGES))
def test_every_kind_of_change_fails_and_is_named(cast: Any, history: None, change: str) -> None:
    make, message = CHANGES[change]
    with pytest.raises(AssertionError, match=message), assert_nothing_changed(cast.city, Notification):
        make(cast)


def test_a_watched_queryset_is_compared_row_by_row(cast: Any, history: None) -> None:
    mine = Notification.objects.filter(recipient=cast.member)
    with (
        pytest.raises(AssertionError, match=r"core\.notification rows: #\d+ title '通知' → '改过的通知'"),
        assert_nothing_changed(mine),
    ):
        mine.update(title="改过的通知")


def test_the_refusal_itself_passes_through(cast: Any) -> None:
    with pytest.raises(PermissionDenied), assert_nothing_changed(cast.city):
        raise PermissionDenied


def _deny(cast: Any) -> None:
    audit("permission_denied", user=cast.member, council=cast.city, outcome="denied")


@pytest.mark.parametrize(
    ("denials", "other_entry", "passes"),
    [(1, False, True), (0, False, False), (2, False, False), (1, True, False)],
    ids=["audited once", "not audited", "audited twice", "audited with a write"],
)
def test_denied_requires_the_refusal_audited_once_and_nothing_else(
    cast: Any, denials: int, other_entry: bool, passes: bool
) -> None:
    def refuse() -> None:
        for _ in range(denials):
            _deny(cast)
        if other_entry:
            _audit(cast)

    if passes:
        with assert_nothing_changed(cast.city, denied=True):
            refuse()
    else:
        with pytest.raises(AssertionError), assert_nothing_changed(cast.city, denied=True):
            refuse()


def test_without_denied_even_a_denial_entry_fails(cast: Any) -> None:
    with (
        pytest.raises(AssertionError, match=r"permission_denied \(denied\) appended"),
        assert_nothing_changed(cast.city),
    ):
        _deny(cast)


def test_a_page_refused_over_http_is_audited_once_and_changes_nothing(cast: Any, clients: Any) -> None:
    with assert_nothing_changed(cast.city, denied=True):
        response = clients["member"].post("/c/city/admin/settings/lockout_failures/", {"value": "9"})
    assert response.status_code == 403


def test_snapshot_rows_reads_objects_tables_and_querysets(cast: Any, history: None) -> None:
    snapshot = snapshot_rows(cast.city, Notification, Event.objects.filter(object_id=cast.city.pk))
    [(city, row), (table, notes), (events, [event])] = snapshot()
    assert (city, row["name"]) == (f"councils.council #{cast.city.pk}", "某某市政协")
    assert (table, [n["title"] for n in notes]) == ("core.notification table", ["通知"])
    assert (events, event["type"]) == ("core.event rows", "council.created")


PAGE = """<!doctype html><html><head><title>我的 &amp; 履职</title></head><body>
<section data-testid="themes"><h2>主题</h2>
  <span class="badge text-bg-light">生态环境</span><br>
  <span class="badge text-bg-dark">不算</span><img src="x.png">
  <span class="text-bg-light badge">乡村  振兴</span>
</section>
<table><tr data-testid="row"><td>城乡建设<td>2</tr></table>
<script id="chart" type="application/json">{"name": "a  b", "n": [1, 2]}</script>
</body></html>"""


def test_parse_html_finds_elements_by_tag_attributes_and_classes() -> None:
    page = parse_html(PAGE.encode())
    section = page.one("section", data_testid="themes")
    badges = section.find_all("span", class_="badge text-bg-light")
    assert [badge.text for badge in badges] == ["生态环境", "乡村 振兴"]
    assert page.one("title").text == "我的 & 履职"
    assert [cell.text for cell in page.one("tr", data_testid="row").find_all("td")] == ["城乡建设", "2"]
    assert json.loads(page.one("script", id="chart").raw_text) == {"name": "a  b", "n": [1, 2]}


def test_one_fails_unless_exactly_one_element_matches() -> None:
    page = parse_html(PAGE)
    with pytest.raises(AssertionError, match="3 elements match span"):
        page.one("span")
    with pytest.raises(AssertionError, match="0 elements match"):
        page.one(data_testid="missing")


def test_the_cast_gives_actors_in_the_city_unless_told_otherwise(cast: Any) -> None:
    assert cast.actor("staff").council == cast.city
    assert cast.actor(cast.upper, "province").council == cast.province
    with pytest.raises(AssertionError, match="holds no place"):
        cast.actor("outsider")
    with pytest.raises(AssertionError, match="never act"):
        cast.actor("anonymous")


def test_refused_except_refuses_everyone_not_named() -> None:
    allowed = Expect(200, changes=True)
    expectations = refused_except({"staff": allowed}, anonymous=401)
    assert set(expectations) == set(PERSONAS)
    assert (expectations["staff"], expectations["outsider"], expectations["anonymous"]) == (
        allowed,
        Expect(404),
        Expect(401),
    )
    assert {expectations[name] for name in PERSONAS if name not in {"staff", "outsider", "anonymous"}} == {
        Expect(403)
    }
