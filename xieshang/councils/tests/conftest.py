"""Fixtures of the councils app's tests."""

from __future__ import annotations

from typing import Any

import pytest

from xieshang.councils.tests.rosters import make_bodies


@pytest.fixture
def bodies(cast: Any) -> dict[str, Any]:
    """The city's sector, affiliation, committees and group that roster rows name."""
    return make_bodies(cast)
