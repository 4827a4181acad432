"""Which figures a dashboard or report form shows: the approved ones ("số liệu đã duyệt") or
today's ("số liệu hiện tại"). One query on the closed books (grassroots.models.PeriodLock).

A period approved for every unit shown, whose figures today still equal the approved snapshot,
shows the approved figures; otherwise today's, saying how many units are approved and whether
late corrections changed any since.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass
from datetime import date

from django.utils import timezone

from grassroots.models import Federation, PeriodLock

from .periods import Period
from .selectors import ProgressRow

APPROVED_LABEL = "Số liệu đã duyệt"
CURRENT_LABEL = "Số liệu hiện tại"


@dataclass(frozen=True)
class FiguresStatus:
    approved: bool  # every unit's figures shown are the approved ones
    label: str  # APPROVED_LABEL or CURRENT_LABEL
    note: str  # the sentence shown under the title and in the report form


def figures_status(rows: list[ProgressRow], period: Period, today: date) -> FiguresStatus:
    """The status of the figures of `rows` (unit rows) for `period`."""
    units = [row for row in rows if row.unit_id is not None]
    if period.is_cut or period.current_tree or not units or period.natural_end >= today:
        return FiguresStatus(False, CURRENT_LABEL, f"{CURRENT_LABEL} (chưa duyệt).")
    locks = {
        lock.unit_id: lock
        for lock in PeriodLock.objects.filter(
            unit_id__in=[row.unit_id for row in units], year=period.year, kind=period.kind
        ).only("unit_id", "figures", "approver_name", "approved_at")
    }
    if not locks:
        return FiguresStatus(False, CURRENT_LABEL, f"{CURRENT_LABEL} (chưa duyệt).")
    same = [
        row
        for row in units
        if row.unit_id in locks and locks[row.unit_id].figures == asdict(row.figures)
    ]
    if len(same) == len(units):
        if len(units) == 1:
            lock = locks[units[0].unit_id]  # type: ignore[index]
            when = timezone.localtime(lock.approved_at)
            note = f"{APPROVED_LABEL}: {lock.approver_name} duyệt ngày {when:%d/%m/%Y}."
        else:
            note = f"{APPROVED_LABEL}: báo cáo kỳ của cả {len(units)} đơn vị đã được duyệt."
        return FiguresStatus(True, APPROVED_LABEL, note)
    changed = len(locks) - len([row for row in same if row.unit_id in locks])
    note = f"{CURRENT_LABEL}: {len(locks)}/{len(units)} đơn vị đã được duyệt báo cáo kỳ này"
    if changed:
        note += f", {changed} đơn vị có điều chỉnh sau duyệt (số liệu đã duyệt giữ nguyên)"
    return FiguresStatus(False, CURRENT_LABEL, note + ".")


# The national level's word on a federation's own period report ("Tổng Liên đoàn đã duyệt"),
# for the federation's report form. approvals/ registers the reader in its AppConfig.ready()
# (reports/ does not import approvals/); without it the form says nothing of it.
NATIONAL_NOTE_READERS: list[Callable[[Federation, Period], str]] = []


def national_note(federation: Federation, period: Period) -> str:
    """One sentence on whether the national level approved the federation's report of
    `period` ("" for a period that is not a report period, or with no reader registered)."""
    if period.is_cut or period.current_tree or not NATIONAL_NOTE_READERS:
        return ""
    return NATIONAL_NOTE_READERS[0](federation, period)
