"""The reporting cycle: month, quarter, 6 months, 9 months and year (báo cáo tháng, quý, 6
tháng, 9 tháng, năm), with the deadline of each period type (settings.REPORT_DEADLINE_DAYS)."""

from __future__ import annotations

from datetime import date, timedelta

from django.conf import settings

from reports.periods import PERIODS, REPORT_KINDS, Period

TYPE_LABELS = {
    "thang": "Báo cáo tháng",
    "quy": "Báo cáo quý",
    "6-thang": "Báo cáo 6 tháng",
    "9-thang": "Báo cáo 9 tháng",
    "nam": "Báo cáo năm",
}


def period_type(kind: str) -> str:
    """`thang-3` -> `thang`, `quy-2` -> `quy`; the others are their own type."""
    return kind.rsplit("-", 1)[0] if kind.startswith(("thang-", "quy-")) else kind


def report_period(year: int, kind: str) -> Period:
    if kind not in REPORT_KINDS:
        raise ValueError(kind)
    return Period(year, kind)


def due_date(year: int, kind: str) -> date:
    """The last day the report of the period is on time."""
    end = report_period(year, kind).natural_end
    return end + timedelta(days=settings.REPORT_DEADLINE_DAYS[period_type(kind)])


def periods_ended(year: int, today: date) -> list[Period]:
    """The report periods of `year` that have ended by `today`, in the cycle's order."""
    return [Period(year, k) for k in REPORT_KINDS if Period(year, k).natural_end < today]


__all__ = ["PERIODS", "REPORT_KINDS", "due_date", "period_type", "periods_ended", "report_period"]
