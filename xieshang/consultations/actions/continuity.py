"""Continuity across years: which years each theme was followed in (by a
consultation, a plan item, or a tagged proposal or opinion report), the
longest run of consecutive years, and for an upper council the same per
lower council as counts only."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, F, Model
from django.utils.translation import gettext as _

from xieshang.consultations.actions.common import themes_named
from xieshang.consultations.models import Consultation, PlanItem, ThemeTag
from xieshang.consultations.taggable import kind_of_model
from xieshang.core.audit import audit
from xieshang.core.errors import Conflict, require
from xieshang.councils.models import Council
from xieshang.councils.roles import Actor, Perm


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
    tagged = list(
        ThemeTag.objects.filter(council=council)
        .values("theme__name", "year", "content_type__app_label", "content_type__model")
        .annotate(n=Count("pk"))
    )
    add(tagged, "theme__name")
    for row in tagged:
        kind = kind_of_model(row["content_type__app_label"], row["content_type__model"])
        theme = out[str(row["theme__name"])]
        if kind is not None and kind.key == "proposal":
            theme.proposals += int(row["n"])
        elif kind is not None and kind.key == "opinion":
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


@transaction.atomic
def tag_item(obj: Model, *, year: int, names: Iterable[str], actor: Actor) -> list[ThemeTag]:
    """Tag an item of this council (a proposal, an opinion report) with
    themes, for the year it belongs to."""
    require(actor.has(Perm.MANAGE_CONSULTATIONS) and getattr(obj, "council_id", None) == actor.council.pk)
    names = list(names)
    if not any(name.strip() for name in names):
        raise ValidationError({"names": _("Choose or type a theme.")})
    kind = ContentType.objects.get_for_model(obj)
    tags = []
    for theme in themes_named(actor, names):
        tag, _created = ThemeTag.objects.get_or_create(
            council=actor.council, theme=theme, content_type=kind, object_id=obj.pk, defaults={"year": year}
        )
        tags.append(tag)
    audit(
        "consultations.theme_tagged",
        user=actor.user,
        council=actor.council,
        obj=obj,
        data={"themes": [t.theme.name for t in tags]},
    )
    return tags


@transaction.atomic
def untag_item(tag: ThemeTag, *, actor: Actor) -> None:
    """Remove a theme from an item of this council."""
    require(actor.has(Perm.MANAGE_CONSULTATIONS) and tag.council_id == actor.council.pk)
    current = ThemeTag.objects.select_for_update().select_related("theme").filter(pk=tag.pk).first()
    if current is None:
        # Removed by another request since it was read.
        raise Conflict()
    tag = current
    item = tag.content_type.get_object_for_this_type(pk=tag.object_id)
    tag.delete()
    audit(
        "consultations.theme_untagged",
        user=actor.user,
        council=actor.council,
        obj=item,
        data={"theme": tag.theme.name},
    )


__all__ = [
    "Continuity",
    "ThemeYears",
    "continuity",
    "longest_run",
    "tag_item",
    "theme_years",
    "untag_item",
]
