"""The proposal lists: query counts, the public page of released replies, list labels."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client, override_settings
from django.urls import reverse

from xieshang.proposals.models import Proposal
from xieshang.proposals.tests.conftest import World
from xieshang.proposals.tests.test_views import url

pytestmark = pytest.mark.django_db


class TestQueryCounts:
    """List pages cost the same number of queries for 1 row and for many."""

    def _count(self, client: Client, address: str, django_assert_max_num_queries: Any) -> int:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as ctx:
            assert client.get(address).status_code == 200
        return len(ctx.captured_queries)

    def test_review_queue(
        self, world: World, clients: dict[str, Client], django_assert_num_queries: Any
    ) -> None:
        world.submitted()
        few = self._count(clients["staff"], url("queue"), None)
        for _ in range(4):
            world.submitted()
        with django_assert_num_queries(few):
            clients["staff"].get(url("queue"))

    def test_my_proposals(
        self, world: World, clients: dict[str, Client], django_assert_num_queries: Any
    ) -> None:
        world.submitted()
        few = self._count(clients["member"], url("mine"), None)
        for _ in range(4):
            world.draft()
        with django_assert_num_queries(few):
            clients["member"].get(url("mine"))

    def test_unit_inbox(
        self, world: World, clients: dict[str, Client], django_assert_num_queries: Any
    ) -> None:
        world.assigned()
        few = self._count(clients["liaison"], url("inbox"), None)
        for _ in range(3):
            world.assigned()
        # The deadline chips share one read of the council's calendar overrides.
        with django_assert_num_queries(few):
            clients["liaison"].get(url("inbox"))

    def test_replies_to_check(
        self, world: World, clients: dict[str, Client], django_assert_num_queries: Any
    ) -> None:
        world.replied()
        few = self._count(clients["staff"], url("replies"), None)
        for _ in range(3):
            world.replied()
        with django_assert_num_queries(few):
            clients["staff"].get(url("replies"))


class TestPublicPage:
    def test_only_consented_released_replies_are_shown_without_login(
        self, world: World, clients: dict[str, Client], django_assert_num_queries: Any
    ) -> None:
        consented = world.released()
        Proposal.objects.filter(pk=consented.pk).update(
            consents_to_publish_reply=True, title="同意公开的提案"
        )
        private = world.released()
        Proposal.objects.filter(pk=private.pk).update(title="不公开的提案")
        waiting = world.replied()
        Proposal.objects.filter(pk=waiting.pk).update(
            consents_to_publish_reply=True, title="尚未发布答复的提案"
        )
        response = clients["anonymous"].get(url("public"))
        assert response.status_code == 200
        html = response.content.decode()
        assert "同意公开的提案" in html
        assert "不公开的提案" not in html and "尚未发布答复的提案" not in html
        assert world.cast.member_record.full_name not in html

    def test_query_count_does_not_grow_with_rows(
        self, world: World, clients: dict[str, Client], django_assert_num_queries: Any
    ) -> None:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        for _ in range(2):
            Proposal.objects.filter(pk=world.released().pk).update(consents_to_publish_reply=True)
        with CaptureQueriesContext(connection) as few:
            clients["anonymous"].get(url("public"))
        for _ in range(2):
            Proposal.objects.filter(pk=world.released().pk).update(consents_to_publish_reply=True)
        with django_assert_num_queries(len(few.captured_queries)):
            clients["anonymous"].get(url("public"))

    def test_unknown_council_is_a_404(self, clients: dict[str, Client], db: None) -> None:
        response = clients["anonymous"].get(reverse("proposals:public", kwargs={"council_slug": "nowhere"}))
        assert response.status_code == 404


def test_the_case_number_is_labelled_as_such_not_as_a_row_number_in_chinese(
    world: World, clients: dict[str, Client]
) -> None:
    proposal = world.accepted()
    with override_settings(LANGUAGE_CODE="zh-hans"):
        body = clients["staff"].get(url("detail", pk=proposal.pk)).content.decode()
    assert f"案号 {proposal.case_number}" in body
    assert "序号" not in body
