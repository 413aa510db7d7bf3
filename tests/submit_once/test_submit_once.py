"""A form posted twice — a double click, a resend after going back — runs
once: the second post is sent where the first one led (core.submissions,
SubmitOnceMiddleware, the submission key every {% csrf_token %} carries)."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
import time_machine
from django.test import Client, override_settings
from django.utils import timezone

from xieshang.core.models import FormSubmission
from xieshang.core.submissions import FIELD
from xieshang.core.tasks import purge_form_submissions
from xieshang.proposals.actions.config import create_default_lists
from xieshang.proposals.models import Proposal

pytestmark = pytest.mark.django_db

NEW_DRAFT = "/c/city/proposals/new/"
KEY = re.compile(rf'name="{FIELD}" value="([^"]+)"')


@pytest.fixture
def member(cast: Any, clients: dict[str, Client]) -> Client:
    create_default_lists(cast.city, user=None)
    return clients["member"]


def form_key(client: Client, url: str = NEW_DRAFT) -> str:
    match = KEY.search(client.get(url).content.decode())
    assert match, "the form carries no submission key"
    return match.group(1)


def draft(key: str, title: str = "关于加快老旧小区加装电梯的建议") -> dict[str, str]:
    return {"title": title, "window": "regular", FIELD: key}


def test_every_form_carries_a_fresh_submission_key_beside_its_csrf_token(member: Client) -> None:
    page = member.get(NEW_DRAFT).content.decode()
    assert 'name="csrfmiddlewaretoken"' in page
    assert form_key(member) != form_key(member)


def test_the_new_draft_form_posted_twice_with_one_key_creates_one_draft(member: Client) -> None:
    key = form_key(member)
    first = member.post(NEW_DRAFT, draft(key))
    second = member.post(NEW_DRAFT, draft(key))
    assert first.status_code == second.status_code == 302
    assert second["Location"] == first["Location"]
    assert Proposal.objects.count() == 1
    followed = member.get(second["Location"])
    assert "This form had already been sent" in followed.content.decode()


def test_the_same_form_sent_again_with_other_contents_is_a_new_post(member: Client) -> None:
    key = form_key(member)
    member.post(NEW_DRAFT, draft(key))
    member.post(NEW_DRAFT, draft(key, title="关于完善社区养老服务的建议"))
    assert Proposal.objects.count() == 2


def test_a_post_refused_for_its_contents_is_forgotten_so_it_can_be_sent_again(member: Client) -> None:
    key = form_key(member)
    for _attempt in range(2):
        response = member.post(NEW_DRAFT, draft(key, title=" "))
        assert response.status_code == 200
        assert "title" in response.context["form"].errors
    assert not FormSubmission.objects.exists()
    assert member.post(NEW_DRAFT, draft(key)).status_code == 302
    assert Proposal.objects.count() == 1


@override_settings(SUBMISSION_WAIT_SECONDS=0)
def test_a_repeat_while_the_first_post_still_runs_is_told_to_wait(cast: Any, member: Client) -> None:
    key = form_key(member)
    member.post(NEW_DRAFT, draft(key))
    # As if the first post had not finished yet.
    FormSubmission.objects.update(location="")
    response = member.post(NEW_DRAFT, draft(key))
    assert response.status_code == 409
    assert "still being handled" in response.content.decode()
    assert Proposal.objects.count() == 1


def test_posts_are_forgotten_after_their_time(member: Client) -> None:
    key = form_key(member)
    member.post(NEW_DRAFT, draft(key))
    later = timezone.now() + dt.timedelta(hours=1)
    with time_machine.travel(later, tick=False):
        assert purge_form_submissions.call() == 1
    assert not FormSubmission.objects.exists()
