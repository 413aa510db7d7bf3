"""A 1 MB query string sent to gunicorn as deployed (deploy/gunicorn.conf.py,
which ./run uses too) reaches the application, which refuses it with a 414
saying why, instead of gunicorn's bare 414."""

from __future__ import annotations

import http.client
import json
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
GUNICORN = Path(sys.executable).with_name("gunicorn")
LONG_QUERY = "q=" + "a" * (1024 * 1024)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def wait_until_listening(port: int, server: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(
                "gunicorn stopped: " + (server.stderr.read() if server.stderr else b"").decode()
            )
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.2)
    raise TimeoutError("gunicorn did not start")


@pytest.fixture(scope="module")
def served() -> Iterator[int]:
    port = free_port()
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.test_settings", "XIESHANG_WEB_WORKERS": "1"}
    server = subprocess.Popen(
        [
            str(GUNICORN),
            "-c",
            "deploy/gunicorn.conf.py",
            "--bind",
            f"127.0.0.1:{port}",
            "config.wsgi:application",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        wait_until_listening(port, server)
        yield port
    finally:
        server.terminate()
        server.wait(timeout=30)


def fetch(port: int, target: str) -> http.client.HTTPResponse:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    connection.request("GET", target)
    return connection.getresponse()


def test_a_megabyte_query_string_to_the_api_gets_our_json_414(served: int) -> None:
    response = fetch(served, f"/api/v1/c/city/proposals?{LONG_QUERY}")
    assert response.status == 414
    assert response.getheader("Content-Type", "").startswith("application/json")
    assert json.loads(response.read())["detail"]


def test_a_megabyte_query_string_to_a_page_gets_our_414_page(served: int) -> None:
    response = fetch(served, f"/c/city/proposals/search/?{LONG_QUERY}")
    assert response.status == 414
    assert response.getheader("Content-Type", "").startswith("text/html")
    assert b'id="main"' in response.read()
