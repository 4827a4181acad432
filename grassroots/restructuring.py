"""Restructuring the organisation tree (sắp xếp tổ chức): dated, checked whole, one transaction,
recorded, reversible.

Every operation is a `Plan`: units to found, units to end, CĐCS to move, units to move to
another federation, federations to merge. `plan_check` resolves the codes and returns every
problem at once (in Vietnamese, naming the row, CĐCS or unit) and a preview; `plan_apply` checks
again under lock, writes everything with bulk writes in one transaction, refreshes the figures
once (`figures_touch`) and records a `Restructuring` with enough to undo it;
`restructuring_undo` reverses one as a whole, refused with a message when a later change
depends on it. The thin helpers below (`units_found`, `unit_end`, `units_merge`, `unit_split`,
`grassroots_move_bulk`, `unit_move_federation`, `federations_merge`) build the plan of each
named operation.

Dates: a move's `on` is the first day in the new parent; a unit's `last_day` is the last day it
exists (its CĐCS are in the successor from the next day). No figure of a day before `on`
changes: the day table attributes each event to the unit of its day (reports.stats).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any, cast

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from .access import SYSTEM
from .locks import LockHit, late_corrections_record, locks_hit
from .models import (
    Affiliation,
    DistrictUnion,
    Federation,
    GrassrootsUnion,
    Restructuring,
    UnitMembership,
    UserRole,
    direct_unit_name,
)
from .services import affiliations_touch, figures_touch

ONE_DAY = timedelta(days=1)


def national_code() -> str:
    """The code of the national confederation (Tổng Liên đoàn) in unit files."""
    return settings.NATIONAL_CODE


# --- the plan --------------------------------------------------------------------------------


@dataclass(frozen=True)
class NewUnit:
    code: str
    name: str
    federation_code: str
    founded_on: date
    kind: str = DistrictUnion.Kind.COMMUNE
    row: int | None = None


@dataclass(frozen=True)
class EndUnit:
    """End `code` after `last_day`. Its CĐCS still in it then go to `successor_code`, or
    directly under the federation with `to_federation`; with neither, none may remain."""

    code: str
    last_day: date
    successor_code: str = ""
    to_federation: bool = False
    row: int | None = None


@dataclass(frozen=True)
class Move:
    """CĐCS `grassroots_code` belongs to `target_code` from `on` (a unit code, or a federation
    code for "directly under the federation")."""

    grassroots_code: str
    target_code: str
    on: date
    row: int | None = None


@dataclass(frozen=True)
class UnitTransfer:
    code: str
    federation_code: str
    on: date
    row: int | None = None


@dataclass(frozen=True)
class FederationMerge:
    code: str
    into_code: str
    on: date  # first day in `into`
    row: int | None = None


@dataclass
class Plan:
    kind: str = Restructuring.Kind.PLAN
    decision_number: str = ""
    decision_date: date | None = None
    summary: str = ""
    source_name: str = ""
    found: list[NewUnit] = field(default_factory=list)
    end: list[EndUnit] = field(default_factory=list)
    moves: list[Move] = field(default_factory=list)
    transfers: list[UnitTransfer] = field(default_factory=list)
    federation_merges: list[FederationMerge] = field(default_factory=list)

    @property
    def effective_on(self) -> date | None:
        days = [m.on for m in self.moves] + [e.last_day + ONE_DAY for e in self.end]
        days += [u.founded_on for u in self.found] + [t.on for t in self.transfers]
        days += [f.on for f in self.federation_merges]
        return min(days) if days else None


@dataclass(frozen=True)
class Problem:
    """One problem of a plan: the file row (None when not from a file), the column, the reason."""

    row: int | None
    column: str
    message: str

    def __str__(self) -> str:
        if self.row is None:
            return self.message
        return f"row {self.row}, {self.column or '-'}: {self.message}"

    def as_vietnamese(self) -> str:
        if self.row is None:
            return self.message
        return f"Dòng {self.row}, cột {self.column or '-'}: {self.message}"


@dataclass
class UnitPreview:
    """One unit before and after the plan (CĐCS in it today, and those that move)."""

    code: str
    name: str
    federation_code: str
    is_new: bool = False
    ends_on: date | None = None
    before: int = 0
    moving_in: list[int] = field(default_factory=list)
    moving_out: list[int] = field(default_factory=list)
    unit_id: int | None = None

    @property
    def after(self) -> int:
        return self.before + len(self.moving_in) - len(self.moving_out)


@dataclass
class Checked:
    """What `plan_check` found: problems (refuse the plan), warnings (shown, not blocking), the
    resolved writes and the preview."""

    problems: list[Problem] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    preview: dict[str, UnitPreview] = field(default_factory=dict)
    # Resolved writes (ids; "new:CODE" for units the plan founds).
    moves: list[tuple[int, object, date]] = field(default_factory=list)  # (gid, unit, on)
    unchanged: int = 0
    plan: Plan | None = None
    # Writes dated in an approved period that is open (a lock exception): accepted, and
    # recorded as late corrections when the plan is applied. (hit, CĐCS id or None, day)
    late: list[tuple[LockHit, int | None, date]] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def has_writes(self) -> bool:
        plan = self.plan
        assert plan is not None  # plan_check always sets it
        return bool(
            self.moves or plan.found or plan.end or plan.transfers or plan.federation_merges
        )

    @property
    def grassroots_count(self) -> int:
        return len({gid for gid, _, _ in self.moves})


def _d(day: date) -> str:
    return f"{day:%d/%m/%Y}"


class _Tree:
    """The units, federations and CĐCS a plan names, read in a few queries."""

    federations_by_id: dict[int, Federation]  # set by plan_check

    def __init__(self, plan: Plan):
        self.federations = {f.code.upper(): f for f in Federation.objects.all()}
        self.units = {u.code.upper(): u for u in DistrictUnion.objects.all()}
        self.units_by_id = {u.pk: u for u in self.units.values()}
        self.direct = {
            u.federation_id: u for u in self.units.values() if u.kind == DistrictUnion.Kind.DIRECT
        }
        ended_codes = [e.code.upper() for e in plan.end]
        merged = [f.code.upper() for f in plan.federation_merges]
        codes = {m.grassroots_code.upper() for m in plan.moves}
        condition = Q(code__in=codes)
        ended_ids = [self.units[c].pk for c in ended_codes if c in self.units]
        if ended_ids:
            condition |= Q(district_union_id__in=ended_ids)
        merged_ids = [self.federations[c].pk for c in merged if c in self.federations]
        if merged_ids:
            condition |= Q(district_union__federation_id__in=merged_ids)
        self.grassroots = {
            g.pk: g
            for g in GrassrootsUnion.objects.filter(condition).only(
                "pk", "code", "name", "founded_on", "dissolved_on", "district_union_id"
            )
        }
        self.by_code = {g.code.upper(): g for g in self.grassroots.values()}
        self.affiliations: dict[int, list[Affiliation]] = defaultdict(list)
        for aff in Affiliation.objects.filter(grassroots_id__in=list(self.grassroots)).order_by(
            "grassroots_id", "valid_from"
        ):
            self.affiliations[aff.grassroots_id].append(aff)
        self.memberships: dict[int, list[UnitMembership]] = defaultdict(list)
        for membership in UnitMembership.objects.order_by("district_union_id", "valid_from"):
            self.memberships[membership.district_union_id].append(membership)

    def current_count(self) -> dict[int, int]:
        counts: dict[int, int] = defaultdict(int)
        for row in (
            GrassrootsUnion.objects.filter(dissolved_on__isnull=True)
            .values_list("district_union_id", flat=True)
            .order_by()
        ):
            counts[row] += 1
        return counts


def plan_check(plan: Plan, user=SYSTEM) -> Checked:
    """Resolve and check `plan` as a whole; return every problem and the preview."""
    from .access import scope_for

    result = Checked(plan=plan)
    problems = result.problems
    tree = _Tree(plan)
    scope = scope_for(user)

    def problem(row, column, message):
        problems.append(Problem(row, column, message))

    def federation_allowed(federation: Federation) -> bool:
        if scope.is_admin:
            return True
        return scope.is_federation and scope.federation_id == federation.pk

    # Units founded by the plan: key (upper code) -> NewUnit.
    new_units: dict[str, NewUnit] = {}
    for new in plan.found:
        key = new.code.upper()
        if not key:
            problem(new.row, "Mã đơn vị", "Thiếu mã đơn vị.")
        elif key in tree.units or key in tree.federations or key in new_units:
            problem(new.row, "Mã đơn vị", f"Mã đơn vị {new.code} đã có.")
        elif new.federation_code.upper() not in tree.federations:
            problem(
                new.row,
                "Mã đơn vị cấp trên",
                f"Không có LĐLĐ tỉnh/thành phố mã '{new.federation_code}'.",
            )
        elif not new.name.strip():
            problem(new.row, "Tên đơn vị", f"Thiếu tên đơn vị {new.code}.")
        elif not federation_allowed(tree.federations[new.federation_code.upper()]):
            problem(new.row, "Mã đơn vị cấp trên", f"Không có LĐLĐ mã '{new.federation_code}'.")
        else:
            new_units[key] = new

    def federation_of(target) -> Federation:
        if isinstance(target, NewUnit):
            return tree.federations[target.federation_code.upper()]
        return tree.federations_by_id[target.federation_id]

    tree.federations_by_id = {f.pk: f for f in tree.federations.values()}
    counts = tree.current_count()
    preview = result.preview

    def preview_of(target) -> UnitPreview:
        if isinstance(target, NewUnit):
            key = target.code.upper()
            if key not in preview:
                preview[key] = UnitPreview(
                    target.code, target.name, target.federation_code, is_new=True
                )
            return preview[key]
        if isinstance(target, Federation):  # a direct unit still to create
            key = f"#direct:{target.code}"
            if key not in preview:
                preview[key] = UnitPreview(key, direct_unit_name(target), target.code, is_new=True)
            return preview[key]
        key = target.code.upper()
        if key not in preview:
            preview[key] = UnitPreview(
                target.code,
                target.name,
                tree.federations_by_id[target.federation_id].code,
                before=counts.get(target.pk, 0),
                unit_id=target.pk,
                ends_on=target.ended_on,
            )
        return preview[key]

    def direct_target(federation: Federation):
        """The federation's direct unit, or the federation itself when it is still to create."""
        return tree.direct.get(federation.pk, federation)

    def resolve_target(code_text: str, row, column):
        key = code_text.upper()
        if not key:
            problem(row, column, "Thiếu mã đơn vị cấp trên mới.")
            return None
        if key in new_units:
            return new_units[key]
        if key in tree.units:
            unit = tree.units[key]
            if unit.kind == DistrictUnion.Kind.DIRECT:
                return unit
            if not federation_allowed(tree.federations_by_id[unit.federation_id]):
                problem(row, column, f"Không có đơn vị mã '{code_text}'.")
                return None
            return unit
        if key in tree.federations:
            federation = tree.federations[key]
            if not federation_allowed(federation):
                problem(row, column, f"Không có đơn vị mã '{code_text}'.")
                return None
            return direct_target(federation)
        problem(row, column, f"Không có đơn vị mã '{code_text}'.")
        return None

    # Ending dates of units (existing and by this plan), to check targets exist on a move day.
    ends: dict[str, date] = {}
    end_plans: list[tuple[EndUnit, DistrictUnion]] = []
    for end in plan.end:
        key = end.code.upper()
        unit = tree.units.get(key)
        if unit is None or not federation_allowed(tree.federations_by_id[unit.federation_id]):
            problem(end.row, "Mã đơn vị", f"Không có đơn vị mã '{end.code}'.")
            continue
        if unit.ended_on is not None:
            problem(
                end.row,
                "Mã đơn vị",
                f"Đơn vị {unit.code} đã kết thúc hoạt động ngày {_d(unit.ended_on)}.",
            )
            continue
        if unit.founded_on and end.last_day < unit.founded_on:
            problem(
                end.row,
                "Ngày kết thúc hoạt động",
                f"Đơn vị {unit.code} thành lập ngày {_d(unit.founded_on)}, sau ngày kết thúc "
                f"{_d(end.last_day)}.",
            )
            continue
        ends[key] = end.last_day
        end_plans.append((end, unit))

    def unit_exists_on(target, day: date, row, column, what: str) -> bool:
        if isinstance(target, Federation) or target.kind == DistrictUnion.Kind.DIRECT:
            return True  # the direct unit exists whenever it is needed
        key = target.code.upper()
        founded = target.founded_on
        if founded and day < founded:
            problem(
                row,
                column,
                f"{what}: đơn vị {target.code} thành lập ngày {_d(founded)}, sau ngày hiệu lực "
                f"{_d(day)}.",
            )
            return False
        ended = ends.get(key) or getattr(target, "ended_on", None)
        if ended and day > ended:
            problem(
                row,
                column,
                f"{what} không còn đơn vị cấp trên: đơn vị {target.code} kết thúc hoạt động "
                f"ngày {_d(ended)}.",
            )
            return False
        return True

    # Explicit moves.
    seen: dict[str, int | None] = {}
    moves: list[tuple[GrassrootsUnion, NewUnit | Federation | DistrictUnion, date, int | None]] = []
    for move in plan.moves:
        key = move.grassroots_code.upper()
        if not key:
            problem(move.row, "Mã CĐCS", "Thiếu mã CĐCS.")
            continue
        grassroots = tree.by_code.get(key)
        if grassroots is None or (
            scope is not None
            and not scope.is_admin
            and not federation_allowed(
                tree.federations_by_id[tree.units_by_id[grassroots.district_union_id].federation_id]
            )
        ):
            problem(move.row, "Mã CĐCS", f"Không có CĐCS mã '{move.grassroots_code}'.")
            continue
        if key in seen:
            where = f" (trùng với dòng {seen[key]})" if seen[key] else ""
            problem(
                move.row, "Mã CĐCS", f"CĐCS {grassroots.code} có hai lần trong phương án{where}."
            )
            continue
        seen[key] = move.row
        target = resolve_target(move.target_code, move.row, "Mã đơn vị cấp trên mới")
        if target is None:
            continue
        moves.append((grassroots, target, move.on, move.row))

    # CĐCS of ended units that the plan does not move explicitly.
    explicit = {g.pk for g, _, _, _ in moves}
    for end, unit in end_plans:
        first_day = end.last_day + ONE_DAY
        successor = None
        if end.successor_code:
            successor = resolve_target(end.successor_code, end.row, "Đơn vị kế tục")
            if successor is None:
                continue
        elif end.to_federation:
            successor = direct_target(tree.federations_by_id[unit.federation_id])
        for grassroots in tree.grassroots.values():
            if grassroots.pk in explicit:
                continue
            if grassroots.dissolved_on and grassroots.dissolved_on <= first_day:
                continue
            affs = tree.affiliations.get(grassroots.pk, [])
            in_unit = next(
                (
                    a
                    for a in affs
                    if a.district_union_id == unit.pk
                    and a.valid_from <= first_day
                    and (a.valid_to is None or a.valid_to > first_day)
                ),
                None,
            )
            later = [a for a in affs if a.district_union_id == unit.pk and a.valid_from > first_day]
            if later:
                problem(
                    end.row,
                    "Ngày kết thúc hoạt động",
                    f"CĐCS {grassroots.code} vào đơn vị {unit.code} ngày "
                    f"{_d(later[0].valid_from)}, sau ngày kết thúc hoạt động {_d(end.last_day)}.",
                )
                continue
            if in_unit is None:
                continue
            if successor is None:
                problem(
                    end.row,
                    "Mã đơn vị",
                    f"Đơn vị {unit.code} kết thúc hoạt động ngày {_d(end.last_day)} nhưng CĐCS "
                    f"{grassroots.code} vẫn còn trong đơn vị.",
                )
                continue
            moves.append((grassroots, successor, first_day, end.row))
        preview_of(unit).ends_on = end.last_day

    # Check each move against the CĐCS's history.
    for grassroots, target, on, row in moves:
        affs = tree.affiliations.get(grassroots.pk, [])
        if not affs:
            problem(row, "Mã CĐCS", f"CĐCS {grassroots.code} chưa có đơn vị cấp trên.")
            continue
        last = affs[-1]
        holding = next(
            (a for a in affs if a.valid_from <= on and (a.valid_to is None or a.valid_to > on)),
            None,
        )
        same = (
            holding is not None
            and not isinstance(target, (NewUnit, Federation))
            and holding.district_union_id == target.pk
        )
        if same and holding is last:
            result.unchanged += 1  # already there from that day: re-running changes nothing
            continue
        if on < grassroots.founded_on:
            problem(
                row,
                "Ngày hiệu lực",
                f"CĐCS {grassroots.code} thành lập ngày {_d(grassroots.founded_on)}, sau ngày hiệu "
                f"lực {_d(on)}.",
            )
            continue
        if on <= last.valid_from:
            problem(
                row,
                "Ngày hiệu lực",
                f"Ngày hiệu lực {_d(on)} không sau lần thay đổi gần nhất của CĐCS "
                f"{grassroots.code} (từ ngày {_d(last.valid_from)} thuộc "
                f"{tree.units_by_id[last.district_union_id].code}).",
            )
            continue
        if grassroots.dissolved_on and on >= grassroots.dissolved_on:
            problem(
                row,
                "Mã CĐCS",
                f"CĐCS {grassroots.code} đã giải thể ngày {_d(grassroots.dissolved_on)}.",
            )
            continue
        if not unit_exists_on(target, on, row, "Mã đơn vị cấp trên mới", f"CĐCS {grassroots.code}"):
            continue
        if not isinstance(target, (NewUnit, Federation)) and last.district_union_id == target.pk:
            result.unchanged += 1
            continue
        result.moves.append((grassroots.pk, target, on))
        preview_of(target).moving_in.append(grassroots.pk)
        preview_of(tree.units_by_id[last.district_union_id]).moving_out.append(grassroots.pk)

    # A unit ended while CĐCS founded into it later than its end, or moved in by another plan.
    for transfer in plan.transfers:
        key = transfer.code.upper()
        if key not in tree.units:
            problem(transfer.row, "Mã đơn vị", f"Không có đơn vị mã '{transfer.code}'.")
        elif transfer.federation_code.upper() not in tree.federations:
            problem(
                transfer.row,
                "Mã đơn vị cấp trên",
                f"Không có LĐLĐ tỉnh/thành phố mã '{transfer.federation_code}'.",
            )
        else:
            history = tree.memberships.get(tree.units[key].pk, [])
            if history and transfer.on <= history[-1].valid_from:
                problem(
                    transfer.row,
                    "Ngày hiệu lực",
                    f"Ngày hiệu lực {_d(transfer.on)} không sau lần thay đổi gần nhất của đơn vị "
                    f"{transfer.code} ({_d(history[-1].valid_from)}).",
                )
    for merge in plan.federation_merges:
        for code_text, column in ((merge.code, "Mã LĐLĐ"), (merge.into_code, "Mã LĐLĐ mới")):
            if code_text.upper() not in tree.federations:
                problem(merge.row, column, f"Không có LĐLĐ tỉnh/thành phố mã '{code_text}'.")
        if merge.code.upper() == merge.into_code.upper():
            problem(merge.row, "Mã LĐLĐ mới", "LĐLĐ không hợp nhất vào chính nó.")
        elif merge.code.upper() in tree.federations:
            old = tree.federations[merge.code.upper()]
            if old.ended_on:
                problem(
                    merge.row,
                    "Mã LĐLĐ",
                    f"{old.name} đã kết thúc hoạt động ngày {_d(old.ended_on)}.",
                )
    # Closed books: a move or an end dated in an approved period of a unit it touches.
    transfers = [
        (tree.units[t.code.upper()], t.on, t.row)
        for t in plan.transfers
        if t.code.upper() in tree.units
    ]
    result.late = _lock_problems(moves, end_plans, transfers, problem)
    # Officers of units that end keep read-only access: say who they are.
    ended_ids = [unit.pk for _, unit in end_plans]
    if ended_ids:
        for role in UserRole.objects.filter(district_union_id__in=ended_ids).select_related(
            "user", "district_union"
        ):
            result.warnings.append(
                f"Cán bộ {role.user.get_full_name() or role.user.username} ({role.user.username})"
                f" của đơn vị {cast(DistrictUnion, role.district_union).code} kết thúc hoạt động: chỉ còn xem số liệu "
                "của đơn vị cho đến khi được giao đơn vị mới."
            )
    if not (plan.found or plan.end or plan.moves or plan.transfers or plan.federation_merges):
        problem(None, "", "Phương án không có dòng nào.")
    return result


