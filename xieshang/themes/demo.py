"""Demo tags: the proposals and opinion reports whose titles speak of a
theme the demo city follows are tagged with it (see proposals/demo.py and
opinions/demo.py, which hand over their own items)."""

from __future__ import annotations

from collections.abc import Callable

from django.db.models import Model, Q, QuerySet

from xieshang.councils.roles import Actor
from xieshang.themes.actions import tag_item

THEME_WORDS: dict[str, tuple[str, ...]] = {
    "乡村振兴": ("乡村", "农村", "农业"),
    "营商环境": ("营商", "中小企业", "民营"),
    "水环境治理": ("水环境", "河湖", "流域", "污水"),
}


def tag_by_title[M: Model](
    rows: QuerySet[M], *, year_of: Callable[[M], int], staff: Actor, per_theme: int = 8
) -> int:
    """Tag the first few of rows (filed items of staff's council) whose
    titles name a followed theme; return how many tags were made or kept."""
    count = 0
    for theme, words in THEME_WORDS.items():
        matching = Q()
        for word in words:
            matching |= Q(title__contains=word)
        for obj in rows.filter(matching).order_by("id")[:per_theme]:
            count += len(tag_item(obj, year=year_of(obj), names=[theme], actor=staff))
    return count
