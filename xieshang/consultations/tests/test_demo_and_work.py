"""The demo seed (themes followed three, four and five years, the 2026 plan,
safe to run twice), the sweep task, and the consultation cards on "my work"."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from xieshang.consultations import demo
from xieshang.consultations.models import Consultation, ConsultationPlan, Outcome, PlanItem, Speech
from xieshang.consultations.queries import undecided_items
from xieshang.consultations.tasks import sweep_consultations
from xieshang.consultations.tests.conftest import World
from xieshang.consultations.tests.factories import ConsultationFactory, demo_city
from xieshang.themes.models import Theme

pytestmark = pytest.mark.django_db


@time_machine.travel("2026-11-20 10:00 +0800", tick=False)
def test_demo_seed_follows_themes_for_years_and_is_idempotent() -> None:
    city = demo_city()

    assert demo.seed_demo_consultations() == 18
    plan = ConsultationPlan.objects.get(council=city, year=2026)
    assert plan.status == "issued" and plan.items.count() == 10
    kinds = list(plan.items.values_list("kind", flat=True))
    assert kinds.count("topic") == 3 and kinds.count("legislative") == 1
    years = {
        theme.name: sorted(set(PlanItem.objects.filter(themes=theme).values_list("plan__year", flat=True)))
        for theme in Theme.objects.filter(council=city)
    }
    assert years == {
        "乡村振兴": [2022, 2023, 2024, 2025, 2026],
        "营商环境": [2023, 2024, 2025, 2026],
        "水环境治理": [2024, 2025, 2026],
    }
    held = Consultation.objects.filter(
        council=city, year=2026, status="closed", speeches__isnull=False
    ).distinct()
    assert held.count() == 3
    assert Speech.objects.filter(is_over_time=True).count() == 1
    assert Outcome.objects.filter(consultation__year=2026, instructions__isnull=False).count() == 3
    assert [i.topic for i in undecided_items(city, dt.date(2026, 11, 20))] == ["提升基层医疗卫生服务能力"]
    assert demo.seed_demo_consultations() == 0
    assert Consultation.objects.filter(council=city).count() == 18


@pytest.mark.usefixtures("clock")
def test_the_sweep_task_reports_what_it_flagged(world: World) -> None:
    ConsultationFactory(
        council=world.cast.city,
        created_by=world.cast.staff,
        status="held",
        held_on=dt.date(2026, 8, 20),
        minutes_due_on=dt.date(2026, 8, 31),
    )
    result = sweep_consultations.call()
    assert result == {"undecided": 0, "late_minutes": 1, "follow_ups": 0}


@pytest.mark.usefixtures("clock")
def test_my_work_shows_staff_the_notice_due_and_not_the_offices(
    world: World, clients: dict[str, Client]
) -> None:
    consultation = ConsultationFactory(council=world.cast.city, created_by=world.cast.staff)
    link = reverse("consultations:detail", kwargs={"council_slug": "city", "pk": consultation.pk})
    home = reverse("dashboards:home", kwargs={"council_slug": "city"})
    assert link in clients["staff"].get(home).content.decode()
    for name in ("oversight", "member"):
        assert link not in clients[name].get(home).content.decode()
