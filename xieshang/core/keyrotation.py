"""Re-encrypting personal data under the current key, and recomputing blind
indexes after the index key changed (`manage.py rotate_data_keys`).

Every concrete EncryptedTextField of every installed model is found through
apps.get_models(). Convention for blind indexes: an encrypted field `<x>` has
its index in a CharField named `<x>_index` on the same model, and the model's
save() derives `<x>_index` from `<x>` (with any normalising, such as upper-
casing ID numbers). Re-indexing therefore saves each row with
update_fields=[the index fields]; nothing else on the row is written.

Rows are processed in primary-key order, in batches, each batch locked and
re-read inside its own transaction, so that a concurrent edit is never
overwritten with an older value. Running again is harmless: values already
under the current key, and indexes already right, are left alone.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from django.apps import apps
from django.db import models, transaction
from django.db.models.functions import Cast

from xieshang.core import crypto
from xieshang.core.fields import EncryptedTextField

BATCH_SIZE = 500


@dataclass(frozen=True)
class EncryptedModel:
    """A model with encrypted columns, and the blind-index columns beside them."""

    model: type[models.Model]
    fields: tuple[EncryptedTextField, ...]
    index_fields: tuple[str, ...]

    @property
    def label(self) -> str:
        return self.model._meta.label_lower


@dataclass
class FieldCounts:
    rotated: int = 0
    current: int = 0
    empty: int = 0


def encrypted_models() -> list[EncryptedModel]:
    """Every installed, managed, concrete model with an EncryptedTextField."""
    found = []
    for model in apps.get_models():
        meta = model._meta
        if meta.proxy or not meta.managed:
            continue
        fields = tuple(f for f in meta.concrete_fields if isinstance(f, EncryptedTextField))
        if not fields:
            continue
        names = {f.name for f in meta.concrete_fields}
        index_fields = tuple(f"{f.name}_index" for f in fields if f"{f.name}_index" in names)
        found.append(EncryptedModel(model, fields, index_fields))
    return found


def _raw_name(field: EncryptedTextField) -> str:
    return f"raw_{field.attname}"


def _pk_batches(model: type[models.Model], batch_size: int) -> Iterator[list[object]]:
    last = None
    while True:
        rows = model._base_manager.order_by("pk")
        if last is not None:
            rows = rows.filter(pk__gt=last)
        pks = list(rows.values_list("pk", flat=True)[:batch_size])
        if not pks:
            return
        yield pks
        last = pks[-1]


def rotate_model(target: EncryptedModel, *, batch_size: int = BATCH_SIZE) -> dict[str, FieldCounts]:
    """Re-encrypt target's values that are not under the current key (or not
    encrypted at all, from before encryption); return counts per field."""
    current = crypto.current_key_id()
    counts = {f.name: FieldCounts() for f in target.fields}
    # The stored text itself, without the field's decryption on read.
    raw = {_raw_name(f): Cast(f.attname, output_field=models.TextField()) for f in target.fields}
    manager = target.model._base_manager
    for pks in _pk_batches(target.model, batch_size):
        with transaction.atomic():
            locked = manager.select_for_update().filter(pk__in=pks).annotate(**raw)
            for row in locked.values("pk", *raw):
                changes: dict[str, str] = {}
                for field in target.fields:
                    stored = row[_raw_name(field)] or ""
                    if not stored:
                        counts[field.name].empty += 1
                    elif crypto.is_encrypted(stored) and crypto.key_id_of(stored) == current:
                        counts[field.name].current += 1
                    else:
                        plaintext = crypto.decrypt(stored) if crypto.is_encrypted(stored) else stored
                        # update() passes the value through the field: encrypted under `current`.
                        changes[field.attname] = plaintext
                        counts[field.name].rotated += 1
                if changes:
                    manager.filter(pk=row["pk"]).update(**changes)
    return counts


def reindex_model(target: EncryptedModel, *, batch_size: int = BATCH_SIZE) -> int:
    """Recompute target's blind-index columns with the current index key;
    return how many rows changed."""
    if not target.index_fields:
        return 0
    changed = 0
    manager = target.model._base_manager
    for pks in _pk_batches(target.model, batch_size):
        with transaction.atomic():
            for obj in manager.select_for_update().filter(pk__in=pks):
                before = [getattr(obj, name) for name in target.index_fields]
                obj.save(update_fields=list(target.index_fields))
                if [getattr(obj, name) for name in target.index_fields] != before:
                    changed += 1
    return changed
