"""The audit log page: council administrators see their own council's
entries only, can filter and page through them, and export them (audited)."""

from __future__ import annotations

import io

import pytest
from django.apps import apps
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from xieshang.core.audit import audit
from xieshang.core.models import AuditEntry
from xieshang.core.testing import Expect, parse_html, run_permission_matrix

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


def _rows(client, params=None):
    """The table's rows as (action, outcome, user, object) as people read them."""
    page = parse_html(client.get(URL, params or {}).content)
    table = page.find_all("table", data_testid="audit-table")
    rows = table[0].find_all("tr")[1:] if table else []
    return [tuple(cell.text for cell in row.find_all("td")[1:5]) for row in rows]


def test_the_log_shows_this_councils_entries_only(clients, entries):
    rows = _rows(clients["admin"])
    assert [(action, user) for action, _outcome, user, _object in rows] == [
        ("Record changed", "admin"),
        ("Added to the roster", "staff"),
    ]


def test_filters_narrow_by_action_user_and_date(clients, cast, entries, time_machine):
    time_machine.move_to("2026-03-02 10:00 +08:00", tick=False)
    audit("member.delete", user=cast.admin, council=cast.city)
    time_machine.move_to("2026-11-29 10:00 +08:00", tick=False)
    admin = clients["admin"]

    def actions(params):
        return [row[0] for row in _rows(admin, params)]

    assert actions({"action": "member.create"}) == ["Added to the roster"]
    assert actions({"user": "adm"}) == ["Other recorded action", "Record changed"]
    assert actions({"date_from": "2026-03-01", "date_to": "2026-03-31"}) == ["Other recorded action"]


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
    rows = parse_html(response.content).one("table", data_testid="audit-table").find_all("tr")
    assert len(rows) == 1 + 10


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
    assert rows[1][1:3] == ("Added to the roster", "done")
    assert "李委员" in rows[1][6]
    exported = AuditEntry.objects.get(action="audit.export")
    assert (exported.council_slug, exported.username, exported.data["rows"]) == ("city", "admin", 1)


def test_staff_cannot_export_and_nothing_is_recorded_as_an_export(clients, entries):
    assert clients["staff"].get(URL + "export/").status_code == 403
    assert not AuditEntry.objects.filter(action="audit.export").exists()


# Codes as the apps record them: event types of several apps, an action only
# the audit log knows, a write named after the kind of thing written, and a
# code no app has labelled.
RECORDED = ["duty.assessment_opened", "opinion.submitted", "login", "sector.create", "proposal.unheard_of"]


def a_proposal():
    """A proposal as an audit entry names it (core may not import the app)."""
    return apps.get_model("proposals", "Proposal")(pk=547)


def test_no_code_reaches_the_page_only_words(clients, cast):
    for code in RECORDED:
        audit(code, user=cast.admin, council=cast.city, obj=a_proposal())
    audit("login", council=cast.city, outcome="locked_out", data={"username": "who"})
    page = parse_html(clients["admin"].get(URL).content)
    text = page.one("table", data_testid="audit-table").text + page.one("select", name="action").text
    for code in [*RECORDED, "proposals.proposal", "locked_out"]:
        assert code not in text
    rows = _rows(clients["admin"])
    assert rows[0][:2] == ("Login", "account locked")
    assert [row[0] for row in rows[1:]] == [
        "Other change to: proposal",
        "Proposal added",
        "Login",
        "Submitted",
        "Assessment opened",
    ]
    assert {row[3] for row in rows[1:]} == {"proposal 547"}


def test_the_export_names_actions_and_objects_in_words(clients, cast):
    audit("duty.assessment_opened", user=cast.admin, council=cast.city, obj=a_proposal())
    response = clients["admin"].get(URL + "export/")
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert rows[1][1:5] == ("Assessment opened", "done", "admin", "proposal 547")
