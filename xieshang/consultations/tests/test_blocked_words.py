"""Blocked words in online deliberations: a council setting for every
deliberation of the council, plus each deliberation's own additions. A
refused comment says which word, and the page keeps what was typed."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from xieshang.consultations.actions import deliberation as actions
from xieshang.consultations.models import Deliberation, DeliberationComment
from xieshang.consultations.tests.conftest import NOW, World
from xieshang.consultations.tests.factories import ConsultationFactory
from xieshang.consultations.tests.test_deliberation_pages import verify
from xieshang.councils.actions.settings import change_setting
from xieshang.councils.models import Council, CouncilSetting
from xieshang.councils.queries import get_setting
from xieshang.councils.settings_catalog import SPECS_BY_KEY
from xieshang.councils.tests.expectations import in_english

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("clock")]

KEY = "deliberation_blocked_words"
SETTING = f"/c/city/admin/settings/{KEY}/"


def open_one(
    world: World, council: Council | None = None, *, blocked: str = "", public: bool = True
) -> Deliberation:
    council = council or world.cast.city
    consultation = ConsultationFactory(council=council, created_by=world.cast.staff)
    actor = world.actor("staff") if council == world.cast.city else world.actor("outsider", "other_city")
    return actions.open_deliberation(
        consultation,
        topic="如何推进老旧小区改造",
        background="",
        questions="",
        opens_at=NOW - dt.timedelta(days=1),
        closes_at=NOW + dt.timedelta(days=14),
        public_enabled=public,
        blocked_words=blocked,
        actor=actor,
    )


def member_post(world: World, item: Deliberation, text: str) -> DeliberationComment:
    return actions.post_comment(item, text=text, poster=actions.Poster.of_actor(world.actor("member")))


def test_the_settings_page_keeps_a_word_list_and_shows_it_back(clients: dict[str, Client], cast: Any) -> None:
    page = clients["admin"].get(SETTING).content.decode()
    assert "王八蛋" in page and "<textarea" in page  # the default list, edited as text
    response = clients["admin"].post(
        SETTING, {"value": "黑心物业，霸王条款\n垃圾、黑心物业, Scam ", "reason": "市委网信办通知"}
    )
    assert response.status_code == 302
    assert get_setting(cast.city, KEY) == ["黑心物业", "霸王条款", "垃圾", "Scam"]
    assert list(get_setting(cast.other_city, KEY)) == list(SPECS_BY_KEY[KEY].default)
    page = clients["admin"].get(SETTING).content.decode()
    assert "黑心物业, 霸王条款, 垃圾, Scam" in page
    assert "黑心物业，霸王条款，垃圾，Scam</textarea>" in page  # edited in place
    assert (
        "黑心物业, 霸王条款, 垃圾, Scam" in clients["admin"].get("/c/city/admin/settings/").content.decode()
    )


def test_an_over_long_word_is_refused_next_to_the_field_and_nothing_is_saved(
    clients: dict[str, Client], cast: Any
) -> None:
    long_word = "很" * 21
    response = clients["admin"].post(SETTING, {"value": f"垃圾，{long_word}", "reason": "试"})
    assert response.status_code == 400
    assert "a word has at most 20 characters" in response.content.decode()
    assert not CouncilSetting.objects.filter(council=cast.city, key=KEY).exists()


def test_the_councils_words_apply_to_every_deliberation_and_each_may_add_its_own(world: World) -> None:
    change_setting(actor=world.actor("admin"), key=KEY, raw_value="黑心物业，霸王条款", reason="通知")
    first, second = open_one(world), open_one(world, blocked="扯皮")
    for item in (first, second):
        with pytest.raises(ValidationError, match="“黑心物业”"):
            member_post(world, item, "这家黑心物业不管事")
    with pytest.raises(ValidationError, match="“扯皮”"):
        member_post(world, second, "部门之间互相扯皮")
    assert member_post(world, first, "部门之间互相扯皮").text == "部门之间互相扯皮"
    # The council replaced the default list: words only in the default pass now.
    assert member_post(world, first, "王八蛋才不装电梯").pk


def test_another_councils_word_list_does_not_apply(world: World) -> None:
    change_setting(actor=world.actor("admin"), key=KEY, raw_value="黑心物业", reason="通知")
    item = open_one(world, world.cast.other_city)
    identity_poster = actions.Poster(council=world.cast.other_city, user=world.cast.outsider, name="外市")
    assert actions.post_comment(item, text="这家黑心物业不管事", poster=identity_poster).pk
    with pytest.raises(ValidationError, match="not allowed"):
        actions.post_comment(item, text="王八蛋", poster=identity_poster)


def test_a_deliberations_own_word_list_is_checked_when_it_is_opened(world: World) -> None:
    with pytest.raises(ValidationError) as refused:
        open_one(world, blocked="扯皮，" + "长" * 21)
    assert "blocked_words" in refused.value.message_dict
    assert not Deliberation.objects.exists()
    assert open_one(world, blocked="扯皮、推诿\n敷衍").blocked_words == "扯皮，推诿，敷衍"


def test_a_member_posting_a_blocked_word_sees_why_and_keeps_the_text(
    world: World, clients: dict[str, Client]
) -> None:
    item = open_one(world, blocked="扯皮", public=False)
    url = reverse("consultations:comment_post", args=["city", item.pk])
    text = "住建和街道互相扯皮，电梯三年装不上"
    response = clients["member"].post(url, {"text": text})
    assert response.status_code == 400
    page = response.content.decode()
    assert "contains “扯皮”, which is not allowed here" in page
    assert f"{text}</textarea>" in page
    assert not DeliberationComment.objects.exists()
    assert clients["member"].post(url, {"text": "建议住建和街道联合办公"}).status_code == 302
    assert DeliberationComment.objects.count() == 1


def test_a_member_of_the_public_posting_a_blocked_word_keeps_the_text(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    item = open_one(world)
    client = in_english(Client())
    verify(client, item, "13800138000", "老街坊", django_capture_on_commit_callbacks)
    text = "物业就是王八蛋"
    response = client.post(
        reverse("consultations:deliberation_public_post", args=["city", item.pk]), {"text": text}
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "contains “王八蛋”" in page and f"{text}</textarea>" in page
    assert not DeliberationComment.objects.exists()