def _lock_problems(moves, end_plans, transfers, problem) -> list[tuple[LockHit, int | None, date]]:
    """One lock query for the whole plan (grassroots.locks); each hit of a closed period is a
    row problem; the hits of open periods (lock exceptions) are returned, to be recorded as
    late corrections when the plan is written."""
    g_events: dict[tuple[int, date], int | None] = {}
    u_events: dict[tuple[int, date], int | None] = {}
    for grassroots, target, on, row in moves:
        g_events.setdefault((grassroots.pk, on), row)
        if isinstance(target, DistrictUnion):
            u_events.setdefault((target.pk, on), row)
    for end, unit in end_plans:
        u_events.setdefault((unit.pk, end.last_day), end.row)
    for unit, on, row in transfers:
        u_events.setdefault((unit.pk, on), row)
    hits = locks_hit(g_events, u_events)
    late: list[tuple[LockHit, int | None, date]] = []
    for (tag, key, day), hit in sorted(hits.items(), key=lambda item: item[0][2]):
        if not hit.excepted:
            row = (g_events if tag == "g" else u_events)[key, day]
            problem(row, "Ngày hiệu lực", hit.message(day))
        else:
            late.append((hit, key if tag == "g" else None, day))
    return late


# --- applying ---------------------------------------------------------------------------------


