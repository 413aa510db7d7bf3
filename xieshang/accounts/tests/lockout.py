"""Locking an account through the real login page, for tests of unlocking."""

from __future__ import annotations

import itertools

from django.test import Client

from xieshang.accounts.tests.factories import PASSWORD

WRONG_PASSWORD = "wrong-Password-1"
# Each try from its own address, so that the throttle per address (tested in
# test_address_throttle.py) never answers instead of the account's lockout.
_addresses = (f"10.1.{n // 250 % 250}.{n % 250 + 1}" for n in itertools.count())


def log_in(login: str, password: str = PASSWORD):  # type: ignore[no-untyped-def]
    data = {"username": login, "password": password}
    return Client().post("/accounts/login/", data, REMOTE_ADDR=next(_addresses))


def lock(login: str) -> None:
    """Fail five times (the default limit), and check that even the right
    password is now refused with the locked-out page."""
    for _ in range(5):
        log_in(login, WRONG_PASSWORD)
    locked_out = log_in(login)
    assert locked_out.status_code == 429
    assert 'data-testid="locked-out"' in locked_out.content.decode()
