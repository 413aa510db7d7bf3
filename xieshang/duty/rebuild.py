"""Rebuilding automatic duty records from their sources: a council's whole
year (the nightly job, staff's 立即重建记录, a change of rules), or one
member's open years after an event of theirs (duty/refresh.py).

A rebuild makes the records equal to what the sources say now and is
idempotent; it marks when the members it covered were brought up to date
(DutyFreshness), which the duty page shows.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction
from django.db.models import QuerySet
from django.utils import timezone

from xieshang.councils.models import Council, Member
from xieshang.duty.models import DESCRIPTION_MAX, DutyAssessment, DutyFreshness, DutyRecord
from xieshang.duty.queries import rules_for
from xieshang.duty.sources import SOURCES, Source
from xieshang.duty.states import AssessmentStatus

BATCH = 2000


@dataclass(frozen=True)
class RebuildResult:
    created: int
    updated: int
    removed: int
    total: int


@transaction.atomic
def rebuild_duty_records(
    council: Council, year: int, *, sources: Sequence[Source] = SOURCES, member_id: int | None = None
) -> RebuildResult:
    """Make the automatic records of council's year equal to what the sources
    say now: add the new facts, update changed ones, remove vanished ones.
    Given member_id, do so for that member's records only.

    Running it again without changes in the sources changes nothing; manual
    records are never touched. A fact that moved from another year (a
    proposal resubmitted in a later year) moves with it, so it counts once.
    """
    began = timezone.now()
    content_types: dict[type, int] = {}
    wanted = _wanted(council, year, sources, content_types, member_id)
    automatic = DutyRecord.objects.filter(council=council, is_manual=False)
    if member_id is not None:
        automatic = automatic.filter(member_id=member_id)
    existing = _existing(automatic, year)
    moved_ids = _moved_here(automatic, year, content_types, wanted)
    removed_ids = [pk for key, (pk, _values) in existing.items() if key not in wanted]
    for ids in (removed_ids, moved_ids):
        for start in range(0, len(ids), BATCH):
            DutyRecord.objects.filter(pk__in=ids[start : start + BATCH]).delete()
    created, updated = _write_changes(council, year, wanted, existing)
    if year == timezone.localdate(began).year:
        _mark_fresh(council, began, member_id)
    return RebuildResult(
        created=created,
        updated=updated,
        removed=len(removed_ids) + len(moved_ids),
        total=len(wanted),
    )


# A record's identity (member, kind, source type, source id) and its values
# (points, role, day, description).
RecordKey = tuple[int, str, int, int]
RecordValues = tuple[int, str, dt.date, str]


def _wanted(
    council: Council,
    year: int,
    sources: Sequence[Source],
    content_types: dict[type, int],
    member_id: int | None,
) -> dict[RecordKey, RecordValues]:
    """The records the sources say the year should have (of member_id only,
    when given), scored by the year's rules; content_types fills with the
    source models seen."""
    table = rules_for(council, year)
    wanted: dict[RecordKey, RecordValues] = {}
    for source in sources:
        for fact in source.collect(council, year, member_id):
            if member_id is not None and fact.member_id != member_id:
                continue  # a co-signer's fact of the member's proposal
            type_id = content_types.get(fact.source_model)
            if type_id is None:
                type_id = content_types[fact.source_model] = ContentType.objects.get_for_model(
                    fact.source_model
                ).pk
            rule = table.rules.get(fact.kind)
            points = rule.points_for(fact.role) if rule is not None else 0
            key = (fact.member_id, fact.kind, type_id, fact.source_id)
            # The first fact for a key wins: a lead who also co-signed counts as lead.
            wanted.setdefault(key, (points, fact.role, fact.occurred_on, fact.description[:DESCRIPTION_MAX]))
    return wanted


def _existing(
    automatic: QuerySet[DutyRecord], year: int
) -> dict[tuple[int, str, int, int | None], tuple[int, RecordValues]]:
    """The year's automatic records now, by key: their id and values."""
    existing: dict[tuple[int, str, int, int | None], tuple[int, RecordValues]] = {}
    for pk, member_id, kind, type_id, source_id, points, role, occurred_on, description in (
        automatic.filter(year=year)
        .values_list(
            "id",
            "member_id",
            "kind",
            "source_type_id",
            "source_id",
            "points",
            "role",
            "occurred_on",
            "description",
        )
        .iterator(chunk_size=5000)
    ):
        existing[(member_id, kind, type_id, source_id)] = (pk, (points, role, occurred_on, description))
    return existing


