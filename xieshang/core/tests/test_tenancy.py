"""Tenant scoping from URL to query: the same 404 for missing and forbidden."""

from __future__ import annotations

import pytest

from xieshang.core.models import AuditEntry
from xieshang.core.testing import assert_same_not_found

pytestmark = pytest.mark.django_db


def test_home_shows_my_work_for_each_role_in_the_council(clients):
    for name in ("admin", "staff", "leader", "member", "liaison", "oversight", "platform"):
        response = clients[name].get("/c/city/")
        assert response.status_code == 200, name
        assert "某某市政协" in response.content.decode()


def test_outsider_gets_the_same_404_as_for_a_missing_council(clients):
    assert_same_not_found(clients["outsider"], "/c/city/", "/c/no-such-council/")


def test_anonymous_is_sent_to_login(clients):
    response = clients["anonymous"].get("/c/city/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_upper_council_staff_see_lower_aggregates_but_not_members(clients, cast):
    assert clients["upper"].get("/c/city/aggregates/").status_code == 200
    before = AuditEntry.objects.filter(action="permission_denied").count()
    assert clients["upper"].get("/c/city/").status_code == 403
    assert AuditEntry.objects.filter(action="permission_denied").count() == before + 1


def test_county_is_invisible_to_the_other_city(clients):
    assert clients["outsider"].get("/c/county/aggregates/").status_code == 404
