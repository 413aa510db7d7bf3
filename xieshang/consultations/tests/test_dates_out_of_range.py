"""A consultation day far outside the planning range is a clear input error,
not a server error (the working-day arithmetic cannot reach year 9999)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from xieshang.consultations.actions import consultations as actions
from xieshang.consultations.models import Consultation

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("year", [1, 1999, 2101, 9999])
def test_a_day_outside_the_planning_years_is_refused_and_nothing_is_created(world, year):
    starts_at = timezone.make_aware(dt.datetime(year, 12, 31, 23, 0), dt.UTC)
    details = actions.ConsultationDetails(kind="topic", topic="养老服务", starts_at=starts_at)
    with pytest.raises(ValidationError) as raised:
        actions.create_consultation(details=details, actor=world.actor("staff"))
    assert "starts_at" in raised.value.message_dict
    assert not Consultation.objects.exists()
