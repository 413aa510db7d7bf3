"""./run serves while the demo loads in the background (manage.py load_demo);
every page says so until it is done."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import Client

from xieshang.councils.demo.loading import demo_loading_marker
from xieshang.councils.management.commands import load_demo

pytestmark = pytest.mark.django_db
BANNER = 'id="demo-loading"'


@pytest.fixture
def var_dir(settings: pytest.FixtureRequest, tmp_path: Path) -> Path:
    settings.VAR_DIR = tmp_path  # type: ignore[attr-defined]
    return tmp_path


def test_the_login_page_says_the_demo_is_loading_while_it_does(var_dir: Path, client: Client) -> None:
    assert BANNER not in client.get("/accounts/login/").content.decode()
    demo_loading_marker().touch()
    assert BANNER in client.get("/accounts/login/").content.decode()


def test_logged_in_pages_say_so_too(var_dir: Path, clients: dict[str, Client]) -> None:
    demo_loading_marker().touch()
    assert BANNER in clients["member"].get("/accounts/profile/").content.decode()


def test_load_demo_marks_itself_loading_until_every_seed_ran(
    var_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    ran: list[tuple[str, bool]] = []
    monkeypatch.setattr(
        load_demo, "call_command", lambda name, **_kw: ran.append((name, demo_loading_marker().exists()))
    )
    call_command("load_demo")
    assert ran == [(name, True) for name in load_demo.SEEDS]
    assert not demo_loading_marker().exists()


def test_a_failed_seed_still_clears_the_mark(var_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def fail(name: str, **_kw: object) -> None:
        raise RuntimeError(name)

    monkeypatch.setattr(load_demo, "call_command", fail)
    with pytest.raises(RuntimeError):
        call_command("load_demo")
    assert not demo_loading_marker().exists()
