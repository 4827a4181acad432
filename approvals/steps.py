"""The pieces every report step shares, a unit's report or a federation's: who did it, and
returning a report with its reason (the rest of the step differs by level)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils import timezone

from .models import PeriodReport, ReportStep


def user_name(user) -> str:
    full = user.get_full_name() if hasattr(user, "get_full_name") else ""
    return full or getattr(user, "username", "") or str(user)


def user_or_none(user):
    return user if getattr(user, "pk", None) else None


def return_reason_clean(reason: str, whom: str) -> str:
    """The reason, stripped; refused when empty (the level below must know what to fix)."""
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": f"Cần ghi lý do trả lại để {whom} biết cần sửa gì."})
    return reason


def mark_returned(user, report: PeriodReport, reason: str) -> PeriodReport:
    """Set a (locked, checked) report returned with the reason, and keep the step."""
    now = timezone.now()
    report.status = PeriodReport.Status.RETURNED
    report.decided_at, report.decided_by, report.return_reason = now, user_or_none(user), reason
    report.save(update_fields=["status", "decided_at", "decided_by", "return_reason"])
    ReportStep.objects.create(
        report=report,
        action=ReportStep.Action.RETURN,
        user=user_or_none(user),
        user_name=user_name(user),
        at=now,
        reason=reason,
    )
    return report
