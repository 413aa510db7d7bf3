"""Council administrators lift the login lockout of an account with a role in
their council: the member's page and the roles page show the lock and an
Unlock button; the unlocking is audited; nobody else can, and an account of
another council is not found."""

from __future__ import annotations

import pytest
from axes.models import AccessAttempt

from xieshang.accounts.queries import has_login_failures
from xieshang.accounts.tests.lockout import lock, log_in
from xieshang.core.models import AuditEntry
from xieshang.core.testing import (
    Expect,
    assert_nothing_changed,
    assert_same_not_found,
    refused_except,
    run_permission_matrix,
    snapshot_rows,
)

pytestmark = pytest.mark.django_db


def unlock_url(user_id: int, council: str = "city") -> str:
    return f"/c/{council}/admin/accounts/{user_id}/unlock/"


def member_page(cast) -> str:
    return f"/c/city/members/{cast.member_record.pk}/"


def test_the_member_page_shows_the_lock_and_the_button_to_administrators(cast, clients):
    assert 'data-testid="account-locked"' not in clients["admin"].get(member_page(cast)).content.decode()
    lock("member")
    page = clients["admin"].get(member_page(cast)).content.decode()
    assert 'data-testid="account-locked"' in page
    assert f'action="{unlock_url(cast.member.pk)}"' in page
    # Staff manage members, not accounts: no button for them.
    assert 'data-testid="account-unlock"' not in clients["staff"].get(member_page(cast)).content.decode()


def test_unlocking_from_the_member_page_lets_the_member_log_in_and_is_audited(cast, clients):
    lock("member")
    response = clients["admin"].post(unlock_url(cast.member.pk), {"next": member_page(cast)})
    assert response.status_code == 302 and response["Location"] == member_page(cast)
    assert log_in("member").status_code == 302
    entry = AuditEntry.objects.get(action="account_unlocked")
    assert (entry.user_id_copy, entry.council_slug, entry.object_id) == (
        cast.admin.pk,
        "city",
        str(cast.member.pk),
    )
    assert entry.data == {"method": "administrator", "for_user": "member"}


def test_the_roles_page_shows_a_locked_account_with_its_button(cast, clients):
    lock("staff")
    page = clients["admin"].get("/c/city/admin/roles/").content.decode()
    assert f'action="{unlock_url(cast.staff.pk)}"' in page
    assert f'action="{unlock_url(cast.leader.pk)}"' not in page
    response = clients["admin"].post(unlock_url(cast.staff.pk))
    assert response["Location"] == "/c/city/admin/roles/"
    assert not has_login_failures(cast.staff)


def test_only_administrators_unlock(cast, clients):
    lock("member")
    run_permission_matrix(
        clients=clients,
        method="post",
        url=unlock_url(cast.member.pk),
        expectations=refused_except(
            {"admin": Expect(302, changes=True), "platform": Expect(302, changes=True)}
        ),
        snapshot=snapshot_rows(
            AccessAttempt.objects.filter(username="member"),
            AuditEntry.objects.filter(action="account_unlocked"),
        ),
        reset=lambda: lock("member"),
    )


def test_an_account_without_a_role_here_is_not_found(cast, clients):
    lock("outsider")
    with assert_nothing_changed(AccessAttempt.objects.filter(username="outsider")):
        assert_same_not_found(
            clients["admin"], unlock_url(cast.outsider.pk), unlock_url(999999), method="post"
        )
    assert has_login_failures(cast.outsider)
