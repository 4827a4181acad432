"""The records behind the further indicators (grassroots.indicators), kept one by one.

Each record names the CĐCS it happened in: the figures of a period count it for the upper-level
union that CĐCS belonged to on the record's day (as it was), like the member figures.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from simple_history.models import HistoricalRecords

from grassroots.models import DistrictUnion, GrassrootsUnion
from members.models import Member


class OfficerPosition(models.Model):
    """A member's officer position in a CĐCS, dated (chủ tịch, phó chủ tịch, ủy viên BCH)."""

    class Role(models.TextChoices):
        CHAIR = "chair", "Chủ tịch"
        VICE_CHAIR = "vice_chair", "Phó chủ tịch"
        COMMITTEE = "committee", "Ủy viên Ban Chấp hành"

    member = models.ForeignKey(
        Member, on_delete=models.CASCADE, related_name="positions", verbose_name="đoàn viên"
    )
    grassroots = models.ForeignKey(
        GrassrootsUnion, on_delete=models.PROTECT, related_name="+", verbose_name="CĐCS"
    )
    role = models.CharField("chức vụ", max_length=20, choices=Role.choices)
    started_on = models.DateField("từ ngày")
    ended_on = models.DateField("đến ngày", null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "chức vụ cán bộ CĐCS"
        verbose_name_plural = "chức vụ cán bộ CĐCS"
        constraints = [
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=F("started_on")),
                name="officerposition_dates_in_order",
            )
        ]
        indexes = [models.Index(fields=["member", "role"], name="officerposition_member_idx")]

    def __str__(self) -> str:
        return f"{self.get_role_display()} – {self.member_id} từ {self.started_on:%d/%m/%Y}"


class TrainingCourse(models.Model):
    """A training course (lớp tập huấn) held by an upper-level union (or the federation)."""

    held_on = models.DateField("ngày tập huấn")
    topic = models.CharField("chủ đề", max_length=200)
    organiser = models.CharField("đơn vị tổ chức", max_length=200)
    district_union = models.ForeignKey(
        DistrictUnion,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="công đoàn cấp trên tổ chức",
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = "lớp tập huấn"
        verbose_name_plural = "lớp tập huấn"
        ordering = ["-held_on", "pk"]

    def __str__(self) -> str:
        return f"{self.topic} ({self.held_on:%d/%m/%Y})"


class TrainingAttendance(models.Model):
    """An officer at a course. `grassroots` and `held_on` are the CĐCS the officer served and
    the course's day, kept on the row so that a period's count is one grouped query."""

    course = models.ForeignKey(
        TrainingCourse, on_delete=models.CASCADE, related_name="attendances", verbose_name="lớp"
    )
    member = models.ForeignKey(
        Member, on_delete=models.PROTECT, related_name="trainings", verbose_name="đoàn viên"
    )
    grassroots = models.ForeignKey(
        GrassrootsUnion, on_delete=models.PROTECT, related_name="+", verbose_name="CĐCS"
    )
    held_on = models.DateField("ngày tập huấn")

    class Meta:
        verbose_name = "học viên tập huấn"
        verbose_name_plural = "học viên tập huấn"
        constraints = [
            models.UniqueConstraint(fields=["course", "member"], name="attendance_once_per_course")
        ]
        indexes = [models.Index(fields=["held_on", "grassroots"], name="attendance_day_idx")]

    def __str__(self) -> str:
        return f"{self.member_id} – {self.course_id}"


class PartyEvent(models.Model):
    """A member introduced to the Party (giới thiệu cho Đảng) or admitted to it (kết nạp)."""

    class Kind(models.TextChoices):
        INTRODUCED = "introduced", "Giới thiệu cho Đảng bồi dưỡng, kết nạp"
        ADMITTED = "admitted", "Được kết nạp Đảng"

    member = models.ForeignKey(
        Member, on_delete=models.CASCADE, related_name="party_events", verbose_name="đoàn viên"
    )
    grassroots = models.ForeignKey(
        GrassrootsUnion, on_delete=models.PROTECT, related_name="+", verbose_name="CĐCS"
    )
    kind = models.CharField("sự kiện", max_length=20, choices=Kind.choices)
    on = models.DateField("ngày")

    history = HistoricalRecords()

    class Meta:
        verbose_name = "giới thiệu, kết nạp Đảng"
        verbose_name_plural = "giới thiệu, kết nạp Đảng"
        constraints = [
            models.UniqueConstraint(fields=["member", "kind"], name="partyevent_once_per_kind")
        ]
        indexes = [models.Index(fields=["on", "grassroots"], name="partyevent_day_idx")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.member_id} ({self.on:%d/%m/%Y})"


class CollectiveAgreement(models.Model):
    """A collective labour agreement (thỏa ước lao động tập thể) of a CĐCS."""

    class Grade(models.TextChoices):
        A = "A", "Loại A"
        B = "B", "Loại B"

    grassroots = models.ForeignKey(
        GrassrootsUnion, on_delete=models.PROTECT, related_name="agreements", verbose_name="CĐCS"
    )
    signed_on = models.DateField("ngày ký")
    valid_until = models.DateField("hiệu lực đến")
    grade = models.CharField("xếp loại", max_length=1, choices=Grade.choices)
    workers_covered = models.PositiveIntegerField("số người lao động được hưởng")

    history = HistoricalRecords()

    class Meta:
        verbose_name = "thỏa ước lao động tập thể"
        verbose_name_plural = "thỏa ước lao động tập thể"
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_until__gt=F("signed_on")), name="agreement_valid_after_signing"
            )
        ]
        indexes = [models.Index(fields=["signed_on", "grassroots"], name="agreement_day_idx")]

    def __str__(self) -> str:
        return f"{self.grassroots_id} {self.get_grade_display()} ({self.signed_on:%d/%m/%Y})"


