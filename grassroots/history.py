"""Readable audit trail from django-simple-history records: who changed what, when, old -> new.

`history_entries(records)` turns a page of historical records (of one model, newest first) into
entries with the changed fields, in a constant number of queries: one for the predecessors of the
whole page and one per foreign-key model for the names shown instead of ids.

Bulk writes (imports) record history only through simple_history.utils.bulk_create_with_history /
bulk_update_with_history; a plain bulk_create or QuerySet.update() leaves no trace here.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, cast

from django.db import models
from django.utils import timezone

# Bookkeeping columns that are not the user's data.
HIDDEN_FIELDS = {"id", "version", "created_at", "updated_at", "search_text"}
KIND_LABELS = {"+": "Tạo mới", "~": "Sửa", "-": "Xoá"}

# A change ("~") is named by what it did when its fields say so: a transfer, a leaving, a
# dissolution is not shown as a plain "Sửa". Keyed by the model's label (no import of the
# models of other apps); each rule reads {field attname: (old, new)} of the changed fields.
Changed = dict[str, tuple[Any, Any]]


def _member_change(changed: Changed) -> str | None:
    if "left_on" in changed:
        old, new = changed["left_on"]
        if old is None and new is not None:
            return "Ra khỏi công đoàn"
        if old is not None and new is None:
            return "Kết nạp lại"
    if "grassroots_id" in changed:
        return "Chuyển sinh hoạt"
    return None


def _grassroots_change(changed: Changed) -> str | None:
    if "dissolved_on" in changed:
        old, new = changed["dissolved_on"]
        if old is None and new is not None:
            return "Giải thể"
    if "district_union_id" in changed:
        return "Chuyển đơn vị cấp trên"
    return None


CHANGE_NAMERS = {"members.member": _member_change, "grassroots.grassrootsunion": _grassroots_change}


def change_kind(history_type: str, model_label: str, changed: Changed) -> str:
    """ "Chuyển sinh hoạt", "Ra khỏi công đoàn", ... for a change whose fields say so; else
    "Tạo mới" / "Sửa" / "Xoá"."""
    if history_type == "~":
        namer = CHANGE_NAMERS.get(model_label)
        named = namer(changed) if namer else None
        if named:
            return named
    return KIND_LABELS.get(history_type, history_type)


@dataclass(frozen=True)
class FieldChange:
    name: str
    label: str
    old: str
    new: str


@dataclass
class HistoryEntry:
    record: Any  # a row of a model simple-history generates (`Historical<Model>`)
    when: datetime
    user: object
    kind: str
    reason: str
    changes: list[FieldChange] = field(default_factory=list)

    @property
    def object_id(self):
        return self.record.id

    @property
    def label(self) -> str:
        """The object as it was at that time, built from the history row alone: simple-history's
        `record.instance` would load the untracked columns with one query per row."""
        model = self.record.instance_type
        values = {
            f.attname: getattr(self.record, f.attname)
            for f in model._meta.concrete_fields
            if hasattr(self.record, f.attname)
        }
        return str(model(**values))

    @property
    def reason_shown(self) -> str:
        """The change reason without the admission form's one-time token."""
        return self.reason.split(" #", 1)[0]


def _tracked_fields(history_model) -> list[models.Field]:
    base = history_model.instance_type
    names = {f.name for f in base._meta.concrete_fields} - HIDDEN_FIELDS
    return [f for f in base._meta.concrete_fields if f.name in names]


# Personal numbers appear masked in change history: the audit page lists every member's
# changes, and lists never show a full CCCD (Law 91/2025; the record's own page shows it).
MASKED_FIELDS = {"cccd"}


def _display(model_field: models.Field, value, names: dict) -> str:
    if value in (None, ""):
        return "–"
    if model_field.name in MASKED_FIELDS:
        text = str(value)
        return text[:4] + "*" * max(len(text) - 6, 0) + text[-2:]
    if model_field.is_relation:
        return names.get((model_field.related_model, value), f"#{value}")
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    if isinstance(value, datetime):
        return timezone.localtime(value).strftime("%d/%m/%Y %H:%M")
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y")
    return str(value)


def history_entries(records, *, masked: dict | None = None) -> list[HistoryEntry]:
    """Entries for `records` (historical rows of one model, any order), in the same order.

    `masked` maps field names to functions that hide part of a value (the CCCD on list pages).
    """
    masked = masked or {}
    records = list(records)
    if not records:
        return []
    history_model = type(records[0])
    fields = _tracked_fields(history_model)
    attnames = [f.attname for f in fields]

    # Predecessors: every earlier record of the same objects (few per object), in one query.
    latest = max(r.history_date for r in records)
    earlier: dict[object, list] = {}
    for row in (
        history_model.objects.filter(id__in={r.id for r in records}, history_date__lte=latest)
        .order_by("history_date", "history_id")
        .values("id", "history_id", "history_date", *attnames)
    ):
        earlier.setdefault(row["id"], []).append(row)

    def previous(record):
        rows = earlier.get(record.id, [])
        key = (record.history_date, record.history_id)
        before = [r for r in rows if (r["history_date"], r["history_id"]) < key]
        return before[-1] if before else None

    pairs = [(record, previous(record)) for record in records]

    # Names of related objects (CĐCS, units) shown instead of ids: one query per model.
    wanted: dict[type[models.Model], set] = {}
    for record, prev in pairs:
        for f in fields:
            if f.is_relation:
                for value in (getattr(record, f.attname), prev and prev[f.attname]):
                    if value:
                        related = cast(type[models.Model], f.related_model)  # a relation's model
                        wanted.setdefault(related, set()).add(value)
    names = {}
    for model, ids in wanted.items():
        for obj in model._base_manager.filter(pk__in=ids):
            names[(model, obj.pk)] = str(obj)

    model_label = history_model.instance_type._meta.label_lower
    entries = []
    for record, prev in pairs:
        changes = []
        changed: Changed = {}
        for f in fields:
            new = getattr(record, f.attname)
            old = prev[f.attname] if prev else None
            if prev is None and new in (None, ""):
                continue
            if prev is None or old != new:
                changed[f.attname] = (old, new)
                shown_old = _display(f, old, names) if prev else ""
                shown_new = _display(f, new, names)
                if f.name in masked:
                    hide = masked[f.name]
                    shown_old = hide(shown_old) if old else shown_old
                    shown_new = hide(shown_new) if new else shown_new
                changes.append(
                    FieldChange(
                        name=f.name, label=str(f.verbose_name), old=shown_old, new=shown_new
                    )
                )
        entries.append(
            HistoryEntry(
                record=record,
                when=record.history_date,
                user=record.history_user,
                kind=change_kind(record.history_type, model_label, changed),
                reason=record.history_change_reason or "",
                changes=changes,
            )
        )
    return entries
