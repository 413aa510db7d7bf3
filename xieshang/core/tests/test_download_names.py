"""Download names keep their Chinese in both parameters of Content-Disposition:
filename*=UTF-8''… for current browsers, and the plain filename="…" (the
name's UTF-8 bytes) for the clients that read only that one."""

from __future__ import annotations

from urllib.parse import quote

import pytest

from xieshang.core.exports import content_disposition

NAME = "明湖市政协2026年提案统计.xlsx"


def on_the_wire(value: str) -> bytes:
    """A header value as it is sent: Latin-1 (PEP 3333)."""
    return value.encode("latin-1")


def test_the_plain_name_keeps_the_chinese():
    wire = on_the_wire(content_disposition(NAME))
    assert wire.startswith(b"attachment; ")
    assert b'filename="' + NAME.encode("utf-8") + b'"' in wire


def test_the_encoded_name_keeps_the_chinese():
    assert f"filename*=UTF-8''{quote(NAME, safe='')}" in content_disposition(NAME)


@pytest.mark.parametrize(
    ("given", "plain"),
    [
        ('会议"签到表"/二.pdf', "会议_签到表__二.pdf"),
        ("a;b\r\nSet-Cookie: x.pdf", "a_b__Set-Cookie: x.pdf"),
        ("   ", "download"),
    ],
    ids=["quote-and-slash", "header-injection", "empty"],
)
def test_a_name_cannot_break_out_of_the_header(given, plain):
    wire = on_the_wire(content_disposition(given))
    assert b'filename="' + plain.encode("utf-8") + b'";' in wire
    assert b"\r" not in wire and b"\n" not in wire


@pytest.mark.django_db
def test_an_export_sends_both_names(clients, cast):
    response = clients["admin"].get("/c/city/audit/export/")
    wire = on_the_wire(response["Content-Disposition"])
    plain = wire.split(b'filename="', 1)[1].split(b'"', 1)[0].decode("utf-8")
    assert cast.city.name in plain  # the council's Chinese name, e.g. audit-log-某某市政协-….xlsx
    assert f"filename*=UTF-8''{quote(plain, safe='')}" in response["Content-Disposition"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("path", "start"),
    [
        ("/c/city/members/export.xlsx", "member-list-"),
        ("/c/city/members/template.xlsx", "member-roster-template-"),
    ],
    ids=["roster", "roster-template"],
)
def test_roster_downloads_are_named_after_the_council_in_both_names(clients, cast, path, start):
    response = clients["admin"].get(path)
    assert response.status_code == 200
    wire = on_the_wire(response["Content-Disposition"])
    plain = wire.split(b'filename="', 1)[1].split(b'"', 1)[0].decode("utf-8")
    assert plain.startswith(start + cast.city.name) and plain.endswith(".xlsx")
    assert f"filename*=UTF-8''{quote(plain, safe='')}" in response["Content-Disposition"]


@pytest.mark.django_db
def test_in_chinese_the_roster_download_has_a_chinese_name(clients, cast, settings):
    client = clients["admin"]
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "zh-hans"
    response = client.get("/c/city/members/template.xlsx")
    plain = on_the_wire(response["Content-Disposition"]).split(b'filename="', 1)[1].split(b'"', 1)[0]
    assert plain.decode("utf-8") == f"委员名册导入模板-{cast.city.name}.xlsx"
