"""Scoring arithmetic: pure functions over rules and record facts.

No database here, so that the preview of changed rules, the assessment and
the member's page all compute a score the same way, and the arithmetic is
tested by hand-built cases.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from xieshang.duty.states import DEFAULT_GRADE_BANDS, DutyKind, Grade, SourceRole, grade_for


@dataclass(frozen=True)
class Rule:
    """One line of the scoring table (see models.ScoringRule)."""

    kind: str
    points: int
    cosigner_points: int | None = None
    cap_per_year: int | None = None
    shares_cap_of: str = ""

    def points_for(self, role: str) -> int:
        if role == SourceRole.COSIGNER and self.cosigner_points is not None:
            return self.cosigner_points
        return self.points


# DOMAIN.md §3. Joint work: lead 10, each co-signer 5. Outstanding and key
# proposals are recorded but score nothing until a council says otherwise.
DEFAULT_RULES: tuple[Rule, ...] = (
    Rule(DutyKind.BASE, 60),
    Rule(DutyKind.PLENARY_PRESENT, 10),
    Rule(DutyKind.PLENARY_EXCUSED, 6),
    Rule(DutyKind.PLENARY_ABSENT, -30),
    Rule(DutyKind.STANDING_COMMITTEE_MEETING, 5),
    Rule(DutyKind.PROPOSAL_FILED, 10, cosigner_points=5, cap_per_year=25),
    Rule(DutyKind.PROPOSAL_ACCEPTED, 15, cosigner_points=5, shares_cap_of=DutyKind.PROPOSAL_FILED),
    Rule(DutyKind.PROPOSAL_OUTSTANDING, 0, shares_cap_of=DutyKind.PROPOSAL_FILED),
    Rule(DutyKind.PROPOSAL_KEY, 0, shares_cap_of=DutyKind.PROPOSAL_FILED),
    Rule(DutyKind.OPINION_REPORT, 10, cosigner_points=5, cap_per_year=30),
    Rule(DutyKind.OPINION_ADOPTED, 5, shares_cap_of=DutyKind.OPINION_REPORT),
    Rule(DutyKind.OPINION_INSTRUCTED, 10, shares_cap_of=DutyKind.OPINION_REPORT),
    Rule(DutyKind.SPEECH, 5),
    Rule(DutyKind.ACTIVITY, 2, cap_per_year=10),
    Rule(DutyKind.SUPERVISION, 2, cap_per_year=10),
)


@dataclass(frozen=True)
class RuleTable:
    """A year's scoring lines by kind, and the grade bands that apply."""

    rules: Mapping[str, Rule]
    is_default: bool = False
    bands: tuple[int, int, int] = DEFAULT_GRADE_BANDS

    @classmethod
    def of(
        cls,
        rules: Iterable[Rule],
        *,
        is_default: bool = False,
        bands: tuple[int, int, int] = DEFAULT_GRADE_BANDS,
    ) -> RuleTable:
        return cls(rules={r.kind: r for r in rules}, is_default=is_default, bands=bands)

    def grade(self, score: int) -> Grade:
        return grade_for(score, self.bands)

    @property
    def base(self) -> int:
        rule = self.rules.get(DutyKind.BASE)
        return rule.points if rule is not None else 0

    def cap_group(self, kind: str) -> str:
        rule = self.rules.get(kind)
        return (rule.shares_cap_of or rule.kind) if rule is not None else kind

    def cap_of(self, group: str) -> int | None:
        rule = self.rules.get(group)
        return rule.cap_per_year if rule is not None else None


def default_table(bands: tuple[int, int, int] = DEFAULT_GRADE_BANDS) -> RuleTable:
    return RuleTable.of(DEFAULT_RULES, is_default=True, bands=bands)


@dataclass(frozen=True)
class RecordFact:
    """What scoring needs of a record."""

    member_id: int
    kind: str
    role: str
    points: int
    is_manual: bool


@dataclass(frozen=True)
class MemberScore:
    member_id: int
    base: int
    by_kind: Mapping[str, int]
    capped_groups: frozenset[str]
    total: int
    record_count: int
    grade: Grade


def record_points(fact: RecordFact, table: RuleTable) -> int:
    """Points of one record before caps: manual records carry their own;
    automatic ones score by the table (nothing for a kind not in it)."""
    if fact.is_manual:
        return fact.points
    rule = table.rules.get(fact.kind)
    return rule.points_for(fact.role) if rule is not None else 0


