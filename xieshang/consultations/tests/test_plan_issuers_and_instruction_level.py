"""The issued plan names the offices that issue it by their real names, and
an office recording a leader's instruction on an outcome starts from its own
council's level."""

from __future__ import annotations

import io

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation
from docx import Document

from xieshang.consultations.exports import issuing_line, plan_docx
from xieshang.consultations.tests.conftest import World
from xieshang.consultations.tests.test_views import plan_in, sent_outcome
from xieshang.core.testing import parse_html
from xieshang.councils.tests.factories import OversightOfficeFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("clock")]


def test_the_issuing_line_names_the_party_and_government_offices_and_the_councils_own(world: World) -> None:
    # Set up in another order than they are named in.
    world.party_office.delete()
    party = OversightOfficeFactory(council=world.cast.city, name="中共某某市委办公室", kind="party_committee")
    OversightOfficeFactory(council=world.cast.other_city, name="另一市政府办公室", kind="government")
    plan, _item = plan_in(world, "issued")
    with translation.override("en"):
        line = issuing_line(plan)
    council = world.cast.city.name
    assert line == f"Issued jointly by {party.name}, {world.gov_office.name}, Office of {council}"


def test_the_word_plan_carries_the_issuing_line(world: World) -> None:
    plan, _item = plan_in(world, "issued")
    with translation.override("en"):
        paragraphs = [p.text for p in Document(io.BytesIO(plan_docx(plan))).paragraphs]
        assert issuing_line(plan) in paragraphs
    assert world.gov_office.name in issuing_line(plan)


def test_an_instruction_starts_from_the_offices_own_level(world: World, clients: dict[str, Client]) -> None:
    outcome = sent_outcome(world)
    url = reverse("consultations:office_outcome", kwargs={"council_slug": "city", "pk": outcome.pk})
    page = parse_html(clients["oversight"].get(url).content)
    options = page.one("select", name="i-level").find_all("option")
    chosen = [o.attrs["value"] for o in options if "selected" in o.attrs]
    assert chosen == [world.cast.city.level] == ["city"]