class SupportPayout(models.Model):
    """A support payment of the city's scheme, once marked (the support due is computed from
    the registers by activities.payouts; a row here says it was approved or paid)."""

    class Kind(models.TextChoices):
        GRASSROOTS = "grassroots", "CĐCS mới thành lập từ 25 đoàn viên"
        RECRUITER = "recruiter", "Cán bộ vận động thành lập CĐCS"
        AGREEMENT = "agreement", "Thỏa ước lao động tập thể"

    class Status(models.TextChoices):
        DUE = "due", "Đến hạn hỗ trợ"
        APPROVED = "approved", "Đã duyệt chi"
        PAID = "paid", "Đã chi"

    kind = models.CharField("loại hỗ trợ", max_length=20, choices=Kind.choices)
    grassroots = models.ForeignKey(
        GrassrootsUnion, on_delete=models.PROTECT, related_name="+", verbose_name="CĐCS"
    )
    agreement = models.ForeignKey(
        CollectiveAgreement,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="thỏa ước",
    )
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="cán bộ được hỗ trợ",
    )
    amount = models.PositiveBigIntegerField("số tiền (đồng)")
    due_on = models.DateField("ngày đến hạn")
    status = models.CharField("trạng thái", max_length=10, choices=Status.choices)
    paid_on = models.DateField("ngày chi", null=True, blank=True)
    voucher = models.CharField("số chứng từ", max_length=50, blank=True)
    # The approval (duyệt chi) before the payment: who and when.
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="người duyệt chi",
    )
    approved_by_name = models.CharField("người duyệt chi", max_length=150, blank=True)
    approved_at = models.DateTimeField("lúc duyệt chi", null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "khoản hỗ trợ"
        verbose_name_plural = "khoản hỗ trợ"
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "grassroots"],
                condition=Q(agreement__isnull=True),
                name="payout_once_per_grassroots",
            ),
            models.UniqueConstraint(
                fields=["agreement"],
                condition=Q(agreement__isnull=False),
                name="payout_once_per_agreement",
            ),
            models.CheckConstraint(
                condition=~Q(status="paid") | (Q(paid_on__isnull=False) & ~Q(voucher="")),
                name="payout_paid_has_voucher",
            ),
            models.CheckConstraint(
                condition=Q(status="due") | Q(approved_at__isnull=False),
                name="payout_approved_has_when",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.grassroots_id}: {self.amount}"


