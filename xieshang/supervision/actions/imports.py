"""Targets from an Excel workbook: one row per target, an error for each bad
row, and nothing imported unless every row is right."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import IO, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from xieshang.core.errors import require
from xieshang.core.spreadsheets import SheetLimits, read_rows
from xieshang.core.uploads import validate_upload
from xieshang.councils.roles import Actor
from xieshang.supervision import permissions as can
from xieshang.supervision.actions.campaigns import TargetData, add_targets, ensure_open, target_errors
from xieshang.supervision.models import SupervisionCampaign, SupervisionTarget
from xieshang.supervision.queries import target_kinds, units_of

# The header of each column, with the synonyms councils use.
COLUMNS: dict[str, tuple[str, ...]] = {
    "code": ("编号", "点位编号", "code"),
    "name": ("名称", "点位名称", "name"),
    "kind": ("类型", "类别", "kind"),
    "district": ("所在区县", "区县", "所在地", "district"),
    "handling_unit": ("责任单位", "责任部门", "responsible body"),
    "longitude": ("经度", "longitude"),
    "latitude": ("纬度", "latitude"),
}
REQUIRED = ("code", "name", "kind", "district", "handling_unit")
LIMITS = SheetLimits(rows=10_001, columns=12)
MAX_ERRORS_SHOWN = 50


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _header_map(header: tuple[Any, ...]) -> dict[str, int]:
    found: dict[str, int] = {}
    for index, cell in enumerate(header):
        title = _text(cell).lower()
        for key, names in COLUMNS.items():
            if title in names and key not in found:
                found[key] = index
    missing = [COLUMNS[key][0] for key in REQUIRED if key not in found]
    if missing:
        raise ValidationError(
            {
                "file": _("The first row must name the columns; missing: %(names)s.")
                % {"names": "、".join(missing)}
            }
        )
    return found


def _number(value: Any) -> Decimal | None:
    text = _text(value)
    if not text:
        return None
    try:
        return Decimal(text).quantize(Decimal("0.000001"))
    except InvalidOperation as exc:
        raise ValueError(text) from exc


class _Reader:
    def __init__(self, actor: Actor) -> None:
        self.council = actor.council
        self.kinds = {kind.name: kind for kind in target_kinds(actor.council, active_only=True)}
        self.units: dict[str, Any] = {}
        for unit in units_of(actor.council):
            self.units[unit.name] = unit
            if unit.short_name:
                self.units.setdefault(unit.short_name, unit)

    def row(self, columns: dict[str, int], values: tuple[Any, ...]) -> tuple[TargetData | None, str]:
        cell = {key: values[index] if index < len(values) else None for key, index in columns.items()}
        try:
            latitude, longitude = _number(cell.get("latitude")), _number(cell.get("longitude"))
        except ValueError:
            return None, _("longitude and latitude must be numbers.")
        data = TargetData(
            code=_text(cell["code"]),
            name=_text(cell["name"]),
            district=_text(cell["district"]),
            kind=self.kinds.get(_text(cell["kind"])),
            handling_unit=self.units.get(_text(cell["handling_unit"])),
            latitude=latitude,
            longitude=longitude,
        )
        errors = target_errors(self.council, data)
        if "kind" in errors and _text(cell["kind"]):
            errors["kind"] = _("no kind of target is called «%(kind)s».") % {"kind": _text(cell["kind"])[:30]}
        if "handling_unit" in errors and _text(cell["handling_unit"]):
            errors["handling_unit"] = _("no handling unit is called «%(unit)s».") % {
                "unit": _text(cell["handling_unit"])[:30]
            }
        return (None, " ".join(errors.values())) if errors else (data, "")


@transaction.atomic
def import_targets(
    campaign: SupervisionCampaign, *, actor: Actor, upload: IO[bytes]
) -> list[SupervisionTarget]:
    """Add the targets of an uploaded .xlsx to an open campaign, all or none.

    Raise PermissionDenied unless staff, InvalidTransition when concluded,
    ValidationError on "file" for a file that is no safe workbook or lacks a
    column, and naming each bad row (the first 50, counting the rest)."""
    require(can.is_staff(actor))
    ensure_open(campaign)
    validate_upload(upload, allowed_kinds=["xlsx"])  # type: ignore[arg-type]
    rows = read_rows(upload, limits=LIMITS)
    header = next(rows, None)
    if header is None:
        raise ValidationError({"file": _("The workbook is empty.")})
    columns = _header_map(header)
    reader = _Reader(actor)
    targets: list[TargetData] = []
    errors: list[str] = []
    for number, values in enumerate(rows, start=2):
        if not any(_text(v) for v in values):
            continue
        data, problem = reader.row(columns, values)
        if data is None:
            errors.append(_("Row %(row)s: %(problem)s") % {"row": number, "problem": problem})
        else:
            targets.append(data)
    if errors:
        shown = errors[:MAX_ERRORS_SHOWN]
        if len(errors) > MAX_ERRORS_SHOWN:
            shown.append(_("… and %(n)s more rows with errors.") % {"n": len(errors) - MAX_ERRORS_SHOWN})
        raise ValidationError({"file": shown})
    if not targets:
        raise ValidationError({"file": _("The workbook has no targets below its header.")})
    try:
        return add_targets(campaign, actor=actor, targets=targets)
    except ValidationError as error:
        raise ValidationError(
            {"file": [_("A code is used twice: %(detail)s") % {"detail": m} for m in error.messages]}
        ) from error