class PlanRefused(Exception):
    def __init__(self, checked: Checked):
        super().__init__("; ".join(str(p) for p in checked.problems))
        self.checked = checked


def _direct_unit(federation: Federation, on: date, changes: dict) -> DistrictUnion:
    """The federation's direct unit, existing from `on` at the latest (created on demand, so
    that earlier periods show no empty row for it)."""
    unit = DistrictUnion.objects.filter(
        federation=federation, kind=DistrictUnion.Kind.DIRECT
    ).first()
    if unit is None:
        unit = DistrictUnion(
            code=f"{federation.code}-TT",
            name=direct_unit_name(federation),
            kind=DistrictUnion.Kind.DIRECT,
            federation=federation,
            founded_on=on,
        )
        unit.save()
        changes["units_created"].append(unit.pk)
    elif unit.founded_on is not None and unit.founded_on > on:
        first = unit.memberships.order_by("valid_from").first()
        assert first is not None  # a unit belongs to a federation from its founding
        changes["direct_earlier"].append(
            [unit.pk, unit.founded_on.isoformat(), first.pk, first.valid_from.isoformat()]
        )
        unit.founded_on = on
        unit.save(update_fields=["founded_on"])
        first.valid_from = on
        first.save(update_fields=["valid_from"])
    return unit


