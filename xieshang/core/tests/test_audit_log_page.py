"""The audit log page: council administrators see their own council's
entries only, can filter and page through them, and export them (audited)."""

from __future__ import annotations

import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from xieshang.core.audit import audit
from xieshang.core.models import AuditEntry
from xieshang.core.testing import Expect, run_permission_matrix

pytestmark = pytest.mark.django_db

URL = "/c/city/audit/"


@pytest.fixture
def entries(cast):
    audit("member.create", user=cast.staff, council=cast.city, data={"name": "李委员"})
    audit("member.update", user=cast.admin, council=cast.city, data={"fields": ["mobile"]})
    audit("member.create", user=cast.outsider, council=cast.other_city, data={"name": "外市委员"})


def test_only_council_administrators_may_read_the_audit_log(clients, entries):
    def snapshot():
        return list(AuditEntry.objects.exclude(action="permission_denied").values_list("id", flat=True))

    run_permission_matrix(
        clients=clients,
        method="get",
        url=URL,
        snapshot=snapshot,
        expectations={
            "admin": Expect(200),
            "platform": Expect(200),
            "staff": Expect(403),
            "leader": Expect(403),
            "member": Expect(403),
            "liaison": Expect(403),
            "oversight": Expect(403),
            "upper": Expect(403),
            "outsider": Expect(404),
            "anonymous": Expect(302),
        },
    )


def test_the_log_shows_this_councils_entries_only(clients, entries):
    body = clients["admin"].get(URL).content.decode()
    assert "member.update" in body
    assert "staff" in body
    assert "outsider" not in body


def test_filters_narrow_by_action_user_and_date(clients, cast, entries, time_machine):
    time_machine.move_to("2026-03-02 10:00 +08:00", tick=False)
    audit("member.delete", user=cast.admin, council=cast.city)
    time_machine.move_to("2026-11-29 10:00 +08:00", tick=False)
    admin = clients["admin"]

    by_action = admin.get(URL, {"action": "member.create"}).content.decode()
    assert "member.create" in by_action and "member.update</code>" not in by_action

    by_user = admin.get(URL, {"user": "adm"}).content.decode()
    assert "member.update" in by_user and ">staff<" not in by_user

    by_date = admin.get(URL, {"date_from": "2026-03-01", "date_to": "2026-03-31"}).content.decode()
    assert "member.delete" in by_date and "member.update</code>" not in by_date


def test_an_inverted_date_range_is_explained_next_to_the_field(clients, entries):
    body = clients["admin"].get(URL, {"date_from": "2026-05-01", "date_to": "2026-04-01"}).content.decode()
    assert "invalid-feedback" in body


def test_the_log_is_paginated_with_a_fixed_number_of_queries(clients, cast, django_assert_num_queries):
    for i in range(60):
        audit("member.update", user=cast.admin, council=cast.city, data={"i": i})
    clients["admin"].get(URL)
    with django_assert_num_queries(_queries(clients["admin"], URL)):
        response = clients["admin"].get(URL, {"page": 2})
    assert response.status_code == 200
    # 60 entries at 50 a page: the second page holds the 10 oldest.
    assert response.content.decode().count("<code>") == 10


def _queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        client.get(url)
    return len(ctx.captured_queries)


def test_export_contains_the_filtered_entries_and_is_itself_audited(clients, cast, entries):
    response = clients["admin"].get(URL + "export/", {"action": "member.create"})
    assert response.status_code == 200
    assert "filename*=UTF-8''" in response["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert len(rows) == 2  # header and the city's one member.create
    assert rows[1][1] == "member.create"
    assert "李委员" in rows[1][6]
    exported = AuditEntry.objects.get(action="audit.export")
    assert (exported.council_slug, exported.username, exported.data["rows"]) == ("city", "admin", 1)


def test_staff_cannot_export_and_nothing_is_recorded_as_an_export(clients, entries):
    assert clients["staff"].get(URL + "export/").status_code == 403
    assert not AuditEntry.objects.filter(action="audit.export").exists()
