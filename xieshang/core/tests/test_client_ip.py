"""The audit log records the browser's address, believing X-Real-IP only
from trusted proxies."""

from __future__ import annotations

from django.test import RequestFactory, override_settings

from xieshang.core.audit import client_ip


def request(remote: str, real_ip: str = ""):
    extra = {"HTTP_X_REAL_IP": real_ip} if real_ip else {}
    return RequestFactory().get("/", REMOTE_ADDR=remote, **extra)


@override_settings(TRUSTED_PROXIES=["10.0.0.5"])
def test_the_header_of_a_trusted_proxy_names_the_browser():
    assert client_ip(request("10.0.0.5", "203.0.113.7")) == "203.0.113.7"


@override_settings(TRUSTED_PROXIES=["10.0.0.5"])
def test_a_forged_header_from_anyone_else_is_ignored():
    assert client_ip(request("198.51.100.9", "203.0.113.7")) == "198.51.100.9"


@override_settings(TRUSTED_PROXIES=[])
def test_without_trusted_proxies_the_connection_address_is_recorded():
    assert client_ip(request("10.0.0.5", "203.0.113.7")) == "10.0.0.5"
