"""An office recording a leader's instruction on a forwarded report starts
from its own council's level (it may choose another)."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from xieshang.core.testing import parse_html
from xieshang.opinions.actions.forwarding import forward_report
from xieshang.opinions.tests.conftest import World

pytestmark = pytest.mark.django_db


def test_the_level_starts_at_the_offices_own_council(world: World, clients: dict[str, Client]) -> None:
    [sent] = forward_report(
        world.adopted(), actor=world.actor("staff"), target="oversight", offices=[world.city_office]
    )
    url = reverse("opinions:office_item", kwargs={"council_slug": "city", "pk": sent.pk})
    page = parse_html(clients["oversight"].get(url).content)
    options = page.one("select", name="level").find_all("option")
    assert [o.attrs["value"] for o in options if "selected" in o.attrs] == ["city"]
