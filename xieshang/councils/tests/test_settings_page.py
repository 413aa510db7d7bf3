"""The council's settings page: every catalogue setting with default, current
value and unit; changes with a reason, for all years or one year; reset to
default; history of changes. Permission MANAGE_SETTINGS: admin and platform."""

from __future__ import annotations

import pytest
from django.test import override_settings
from django.utils import translation

from xieshang.core.models import AuditEntry, Event
from xieshang.core.testing import parse_html, run_permission_matrix
from xieshang.councils.actions.settings import change_setting
from xieshang.councils.models import CouncilSetting
from xieshang.councils.queries import get_setting
from xieshang.councils.settings_catalog import SPECS, SPECS_BY_KEY
from xieshang.councils.tests.expectations import admin_only, admin_only_page

pytestmark = pytest.mark.django_db

EDIT = "/c/city/admin/settings/lockout_failures/"


def rows(council) -> list[tuple]:
    return list(
        CouncilSetting.objects.filter(council=council)
        .order_by("id")
        .values_list("key", "year", "value", "is_reset", "reason")
    )


def test_settings_page_is_for_administrators_only(clients):
    run_permission_matrix(
        clients=clients,
        method="get",
        url="/c/city/admin/settings/",
        expectations=admin_only_page(),
        snapshot=lambda: 0,
    )


def test_settings_page_lists_every_setting_by_section_with_default_and_current_value(
    clients, cast, django_assert_num_queries
):
    change_setting(actor=cast.actor("admin"), key="reply_due_months", raw_value="4", reason="市委文件")
    change_setting(actor=cast.actor("admin"), key="reply_due_months", raw_value="5", year=2027, reason="试行")
    with django_assert_num_queries(8):
        response = clients["admin"].get("/c/city/admin/settings/")
    states = [state for section in response.context["sections"] for state in section["states"]]
    assert [s.spec.key for s in states] == [spec.key for spec in SPECS]
    assert len(response.context["sections"]) == len({spec.section for spec in SPECS})
    reply = next(s for s in states if s.spec.key == "reply_due_months")
    assert (reply.value, reply.is_default, reply.year_values) == (4, False, {2027: 5})
    lockout = next(s for s in states if s.spec.key == "lockout_failures")
    assert (lockout.value, lockout.is_default) == (5, True)


def test_settings_page_query_count_does_not_grow_with_history(clients, cast, django_assert_num_queries):
    for n in range(3, 10):
        change_setting(actor=cast.actor("admin"), key="lockout_failures", raw_value=n, reason="调整")
    with django_assert_num_queries(8):
        assert clients["admin"].get("/c/city/admin/settings/").status_code == 200


def test_changing_a_setting_is_for_administrators_only_and_keeps_history(clients, cast):
    data = {"value": "7", "reason": "按省里新规定"}
    run_permission_matrix(
        clients=clients,
        method="post",
        url=EDIT,
        data=data,
        expectations=admin_only(),
        snapshot=lambda: rows(cast.city),
        reset=lambda: CouncilSetting.objects.filter(council=cast.city).delete(),
    )
    clients["admin"].post(EDIT, data)
    assert get_setting(cast.city, "lockout_failures") == 7
    assert get_setting(cast.other_city, "lockout_failures") == 5
    event = Event.objects.filter(type="setting.changed", council=cast.city).last()
    assert event.data == {
        "key": "lockout_failures",
        "year": None,
        "old": 5,
        "new": 7,
        "reason": "按省里新规定",
    }
    assert AuditEntry.objects.filter(action="setting.change", username="admin").exists()


def test_history_shows_who_when_old_and_new_value_and_reason(clients, cast):
    clients["admin"].post(EDIT, {"value": "7", "reason": "第一次"})
    clients["admin"].post(EDIT, {"value": "8", "reason": "第二次"})
    response = clients["admin"].get(EDIT)
    history = list(response.context["history"])
    assert [(e.data["old"], e.data["new"], e.data["reason"], e.actor) for e in history] == [
        (7, 8, "第二次", cast.admin),
        (5, 7, "第一次", cast.admin),
    ]
    body = response.content.decode()
    assert "第二次" in body and "Admin" in body


def spec_message(key: str, value: str, language: str) -> str:
    with translation.override(language):
        try:
            SPECS_BY_KEY[key].clean(value)
        except ValueError as exc:
            return str(exc)
    raise AssertionError(f"{value!r} is valid for {key}")


