"""Background work: the real database worker delivers notifications, and the
scheduler enqueues each periodic job once per slot, however often it runs."""

from __future__ import annotations

import datetime as dt
import inspect
import logging
import signal

import pytest
from django.core import mail
from django.core.management import call_command
from django.tasks import task_backends
from django.test import override_settings

from config import schedule
from xieshang.core.models import NotificationDelivery, PeriodicRun
from xieshang.core.notifications import notify
from xieshang.core.scheduler import Periodic, run_due, slot_start
from xieshang.core.tasks import retry_failed_deliveries

DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
DUMMY_TASKS = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}


@pytest.fixture
def restore_worker_side_effects():
    """db_worker installs its own SIGINT/SIGTERM handlers and sets its
    loggers' levels; put ours back."""
    signals = {s: signal.getsignal(s) for s in (signal.SIGINT, signal.SIGTERM, signal.SIGQUIT)}
    loggers = {name: logging.getLogger(name) for name in ("django.tasks", "django_tasks_db")}
    levels = {name: (log.level, list(log.handlers)) for name, log in loggers.items()}
    yield
    for sig, handler in signals.items():
        signal.signal(sig, handler)
    for name, log in loggers.items():
        log.setLevel(levels[name][0])
        log.handlers[:] = levels[name][1]


@pytest.mark.django_db(transaction=True)
@override_settings(TASKS=DATABASE_TASKS)
def test_the_database_worker_delivers_an_enqueued_notification(cast, restore_worker_side_effects):
    from django_tasks_db.models import DBTaskResult

    cast.member.email = "member@example.com"
    cast.member.save()
    # Outside a transaction on_commit runs at once: the task row is written now.
    (row,) = notify(recipients=[cast.member], council=cast.city, title="常委会会议通知", channels=["email"])
    assert DBTaskResult.objects.count() == 1
    assert mail.outbox == []  # enqueued, not sent in the request

    call_command("db_worker", "--batch", "--no-startup-delay", "--interval", "0", verbosity=0)

    assert [m.to for m in mail.outbox] == [["member@example.com"]]
    assert NotificationDelivery.objects.get(notification=row).status == NotificationDelivery.Status.SENT
    assert DBTaskResult.objects.get().status == "SUCCESSFUL"


def _enqueued(name: str = "retry_failed_deliveries") -> int:
    return [result.task.name for result in task_backends["default"].results].count(name)


@pytest.mark.django_db
@override_settings(TASKS=DUMMY_TASKS)
def test_run_scheduler_twice_in_one_slot_enqueues_once_then_again_after_every(time_machine):
    (job,) = [j for j in schedule.SCHEDULE if j.name == "core.retry_failed_deliveries"]
    start = slot_start(dt.datetime(2026, 11, 2, 9, 0, tzinfo=dt.UTC), job.every) + dt.timedelta(seconds=1)
    time_machine.move_to(start, tick=False)

    call_command("run_scheduler", "--once", verbosity=0)
    call_command("run_scheduler", "--once", verbosity=0)
    assert _enqueued() == 1

    time_machine.move_to(start + job.every - dt.timedelta(seconds=2), tick=False)
    call_command("run_scheduler", "--once", verbosity=0)
    assert _enqueued() == 1

    time_machine.move_to(start + job.every, tick=False)
    call_command("run_scheduler", "--once", verbosity=0)
    assert _enqueued() == 2
    assert PeriodicRun.objects.get(name=job.name).runs == 2


def test_every_scheduled_job_is_a_task_that_takes_no_arguments():
    names = [job.name for job in schedule.SCHEDULE]
    assert len(names) == len(set(names))
    for job in schedule.SCHEDULE:
        assert callable(job.task.enqueue)
        assert inspect.signature(job.task.func).parameters == {}


@pytest.mark.django_db
@override_settings(TASKS=DUMMY_TASKS)
def test_a_second_scheduler_that_read_the_row_earlier_does_not_enqueue_the_slot_again(monkeypatch):
    job = Periodic("test.job", retry_failed_deliveries, every=dt.timedelta(minutes=5))
    now = dt.datetime(2026, 11, 2, 9, 1, tzinfo=dt.UTC)
    assert run_due([job], now=now) == ["test.job"]
    # The other scheduler read the row before the first one wrote it: it
    # believes the job never ran. Its compare-and-swap must find nothing.
    stale = PeriodicRun(name="test.job", last_enqueued_at=None)
    monkeypatch.setattr(PeriodicRun.objects, "get_or_create", lambda **kwargs: (stale, False))
    assert run_due([job], now=now) == []
    assert _enqueued() == 1
    assert PeriodicRun.objects.get(name="test.job").runs == 1


def test_a_periodic_job_needs_a_positive_interval():
    with pytest.raises(ValueError, match="once a second"):
        Periodic("x", retry_failed_deliveries, every=dt.timedelta(0))
