"""The audit chain: verify_audit finds changed, removed and truncated rows,
and appends (also concurrent and rolled-back ones) keep the chain valid."""

from __future__ import annotations

import threading
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, transaction

from xieshang.core.audit import audit, verify_chain
from xieshang.core.models import AuditEntry, AuditHead

pytestmark = pytest.mark.django_db


def _entries(cast, n: int = 5) -> list[AuditEntry]:
    return [audit("member.update", user=cast.admin, council=cast.city, data={"n": i}) for i in range(n)]


def _verify() -> tuple[int, str]:
    out = StringIO()
    try:
        call_command("verify_audit", stdout=out)
    except CommandError as error:
        assert error.returncode == 1
        return 1, out.getvalue()
    return 0, out.getvalue()


def test_an_intact_chain_is_reported_with_the_number_checked(cast):
    _entries(cast)
    assert _verify() == (0, "5 entries checked: intact\n")


def test_an_empty_log_is_intact():
    assert _verify() == (0, "0 entries checked: intact\n")


def test_a_changed_row_is_found_at_its_id(cast):
    entries = _entries(cast)
    AuditEntry.objects.filter(pk=entries[2].pk).update(data={"n": 99})
    code, output = _verify()
    assert code == 1
    assert f"BROKEN at entry {entries[2].pk}" in output
    assert "changed" in output
    assert "2 entries checked" in output


def test_a_changed_user_name_is_found_too(cast):
    entries = _entries(cast)
    AuditEntry.objects.filter(pk=entries[0].pk).update(username="someone-else")
    assert verify_chain().broken_id == entries[0].pk


def test_a_removed_middle_row_is_found_at_the_next_id(cast):
    entries = _entries(cast)
    AuditEntry.objects.filter(pk=entries[2].pk).delete()
    code, output = _verify()
    assert code == 1
    assert f"BROKEN at entry {entries[3].pk}" in output
    assert "removed" in output


def test_a_removed_first_row_is_found(cast):
    entries = _entries(cast)
    AuditEntry.objects.filter(pk=entries[0].pk).delete()
    assert verify_chain().broken_id == entries[1].pk


def test_rows_removed_from_the_end_are_found_through_the_head(cast):
    entries = _entries(cast)
    AuditEntry.objects.filter(pk__in=[e.pk for e in entries[-2:]]).delete()
    report = verify_chain()
    assert not report.intact
    assert report.checked == 3
    assert f"after #{entries[2].pk}" in report.reason
    assert _verify()[0] == 1


def test_removing_every_row_is_found_through_the_head(cast):
    _entries(cast)
    AuditEntry.objects.all().delete()
    assert not verify_chain().intact


def test_an_append_rolled_back_with_its_write_leaves_the_chain_valid(cast):
    class Failure(Exception):
        pass

    for i in range(6):
        if i % 2:
            with pytest.raises(Failure), transaction.atomic():
                audit("member.update", user=cast.admin, council=cast.city, data={"i": i})
                raise Failure
        else:
            audit("member.update", user=cast.staff, council=cast.city, data={"i": i})
    report = verify_chain()
    assert (report.intact, report.checked) == (True, 3)
    assert AuditHead.objects.get().count == 3


@pytest.mark.django_db(transaction=True)
def test_appends_from_several_threads_keep_one_valid_chain(cast):
    errors: list[BaseException] = []

    def writer(k: int) -> None:
        try:
            for i in range(8):
                with transaction.atomic():
                    audit("login", user=cast.member, council=cast.city, data={"thread": k, "i": i})
        except BaseException as error:  # reported by the assertion below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=writer, args=(k,)) for k in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    report = verify_chain()
    assert (report.intact, report.checked) == (True, 32)
