"""A unit's period report (báo cáo kỳ): submitted by the unit, approved or returned by the level
above, with the figures as submitted and the history of every step. Approving it closes the
books of the period (`grassroots.models.PeriodLock`, checked by `grassroots.locks`)."""

from django.conf import settings
from django.db import models

from grassroots.access.scope import scoped
from grassroots.models import DistrictUnion, PeriodLock
from reports.periods import Period


class PeriodReportQuerySet(models.QuerySet):
    def for_user(self, user) -> "PeriodReportQuerySet":
        """Reports a user may see: their unit's (officers), their federation's (staff)."""
        return scoped(self, user, federation="unit__federation_id", district="unit_id", write=False)


class PeriodReport(models.Model):
    class Status(models.TextChoices):
        SUBMITTED = "submitted", "Đã gửi"
        APPROVED = "approved", "Đã duyệt"
        RETURNED = "returned", "Bị trả lại"

    unit = models.ForeignKey(
        DistrictUnion,
        on_delete=models.CASCADE,
        related_name="period_reports",
        verbose_name="đơn vị",
    )
    year = models.PositiveSmallIntegerField("năm")
    kind = models.CharField("kỳ", max_length=20)
    status = models.CharField("trạng thái", max_length=20, choices=Status.choices)
    # The figures as (last) submitted: reports.selectors.UnitFigures as a dict. Never changed
    # once approved; the approved copy is the lock's `figures`.
    figures = models.JSONField("số liệu khi gửi", default=dict)
    comment = models.TextField("ghi chú", blank=True)
    first_submitted_at = models.DateTimeField("gửi lần đầu lúc")
    submitted_at = models.DateTimeField("gửi lúc")
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    decided_at = models.DateTimeField("duyệt/trả lại lúc", null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    return_reason = models.TextField("lý do trả lại", blank=True)
    lock = models.OneToOneField(
        PeriodLock, on_delete=models.SET_NULL, null=True, blank=True, related_name="report"
    )

    objects = PeriodReportQuerySet.as_manager()

    class Meta:
        verbose_name = "báo cáo kỳ"
        verbose_name_plural = "báo cáo kỳ"
        ordering = ["unit", "-year", "kind"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "year", "kind"], name="period_report_unique")
        ]
        indexes = [models.Index(fields=["status", "year"], name="period_report_status_idx")]

    def __str__(self) -> str:
        return f"{self.period.label} – {self.unit}"

    @property
    def period(self) -> Period:
        return Period(self.year, self.kind)


class ReportStep(models.Model):
    """One step of a report's history: who did what, when, why."""

    class Action(models.TextChoices):
        SUBMIT = "submit", "Gửi báo cáo"
        RESUBMIT = "resubmit", "Gửi lại sau khi bị trả lại"
        APPROVE = "approve", "Duyệt"
        RETURN = "return", "Trả lại"
        OPEN = "open", "Mở khóa (ngoại lệ)"

    report = models.ForeignKey(PeriodReport, on_delete=models.CASCADE, related_name="steps")
    action = models.CharField("bước", max_length=20, choices=Action.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    user_name = models.CharField("người thực hiện", max_length=200)
    at = models.DateTimeField("lúc")
    reason = models.TextField("lý do / ghi chú", blank=True)
    figures = models.JSONField("số liệu khi gửi", default=dict, blank=True)

    class Meta:
        verbose_name = "bước báo cáo"
        verbose_name_plural = "lịch sử báo cáo"
        ordering = ["report", "at", "pk"]

    def __str__(self) -> str:
        return f"{self.get_action_display()} – {self.user_name}"
