"""Every API write that answers a version is checked against the database.

The apps' test_api_write_versions modules send each such write and compare
the version it answers with the stored row; this test proves that together
they leave none of the schema's operations out (and name none that is gone).
"""

from __future__ import annotations

import importlib

from config.api import api
from tests.api.versions import operations_answering_version

MODULES = [
    "xieshang.councils.tests.test_api_write_versions",
    "xieshang.opinions.tests.test_api_write_versions",
    "xieshang.proposals.tests.test_api_write_versions",
    "xieshang.consultations.tests.test_api_write_versions",
    "xieshang.liaison.tests.test_api_write_versions",
    "xieshang.supervision.tests.test_api_write_versions",
]


def test_every_write_answering_a_version_has_a_case() -> None:
    checked: set[str] = set()
    for name in MODULES:
        checked |= set(importlib.import_module(name).CASES)
    answering = set(operations_answering_version(api.get_openapi_schema()))
    assert answering, "the schema should have writes answering a version"
    assert sorted(answering - checked) == [], "writes answering a version without a case"
    assert sorted(checked - answering) == [], "cases for operations that no longer answer a version"