@transaction.atomic
def plan_apply(plan: Plan, user=SYSTEM) -> Restructuring | None:
    """Check `plan` and write it in one transaction; raise PlanRefused with every problem.
    Returns the record, or None when the plan changes nothing (already applied)."""
    # Lock the tree: two plans run one after the other.
    list(Federation.objects.select_for_update().order_by("pk").values_list("pk"))
    checked = plan_check(plan, user)
    if not checked.ok:
        raise PlanRefused(checked)
    if not checked.has_writes:
        return None  # everything is already so (the same file applied again)
    changes: dict[str, Any] = defaultdict(list)  # lists, and "since" (ISO day)
    federations = {f.code.upper(): f for f in Federation.objects.all()}
    units: dict[str, DistrictUnion] = {u.code.upper(): u for u in DistrictUnion.objects.all()}
    # 1. Found units.
    for new in plan.found:
        federation = federations[new.federation_code.upper()]
        unit = DistrictUnion(
            code=new.code,
            name=new.name.strip(),
            kind=new.kind,
            federation=federation,
            founded_on=new.founded_on,
        )
        unit.full_clean(exclude=["successors"])
        unit.save()
        units[unit.code.upper()] = unit
        changes["units_created"].append(unit.pk)

    def concrete(target, on: date) -> DistrictUnion:
        if isinstance(target, NewUnit):
            return units[target.code.upper()]
        if isinstance(target, Federation):
            unit = _direct_unit(target, on, changes)
            units[unit.code.upper()] = unit
            return unit
        return target

    # 2. Move CĐCS: close the affiliation in force, open the new one. Bulk writes.
    moves = [(gid, concrete(target, on), on) for gid, target, on in checked.moves]
    gids = [gid for gid, _, _ in moves]
    current = {
        a.grassroots_id: a
        for a in Affiliation.objects.filter(grassroots_id__in=gids, valid_to__isnull=True)
    }
    closing, opening = [], []
    for gid, unit, on in moves:
        aff = current[gid]
        changes["affiliations_closed"].append([aff.pk, None])
        aff.valid_to = on
        closing.append(aff)
        opening.append(Affiliation(grassroots_id=gid, district_union=unit, valid_from=on))
    Affiliation.objects.bulk_update(closing, ["valid_to"], batch_size=2000)
    created = Affiliation.objects.bulk_create(opening, batch_size=2000)
    changes["affiliations_created"] = [a.pk for a in created]
    if created and created[0].pk is None:  # backends without RETURNING: find them again
        changes["affiliations_created"] = list(
            Affiliation.objects.filter(grassroots_id__in=gids, valid_to__isnull=True).values_list(
                "pk", flat=True
            )
        )
    grassroots = list(GrassrootsUnion.objects.filter(pk__in=gids).only("pk", "district_union_id"))
    target_of = {gid: unit.pk for gid, unit, _ in moves}
    for g in grassroots:
        changes["grassroots_parent"].append([g.pk, g.district_union_id])
        g.district_union_id = target_of[g.pk]
    GrassrootsUnion.objects.bulk_update(grassroots, ["district_union"], batch_size=2000)
    # 3. End units.
    for end in plan.end:
        unit = units[end.code.upper()]
        changes["units_ended"].append([unit.pk, None])
        unit.ended_on = end.last_day
        unit.save(update_fields=["ended_on"])
        membership = unit.memberships.order_by("-valid_from").first()
        if membership is not None and membership.valid_to is None:
            changes["memberships_closed"].append([membership.pk, None])
            membership.valid_to = end.last_day + ONE_DAY
            membership.save(update_fields=["valid_to"])
        successor = None
        if end.successor_code:
            key = end.successor_code.upper()
            successor = units.get(key) or (
                _direct_unit(federations[key], end.last_day, changes)
                if key in federations
                else None
            )
        elif end.to_federation:
            successor = _direct_unit(unit.federation, end.last_day + ONE_DAY, changes)
        if successor is not None:
            unit.successors.add(successor)
            changes["successors_added"].append([unit.pk, successor.pk])
    # 4. Units to another federation, and federation mergers.
    transfers = list(plan.transfers)
    for merge in plan.federation_merges:
        old, into = federations[merge.code.upper()], federations[merge.into_code.upper()]
        changes["federations_ended"].append([old.pk, old.ended_on, old.successor_id])
        old.ended_on, old.successor = merge.on - ONE_DAY, into
        old.save(update_fields=["ended_on", "successor"])
        for unit in DistrictUnion.objects.filter(federation=old, ended_on__isnull=True):
            if unit.kind == DistrictUnion.Kind.DIRECT:
                continue  # its CĐCS move to the new federation's direct unit (below)
            transfers.append(UnitTransfer(unit.code, into.code, merge.on))
        old_direct = DistrictUnion.objects.filter(
            federation=old, kind=DistrictUnion.Kind.DIRECT
        ).first()
        if old_direct is not None:
            still = list(
                GrassrootsUnion.objects.filter(district_union=old_direct).values_list(
                    "code", flat=True
                )
            )
            if still:
                sub = Plan(moves=[Move(code, into.code, merge.on) for code in still])
                inner = plan_apply(sub, user)
                assert inner is not None  # the moves are writes
                changes["nested"].append(inner.pk)
            changes["units_ended"].append([old_direct.pk, old_direct.ended_on])
            old_direct.ended_on = merge.on - ONE_DAY
            old_direct.save(update_fields=["ended_on"])
            membership = old_direct.memberships.order_by("-valid_from").first()
            if membership is not None and membership.valid_to is None:
                changes["memberships_closed"].append([membership.pk, None])
                membership.valid_to = merge.on
                membership.save(update_fields=["valid_to"])
    for transfer in transfers:
        unit = units[transfer.code.upper()]
        federation = federations[transfer.federation_code.upper()]
        membership = unit.memberships.order_by("-valid_from").first()
        if membership is not None and membership.valid_to is None:
            changes["memberships_closed"].append([membership.pk, None])
            membership.valid_to = transfer.on
            membership.save(update_fields=["valid_to"])
        new_membership = UnitMembership.objects.create(
            district_union=unit, federation=federation, valid_from=transfer.on
        )
        changes["memberships_created"].append(new_membership.pk)
        changes["unit_federation"].append([unit.pk, unit.federation_id])
        unit.federation = federation
        unit.save(update_fields=["federation"])
    since = plan.effective_on or timezone.localdate()
    changes["since"] = since.isoformat()
    changes["grassroots_ids"] = gids
    first_federation = None
    if plan.found:
        first_federation = federations[plan.found[0].federation_code.upper()]
    elif moves:
        first_federation = moves[0][1].federation
    elif plan.end:
        first_federation = units[plan.end[0].code.upper()].federation
    record = Restructuring.objects.create(
        kind=plan.kind,
        federation=first_federation,
        decision_number=plan.decision_number,
        decision_date=plan.decision_date,
        effective_on=since,
        summary=plan.summary or _summary(plan, checked),
        source_name=plan.source_name,
        changes=dict(changes),
        grassroots_count=len(set(gids)),
        created_by=user if getattr(user, "pk", None) else None,
    )
    # Writes dated in an open approved period: late corrections, like single writes.
    late_corrections_record(checked.late, _late_what("Phương án sắp xếp", record))
    # The figures of every touched unit, once, from the first day that changed.
    figures_touch(gids, since)
    affiliations_touch(gids, since)
    return record


