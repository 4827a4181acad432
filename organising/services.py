"""Writes to the enterprise register: each validates (the message users see), writes in one
transaction, and keeps the derived link to the CĐCS register.

Decisions:
- "Đã thành lập CĐCS" is derived, never recorded by hand: `enterprise_links_sync` links an
  enterprise to the active CĐCS with the same tax code (exact: 0101234567-001 is not
  0101234567) and unlinks it when that CĐCS is dissolved. It runs on `figures_changed` (every
  founding, change, move and dissolution of a CĐCS, in the browser or by import) and after an
  enterprise import. A reopened enterprise shows again the stage officers had recorded.
- Founding the CĐCS from the enterprise page (`enterprise_found_grassroots`) records the
  recruiting officer (the assigned officer, else the officer who founds it) for the support
  scheme.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from grassroots import services as grassroots_services
from grassroots.access import scope_for
from grassroots.models import GrassrootsUnion, UserRole

from .models import (
    RANK,
    Assignment,
    Contact,
    Enterprise,
    Source,
    Stage,
    StageChange,
    UnitBasis,
)
from .rules import RuleError, tax_code_split, women_check
from .tally import tally_refresh

LINK_BATCH = 2000


def _today() -> date:
    return timezone.localdate()


def _actor(user):
    return user if getattr(user, "pk", None) else None


def _check_day(on: date, field: str, label: str) -> None:
    if on > _today():
        raise ValidationError({field: f"{label} không được ở tương lai."})


def _editable(enterprise: Enterprise, user) -> Enterprise:
    """The enterprise read fresh and locked, if `user` may work it (else a ValidationError)."""
    found = (
        Enterprise.objects.editable_by(user).select_for_update().filter(pk=enterprise.pk).first()
    )
    if found is None:
        raise ValidationError("Bạn không có quyền thay đổi doanh nghiệp này.")
    return found


# --- the register -----------------------------------------------------------------------------
@transaction.atomic
def enterprise_create(*, user, tax_code: str, **fields) -> Enterprise:
    """An officer adds an enterprise found in the field (source: officer, unless given)."""
    try:
        code, branch = tax_code_split(tax_code)
        women_check(fields.get("workers"), fields.get("women"))
    except RuleError as problem:
        raise ValidationError({"tax_code": problem.message}) from None
    unit = fields.get("district_union")
    scope = scope_for(user)
    if unit is None or not (scope.is_admin or scope.district_union_id == unit.pk):
        raise ValidationError({"district_union": "Chỉ thêm được doanh nghiệp của đơn vị mình."})
    full = f"{code}-{branch}" if branch else code
    if Enterprise.objects.filter(full_tax_code=full).exists():
        raise ValidationError({"tax_code": f"Mã số thuế {full} đã có trong sổ doanh nghiệp."})
    now = timezone.now()
    fields.setdefault("source", Source.OFFICER)
    enterprise = Enterprise(
        tax_code=code,
        branch=branch,
        unit_basis=UnitBasis.ASSIGNED,
        created_at=now,
        updated_at=now,
        **fields,
    )
    enterprise.full_clean(exclude=["full_tax_code", "search_text"])
    enterprise.save()
    enterprise_links_sync(Enterprise.objects.filter(pk=enterprise.pk))
    enterprise.refresh_from_db()
    return enterprise


@transaction.atomic
def enterprise_stage_change(
    *, enterprise: Enterprise, stage: str, on: date, note: str = "", user
) -> StageChange:
    """Move an enterprise along the pipeline (or to a side exit) from `on`."""
    enterprise = _editable(enterprise, user)
    if stage == Stage.FOUNDED:
        raise ValidationError(
            {
                "stage": "Giai đoạn 'Đã thành lập CĐCS' được ghi tự động khi CĐCS có mã số thuế "
                "này được thành lập: hãy dùng nút 'Thành lập CĐCS'."
            }
        )
    if stage not in Stage.values:
        raise ValidationError({"stage": "Giai đoạn không có trong danh sách."})
    if enterprise.grassroots_id:
        raise ValidationError(
            {"stage": "Doanh nghiệp đã có CĐCS: không chuyển giai đoạn được nữa."}
        )
    if stage == enterprise.stage:
        raise ValidationError({"stage": f"Doanh nghiệp đang ở giai đoạn '{Stage(stage).label}'."})
    _check_day(on, "on", "Ngày")
    if enterprise.stage_on and on < enterprise.stage_on:
        raise ValidationError(
            {
                "on": f"Ngày không được trước lần chuyển giai đoạn trước ({enterprise.stage_on:%d/%m/%Y})."
            }
        )
    note = note.strip()
    if stage in (Stage.REFUSED, Stage.CLOSED) and not note:
        raise ValidationError({"note": "Cần ghi chú lý do (từ chối, ngừng hoạt động...)."})
    change = StageChange.objects.create(
        enterprise=enterprise,
        stage=stage,
        previous=enterprise.stage,
        on=on,
        note=note,
        by=_actor(user),
    )
    enterprise.stage = stage
    enterprise.stage_on = on
    enterprise.reached = max(enterprise.reached, RANK.get(stage, 0))
    enterprise.updated_at = timezone.now()
    enterprise.save(update_fields=["stage", "stage_on", "reached", "updated_at"])
    return change


def officers_of(unit_id: int) -> QuerySet:
    """The users an enterprise of `unit_id` may be assigned to: that unit's officers."""
    from django.contrib.auth import get_user_model

    return (
        get_user_model()
        .objects.filter(
            is_active=True,
            union_role__role=UserRole.Role.DISTRICT_OFFICER,
            union_role__district_union_id=unit_id,
        )
        .order_by("first_name", "username")
    )


