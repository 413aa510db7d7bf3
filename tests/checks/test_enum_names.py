"""Status and kind enums are called by their names: a one- or two-letter
alias (S = ProposalStatus, import ConsultationStatus as C) makes every reader
look up what the letter stands for in that module."""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
PRODUCTION = sorted(
    path
    for path in [*ROOT.glob("xieshang/**/*.py"), *ROOT.glob("config/*.py")]
    if "tests" not in path.parts and "migrations" not in path.parts
)
ALIAS = re.compile(r"[A-Z]{1,2}")


def letter_aliases(source: str) -> Iterator[str]:
    """Each alias of a name by one or two capital letters in source."""
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Assign) and isinstance(node.value, ast.Name):
            for target in node.targets:
                if isinstance(target, ast.Name) and ALIAS.fullmatch(target.id):
                    yield f"{node.lineno}: {target.id} = {node.value.id}"
        elif isinstance(node, ast.ImportFrom):
            for name in node.names:
                if name.asname and ALIAS.fullmatch(name.asname):
                    yield f"{node.lineno}: {name.name} as {name.asname}"


def test_no_production_module_calls_an_enum_by_a_letter():
    found = [
        f"{path.relative_to(ROOT)}:{alias}"
        for path in PRODUCTION
        for alias in letter_aliases(path.read_text(encoding="utf-8"))
    ]
    assert found == []


def test_a_planted_alias_is_reported():
    source = "from x.states import ConsultationStatus as C\n\nS = ProposalStatus\nMAX_ID = 2**63 - 1\n"
    assert list(letter_aliases(source)) == ["1: ConsultationStatus as C", "3: S = ProposalStatus"]