def _late_what(what: str, record: Restructuring) -> str:
    """`Phương án sắp xếp (QĐ 12/QĐ-LĐLĐ): chuyển 3 CĐCS …`: what the correction list shows."""
    decision = f" (QĐ {record.decision_number})" if record.decision_number else ""
    return f"{what}{decision}: {record.summary}"


def _summary(plan: Plan, checked: Checked) -> str:
    parts = []
    if plan.found:
        parts.append(f"thành lập {len(plan.found)} đơn vị")
    if plan.end:
        parts.append(
            "kết thúc hoạt động " + ", ".join(f"{e.code} ({_d(e.last_day)})" for e in plan.end)
        )
    if checked.moves:
        parts.append(f"chuyển {checked.grassroots_count} CĐCS")
    if plan.transfers:
        parts.append(f"chuyển {len(plan.transfers)} đơn vị sang LĐLĐ khác")
    if plan.federation_merges:
        parts.append(
            "hợp nhất "
            + ", ".join(f"{m.code} vào {m.into_code} ({_d(m.on)})" for m in plan.federation_merges)
        )
    return "; ".join(parts).capitalize() + "." if parts else ""


# --- undo -------------------------------------------------------------------------------------


class UndoRefused(Exception):
    pass


@transaction.atomic
def restructuring_undo(record: Restructuring, user=SYSTEM) -> Restructuring:
    """Reverse every write of `record`; refused (UndoRefused, with the reason) when a later change
    depends on it (a CĐCS moved again since, a new unit that has CĐCS, officers or targets of
    its own)."""
    record = Restructuring.objects.select_for_update().get(pk=record.pk)
    if record.undone_at is not None:
        raise UndoRefused(f"Phương án này đã được hoàn tác lúc {record.undone_at:%d/%m/%Y %H:%M}.")
    changes = record.changes
    created_affs = list(Affiliation.objects.filter(pk__in=changes.get("affiliations_created", [])))
    blockers = []
    for aff in created_affs:
        if aff.valid_to is not None:
            blockers.append(aff.grassroots_id)
    if blockers:
        codes = list(
            GrassrootsUnion.objects.filter(pk__in=blockers[:5]).values_list("code", flat=True)
        )
        raise UndoRefused(
            f"Không hoàn tác được: {len(blockers)} CĐCS ({', '.join(codes)}"
            f"{', ...' if len(blockers) > 5 else ''}) đã được chuyển tiếp sau phương án này. "
            "Hãy hoàn tác các thay đổi sau trước."
        )
    created_units = changes.get("units_created", [])
    created_ids = {a.pk for a in created_affs}
    if created_units:
        others = Affiliation.objects.filter(district_union_id__in=created_units).exclude(
            pk__in=created_ids
        )
        if others.exists():
            raise UndoRefused(
                "Không hoàn tác được: đơn vị do phương án thành lập đã có CĐCS khác "
                "(thành lập hoặc chuyển đến sau)."
            )
        if UserRole.objects.filter(district_union_id__in=created_units).exists():
            raise UndoRefused(
                "Không hoàn tác được: đơn vị do phương án thành lập đã có cán bộ được phân công. "
                "Hãy chuyển cán bộ sang đơn vị khác trước."
            )
        from .models import AnnualTarget

        if AnnualTarget.objects.filter(district_union_id__in=created_units).exists():
            raise UndoRefused(
                "Không hoàn tác được: đơn vị do phương án thành lập đã có chỉ tiêu. "
                "Hãy xoá chỉ tiêu của đơn vị trước."
            )
    later_memberships = UnitMembership.objects.filter(
        pk__in=changes.get("memberships_created", []), valid_to__isnull=False
    )
    if later_memberships.exists():
        raise UndoRefused(
            "Không hoàn tác được: đơn vị đã được chuyển sang LĐLĐ khác sau phương án này."
        )
    for nested_pk in reversed(changes.get("nested", [])):
        restructuring_undo(Restructuring.objects.get(pk=nested_pk), user)
    gids = changes.get("grassroots_ids", [])
    touched_units = set(a.district_union_id for a in created_affs)
    closed = dict(changes.get("affiliations_closed", []))
    reopen = list(Affiliation.objects.filter(pk__in=list(closed)))
    # Closed books: undoing changes every unit it touched from the day each change began.
    undo_events = {(a.district_union_id, a.valid_from) for a in created_affs}
    undo_events |= {(a.district_union_id, a.valid_to) for a in reopen if a.valid_to}
    undo_events |= {(unit_id, record.effective_on) for unit_id, _ in changes.get("units_ended", [])}
    undo_hits = sorted(locks_hit((), undo_events).items(), key=lambda i: i[0][2])
    for (_, _, day), hit in undo_hits:
        if not hit.excepted:
            raise UndoRefused(f"Không hoàn tác được: {hit.message(day)}")
    late_corrections_record(
        ((hit, None, day) for (_, _, day), hit in undo_hits),
        _late_what("Hoàn tác phương án sắp xếp", record),
    )
    # Reverse, in the opposite order of plan_apply.
    for unit_id, federation_id in reversed(changes.get("unit_federation", [])):
        DistrictUnion.objects.filter(pk=unit_id).update(federation_id=federation_id)
    UnitMembership.objects.filter(pk__in=changes.get("memberships_created", [])).delete()
    for membership_id, valid_to in changes.get("memberships_closed", []):
        UnitMembership.objects.filter(pk=membership_id).update(
            valid_to=date.fromisoformat(valid_to) if valid_to else None
        )
    for federation_id, ended, successor in changes.get("federations_ended", []):
        Federation.objects.filter(pk=federation_id).update(
            ended_on=date.fromisoformat(ended) if ended else None, successor_id=successor
        )
    for unit_id, successor_id in changes.get("successors_added", []):
        DistrictUnion.successors.through.objects.filter(
            from_districtunion_id=unit_id, to_districtunion_id=successor_id
        ).delete()
    for unit_id, founded, membership_id, valid_from in changes.get("direct_earlier", []):
        DistrictUnion.objects.filter(pk=unit_id).update(founded_on=date.fromisoformat(founded))
        UnitMembership.objects.filter(pk=membership_id).update(
            valid_from=date.fromisoformat(valid_from)
        )
    for unit_id, ended in changes.get("units_ended", []):
        DistrictUnion.objects.filter(pk=unit_id).update(
            ended_on=date.fromisoformat(ended) if ended else None
        )
    Affiliation.objects.filter(pk__in=created_ids).delete()
    for aff in reopen:
        touched_units.add(aff.district_union_id)
        aff.valid_to = date.fromisoformat(closed[aff.pk]) if closed[aff.pk] else None
    Affiliation.objects.bulk_update(reopen, ["valid_to"], batch_size=2000)
    parents = changes.get("grassroots_parent", [])
    grassroots = list(GrassrootsUnion.objects.filter(pk__in=[gid for gid, _ in parents]))
    old_parent = dict(parents)
    for g in grassroots:
        g.district_union_id = old_parent[g.pk]
    GrassrootsUnion.objects.bulk_update(grassroots, ["district_union"], batch_size=2000)
    since = date.fromisoformat(changes["since"]) if changes.get("since") else record.effective_on
    figures_touch(gids, since, unit_ids=touched_units - set(created_units))
    affiliations_touch(gids, since, unit_ids=touched_units - set(created_units))
    DistrictUnion.objects.filter(pk__in=created_units).delete()
    record.undone_at = timezone.now()
    record.undone_by = user if getattr(user, "pk", None) else None
    record.save(update_fields=["undone_at", "undone_by"])
    return record


