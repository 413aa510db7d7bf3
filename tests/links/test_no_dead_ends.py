"""No dead ends: every demo role follows every link, button target and
message it is shown, and none of them answers 403 or 404.

A page shows a link only when it would open for the person reading it. The
demo (smaller than `./run` loads, but with every kind of item) is built once;
then each role crawls its council breadth first (tests/links/crawler.py).
"""

from __future__ import annotations

import time
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client

from tests.links.crawler import Crawl, DeadEnd
from xieshang.accounts.models import User
from xieshang.consultations.actions.consultations import send_minutes
from xieshang.consultations.states import ConsultationStatus
from xieshang.consultations.tests.factories import ConsultationFactory
from xieshang.councils.demo import tables
from xieshang.councils.models import Council
from xieshang.councils.tenancy import build_actor
from xieshang.liaison import demo as liaison_demo
from xieshang.opinions import demo as opinion_demo
from xieshang.proposals.demo import builder as proposal_demo
from xieshang.proposals.states import ProposalStatus

pytestmark = pytest.mark.django_db

CITY = "demo-city"
# The demo login, and the council whose pages it walks.
ROLES = (
    ("member", CITY),
    ("staff", CITY),
    ("chair", CITY),
    ("admin", CITY),
    ("liaison", CITY),
    ("party_office", CITY),
    ("gov_office", CITY),
    ("province_staff", "province"),
    ("platform", CITY),
)


def build_demo(monkeypatch: pytest.MonkeyPatch, on_commit: Any) -> None:
    """The demo councils and people, and a smaller year of work in the demo
    city: three seats a sector, every proposal status twice, three opinion
    reports in each status, a visit a month."""
    monkeypatch.setattr(tables, "SECTORS", tuple((name, 3) for name, _seats in tables.SECTORS))
    monkeypatch.setattr(proposal_demo, "PLAN", tuple((status, 2) for status in ProposalStatus.values))
    monkeypatch.setattr(liaison_demo, "VISITS_PER_MONTH", 1)
    monkeypatch.setattr(opinion_demo, "PLAN", tuple((status, 3) for status, _count in opinion_demo.PLAN))
    for command in (
        "seed_demo",
        "seed_demo_opinions",
        "seed_demo_proposals",
        "seed_demo_consultations",
        "seed_demo_liaison",
        "seed_demo_duty",
    ):
        # The messages the demo's actions send go out when they commit.
        with on_commit(execute=True):
            call_command(command, stdout=StringIO())
    with on_commit(execute=True):
        minutes_to_the_offices()


def minutes_to_the_offices() -> None:
    """The demo's held consultations carry their minutes already; send one
    more, so the offices have the message the minutes come with."""
    city = Council.objects.get(slug=CITY)
    staff = build_actor(User.objects.get(username="staff"), city)
    assert staff is not None
    consultation = ConsultationFactory(
        council=city, created_by=staff.user, topic="协商活动纪要的送达", status=ConsultationStatus.HELD
    )
    send_minutes(consultation, minutes="协商活动纪要：……", actor=staff)


def crawl(username: str, slug: str) -> tuple[list[DeadEnd], int]:
    client = Client()
    client.force_login(
        User.objects.get(username=username), backend="xieshang.accounts.backends.UsernameOrMobileBackend"
    )
    prefixes = (f"/c/{slug}/", "/platform/") if username == "platform" else (f"/c/{slug}/",)
    walk = Crawl(client, prefixes, every=(r"/inbox/\d+/", r"/inbox/\?page="))
    dead = walk.run(f"/c/{slug}/", f"/c/{slug}/inbox/")
    return dead, walk.visited


def test_no_role_meets_a_403_or_404_on_a_link_it_is_shown(
    monkeypatch: pytest.MonkeyPatch, django_capture_on_commit_callbacks: Any
) -> None:
    started = time.process_time()
    build_demo(monkeypatch, django_capture_on_commit_callbacks)
    built = time.process_time()
    report: list[str] = []
    pages = {}
    for username, slug in ROLES:
        dead, pages[username] = crawl(username, slug)
        report += [f"{username}: {end}" for end in dead]
    spent = time.process_time() - started
    print(f"built in {built - started:.1f} s, crawled in {spent - (built - started):.1f} s: {pages}")
    assert report == [], "\n" + "\n".join(report)
    assert min(pages.values()) > 3, pages
