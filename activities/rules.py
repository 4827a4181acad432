"""Checks of the activity records, returning the message users see (services and imports)."""

from __future__ import annotations

from datetime import date


def officer_on_day_problem(has_position: bool, code: str, day: date) -> str | None:
    """An attendee of a course is an officer of their CĐCS on the course's day."""
    if not has_position:
        return (
            f"Không phải cán bộ CĐCS {code} ngày {day:%d/%m/%Y} (chủ tịch, phó chủ tịch, "
            "ủy viên Ban Chấp hành): ghi chức vụ trước khi ghi tập huấn."
        )
    return None


def agreement_dates_problem(
    signed_on: date, valid_until: date, today: date, founded_on: date | None = None
) -> str | None:
    if founded_on is not None and signed_on < founded_on:
        return f"Ngày ký {signed_on:%d/%m/%Y} trước ngày thành lập CĐCS ({founded_on:%d/%m/%Y})."
    if signed_on > today:
        return f"Ngày ký {signed_on:%d/%m/%Y} sau ngày hôm nay."
    if valid_until <= signed_on:
        return "Ngày hết hiệu lực phải sau ngày ký."
    return None