# --- the named operations ----------------------------------------------------------------------


def units_found(
    federation: Federation,
    units: Iterable[tuple[str, str, str]],
    on: date,
    *,
    user=SYSTEM,
    **decision,
) -> Restructuring | None:
    """Found many units `(code, name, kind)` of `federation` from `on`."""
    plan = Plan(
        kind=Restructuring.Kind.FOUND,
        found=[NewUnit(code, name, federation.code, on, kind) for code, name, kind in units],
        **decision,
    )
    return plan_apply(plan, user)


def unit_end(
    unit: DistrictUnion,
    last_day: date,
    successor: DistrictUnion | None = None,
    *,
    to_federation: bool = False,
    user=SYSTEM,
    **decision,
) -> Restructuring | None:
    """End `unit` after `last_day`: its CĐCS go to `successor`, or directly under its federation
    (`to_federation=True`); with neither, the unit must be empty by then."""
    plan = Plan(
        kind=Restructuring.Kind.END,
        end=[EndUnit(unit.code, last_day, successor.code if successor else "", to_federation)],
        **decision,
    )
    return plan_apply(plan, user)


def units_merge(
    units: Iterable[DistrictUnion],
    into: DistrictUnion | NewUnit,
    on: date,
    *,
    user=SYSTEM,
    **decision,
) -> Restructuring | None:
    """Merge `units` into `into` (an existing unit, or a NewUnit founded on `on`) from `on`."""
    found = [into] if isinstance(into, NewUnit) else []
    plan = Plan(
        kind=Restructuring.Kind.MERGE,
        found=found,
        end=[EndUnit(u.code, on - ONE_DAY, into.code) for u in units],
        **decision,
    )
    return plan_apply(plan, user)


