"""Links that leave the site use the configured public address
(XIESHANG_PUBLIC_URL), never the host and port the server or a request
happens to use: in e-mail and SMS, and in the links staff copy or scan."""

from __future__ import annotations

import pytest
from django.core import mail
from django.test import override_settings

from config.env import MissingSetting, env_url
from xieshang.core.links import public_url
from xieshang.core.notifications import notify

PUBLIC = "https://xieshang.example.gov.cn"


@pytest.mark.django_db
@override_settings(PUBLIC_URL=PUBLIC)
def test_email_and_sms_link_to_the_public_address(cast, sms_outbox, django_capture_on_commit_callbacks):
    cast.member.email = "member@example.com"
    cast.member.mobile = "13800138000"
    cast.member.save()
    with django_capture_on_commit_callbacks(execute=True):
        notify(
            recipients=[cast.member],
            council=cast.city,
            title="会议通知",
            url="/c/city/meetings/1/",
            channels=["email", "sms"],
        )
    link = f"{PUBLIC}/c/city/meetings/1/"
    assert link in mail.outbox[0].body
    assert sms_outbox[0].text.endswith(link)
    assert "127.0.0.1" not in mail.outbox[0].body + sms_outbox[0].text


@override_settings(PUBLIC_URL=PUBLIC)
@pytest.mark.parametrize(
    ("path", "link"),
    [
        ("/c/city/", f"{PUBLIC}/c/city/"),
        ("c/city/", f"{PUBLIC}/c/city/"),
        ("https://other.example/x", "https://other.example/x"),
        ("", ""),
    ],
    ids=["path", "relative", "already-absolute", "none"],
)
def test_public_url_joins_the_address_and_the_path(path, link):
    assert public_url(path) == link


@pytest.mark.parametrize(
    "value",
    [
        "xieshang.example.gov.cn",
        "ftp://xieshang.example.gov.cn",
        "https://",
        "https://x.cn/site",
        "https://x.cn/?a=1",
    ],
)
def test_a_malformed_public_address_stops_the_start(monkeypatch, value):
    monkeypatch.setenv("XIESHANG_PUBLIC_URL", value)
    with pytest.raises(MissingSetting, match="XIESHANG_PUBLIC_URL"):
        env_url("XIESHANG_PUBLIC_URL", "http://127.0.0.1:8000")


def test_the_public_address_is_kept_without_its_trailing_slash(monkeypatch):
    monkeypatch.setenv("XIESHANG_PUBLIC_URL", "https://xieshang.example.gov.cn:8443/")
    assert env_url("XIESHANG_PUBLIC_URL", "http://127.0.0.1:8000") == "https://xieshang.example.gov.cn:8443"
