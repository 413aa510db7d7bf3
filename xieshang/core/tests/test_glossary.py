"""docs/glossary.md names every model of the code, so that the names the
code uses are the names the glossary gives."""

from __future__ import annotations

import re
from pathlib import Path

from django.apps import apps
from django.conf import settings

GLOSSARY = Path(settings.BASE_DIR) / "docs" / "glossary.md"


def names_in(text: str) -> set[str]:
    """Every identifier written in backticks (`Reply.category` names Reply
    and category; `MemberGroup(kind=supervisors)` names MemberGroup …)."""
    return {name for span in re.findall(r"`([^`]+)`", text) for name in re.findall(r"[A-Za-z_]\w*", span)}


def models_missing_from(text: str) -> list[str]:
    named = names_in(text)
    return sorted(
        model._meta.label
        for model in apps.get_models()
        if model.__module__.startswith("xieshang.") and model.__name__ not in named
    )


def test_every_model_is_named_in_the_glossary() -> None:
    assert models_missing_from(GLOSSARY.read_text(encoding="utf-8")) == []


def test_a_model_without_its_line_is_reported() -> None:
    text = GLOSSARY.read_text(encoding="utf-8")
    without = re.sub(r"`LiaisonVisit`", "a visit", text)
    assert models_missing_from(without) == ["liaison.LiaisonVisit"]
    # A name only in prose, not in backticks, does not count.
    assert "liaison.LiaisonVisit" in models_missing_from(without + "\nLiaisonVisit\n")
