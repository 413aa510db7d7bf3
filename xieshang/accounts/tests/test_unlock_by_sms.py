"""The owner of a locked account lifts the lockout with a code sent by SMS to
the account's mobile number: the locked-out page links to it, the code
works once, five checks at most (counted in the database, also in
parallel), three codes an hour, and the pages never tell which accounts
exist or are locked. Both the codes and the unlocking are audited."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator

import pytest
import time_machine
from django.test import Client

from xieshang.accounts.models import UnlockCode
from xieshang.accounts.queries import has_login_failures
from xieshang.accounts.tests.factories import UserFactory
from xieshang.accounts.tests.lockout import WRONG_PASSWORD, lock, log_in
from xieshang.core.models import AuditEntry
from xieshang.core.sms import MemorySmsBackend
from xieshang.core.testing import run_in_threads

pytestmark = pytest.mark.django_db

MOBILE = "13812345678"
START = dt.datetime(2026, 11, 30, 9, 0, tzinfo=dt.UTC)
NOT_CORRECT = "The code is not correct."
TOO_MANY = "Too many wrong codes. Ask for a new one."


@pytest.fixture(autouse=True)
def outbox() -> Iterator[list]:
    MemorySmsBackend.outbox.clear()
    yield MemorySmsBackend.outbox
    MemorySmsBackend.outbox.clear()


@pytest.fixture
def ask_for_code(django_capture_on_commit_callbacks):
    """Post the first step as client; the SMS leaves when it commits."""

    def ask(client: Client, login: str) -> None:
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post("/accounts/unlock/", {"username": login})
        assert response.status_code == 302 and response["Location"] == "/accounts/unlock/code/"

    return ask


def at_code_step(login: str) -> Client:
    """A browser on the code page for login, as after the first step."""
    client = Client()
    session = client.session
    session["unlock_login"] = login
    session.save()
    return client


def sent_code() -> str:
    match = re.search(r"\d{6}", MemorySmsBackend.outbox[-1].text)
    assert match
    return match.group(0)


def other_than(code: str) -> str:
    return f"{(int(code) + 1) % 10**6:06d}"


@pytest.fixture
def locked():
    user = UserFactory(username="zhangsan", mobile=MOBILE)
    lock("zhangsan")
    return user


def test_the_locked_out_page_links_to_the_unlock_page_with_the_username(locked):
    page = log_in("zhangsan")
    assert page.status_code == 429
    assert 'href="/accounts/unlock/?username=zhangsan"' in page.content.decode()
    form = Client().get("/accounts/unlock/?username=zhangsan")
    assert 'value="zhangsan"' in form.content.decode()


def test_the_code_sent_to_the_mobile_unlocks_the_account_and_is_audited(locked, outbox, ask_for_code):
    client = Client()
    ask_for_code(client, "zhangsan")
    assert [m.to for m in outbox] == [MOBILE]
    response = client.post("/accounts/unlock/code/", {"code": sent_code()})
    assert response.status_code == 302 and response["Location"] == "/accounts/login/"
    assert log_in("zhangsan").status_code == 302
    sent = AuditEntry.objects.get(action="account_unlock_code")
    assert (sent.outcome, sent.username, sent.object_id) == ("ok", "zhangsan", str(locked.pk))
    unlocked = AuditEntry.objects.get(action="account_unlocked")
    assert (unlocked.user_id_copy, unlocked.data) == (locked.pk, {"method": "sms"})
    assert sent_code() not in str(list(AuditEntry.objects.values_list("data", flat=True)))


def test_the_mobile_number_names_the_account_too(locked, ask_for_code):
    client = Client()
    ask_for_code(client, MOBILE)
    client.post("/accounts/unlock/code/", {"code": sent_code()})
    assert log_in("zhangsan").status_code == 302


def test_a_wrong_code_is_refused_next_to_the_field_and_unlocks_nothing(locked, ask_for_code):
    client = Client()
    ask_for_code(client, "zhangsan")
    response = client.post("/accounts/unlock/code/", {"code": other_than(sent_code())})
    assert response.status_code == 400
    assert response.context["form"].errors["code"] == ["The code is not correct."]
    assert log_in("zhangsan").status_code == 429
    assert AuditEntry.objects.filter(action="account_unlock", outcome="failed").count() == 1
    assert not AuditEntry.objects.filter(action="account_unlocked").exists()


def test_after_five_wrong_codes_even_the_right_one_is_refused(locked, ask_for_code):
    client = Client()
    ask_for_code(client, "zhangsan")
    code = sent_code()
    for _ in range(5):
        client.post("/accounts/unlock/code/", {"code": other_than(code)})
    response = client.post("/accounts/unlock/code/", {"code": code})
    assert response.context["form"].errors["code"] == ["Too many wrong codes. Ask for a new one."]
    assert UnlockCode.objects.get().attempts == 5
    assert has_login_failures(locked)


def test_a_code_works_once(locked, ask_for_code):
    client = Client()
    ask_for_code(client, "zhangsan")
    code = sent_code()
    client.post("/accounts/unlock/code/", {"code": code})
    lock("zhangsan")
    again = at_code_step("zhangsan")
    assert again.post("/accounts/unlock/code/", {"code": code}).status_code == 400
    assert log_in("zhangsan").status_code == 429


def test_a_code_expires_after_ten_minutes(locked, ask_for_code):
    client = Client()
    with time_machine.travel(START, tick=False):
        ask_for_code(client, "zhangsan")
    with time_machine.travel(START + dt.timedelta(minutes=10, seconds=1), tick=False):
        response = client.post("/accounts/unlock/code/", {"code": sent_code()})
    assert response.context["form"].errors["code"] == ["The code has expired. Ask for a new one."]


def test_three_codes_an_hour_at_most(locked, outbox, ask_for_code):
    with time_machine.travel(START, tick=False):
        for _ in range(4):
            ask_for_code(Client(), "zhangsan")
        assert len(outbox) == 3
        assert AuditEntry.objects.filter(action="account_unlock_code", outcome="refused").count() == 1
    with time_machine.travel(START + dt.timedelta(hours=1, seconds=1), tick=False):
        ask_for_code(Client(), "zhangsan")
    assert len(outbox) == 4


@pytest.mark.parametrize("case", ["unknown", "no mobile", "not locked", "inactive"])
def test_no_code_is_sent_where_it_could_not_help_and_the_page_says_the_same(case, outbox, ask_for_code):
    if case != "unknown":
        UserFactory(
            username="zhangsan", mobile="" if case == "no mobile" else MOBILE, is_active=case != "inactive"
        )
    if case in ("no mobile", "inactive"):
        for _ in range(5):
            log_in("zhangsan", WRONG_PASSWORD)
    client = Client()
    ask_for_code(client, "zhangsan")
    page = client.get("/accounts/unlock/code/")
    assert page.status_code == 200
    assert "If the account “zhangsan” is locked and has a mobile number on record" in page.content.decode()
    assert outbox == []
    response = client.post("/accounts/unlock/code/", {"code": "123456"})
    assert response.context["form"].errors["code"] == ["The code is not correct."]
    assert not AuditEntry.objects.filter(action__startswith="account_unlock").exists()


def test_the_code_page_without_a_first_step_goes_back_to_it():
    response = Client().post("/accounts/unlock/code/", {"code": "123456"})
    assert response.status_code == 302 and response["Location"] == "/accounts/unlock/"


def test_a_code_that_is_not_six_digits_is_refused_before_any_check(locked, ask_for_code):
    client = Client()
    ask_for_code(client, "zhangsan")
    response = client.post("/accounts/unlock/code/", {"code": "12ab56"})
    assert response.status_code == 400
    assert response.context["form"].errors["code"] == ["Enter the digits only."]
    assert UnlockCode.objects.get().attempts == 0


@pytest.mark.django_db(transaction=True)
def test_parallel_wrong_codes_get_five_checks_and_no_more(outbox, ask_for_code):
    UserFactory(username="zhangsan", mobile=MOBILE)
    lock("zhangsan")
    ask_for_code(Client(), "zhangsan")
    wrong = other_than(sent_code())

    def guess() -> str:
        body = at_code_step("zhangsan").post("/accounts/unlock/code/", {"code": wrong}).content.decode()
        # Read from the page: the test client's captured contexts mix across threads.
        return next(m for m in (NOT_CORRECT, TOO_MANY) if m in body)

    answers = run_in_threads([guess] * 12)
    assert sorted(answers) == [NOT_CORRECT] * 5 + [TOO_MANY] * 7
    assert UnlockCode.objects.get().attempts == 5