@transaction.atomic
def enterprise_assign(
    *, enterprise: Enterprise, officer, on: date | None = None, user
) -> Assignment:
    """Give the enterprise to an officer of its unit (None: to nobody)."""
    enterprise = _editable(enterprise, user)
    on = on or _today()
    _check_day(on, "on", "Ngày")
    if (
        officer is not None
        and not officers_of(enterprise.district_union_id).filter(pk=officer.pk).exists()
    ):
        raise ValidationError({"officer": "Chỉ giao được cho cán bộ của đơn vị phụ trách."})
    if (officer.pk if officer else None) == enterprise.officer_id:
        raise ValidationError({"officer": "Doanh nghiệp đã được giao cho cán bộ này."})
    assignment = Assignment.objects.create(
        enterprise=enterprise, officer=officer, on=on, by=_actor(user)
    )
    enterprise.officer = officer
    enterprise.updated_at = timezone.now()
    enterprise.save(update_fields=["officer", "updated_at"])
    return assignment


@transaction.atomic
def enterprise_contact_add(
    *, enterprise: Enterprise, on: date, people: str, outcome: str, user
) -> Contact:
    """Record a visit or meeting. The first one moves a 'chưa tiếp cận' enterprise on to
    'đã tiếp cận' (dated the visit), as officers would otherwise do by hand every time."""
    enterprise = _editable(enterprise, user)
    _check_day(on, "on", "Ngày tiếp xúc")
    people, outcome = people.strip(), outcome.strip()
    if not people:
        raise ValidationError({"people": "Cần ghi người đã gặp."})
    if not outcome:
        raise ValidationError({"outcome": "Cần ghi kết quả."})
    contact = Contact.objects.create(
        enterprise=enterprise, on=on, people=people, outcome=outcome, by=_actor(user)
    )
    if enterprise.stage == Stage.NOT_CONTACTED and not enterprise.grassroots_id:
        enterprise_stage_change(
            enterprise=enterprise,
            stage=Stage.CONTACTED,
            on=max(on, enterprise.stage_on or on),
            note="Lần tiếp xúc đầu tiên",
            user=user,
        )
    return contact


@transaction.atomic
def enterprise_notes_update(*, enterprise: Enterprise, notes: str, user) -> Enterprise:
    enterprise = _editable(enterprise, user)
    enterprise.notes = notes.strip()
    enterprise.updated_at = timezone.now()
    enterprise.save(update_fields=["notes", "updated_at"])
    return enterprise


