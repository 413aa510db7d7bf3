"""Background work of the accounts app: forgetting the throttle's address
rows and the unlock codes once nothing reads them. Safe to run twice."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.tasks import task
from django.utils import timezone

from xieshang.accounts.models import AddressThrottle, UnlockCode

# Kept a day past their use, for whoever looks into an incident meanwhile.
KEEP_FOR = dt.timedelta(days=1)


@task()
def forget_stale_login_records() -> int:
    """Delete address rows whose window ended, and unlock codes that expired,
    more than KEEP_FOR ago; return how many rows went. (Many addresses fail
    once and never again: without this the table only grows.)"""
    now = timezone.now()
    window = dt.timedelta(minutes=settings.LOGIN_ADDRESS_WINDOW_MINUTES)
    stale = now - window - KEEP_FOR
    addresses, _ = AddressThrottle.objects.filter(
        window_started_at__lt=stale, last_attempt_at__lt=stale
    ).delete()
    codes, _ = UnlockCode.objects.filter(expires_at__lt=now - KEEP_FOR).delete()
    return addresses + codes
