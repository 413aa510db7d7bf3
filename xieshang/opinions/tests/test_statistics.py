"""The year's figures: what they count, and in constant queries."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from xieshang.councils.tests.factories import AffiliationFactory, SectorFactory
from xieshang.opinions.actions.forwarding import (
    adopt_received,
    forward_received,
    forward_report,
    record_instruction,
)
from xieshang.opinions.actions.review import decline_report
from xieshang.opinions.statistics import year_figures
from xieshang.opinions.tests.conftest import World

pytestmark = pytest.mark.django_db


def test_figures_count_levels_forwardings_instructions_and_groups(world: World) -> None:
    member = world.cast.member_record
    member.sector = SectorFactory(council=world.cast.city, name="经济界")
    member.affiliation = AffiliationFactory(council=world.cast.city, name="民盟")
    member.save()
    year = dt.date.today().year
    decline_report(world.filed(), actor=world.actor("staff"), reason="重复")
    local = world.adopted()
    [sent] = forward_report(
        local, actor=world.actor("staff"), target="oversight", offices=[world.city_office]
    )
    record_instruction(
        sent,
        actor=world.actor("oversight"),
        leader_name="王书记",
        level="city",
        text="阅",
        instructed_on=dt.date.today(),
    )
    upward = world.adopted()
    [up] = forward_report(upward, actor=world.actor("staff"), target="parent")
    upper = world.actor("upper", "province")
    adopt_received(up, actor=upper)
    forward_received(up, actor=upper, target="national")

    city = year_figures(world.cast.city, year)
    assert (city.filed, city.adopted, city.declined) == (3, 2, 1)
    assert city.reached == {"county": 0, "city": 1, "province": 0, "national": 1}
    assert city.forwarded == {"oversight": 1, "parent": 1, "national": 1}
    assert city.instructions["city"] == 1
    assert [(r.name, r.filed, r.adopted, r.instructions) for r in city.by_sector] == [("经济界", 3, 2, 1)]
    assert [(r.name, r.filed) for r in city.by_affiliation] == [("民盟", 3)]
    assert city.adoption_rate == 66.7

    province = year_figures(world.cast.province, year)
    assert province.filed == 0
    assert [(r.name, r.received, r.adopted) for r in province.by_lower_council] == [
        (world.cast.city.name, 1, 1)
    ]


def test_figures_take_the_same_queries_for_more_reports(world: World) -> None:
    year = dt.date.today().year
    world.adopted()
    with CaptureQueriesContext(connection) as few:
        year_figures(world.cast.city, year)
    for _ in range(4):
        world.adopted()
        world.filed()
    with CaptureQueriesContext(connection) as many:
        year_figures(world.cast.city, year)
    assert len(many) == len(few)