def score_members(
    member_ids: Iterable[int], facts: Iterable[RecordFact], table: RuleTable
) -> dict[int, MemberScore]:
    """Score every member in member_ids from facts under table.

    Score = base + for each cap group, the sum of its records' points, held
    to the group's yearly cap when it has one. Negative items (unexcused
    absence) are never capped away: a cap only limits a group's sum from above.
    """
    by_kind: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    by_group: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    counts: dict[int, int] = defaultdict(int)
    for fact in facts:
        points = record_points(fact, table)
        by_kind[fact.member_id][fact.kind] += points
        by_group[fact.member_id][table.cap_group(fact.kind)] += points
        counts[fact.member_id] += 1
    out: dict[int, MemberScore] = {}
    for member_id in member_ids:
        total = table.base
        capped: set[str] = set()
        for group, points in by_group.get(member_id, {}).items():
            cap = table.cap_of(group)
            if cap is not None and points > cap:
                points = cap
                capped.add(group)
            total += points
        out[member_id] = MemberScore(
            member_id=member_id,
            base=table.base,
            by_kind=dict(by_kind.get(member_id, {})),
            capped_groups=frozenset(capped),
            total=total,
            record_count=counts.get(member_id, 0),
            grade=table.grade(total),
        )
    return out


def validate_rules(rules: Sequence[Rule]) -> None:
    """Raise ValidationError naming every problem of a rule table: unknown or
    repeated items, negative caps, caps shared with a line that is missing,
    is itself, or itself shares another line's cap (overlapping caps)."""
    problems: list[str] = []
    labels = dict(DutyKind.choices)
    seen: set[str] = set()
    for rule in rules:
        label = labels.get(rule.kind, rule.kind)
        if rule.kind not in labels:
            problems.append(_("“%(item)s” is not a known item.") % {"item": rule.kind})
        if rule.kind in seen:
            problems.append(_("The item “%(item)s” appears more than once.") % {"item": label})
        seen.add(rule.kind)
        if rule.cap_per_year is not None and rule.cap_per_year < 0:
            problems.append(_("The cap of “%(item)s” cannot be negative.") % {"item": label})
        if rule.kind == DutyKind.BASE and (
            rule.cap_per_year is not None or rule.shares_cap_of or rule.cosigner_points
        ):
            problems.append(_("The base points take no cap and no co-signer split."))
    by_kind = {r.kind: r for r in rules}
    for rule in rules:
        if not rule.shares_cap_of:
            continue
        label = labels.get(rule.kind, rule.kind)
        target = by_kind.get(rule.shares_cap_of)
        if rule.shares_cap_of == rule.kind:
            problems.append(_("“%(item)s” cannot count toward its own cap.") % {"item": label})
        elif target is None:
            problems.append(
                _("“%(item)s” counts toward the cap of an item that is not in the table.") % {"item": label}
            )
        elif target.shares_cap_of:
            problems.append(
                _("“%(item)s” counts toward the cap of an item that itself counts toward another cap.")
                % {"item": label}
            )
        elif rule.cap_per_year is not None:
            problems.append(
                _("“%(item)s” has its own cap and also counts toward another item's cap; keep one.")
                % {"item": label}
            )
        elif target.kind == DutyKind.BASE:
            problems.append(_("No item can count toward the base points."))
    if problems:
        raise ValidationError(problems)


@dataclass(frozen=True)
class PreviewRow:
    member_id: int
    before: MemberScore
    after: MemberScore

    @property
    def grade_changed(self) -> bool:
        return self.before.grade != self.after.grade


@dataclass(frozen=True)
class Preview:
    rows: Sequence[PreviewRow]

    @property
    def score_changes(self) -> int:
        return sum(1 for r in self.rows if r.before.total != r.after.total)

    @property
    def grade_changes(self) -> list[PreviewRow]:
        return [r for r in self.rows if r.grade_changed]


def preview(
    member_ids: Sequence[int], facts: Sequence[RecordFact], before: RuleTable, after: RuleTable
) -> Preview:
    """Both scorings of the same records, member by member."""
    old = score_members(member_ids, facts, before)
    new = score_members(member_ids, facts, after)
    return Preview(rows=[PreviewRow(member_id=m, before=old[m], after=new[m]) for m in member_ids])


def median(values: Sequence[int]) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    middle = len(ordered) // 2
    if len(ordered) % 2:
        return float(ordered[middle])
    return (ordered[middle - 1] + ordered[middle]) / 2
