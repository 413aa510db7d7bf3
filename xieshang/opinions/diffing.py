"""What staff changed in a report: a character diff of each section, as
segments the template escapes (never HTML built here)."""

from __future__ import annotations

import difflib
from dataclasses import dataclass

from xieshang.opinions.models import OpinionReportVersion

SECTION_FIELDS = ("title", "problem", "analysis", "suggestion")


@dataclass(frozen=True)
class Segment:
    kind: str  # "same", "added" or "removed"
    text: str


@dataclass(frozen=True)
class SectionDiff:
    name: str
    segments: tuple[Segment, ...]
    changed: bool


def diff_text(before: str, after: str) -> tuple[Segment, ...]:
    """Character-level diff (Chinese has no spaces between words)."""
    matcher = difflib.SequenceMatcher(a=before, b=after, autojunk=False)
    out: list[Segment] = []
    for op, a1, a2, b1, b2 in matcher.get_opcodes():
        if op == "equal":
            out.append(Segment("same", before[a1:a2]))
            continue
        if op in ("delete", "replace"):
            out.append(Segment("removed", before[a1:a2]))
        if op in ("insert", "replace"):
            out.append(Segment("added", after[b1:b2]))
    return tuple(out)


def diff_versions(old: OpinionReportVersion, new: OpinionReportVersion) -> list[SectionDiff]:
    sections = []
    for name in SECTION_FIELDS:
        before, after = getattr(old, name), getattr(new, name)
        sections.append(SectionDiff(name, diff_text(before, after), before != after))
    return sections
