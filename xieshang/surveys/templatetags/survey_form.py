"""What the answer form needs to show posted answers again after an error."""

from __future__ import annotations

from typing import Any

from django import template

register = template.Library()


@register.filter
def posted(given: Any, name: str) -> list[str]:
    """Every value posted under name (none when nothing was posted)."""
    return list(given.getlist(name)) if hasattr(given, "getlist") else []


@register.filter
def posted_one(given: Any, name: str) -> str:
    return str(given.get(name, "")) if hasattr(given, "get") else ""


@register.filter
def field_name(question: Any, suffix: str = "") -> str:
    return f"q{question.pk}{suffix}"


@register.filter
def error_of(errors: dict[str, str], question: Any) -> str:
    return errors.get(f"q{question.pk}", "")


@register.simple_tag
def scale_values(question: Any) -> range:
    return range(1, question.scale_max + 1)


@register.simple_tag
def row_field(question: Any, row: int) -> str:
    return f"q{question.pk}_r{row}"
