"""The demo online deliberation and draft regulation: created after the
consultations demo, about 200 comments with supports, and idempotent."""

from __future__ import annotations

import pytest
import time_machine
from django.core.management import call_command

from xieshang.consultations import demo
from xieshang.consultations.actions.deliberation import summarise
from xieshang.consultations.models import ArticleComment, Deliberation, DeliberationComment, DraftRegulation
from xieshang.consultations.tests.factories import demo_city

pytestmark = pytest.mark.django_db


@time_machine.travel("2026-11-20 10:00 +0800", tick=False)
def test_the_demo_deliberation_and_draft_are_created_once() -> None:
    demo_city()
    demo.seed_demo_consultations()
    call_command("seed_demo_deliberations", stdout=open("/dev/null", "w"))  # noqa: SIM115
    call_command("seed_demo_deliberations", stdout=open("/dev/null", "w"))  # noqa: SIM115
    deliberation = Deliberation.objects.get()
    assert DeliberationComment.objects.filter(deliberation=deliberation).count() == 201
    summary = summarise(deliberation)
    assert summary.comments == 200 and summary.supports > 200 and summary.participants > 90
    assert DeliberationComment.objects.filter(is_hidden=True).count() == 1
    draft = DraftRegulation.objects.get()
    assert draft.consultation.kind == "legislative" and draft.articles.count() == 18
    assert ArticleComment.objects.filter(article__draft=draft).count() == 15
