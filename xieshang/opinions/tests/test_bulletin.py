"""Bulletin issues: numbering per council and year, composing from adopted
reports only, publishing, and reports from below printed by the parent."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from xieshang.core.errors import InvalidTransition
from xieshang.core.testing import assert_nothing_changed
from xieshang.opinions.actions.bulletin import EntrySpec, compose_issue, create_issue, publish_issue
from xieshang.opinions.actions.forwarding import adopt_received, forward_report
from xieshang.opinions.models import BulletinIssue
from xieshang.opinions.queries import reports_for_bulletin
from xieshang.opinions.tests.conftest import World

pytestmark = pytest.mark.django_db


def test_issues_are_numbered_per_council_and_year(world: World) -> None:
    staff, upper = world.actor("staff"), world.actor("upper", "province")
    numbers = [create_issue(actor=staff, year=2026).number for _ in range(3)]
    assert numbers == [1, 2, 3]
    assert create_issue(actor=staff, year=2027).number == 1
    assert create_issue(actor=upper, year=2026).number == 1


def test_only_staff_open_issues(world: World) -> None:
    for name in ("member", "leader", "oversight"):
        with assert_nothing_changed(BulletinIssue), pytest.raises(PermissionDenied):
            create_issue(actor=world.actor(name), year=2026)


def test_compose_keeps_order_and_notes_and_refuses_reports_not_adopted(world: World) -> None:
    staff = world.actor("staff")
    issue = create_issue(actor=staff, year=2026)
    first, second = world.adopted(), world.adopted()
    with pytest.raises(ValidationError):
        compose_issue(issue, actor=staff, entries=[EntrySpec(world.filed())])
    with pytest.raises(ValidationError):
        compose_issue(issue, actor=staff, entries=[EntrySpec(first), EntrySpec(first)])
    compose_issue(issue, actor=staff, entries=[EntrySpec(second, "重点推荐"), EntrySpec(first)])
    assert list(issue.entries.values_list("report_id", "position", "editor_note")) == [
        (second.pk, 1, "重点推荐"),
        (first.pk, 2, ""),
    ]
    other = create_issue(actor=staff, year=2026)
    with pytest.raises(ValidationError):
        compose_issue(other, actor=staff, entries=[EntrySpec(first)])


def test_publishing_marks_reports_published_and_freezes_the_issue(world: World) -> None:
    staff = world.actor("staff")
    issue = create_issue(actor=staff, year=2026)
    with pytest.raises(ValidationError):
        publish_issue(issue, actor=staff)
    report = world.adopted()
    compose_issue(issue, actor=staff, entries=[EntrySpec(report)])
    publish_issue(issue, actor=staff)
    report.refresh_from_db()
    assert report.status == "published"
    with pytest.raises(InvalidTransition):
        publish_issue(issue, actor=staff)
    with pytest.raises(InvalidTransition):
        compose_issue(issue, actor=staff, entries=[])
    assert report not in reports_for_bulletin(staff)


def test_the_province_prints_a_report_it_adopted_from_below(world: World) -> None:
    report = world.adopted()
    [up] = forward_report(report, actor=world.actor("staff"), target="parent")
    upper = world.actor("upper", "province")
    assert report not in reports_for_bulletin(upper)
    adopt_received(up, actor=upper)
    assert report in reports_for_bulletin(upper)
    issue = create_issue(actor=upper, year=2026)
    compose_issue(issue, actor=upper, entries=[EntrySpec(report)])
    publish_issue(issue, actor=upper)
    report.refresh_from_db()
    # Its status is the city's; the province's printing is in its history.
    assert report.status == "adopted"
    assert report not in reports_for_bulletin(upper)
    # Another city cannot print it.
    with pytest.raises(ValidationError):
        outsider = world.actor("outsider", "other_city")
        compose_issue(create_issue(actor=outsider, year=2026), actor=outsider, entries=[EntrySpec(report)])
