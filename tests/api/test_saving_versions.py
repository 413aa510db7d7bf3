"""core.versions: the database counts versions, and the saved object holds the count."""

from __future__ import annotations

import pytest

from conftest import Cast
from xieshang.core.errors import StaleEdit
from xieshang.core.versions import check_version, save_new_version
from xieshang.councils.models import Member

pytestmark = pytest.mark.django_db


def test_two_saves_from_two_reads_both_count_and_each_object_holds_the_stored_version(cast: Cast) -> None:
    first = Member.objects.get(pk=cast.member_record.pk)
    second = Member.objects.get(pk=cast.member_record.pk)
    save_new_version(first, update_fields=[])
    save_new_version(second, update_fields=[])
    assert (first.version, second.version) == (2, 3)
    assert Member.objects.get(pk=cast.member_record.pk).version == 3


def test_saving_only_named_fields_leaves_the_others_as_stored(cast: Cast) -> None:
    member = Member.objects.get(pk=cast.member_record.pk)
    Member.objects.filter(pk=member.pk).update(employer_title="已改")
    member.full_name = "李新"
    save_new_version(member, update_fields=["full_name"])
    stored = Member.objects.get(pk=member.pk)
    assert (stored.full_name, stored.employer_title, stored.version) == ("李新", "已改", 2)


def test_a_new_row_is_saved_as_its_first_version(cast: Cast) -> None:
    member = Member(council=cast.city, term=cast.term, full_name="孙新", gender="female")
    save_new_version(member)
    assert Member.objects.get(pk=member.pk).version == member.version == 1


def test_an_older_version_is_refused_and_none_skips_the_check(cast: Cast) -> None:
    member = cast.member_record
    check_version(member, None)
    check_version(member, member.version)
    with pytest.raises(StaleEdit):
        check_version(member, member.version - 1)
