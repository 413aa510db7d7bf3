"""demo_logins before the demo exists. (Apart from test_seed_demo.py, whose
tests share one seeded demo.)"""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import translation

pytestmark = pytest.mark.django_db


def test_demo_logins_says_to_seed_first_when_there_is_no_demo() -> None:
    out = StringIO()
    with translation.override("en"):
        call_command("demo_logins", stdout=out)
    assert "seed_demo" in out.getvalue()
