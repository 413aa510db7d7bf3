"""Continuity across years: which years each theme was followed in (by a
consultation, a plan item, or a tagged proposal or opinion report), the
longest run of consecutive years, and for an upper council the same per
lower council as counts only."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, F

from xieshang.consultations.models import Consultation, PlanItem
from xieshang.core.errors import require
from xieshang.councils.models import Council
from xieshang.councils.roles import Actor, Perm
from xieshang.themes.queries import tag_counts

# The kinds of tagged items counted in their own columns, by the natural
# key of their content type (the apps owning them tag them: see themes).
PROPOSAL = ("proposals", "proposal")
OPINION_REPORT = ("opinions", "opinionreport")


def longest_run(years: Iterable[int]) -> tuple[int, int | None]:
    """The length of the longest run of consecutive years, and its last year
    (the latest such run when two are as long)."""
    best, best_end, run, previous = 0, None, 0, None
    for year in sorted(set(years)):
        run = run + 1 if previous is not None and year == previous + 1 else 1
        if run >= best:
            best, best_end = run, year
        previous = year
    return best, best_end


@dataclass
class ThemeYears:
    name: str
    counts: dict[int, int] = field(default_factory=dict)  # year → tagged items
    # Of those, over all years: tagged proposals and opinion reports.
    proposals: int = 0
    opinion_reports: int = 0

    @property
    def run(self) -> int:
        return longest_run(self.counts)[0]

    @property
    def run_until(self) -> int | None:
        return longest_run(self.counts)[1]


def theme_years(council: Council) -> dict[str, ThemeYears]:
    """Per theme name: how many items were tagged with it in each year."""
    out: dict[str, ThemeYears] = {}

    def add(rows: Iterable[Mapping[str, Any]], name_key: str) -> None:
        for row in rows:
            name = str(row[name_key])
            out.setdefault(name, ThemeYears(name))
            year = int(row["year"])
            out[name].counts[year] = out[name].counts.get(year, 0) + int(row["n"])

    add(
        Consultation.objects.filter(council=council, themes__isnull=False)
        .exclude(status="cancelled")
        .values("themes__name", "year")
        .annotate(n=Count("pk", distinct=True)),
        "themes__name",
    )
    add(
        PlanItem.objects.filter(council=council, is_withdrawn=False, themes__isnull=False)
        .values("themes__name", year=F("plan__year"))
        .annotate(n=Count("pk", distinct=True)),
        "themes__name",
    )
    tagged = tag_counts(council)
    add(tagged, "theme__name")
    for row in tagged:
        kind = (row["content_type__app_label"], row["content_type__model"])
        theme = out[str(row["theme__name"])]
        if kind == PROPOSAL:
            theme.proposals += int(row["n"])
        elif kind == OPINION_REPORT:
            theme.opinion_reports += int(row["n"])
    return out


@dataclass
class Continuity:
    themes: list[ThemeYears]
    years: list[int]
    lower: list[tuple[Council, list[ThemeYears]]]


def continuity(actor: Actor) -> Continuity:
    require(actor.has(Perm.VIEW_CONSULTATIONS))
    own = sorted(theme_years(actor.council).values(), key=lambda t: (-t.run, t.name))
    lower = [
        (child, sorted(theme_years(child).values(), key=lambda t: (-t.run, t.name)))
        for child in Council.objects.filter(parent=actor.council, is_active=True).order_by("name")
    ]
    years = sorted({y for t in own for y in t.counts} | {y for _c, ts in lower for t in ts for y in t.counts})
    return Continuity(themes=own, years=years, lower=lower)


__all__ = [
    "Continuity",
    "ThemeYears",
    "continuity",
    "longest_run",
    "theme_years",
]