class UnitRecordDayStat(models.Model):
    """Kept counts of the records, one row per upper-level union and day with a record that
    counts for it (`activities.stats`): running totals up to and including the day, so that the
    records' figures of a period are, like the member figures (`reports.models.UnitDayStat`),
    the difference of two rows per unit.

    A record counts for the unit its CĐCS belonged to on the record's day. Trained officers
    and new chairs trained are distinct people: they are kept three times, counting each
    (unit, person) once on their first course of each month, quarter and year (`_month`,
    `_quarter`, `_year`), so that a report period starting on the first day of one of those
    (months, quarters, 6 and 9 months, the year; cut at any as-of day) is again a difference.
    A new chair is kept on the later of that first course and the start of their chair
    position, both needed in the period (a period cut at any day), and again on the first course
    (`chairs_course_*`: a unit's part of a whole month, quarter or year).
    """

    district_union = models.ForeignKey(
        DistrictUnion, on_delete=models.CASCADE, related_name="+", db_index=False
    )
    day = models.DateField()
    party_introduced_to_date = models.IntegerField(default=0)
    party_admitted_to_date = models.IntegerField(default=0)
    agreements_a_to_date = models.IntegerField(default=0)
    agreements_b_to_date = models.IntegerField(default=0)
    trained_month_to_date = models.IntegerField(default=0)
    trained_quarter_to_date = models.IntegerField(default=0)
    trained_year_to_date = models.IntegerField(default=0)
    chairs_month_to_date = models.IntegerField(default=0)
    chairs_quarter_to_date = models.IntegerField(default=0)
    chairs_year_to_date = models.IntegerField(default=0)
    # The same new chairs dated on their first course (a unit's part of a whole period).
    chairs_course_month_to_date = models.IntegerField(default=0)
    chairs_course_quarter_to_date = models.IntegerField(default=0)
    chairs_course_year_to_date = models.IntegerField(default=0)

    TO_DATE_FIELDS = (
        "party_introduced_to_date",
        "party_admitted_to_date",
        "agreements_a_to_date",
        "agreements_b_to_date",
        "trained_month_to_date",
        "trained_quarter_to_date",
        "trained_year_to_date",
        "chairs_month_to_date",
        "chairs_quarter_to_date",
        "chairs_year_to_date",
        "chairs_course_month_to_date",
        "chairs_course_quarter_to_date",
        "chairs_course_year_to_date",
    )

    class Meta:
        verbose_name = "số liệu ngày của hoạt động"
        verbose_name_plural = "số liệu ngày của hoạt động"
        constraints = [
            models.UniqueConstraint(
                fields=["district_union", "day"], name="unitrecorddaystat_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.district_union_id} {self.day:%d/%m/%Y}"


class ConsolidationOutcome(models.Model):
    """The outcome of consolidating a weak CĐCS (kết quả củng cố, kiện toàn, sắp xếp), recorded
    by an officer with its day and a note. Dissolutions and mergers are also derived from the
    CĐCS register (activities.weak.consolidation_outcomes); a revival only an officer knows."""

    class Outcome(models.TextChoices):
        MERGED = "merged", "Sáp nhập vào CĐCS khác"
        DISSOLVED = "dissolved", "Giải thể"
        REVIVED = "revived", "Củng cố, hoạt động trở lại"

    grassroots = models.ForeignKey(
        GrassrootsUnion, on_delete=models.CASCADE, related_name="+", verbose_name="CĐCS"
    )
    outcome = models.CharField("kết quả", max_length=10, choices=Outcome.choices)
    on = models.DateField("ngày")
    note = models.CharField("ghi chú", max_length=255, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="người ghi",
    )
    recorded_by_name = models.CharField("người ghi", max_length=150, blank=True)
    recorded_at = models.DateTimeField("lúc ghi", default=timezone.now)

    class Meta:
        verbose_name = "kết quả củng cố CĐCS"
        verbose_name_plural = "kết quả củng cố CĐCS"
        ordering = ["-on", "-pk"]

    def __str__(self) -> str:
        return f"{self.grassroots_id} {self.get_outcome_display()} ({self.on:%d/%m/%Y})"
