"""Working days across the 2026 National Day holiday (official data from
chinese_calendar: 1–7 October off, Sunday 20 September and Saturday
10 October worked; Mid-Autumn 25–27 September off), council overrides, and
the weekday fallback for years the package does not know yet."""

from __future__ import annotations

import datetime as dt

import pytest

from xieshang.core.calendar import (
    add_working_days,
    calendar_is_official,
    calendar_warning,
    is_working_day,
    overrides_around,
    working_days_between,
)
from xieshang.core.models import CalendarOverride

D = dt.date


def test_the_2026_national_day_holiday_and_its_adjusted_weekends():
    assert calendar_is_official(2026)
    assert not any(is_working_day(D(2026, 10, day)) for day in range(1, 8))
    assert is_working_day(D(2026, 9, 20))  # a Sunday, worked
    assert is_working_day(D(2026, 10, 10))  # a Saturday, worked
    assert not is_working_day(D(2026, 9, 25))  # Mid-Autumn Festival, a Friday


@pytest.mark.parametrize(
    ("start", "days", "due"),
    [
        (D(2026, 9, 30), 0, D(2026, 9, 30)),
        (D(2026, 9, 30), 1, D(2026, 10, 8)),  # straight over the holiday
        (D(2026, 9, 30), 3, D(2026, 10, 10)),  # the worked Saturday counts
        (D(2026, 9, 30), 4, D(2026, 10, 12)),  # Sunday 11th does not
        (D(2026, 9, 19), 1, D(2026, 9, 20)),  # the worked Sunday counts
        (D(2026, 9, 24), 1, D(2026, 9, 28)),  # Mid-Autumn Friday and the weekend skipped
        (D(2026, 10, 8), -1, D(2026, 9, 30)),  # backwards over the holiday
        (D(2026, 10, 12), -2, D(2026, 10, 9)),  # backwards over the worked Saturday
    ],
)
def test_add_working_days_across_the_national_day_holiday(start, days, due):
    assert add_working_days(start, days) == due


def test_working_days_between_counts_after_start_up_to_end():
    assert working_days_between(D(2026, 9, 30), D(2026, 10, 10)) == 3
    assert working_days_between(D(2026, 10, 10), D(2026, 9, 30)) == -3
    assert working_days_between(D(2026, 10, 1), D(2026, 10, 7)) == 0
    assert working_days_between(D(2026, 9, 30), D(2026, 9, 30)) == 0


def test_adding_then_counting_gives_back_the_same_number():
    start = D(2026, 9, 15)
    for days in (1, 5, 10, 15, 25):
        assert working_days_between(start, add_working_days(start, days)) == days


@pytest.mark.django_db
def test_a_local_holiday_pushes_a_deadline_in_that_council_only(cast):
    CalendarOverride.objects.create(
        council=cast.city, date=D(2026, 10, 8), is_working_day=False, note="地方节日"
    )
    assert add_working_days(D(2026, 9, 30), 1, cast.city) == D(2026, 10, 9)
    assert add_working_days(D(2026, 9, 30), 1, cast.other_city) == D(2026, 10, 8)
    assert working_days_between(D(2026, 9, 30), D(2026, 10, 10), cast.city) == 2


@pytest.mark.django_db
def test_an_extra_working_day_pulls_a_deadline_forward(cast):
    CalendarOverride.objects.create(
        council=cast.city, date=D(2026, 10, 3), is_working_day=True, note="集中办公"
    )
    assert is_working_day(D(2026, 10, 3), cast.city)
    assert add_working_days(D(2026, 9, 30), 1, cast.city) == D(2026, 10, 3)
    assert add_working_days(D(2026, 10, 8), -1, cast.city) == D(2026, 10, 3)


@pytest.mark.django_db
def test_beyond_the_official_data_weekdays_and_overrides_decide(cast):
    assert not calendar_is_official(2027)
    assert is_working_day(D(2027, 1, 1))  # a Friday; its holiday is not known yet
    assert add_working_days(D(2027, 1, 1), 1) == D(2027, 1, 4)  # weekend skipped
    CalendarOverride.objects.create(council=cast.city, date=D(2027, 1, 4), is_working_day=False)
    CalendarOverride.objects.create(council=cast.city, date=D(2027, 1, 9), is_working_day=True)
    assert add_working_days(D(2027, 1, 1), 1, cast.city) == D(2027, 1, 5)
    assert working_days_between(D(2027, 1, 1), D(2027, 1, 10), cast.city) == 5  # 5–9 January


@pytest.mark.django_db
def test_pages_are_warned_only_for_years_without_official_data(cast):
    assert calendar_warning(cast.city, 2026) is None
    warning = calendar_warning(cast.city, 2027)
    assert warning is not None and "2027" in warning
    CalendarOverride.objects.create(council=cast.city, date=D(2027, 2, 10), is_working_day=False)
    assert "1" in calendar_warning(cast.city, 2027)
    assert calendar_warning(cast.city, 2027) != warning


def test_dates_at_the_edge_of_the_calendar_give_a_value_error_not_a_crash():
    with pytest.raises(ValueError):
        add_working_days(dt.date(9999, 12, 30), 10)
    with pytest.raises(ValueError):
        add_working_days(dt.date(1, 1, 3), -10)
    # Near the edge but inside it still works.
    assert add_working_days(dt.date(9999, 12, 20), 3) > dt.date(9999, 12, 20)


def test_counting_with_overrides_read_once_gives_the_same_answers(cast, django_assert_num_queries):
    council = cast.city
    CalendarOverride.objects.create(council=council, date=D(2026, 11, 20), is_working_day=False)
    today = D(2026, 11, 16)
    known = overrides_around(council, today)
    ends = [D(2026, 11, 18), D(2026, 11, 23), D(2026, 12, 31), D(2026, 10, 8)]
    with django_assert_num_queries(0):
        counted = [working_days_between(today, end, council, known=known) for end in ends]
    assert counted == [working_days_between(today, end, council) for end in ends]
    assert counted[1] == 4  # Tue–Thu and Mon; the local holiday on Friday the 20th does not count


def test_a_range_the_preloaded_overrides_do_not_cover_is_read_from_the_table(cast, django_assert_num_queries):
    council = cast.city
    CalendarOverride.objects.create(council=council, date=D(2029, 3, 5), is_working_day=False)
    today = D(2026, 11, 16)
    known = overrides_around(council, today, days=30)
    with django_assert_num_queries(1):
        far = working_days_between(today, D(2029, 3, 6), council, known=known)
    assert far == working_days_between(today, D(2029, 3, 6), council)
    assert far == working_days_between(today, D(2029, 3, 6)) - 1
