"""A unit's period report (báo cáo kỳ): submitted by the unit, approved or returned by the level
above, with the figures as submitted and the history of every step. Approving it closes the
books of the period (`grassroots.models.PeriodLock`, checked by `grassroots.locks`)."""

from django.conf import settings
from django.db import models
from django.db.models import Q

from grassroots.access.scope import scoped
from grassroots.models import DistrictUnion, Federation, PeriodLock
from reports.periods import Period


class PeriodReportQuerySet(models.QuerySet):
    def for_user(self, user) -> "PeriodReportQuerySet":
        """Reports a user may see: their unit's (officers), their federation's (staff)."""
        return scoped(self, user, federation="unit__federation_id", district="unit_id", write=False)

    def of_units(self) -> "PeriodReportQuerySet":
        return self.filter(unit__isnull=False)

    def of_federations(self) -> "PeriodReportQuerySet":
        return self.filter(federation__isnull=False)


class PeriodReport(models.Model):
    class Status(models.TextChoices):
        SUBMITTED = "submitted", "Đã gửi"
        APPROVED = "approved", "Đã duyệt"
        RETURNED = "returned", "Bị trả lại"

    # A unit's report (to its federation), or a federation's own report to the national level
    # (Tổng Liên đoàn): exactly one of the two is set.
    unit = models.ForeignKey(
        DistrictUnion,
        on_delete=models.CASCADE,
        related_name="period_reports",
        verbose_name="đơn vị",
        null=True,
        blank=True,
    )
    federation = models.ForeignKey(
        Federation,
        on_delete=models.CASCADE,
        related_name="period_reports",
        verbose_name="LĐLĐ (báo cáo lên Tổng Liên đoàn)",
        null=True,
        blank=True,
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
            models.UniqueConstraint(
                fields=["unit", "year", "kind"],
                condition=Q(unit__isnull=False),
                name="period_report_unique",
            ),
            models.UniqueConstraint(
                fields=["federation", "year", "kind"],
                condition=Q(federation__isnull=False),
                name="period_report_federation_unique",
            ),
            models.CheckConstraint(
                condition=Q(unit__isnull=False, federation__isnull=True)
                | Q(unit__isnull=True, federation__isnull=False),
                name="period_report_unit_xor_federation",
            ),
        ]
        indexes = [models.Index(fields=["status", "year"], name="period_report_status_idx")]

    def __str__(self) -> str:
        return f"{self.period.label} – {self.unit or self.federation}"

    @property
    def is_federation_report(self) -> bool:
        return self.federation_id is not None

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
        CLOSE = "close", "Đóng ngoại lệ (Tổng Liên đoàn đã duyệt báo cáo của LĐLĐ)"

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
