"""Template filters of the supervision pages."""

from __future__ import annotations

from django import template

from xieshang.supervision.states import STATUS_CSS, TargetState

register = template.Library()


@register.filter
def status_css(status: str) -> str:
    """The badge colour of a campaign, recommendation or letter status."""
    return STATUS_CSS.get(status, "text-bg-secondary")


@register.filter
def percent(rate: object) -> str:
    """A rate as "n / d (p%)", or "n / 0" when there is nothing to divide."""
    numerator = getattr(rate, "numerator", 0)
    denominator = getattr(rate, "denominator", 0)
    value = getattr(rate, "percent", None)
    return f"{numerator} / {denominator}" + (f"（{value}%）" if value is not None else "")


STATE_CSS: dict[str, str] = {
    TargetState.NOT_INSPECTED: "text-bg-secondary",
    TargetState.PROBLEMS_OPEN: "text-bg-danger",
    TargetState.RESOLVED: "text-bg-success",
}


@register.filter
def state_label(state: str) -> str:
    """The words for a target's state (not yet inspected, problems open, all resolved)."""
    labels: dict[str, str] = {value: str(label) for value, label in TargetState.choices}
    return labels.get(state, "")


@register.filter
def state_css(state: str) -> str:
    return STATE_CSS.get(state, "text-bg-secondary")