def _moved_here(
    automatic: QuerySet[DutyRecord],
    year: int,
    content_types: dict[type, int],
    wanted: dict[RecordKey, RecordValues],
) -> list[int]:
    """Facts recorded under another year that now belong to this one."""
    if not content_types:
        return []
    return [
        pk
        for pk, member_id, kind, type_id, source_id in (
            automatic.exclude(year=year)
            .filter(source_type_id__in=content_types.values())
            .values_list("id", "member_id", "kind", "source_type_id", "source_id")
            .iterator(chunk_size=5000)
        )
        if (member_id, kind, type_id, source_id) in wanted
    ]


def _write_changes(
    council: Council,
    year: int,
    wanted: dict[RecordKey, RecordValues],
    existing: dict[tuple[int, str, int, int | None], tuple[int, RecordValues]],
) -> tuple[int, int]:
    """Insert the new records and update the changed ones; return how many of each."""
    now = timezone.now()
    to_create: list[NewRecordRow] = []
    to_update: list[DutyRecord] = []
    for key, values in wanted.items():
        member_id, kind, type_id, source_id = key
        points, role, occurred_on, description = values
        current = existing.get(key)
        if current is None:
            to_create.append(
                (
                    council.pk,
                    member_id,
                    year,
                    kind,
                    points,
                    type_id,
                    source_id,
                    role,
                    occurred_on,
                    description,
                    now,
                )
            )
        elif current[1] != values:
            to_update.append(
                DutyRecord(
                    pk=current[0], points=points, role=role, occurred_on=occurred_on, description=description
                )
            )
    _insert_automatic(to_create)
    DutyRecord.objects.bulk_update(
        to_update, ["points", "role", "occurred_on", "description"], batch_size=BATCH
    )
    return len(to_create), len(to_update)


_INSERT_COLUMNS = (
    "council_id",
    "member_id",
    "year",
    "kind",
    "points",
    "source_type_id",
    "source_id",
    "role",
    "occurred_on",
    "description",
    "created_at",
)


# council, member, year, kind, points, source type, source id, role, date, description, created
NewRecordRow = tuple[int, int, int, str, int, int, int, str, dt.date, str, dt.datetime]


def _insert_automatic(rows: Sequence[NewRecordRow]) -> None:
    """Insert new automatic records with one prepared statement.

    A plain multi-row INSERT (the same on SQLite and PostgreSQL): the ORM's
    bulk_create spends most of a year's rebuild building model instances and
    compiling parameters, and these rows need neither.
    """
    if not rows:
        return
    ops = connection.ops
    table = ops.quote_name(DutyRecord._meta.db_table)
    columns = ", ".join(ops.quote_name(c) for c in (*_INSERT_COLUMNS, "is_manual"))
    placeholders = ", ".join(["%s"] * (len(_INSERT_COLUMNS) + 1))
    # Table and column names come from the model's metadata, values are parameters.
    sql = f"INSERT INTO {table} ({columns}) VALUES ({placeholders})"  # noqa: S608
    with connection.cursor() as cursor:
        for start in range(0, len(rows), BATCH):
            chunk = rows[start : start + BATCH]
            cursor.executemany(
                sql,
                [
                    (
                        *row[:8],
                        ops.adapt_datefield_value(row[8]),
                        row[9],
                        ops.adapt_datetimefield_value(row[10]),
                        False,
                    )
                    for row in chunk
                ],
            )


def _mark_fresh(council: Council, began: dt.datetime, member_id: int | None) -> None:
    """Record that the council's members (or member_id) were brought up to
    date by a rebuild that began at began."""
    ids = (
        [member_id]
        if member_id is not None
        else list(Member.objects.filter(council=council).values_list("id", flat=True))
    )
    for start in range(0, len(ids), BATCH):
        DutyFreshness.objects.bulk_create(
            [
                DutyFreshness(council=council, member_id=pk, refreshed_at=began)
                for pk in ids[start : start + BATCH]
            ],
            update_conflicts=True,
            unique_fields=["member"],
            update_fields=["refreshed_at"],
        )


def open_years(council: Council, this_year: int) -> list[int]:
    """This year, and last year while its assessment is not yet published
    (late acceptances and corrected attendance still land in it)."""
    published = DutyAssessment.objects.filter(
        council=council, year=this_year - 1, status=AssessmentStatus.PUBLISHED
    ).exists()
    return [this_year] if published else [this_year - 1, this_year]


@transaction.atomic
def refresh_member_records(member: Member) -> list[RebuildResult]:
    """Rebuild member's automatic records of the council's open years, and
    nobody else's."""
    council = member.council
    return [
        rebuild_duty_records(council, year, member_id=member.pk)
        for year in open_years(council, timezone.localdate().year)
    ]
