"""The council's calendar page: its own exceptions to the official calendar,
the next 30 days, and a warning where the official data ends. Permission
MANAGE_CALENDAR: admin and the platform administrator."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from xieshang.core.calendar import add_working_days, calendar_is_official, is_working_day
from xieshang.core.models import AuditEntry, CalendarOverride, Event
from xieshang.core.testing import run_permission_matrix
from xieshang.councils.tests.expectations import admin_only, admin_only_page

pytestmark = pytest.mark.django_db

PAGE = "/c/city/admin/calendar/"
ADD = "/c/city/admin/calendar/add/"

# A year the official data covers: 2025-10-01..08 is the National Day holiday,
# 2025-09-28 (Sunday) and 2025-10-11 (Saturday) adjusted working days.
OFFICIAL_TODAY = dt.datetime(2025, 9, 26, 9, 0, tzinfo=dt.UTC)


def overrides(council) -> list[tuple]:
    return list(
        CalendarOverride.objects.filter(council=council)
        .order_by("date")
        .values_list("date", "is_working_day", "note")
    )


def test_calendar_page_is_for_administrators_only(clients):
    run_permission_matrix(
        clients=clients, method="get", url=PAGE, expectations=admin_only_page(), snapshot=lambda: 0
    )


@time_machine.travel(OFFICIAL_TODAY, tick=False)
def test_adding_a_local_holiday_is_for_administrators_only_and_moves_deadlines(clients, cast):
    data = {"date": "2025-09-30", "is_working_day": "false", "note": "本市防汛调休"}
    run_permission_matrix(
        clients=clients,
        method="post",
        url=ADD,
        data=data,
        expectations=admin_only(),
        snapshot=lambda: overrides(cast.city),
        reset=lambda: CalendarOverride.objects.filter(council=cast.city).delete(),
    )
    assert add_working_days(dt.date(2025, 9, 29), 1, cast.city) == dt.date(2025, 9, 30)
    clients["admin"].post(ADD, data)
    assert overrides(cast.city) == [(dt.date(2025, 9, 30), False, "本市防汛调休")]
    assert not is_working_day(dt.date(2025, 9, 30), cast.city)
    assert is_working_day(dt.date(2025, 9, 30), cast.other_city)
    # The next working day after Monday 29 September is now Thursday 9 October, after National Day.
    assert add_working_days(dt.date(2025, 9, 29), 1, cast.city) == dt.date(2025, 10, 9)
    row = CalendarOverride.objects.get(council=cast.city)
    assert Event.objects.filter(type="calendar.override_added", object_id=row.pk, council=cast.city).exists()
    assert AuditEntry.objects.filter(action="calendar.add_override", object_id=str(row.pk)).exists()


@time_machine.travel(OFFICIAL_TODAY, tick=False)
def test_an_extra_working_day_on_a_holiday(clients, cast):
    data = {"date": "2025-10-08", "is_working_day": "true", "note": "市政协全会"}
    assert clients["admin"].post(ADD, data).status_code == 302
    assert is_working_day(dt.date(2025, 10, 8), cast.city)


@pytest.mark.parametrize(
    "data",
    [
        {"date": "2025-10-04", "is_working_day": "false"},  # already a holiday
        {"date": "2025-09-29", "is_working_day": "true"},  # already a working day
        {"date": "2025-09-28", "is_working_day": "true"},  # adjusted working Sunday
        {"date": "", "is_working_day": "false"},
        {"date": "2025-09-30", "is_working_day": "maybe"},
    ],
)
@time_machine.travel(OFFICIAL_TODAY, tick=False)
def test_an_exception_that_changes_nothing_or_is_incomplete_is_refused(clients, cast, data):
    response = clients["admin"].post(ADD, data)
    assert response.status_code == 400
    assert response.context["form"].errors
    assert overrides(cast.city) == []


@time_machine.travel(OFFICIAL_TODAY, tick=False)
def test_a_day_has_at_most_one_exception(clients, cast):
    assert clients["admin"].post(ADD, {"date": "2025-09-30", "is_working_day": "false"}).status_code == 302
    response = clients["admin"].post(ADD, {"date": "2025-09-30", "is_working_day": "false", "note": "再次"})
    assert response.status_code == 400
    assert response.context["form"].errors["date"]
    assert overrides(cast.city) == [(dt.date(2025, 9, 30), False, "")]


@time_machine.travel(OFFICIAL_TODAY, tick=False)
def test_removing_an_exception_is_for_administrators_only(clients, cast):
    def add() -> None:
        CalendarOverride.objects.create(council=cast.city, date=dt.date(2025, 9, 30), is_working_day=False)

    add()
    run_permission_matrix(
        clients=clients,
        method="post",
        url=lambda: f"/c/city/admin/calendar/{CalendarOverride.objects.get(council=cast.city).pk}/remove/",
        expectations=admin_only(),
        snapshot=lambda: overrides(cast.city),
        reset=add,
    )
    assert Event.objects.filter(type="calendar.override_removed").count() == 2
    assert AuditEntry.objects.filter(action="calendar.remove_override").count() == 2


def test_an_exception_of_another_council_is_not_found_and_kept(clients, cast):
    foreign = CalendarOverride.objects.create(
        council=cast.other_city, date=dt.date(2025, 9, 30), is_working_day=False
    )
    assert clients["admin"].post(f"/c/city/admin/calendar/{foreign.pk}/remove/").status_code == 404
    assert overrides(cast.other_city) == [(dt.date(2025, 9, 30), False, "")]


@time_machine.travel(OFFICIAL_TODAY, tick=False)
def test_preview_marks_the_next_30_days_with_holidays_and_exceptions(
    clients, cast, django_assert_num_queries
):
    CalendarOverride.objects.create(
        council=cast.city, date=dt.date(2025, 9, 29), is_working_day=False, note="本地"
    )
    CalendarOverride.objects.create(council=cast.other_city, date=dt.date(2025, 9, 30), is_working_day=False)
    with django_assert_num_queries(8):
        response = clients["admin"].get(PAGE)
    preview = response.context["preview"]
    assert len(preview) == 30
    days = {day["date"]: day for day in preview}
    assert preview[0]["date"] == dt.date(2025, 9, 26)
    assert days[dt.date(2025, 9, 28)]["is_working_day"]  # adjusted working Sunday
    assert not days[dt.date(2025, 9, 29)]["is_working_day"]  # the council's own day off
    assert days[dt.date(2025, 9, 29)]["override"].note == "本地"
    assert days[dt.date(2025, 9, 30)]["is_working_day"]  # the other city's exception is not ours
    assert not days[dt.date(2025, 10, 1)]["is_working_day"]  # National Day
    assert [row.date for row in response.context["overrides"]] == [dt.date(2025, 9, 29)]


def first_unofficial_year() -> int:
    year = 2024
    while calendar_is_official(year):
        year += 1
    return year


def test_a_warning_shows_when_the_next_year_has_no_official_calendar(clients):
    year = first_unofficial_year()
    with time_machine.travel(dt.datetime(year - 1, 6, 1, tzinfo=dt.UTC), tick=False):
        response = clients["admin"].get(PAGE)
    assert response.context["unofficial_years"] == [year]
    assert 'data-testid="calendar-warning"' in response.content.decode()
    assert str(year) in response.content.decode()


def test_no_warning_while_this_and_next_year_are_official(clients):
    year = first_unofficial_year()
    with time_machine.travel(dt.datetime(year - 2, 6, 1, tzinfo=dt.UTC), tick=False):
        response = clients["admin"].get(PAGE)
    assert response.context["unofficial_years"] == []
    assert 'data-testid="calendar-warning"' not in response.content.decode()


def test_a_year_beyond_the_official_data_warns_for_itself_too(clients, cast):
    year = first_unofficial_year()
    with time_machine.travel(dt.datetime(year, 3, 1, tzinfo=dt.UTC), tick=False):
        # Log in again: the session started today would have expired by then.
        clients["admin"].force_login(cast.admin, backend="xieshang.accounts.backends.UsernameOrMobileBackend")
        response = clients["admin"].get(PAGE)
    assert response.context["unofficial_years"] == [year, year + 1]