@transaction.atomic
def enterprise_found_grassroots(
    *,
    enterprise: Enterprise,
    user,
    code: str,
    name: str,
    founded_on: date,
    workers: int,
    sector: str | None = None,
) -> GrassrootsUnion:
    """Found the enterprise's CĐCS (grassroots.services.grassroots_found, with its tax code and
    unit) and record the recruiting officer. The link closes the enterprise by itself."""
    enterprise = _editable(enterprise, user)
    if enterprise.grassroots_id:
        raise ValidationError("Doanh nghiệp đã có CĐCS.")
    if enterprise.stage == Stage.CLOSED:
        raise ValidationError("Doanh nghiệp đã ngừng hoạt động / giải thể.")
    grassroots = grassroots_services.grassroots_found(
        district_union=enterprise.district_union,
        code=code,
        name=name,
        tax_code=enterprise.full_tax_code,
        sector=sector or enterprise.sector,
        workers=workers,
        founded_on=founded_on,
    )
    enterprise.refresh_from_db()
    enterprise.recruited_by = enterprise.officer or _actor(user)
    enterprise.recruited_grassroots = grassroots
    enterprise.save(update_fields=["recruited_by", "recruited_grassroots"])
    return grassroots


# --- the derived link to the CĐCS register -----------------------------------------------------
_LINK_FIELDS = (
    "pk",
    "full_tax_code",
    "grassroots_id",
    "unionised_on",
    "reached",
    "district_union_id",
)


def enterprise_links_sync(enterprises: QuerySet, *, refresh: bool = True) -> int:
    """Link each enterprise of `enterprises` to the active CĐCS with its tax code (the earliest
    founded), or unlink it; `reached` becomes 'founded' once linked. Returns how many changed.

    Two queries per 2.000 enterprises (theirs, the CĐCS with their tax codes), plus the UPDATE
    of the changed ones and the rebuild of their units' counts (`refresh=False`: the caller
    rebuilds them).
    """
    return _links_sync_rows(list(enterprises.values(*_LINK_FIELDS)), refresh=refresh)


def _links_sync_rows(rows: list[dict], *, refresh: bool = True) -> int:
    today = _today()
    changed = 0
    units: set[int] = set()
    for start in range(0, len(rows), LINK_BATCH):
        batch = rows[start : start + LINK_BATCH]
        active: dict[str, tuple[int, date]] = {}
        for pk, tax, founded_on in (
            GrassrootsUnion.objects.filter(tax_code__in={r["full_tax_code"] for r in batch})
            .filter(founded_on__lte=today)
            .filter(Q(dissolved_on__isnull=True) | Q(dissolved_on__gt=today))
            .order_by("founded_on", "pk")
            .values_list("pk", "tax_code", "founded_on")
        ):
            active.setdefault(tax, (pk, founded_on))
        updates = []
        gid: int | None
        founded: date | None
        for row in batch:
            link = active.get(row["full_tax_code"])
            gid, founded = link if link else (None, None)
            reached = max(row["reached"], RANK[Stage.FOUNDED]) if link else row["reached"]
            if (gid, founded, reached) != (
                row["grassroots_id"],
                row["unionised_on"],
                row["reached"],
            ):
                updates.append(
                    Enterprise(
                        pk=row["pk"], grassroots_id=gid, unionised_on=founded, reached=reached
                    )
                )
                units.add(row["district_union_id"])
        if updates:
            Enterprise.objects.bulk_update(
                updates, ["grassroots_id", "unionised_on", "reached"], batch_size=500
            )
            changed += len(updates)
    if refresh:
        tally_refresh(units)
    return changed


def enterprise_links_for_grassroots(grassroots_ids: Iterable[int]) -> int:
    """Re-derive the link of the enterprises concerned by these CĐCS (their tax codes now, and
    the enterprises linked to them: a corrected tax code moves the link).

    One query when no enterprise is concerned (an admission into a CĐCS outside the register),
    two when one is and nothing changed.
    """
    ids = list(set(grassroots_ids))
    changed = 0
    for start in range(0, len(ids), LINK_BATCH):
        part = ids[start : start + LINK_BATCH]
        taxes = GrassrootsUnion.objects.filter(pk__in=part).exclude(tax_code="").values("tax_code")
        rows = list(
            Enterprise.objects.filter(
                Q(full_tax_code__in=taxes) | Q(grassroots_id__in=part)
            ).values(*_LINK_FIELDS)
        )
        if rows:
            changed += _links_sync_rows(rows)
    return changed


def on_figures_changed(sender, grassroots_ids, since: date, **kwargs) -> None:
    """Receiver of grassroots' `figures_changed` (connected in OrganisingConfig.ready)."""
    enterprise_links_for_grassroots(grassroots_ids)