@pytest.mark.parametrize(
    ("key", "value", "message"),
    [
        ("lockout_failures", "2", "The smallest allowed value is 3."),
        ("lockout_failures", "11", "The largest allowed value is 10."),
        ("lockout_failures", "五", "Enter a whole number."),
        ("reply_reminder_working_days", "15, x", "Enter whole numbers separated by commas."),
        ("feedback_missing_counts_as", "ignored", "Choose one of the listed options."),
    ],
)
def test_an_invalid_value_shows_the_settings_own_message_and_saves_nothing(
    clients, cast, key, value, message
):
    response = clients["admin"].post(f"/c/city/admin/settings/{key}/", {"value": value, "reason": "测试"})
    assert response.status_code == 400
    assert spec_message(key, value, "en") == message
    shown = spec_message(key, value, response.wsgi_request.LANGUAGE_CODE)  # the visitor's language
    assert response.context["form"].errors["value"] == [shown]
    assert shown in response.content.decode()
    assert rows(cast.city) == []


def test_a_change_without_a_reason_saves_nothing(clients, cast):
    response = clients["admin"].post(EDIT, {"value": "7", "reason": ""})
    assert response.status_code == 400
    assert response.context["form"].errors["reason"]
    assert rows(cast.city) == []


def test_a_value_for_one_year_applies_to_that_year_only(clients, cast):
    clients["admin"].post(EDIT, {"value": "8", "year": "2027", "reason": "试点"})
    assert get_setting(cast.city, "lockout_failures", year=2027) == 8
    assert get_setting(cast.city, "lockout_failures", year=2026) == 5
    assert get_setting(cast.city, "lockout_failures") == 5


def test_list_and_choice_settings_are_stored_as_their_type(clients, cast):
    url = "/c/city/admin/settings/reply_reminder_working_days/"
    clients["admin"].post(url, {"value": "5，20, 10", "reason": "加一次提醒"})
    assert get_setting(cast.city, "reply_reminder_working_days") == [20, 10, 5]
    url = "/c/city/admin/settings/cosigners_rate_replies/"
    clients["admin"].post(url, {"value": "true", "reason": "联名人也评价"})
    assert get_setting(cast.city, "cosigners_rate_replies") is True


def test_reset_to_default_is_for_administrators_only_and_recorded(clients, cast):
    def changed() -> None:
        CouncilSetting.objects.filter(council=cast.city).delete()
        change_setting(actor=cast.actor("admin"), key="lockout_failures", raw_value=8, reason="调整")

    changed()
    run_permission_matrix(
        clients=clients,
        method="post",
        url="/c/city/admin/settings/lockout_failures/reset/",
        data={"reason": "恢复默认"},
        expectations=admin_only(),
        snapshot=lambda: rows(cast.city),
        reset=changed,
    )
    clients["admin"].post("/c/city/admin/settings/lockout_failures/reset/", {"reason": "恢复默认"})
    assert get_setting(cast.city, "lockout_failures") == 5
    event = Event.objects.filter(type="setting.reset").last()
    assert (event.data["old"], event.data["new"], event.data["reason"]) == (8, 5, "恢复默认")
    assert AuditEntry.objects.filter(action="setting.reset").exists()
    # A new value after the reset applies again.
    change_setting(actor=cast.actor("admin"), key="lockout_failures", raw_value=9, reason="再调整")
    assert get_setting(cast.city, "lockout_failures") == 9


def test_resetting_one_year_falls_back_to_the_all_years_value(clients, cast):
    actor = cast.actor("admin")
    change_setting(actor=actor, key="reply_due_months", raw_value=4, reason="全局")
    change_setting(actor=actor, key="reply_due_months", raw_value=5, year=2027, reason="2027年")
    clients["admin"].post("/c/city/admin/settings/reply_due_months/reset/", {"year": "2027"})
    assert get_setting(cast.city, "reply_due_months", year=2027) == 4
    event = Event.objects.filter(type="setting.reset").last()
    assert (event.data["year"], event.data["old"], event.data["new"]) == (2027, 5, 4)


def test_an_unknown_setting_is_not_found(clients, cast):
    assert clients["admin"].get("/c/city/admin/settings/no_such_setting/").status_code == 404
    assert clients["admin"].post("/c/city/admin/settings/no_such_setting/reset/").status_code == 404
    assert rows(cast.city) == []


def test_every_setting_has_an_edit_page(clients):
    for spec in SPECS:
        response = clients["admin"].get(f"/c/city/admin/settings/{spec.key}/")
        assert response.status_code == 200, spec.key
        assert str(SPECS_BY_KEY[spec.key].label) in response.content.decode()


def test_lengths_of_time_read_as_minutes_not_meeting_minutes_in_chinese(clients):
    with override_settings(LANGUAGE_CODE="zh-hans"):
        page = parse_html(clients["admin"].get("/c/city/admin/settings/").content)
    rows = [row for row in page.find_all("tr") if row.attrs.get("data-testid", "").startswith("setting-")]
    # Each row: the setting's name, its default, its current value (values carry their unit).
    values = {row.attrs["data-testid"]: [cell.text for cell in row.find_all("td")[1:3]] for row in rows}
    assert values["setting-lockout_minutes"][0] == "15 分钟"
    assert not [key for key, shown in values.items() if any("纪要" in value for value in shown)]
