"""The guide at the top of the API docs names only operations that exist."""

from __future__ import annotations

import re

from config.api import GUIDE, api

OPERATION = re.compile(r"`(GET|POST|PUT|PATCH|DELETE) (/api/v1/[^`?\s]*)")


def test_every_operation_the_guide_names_is_in_the_schema() -> None:
    paths = api.get_openapi_schema()["paths"]
    named = OPERATION.findall(GUIDE)
    assert len(named) >= 10
    missing = [f"{method} {path}" for method, path in named if method.lower() not in paths.get(path, {})]
    assert not missing, missing


def test_the_guide_covers_each_subject_and_every_workflow_step() -> None:
    for heading in ("Authentication", "Versions and conflicts", "Pagination", "Errors", "Worked example"):
        assert f"## {heading}" in GUIDE
    for step in ("/proposals`", "/submit", "/accept", "/assign", "/reply", "/release", "/rate"):
        assert step in GUIDE
    assert api.description == GUIDE
