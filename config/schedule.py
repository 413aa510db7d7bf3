"""The periodic jobs `manage.py run_scheduler` enqueues.

config is the top layer, so it may import any app's tasks. Each entry's task
takes no arguments and must be idempotent (see docs/adr/0002-background-work.md).
Apps add their sweeps (deadline reminders, overdue flags) here.
"""

from __future__ import annotations

import datetime as dt

from xieshang.accounts.tasks import forget_stale_login_records
from xieshang.consultations.tasks import sweep_consultations
from xieshang.core.scheduler import Periodic
from xieshang.core.tasks import purge_form_submissions, purge_unattached_attachments, retry_failed_deliveries
from xieshang.duty.tasks import rebuild_all_duty_records
from xieshang.liaison.tasks import send_concern_reminders
from xieshang.meetings.tasks import send_meeting_notices
from xieshang.proposals.tasks import send_reply_reminders
from xieshang.supervision.tasks import send_supervision_reminders
from xieshang.surveys.tasks import sweep_surveys

SCHEDULE: list[Periodic] = [
    # Surveys past their closing time are closed, and those who have not
    # answered are reminded once, the configured days before the close.
    Periodic("surveys.sweep_surveys", sweep_surveys, every=dt.timedelta(minutes=15)),
    Periodic("core.retry_failed_deliveries", retry_failed_deliveries, every=dt.timedelta(minutes=15)),
    Periodic("core.purge_unattached_attachments", purge_unattached_attachments, every=dt.timedelta(hours=1)),
    Periodic("accounts.forget_stale_login_records", forget_stale_login_records, every=dt.timedelta(hours=1)),
    # Form posts are remembered for half an hour against double submission.
    Periodic("core.purge_form_submissions", purge_form_submissions, every=dt.timedelta(hours=1)),
    # Reminders before reply deadlines and on overdue; hourly is enough for a daily
    # threshold, and dedupe keys make repeats harmless.
    Periodic("proposals.send_reply_reminders", send_reply_reminders, every=dt.timedelta(hours=1)),
    # Meeting notices go out on their day (working days before the start) and
    # ended meetings are closed; every 15 minutes so a notice is not late by hours.
    Periodic("meetings.send_meeting_notices", send_meeting_notices, every=dt.timedelta(minutes=15)),
    # Duty records follow each event within a minute (duty/refresh.py); the
    # nightly full rebuild takes in what no event announces (rules changed,
    # corrections), and a rebuild is idempotent.
    Periodic("duty.rebuild_all_duty_records", rebuild_all_duty_records, every=dt.timedelta(days=1)),
    # Concerns from liaison visits: reminders before the due date and overdue
    # flags; hourly like the proposals sweep, repeats are harmless.
    Periodic("liaison.send_concern_reminders", send_concern_reminders, every=dt.timedelta(hours=1)),
    # Consultations: plan items past their decision date without consultation,
    # late minutes and outcome follow-ups; each message once (dedupe keys), so
    # hourly costs nothing and a missed run is made up.
    Periodic("consultations.sweep_consultations", sweep_consultations, every=dt.timedelta(hours=1)),
    # Supervision recommendations and letters: reminders before the due date
    # and overdue flags; hourly, repeats are harmless.
    Periodic("supervision.send_reminders", send_supervision_reminders, every=dt.timedelta(hours=1)),
]
