"""Each API answer is described once, by its Schema (docs/architecture.md,
"The HTTP API"): an API module that spells out every field of an answer
again, in a dict built by hand, is reported."""

from __future__ import annotations

import ast
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from config.api import api

ROOT = Path(__file__).resolve().parent.parent.parent
API_MODULES = sorted([*ROOT.glob("xieshang/*/api.py"), *ROOT.glob("xieshang/*/api/*.py")])
# The page of every list is shaped once, by core's one_page.
SHAPED_ONCE = {ROOT / "xieshang" / "core" / "api.py"}
# An answer of one or two fields (a wrapper such as {"items": …}) names
# itself without repeating anything worth a check.
FEWEST_FIELDS = 3


def answer_fields(schema: dict[str, Any]) -> dict[str, frozenset[str]]:
    """Every component an operation answers with, nested ones included: its
    name and its fields, read from the OpenAPI schema."""
    components = schema["components"]["schemas"]
    found: dict[str, frozenset[str]] = {}

    def visit(node: Any) -> None:
        if isinstance(node, dict):
            ref = node.get("$ref")
            if isinstance(ref, str):
                name = ref.rsplit("/", 1)[-1]
                if name not in found:
                    found[name] = frozenset(components[name].get("properties", {}))
                    visit(components[name])
            for value in node.values():
                visit(value)
        elif isinstance(node, list):
            for value in node:
                visit(value)

    for operations in schema["paths"].values():
        for operation in operations.values():
            for status, response in operation["responses"].items():
                if str(status).startswith("2"):
                    visit(response)
    return found


def hand_written_answers(
    sources: Iterable[tuple[str, str]], answers: dict[str, frozenset[str]]
) -> Iterator[str]:
    """Where a dict display names every field of an answer: "where: Answer"."""
    for where, source in sources:
        for node in ast.walk(ast.parse(source)):
            if not isinstance(node, ast.Dict):
                continue
            keys = {
                key.value for key in node.keys if isinstance(key, ast.Constant) and isinstance(key.value, str)
            }
            for name, fields in sorted(answers.items()):
                if len(fields) >= FEWEST_FIELDS and fields <= keys:
                    yield f"{where}:{node.lineno}: {name}"


def _sources() -> list[tuple[str, str]]:
    return [
        (str(path.relative_to(ROOT)), path.read_text(encoding="utf-8"))
        for path in API_MODULES
        if path not in SHAPED_ONCE
    ]


def test_no_api_module_writes_an_answer_out_by_hand():
    answers = answer_fields(api.get_openapi_schema())
    assert "ProposalDetailOut" in answers
    assert list(hand_written_answers(_sources(), answers)) == []


def test_a_planted_answer_written_out_by_hand_is_reported():
    planted = (
        "def files_out(row):\n"
        "    return {'id': row.pk, 'name': row.original_name, 'content_type': row.content_type,\n"
        "            'size': row.size, 'uploaded_at': row.uploaded_at}\n"
    )
    answers = answer_fields(api.get_openapi_schema())
    assert list(hand_written_answers([("planted.py", planted)], answers)) == ["planted.py:2: AttachmentOut"]
