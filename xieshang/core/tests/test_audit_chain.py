"""The audit chain: verify_audit finds changed, removed and truncated rows,
and appends (also concurrent and rolled-back ones) keep the chain valid."""

from __future__ import annotations

import threading
from collections.abc import Callable
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, transaction

from xieshang.core.audit import ChainReport, audit, compute_hash, verify_chain
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


def test_a_row_added_behind_the_heads_back_is_found(cast):
    entries = _entries(cast)
    forged = AuditEntry(
        created_at=entries[-1].created_at,
        action="login",
        username="nobody",
        data={},
        prev_hash=entries[-1].hash,
    )
    forged.hash = compute_hash(forged.prev_hash, forged)
    forged.save()
    report = verify_chain()
    assert (report.intact, report.checked, report.broken_id) == (False, 6, forged.pk)
    assert "added outside the log" in report.reason


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


def _swap(first: AuditEntry, second: AuditEntry) -> None:
    fields = [f.name for f in AuditEntry._meta.concrete_fields if f.name != "id"]
    # The unique hash column needs a free value while the two rows swap.
    AuditEntry.objects.filter(pk=first.pk).update(hash="swapping")
    AuditEntry.objects.filter(pk=second.pk).update(**{f: getattr(first, f) for f in fields})
    AuditEntry.objects.filter(pk=first.pk).update(**{f: getattr(second, f) for f in fields})


def test_two_rows_swapped_in_place_are_found_at_the_first(cast):
    """Reordering: the rows keep their ids but exchange their contents."""
    entries = _entries(cast)
    first = entries[1]
    _swap(first, entries[2])
    report = verify_chain()
    assert (report.intact, report.broken_id, report.checked) == (False, first.pk, 1)
    assert "reordered" in report.reason


# --- Verifying while others write -------------------------------------------------


def _while_writing(cast, check: Callable[[], ChainReport], rounds: int) -> list[ChainReport]:
    """Run check() rounds times while three threads keep appending entries."""
    stop = threading.Event()
    errors: list[BaseException] = []

    def writer(k: int) -> None:
        try:
            while not stop.is_set():
                audit("login", user=cast.member, council=cast.city, data={"thread": k})
        except BaseException as error:  # reported by the assertion below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=writer, args=(k,)) for k in range(3)]
    for thread in threads:
        thread.start()
    try:
        reports = [check() for _ in range(rounds)]
    finally:
        stop.set()
        for thread in threads:
            thread.join()
    assert errors == []
    return reports


@pytest.mark.django_db(transaction=True)
def test_a_whole_chain_stays_intact_while_entries_are_written(cast):
    """The entries and the head are read in one snapshot: an append committed
    between the two reads must not look like a truncation."""
    _entries(cast, 300)
    reports = _while_writing(cast, verify_chain, rounds=8)
    assert [(r.checked, r.reason) for r in reports if not r.intact] == []
    assert all(r.checked >= 300 for r in reports)
    final = verify_chain()
    assert final.intact
    assert final.checked > reports[0].checked


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("tampering", ["truncate", "edit", "reorder"])
def test_tampering_is_reported_while_entries_are_written(cast, tampering):
    entries = _entries(cast, 50)
    if tampering == "truncate":
        # The tail removed, and the head left as it was (a later append would
        # chain onto the removed hash, which the walk reports as a removed row).
        AuditEntry.objects.filter(pk__gte=entries[45].pk).delete()
        expected = "removed"
    elif tampering == "edit":
        AuditEntry.objects.filter(pk=entries[20].pk).update(username="someone-else")
        expected = "changed"
    else:
        _swap(entries[20], entries[21])
        expected = "reordered"
    reports = _while_writing(cast, verify_chain, rounds=4)
    assert [r.intact for r in reports] == [False] * 4
    assert all(expected in r.reason for r in reports)
    if tampering != "truncate":
        assert {r.broken_id for r in reports} == {entries[20].pk}