def unit_split(
    unit: DistrictUnion,
    parts: dict[str, Iterable[str]],
    on: date,
    *,
    new_units: Iterable[NewUnit] = (),
    user=SYSTEM,
    **decision,
) -> Restructuring | None:
    """Split `unit` from `on`: `parts` maps a unit code to the codes of the CĐCS it takes; every
    CĐCS of `unit` must be named (the unit ends on the day before)."""
    plan = Plan(
        kind=Restructuring.Kind.SPLIT,
        found=list(new_units),
        moves=[Move(g, target, on) for target, codes in parts.items() for g in codes],
        end=[EndUnit(unit.code, on - ONE_DAY)],
        **decision,
    )
    return plan_apply(plan, user)


def grassroots_move_bulk(
    moves: Iterable[tuple[str, str]] | None = None,
    on: date | None = None,
    *,
    from_unit: DistrictUnion | None = None,
    to_code: str = "",
    user=SYSTEM,
    **decision,
) -> Restructuring | None:
    """Move CĐCS from `on`: a list of (CĐCS code, target code), or every CĐCS now in `from_unit`
    to `to_code` (a unit code, or a federation code for "directly under it")."""
    rows = list(moves or [])
    if from_unit is not None:
        rows += [
            (code, to_code)
            for code in GrassrootsUnion.objects.filter(
                district_union=from_unit, dissolved_on__isnull=True
            ).values_list("code", flat=True)
        ]
    # (cast: moves without `on` are a caller's mistake, refused by the check.)
    plan = Plan(moves=[Move(g, t, cast(date, on)) for g, t in rows], **decision)
    return plan_apply(plan, user)


def unit_move_federation(
    unit: DistrictUnion, federation: Federation, on: date, *, user=SYSTEM, **decision
) -> Restructuring | None:
    plan = Plan(
        kind=Restructuring.Kind.MOVE_UNIT,
        transfers=[UnitTransfer(unit.code, federation.code, on)],
        **decision,
    )
    return plan_apply(plan, user)


def federations_merge(
    federation: Federation, into: Federation, on: date, *, user=SYSTEM, **decision
) -> Restructuring | None:
    """A province merger: `federation` ends the day before `on`; its units belong to `into` from
    `on` and the CĐCS it managed directly go to `into`'s direct row."""
    plan = Plan(
        kind=Restructuring.Kind.MERGE_FEDERATIONS,
        federation_merges=[FederationMerge(federation.code, into.code, on)],
        **decision,
    )
    return plan_apply(plan, user)


def officers_move(roles: Iterable[UserRole], unit: DistrictUnion) -> int:
    """Give many officers a new unit at once (the admin action); returns how many moved."""
    ids = [role.pk for role in roles if role.role == UserRole.Role.DISTRICT_OFFICER]
    return UserRole.objects.filter(pk__in=ids).update(district_union=unit)
