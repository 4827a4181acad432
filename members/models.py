"""Members (đoàn viên) and their dated placements in CĐCS.

A `Placement` is one uninterrupted stay of a member in one CĐCS: it starts with an admission,
a rejoin or a transfer and ends with a transfer or with leaving. Counting rules (DOMAIN.md) read
placements: an admission counts for the unit the CĐCS belonged to on the admission date, and a
transfer is not an admission.
"""

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Length
from django.db.models.lookups import Exact
from simple_history.models import HistoricalRecords

from grassroots.models import GrassrootsUnion
from unionportal.net import client_ip
from unionportal.text import fold

from .querysets import MemberQuerySet, PlacementQuerySet


class Gender(models.TextChoices):
    MALE = "male", "Nam"
    FEMALE = "female", "Nữ"


class LeaveReason(models.TextChoices):
    JOB_CHANGE = "job_change", "Chuyển công tác"
    RETIREMENT = "retirement", "Nghỉ hưu"
    RESIGNATION = "resignation", "Thôi việc"
    EXPULSION = "expulsion", "Khai trừ"
    OTHER = "other", "Khác"


class Member(models.Model):
    full_name = models.CharField("họ và tên", max_length=120)
    gender = models.CharField("giới tính", max_length=10, choices=Gender.choices)
    birth_date = models.DateField("ngày sinh")
    cccd = models.CharField("số CCCD", max_length=12, unique=True)
    phone = models.CharField("số điện thoại", max_length=20, blank=True)
    occupation = models.CharField("nghề nghiệp", max_length=120, blank=True)
    card_number = models.CharField("số thẻ đoàn viên", max_length=30, blank=True)
    grassroots = models.ForeignKey(
        GrassrootsUnion,
        on_delete=models.PROTECT,
        related_name="members",
        verbose_name="CĐCS",
        db_index=False,  # member_grassroots_idx starts with it
    )
    joined_on = models.DateField("ngày kết nạp")
    left_on = models.DateField("ngày ra khỏi công đoàn", null=True, blank=True)
    leave_reason = models.CharField(
        "lý do ra khỏi công đoàn", max_length=20, choices=LeaveReason.choices, blank=True
    )
    leave_note = models.CharField("ghi chú", max_length=255, blank=True)
    # Folded name for the search (`LIKE '%nguyen%dat%'`): a btree cannot serve a pattern that
    # starts with %, the trigram index of migration 0003 does (PostgreSQL).
    search_text = models.CharField(max_length=200, blank=True, editable=False)
    # Optimistic locking: a form carries the version it was rendered with.
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = MemberQuerySet.as_manager()
    # The history is read by member and by date, never by CCCD: no index for it there.
    history = HistoricalRecords(excluded_fields=["search_text", "updated_at"], no_db_index=["cccd"])
    # Set before a save; simple_history reads them for the history row.
    _history_user: Any
    _change_reason: str

    class Meta:
        verbose_name = "đoàn viên"
        verbose_name_plural = "đoàn viên"
        ordering = ["full_name"]
        constraints = [
            models.CheckConstraint(
                condition=Exact(Length("cccd"), 12), name="member_cccd_12_chars"
            ),
            models.CheckConstraint(
                condition=Q(left_on__isnull=True) | Q(left_on__gte=F("joined_on")),
                name="member_left_after_joined",
            ),
        ]
        indexes = [
            models.Index(fields=["grassroots", "left_on"], name="member_grassroots_idx"),
            models.Index(fields=["joined_on"], name="member_joined_idx"),
            # Phone and CCCD are searched by prefix (LIKE '09%'): on PostgreSQL through the
            # varchar_pattern_ops indexes (migration 0003 and Django's `_like` index of the
            # unique CCCD); SQLite's LIKE ignores case and can use no plain index for it.
        ]

    def __str__(self) -> str:
        return self.full_name

    def save(self, *args, **kwargs) -> None:
        self.search_text = fold(self.full_name)
        super().save(*args, **kwargs)

    @property
    def is_active(self) -> bool:
        return self.left_on is None

    @property
    def cccd_masked(self) -> str:
        return mask_cccd(self.cccd)


def mask_cccd(cccd: str) -> str:
    """`001090012345` -> `0010******45`: enough to tell people apart, not enough to misuse."""
    if len(cccd) < 8:
        return "*" * len(cccd)
    return f"{cccd[:4]}{'*' * (len(cccd) - 6)}{cccd[-2:]}"


class Placement(models.Model):
    class StartKind(models.TextChoices):
        ADMISSION = "admission", "Kết nạp"
        REJOIN = "rejoin", "Kết nạp lại"
        TRANSFER = "transfer", "Chuyển đến"

    class EndKind(models.TextChoices):
        TRANSFER = "transfer", "Chuyển đi"
        LEFT = "left", "Ra khỏi công đoàn"

    ADMISSION_KINDS = (StartKind.ADMISSION, StartKind.REJOIN)

    member = models.ForeignKey(
        Member, on_delete=models.CASCADE, related_name="placements", verbose_name="đoàn viên"
    )
    grassroots = models.ForeignKey(
        GrassrootsUnion,
        on_delete=models.PROTECT,
        related_name="placements",
        verbose_name="CĐCS",
        db_index=False,  # placement_stock_idx (below) starts with it
    )
    start_on = models.DateField("từ ngày")
    start_kind = models.CharField("hình thức", max_length=10, choices=StartKind.choices)
    end_on = models.DateField("đến ngày", null=True, blank=True)
    end_kind = models.CharField("kết thúc", max_length=10, choices=EndKind.choices, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = PlacementQuerySet.as_manager()

    class Meta:
        verbose_name = "quá trình sinh hoạt"
        verbose_name_plural = "quá trình sinh hoạt"
        ordering = ["member", "start_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_on__isnull=True) | Q(end_on__gte=F("start_on")),
                name="placement_valid_range",
            ),
            models.CheckConstraint(
                condition=(Q(end_on__isnull=True) & Q(end_kind=""))
                | (Q(end_on__isnull=False) & ~Q(end_kind="")),
                name="placement_end_kind_with_end",
            ),
            # At most one open placement per member.
            models.UniqueConstraint(
                fields=["member"], condition=Q(end_on__isnull=True), name="placement_one_open"
            ),
        ]
        indexes = [
            models.Index(fields=["start_on", "grassroots"], name="placement_start_idx"),
            # Stays ending in a period: only ended stays are in it (most stays are open; an
            # imported member's would be written into it for nothing).
            models.Index(
                fields=["end_on", "grassroots"],
                condition=Q(end_on__isnull=False),
                name="placement_end_idx",
            ),
            # A CĐCS's stays are found through placement_stock_idx, (grassroots, start_on)
            # INCLUDE (end_on, start_kind), created by reports/migrations/0003 in SQL (Django
            # warns that SQLite has no INCLUDE); members 0005 depends on it.
        ]

    def __str__(self) -> str:
        return f"{self.member_id} @ {self.grassroots_id} từ {self.start_on:%d/%m/%Y}"

    def as_stay(self) -> tuple:
        """(CĐCS id, start_on, start_kind, end_on, end_kind): what the day figures count of this
        stay (see `grassroots.services.figures_touch`)."""
        return (
            self.grassroots_id,
            self.start_on,
            str(self.start_kind),
            self.end_on,
            str(self.end_kind or ""),
        )


class AccessLog(models.Model):
    """Who opened which member's personal data, and who exported what (Law 91/2025/QH15)."""

    class Action(models.TextChoices):
        VIEW_MEMBER = "view_member", "Xem hồ sơ đoàn viên"
        EXPORT = "export", "Xuất dữ liệu"
        IMPORT = "import", "Nhập dữ liệu"
        # A CCCD typed in a form or an import that belongs to a member outside the user's
        # scope: the refusal tells that the number exists (kept to prevent duplicates).
        CCCD_CHECK = "cccd_check", "Số CCCD thuộc đơn vị khác"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name="người dùng",
    )
    at = models.DateTimeField("thời điểm", auto_now_add=True, db_index=True)
    action = models.CharField("thao tác", max_length=20, choices=Action.choices)
    member = models.ForeignKey(
        Member, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    what = models.CharField("nội dung", max_length=255, blank=True)
    filters = models.JSONField("bộ lọc", default=dict, blank=True)
    row_count = models.PositiveIntegerField("số dòng", null=True, blank=True)
    ip_address = models.GenericIPAddressField("địa chỉ IP", null=True, blank=True)

    class Meta:
        verbose_name = "nhật ký truy cập dữ liệu cá nhân"
        verbose_name_plural = "nhật ký truy cập dữ liệu cá nhân"
        ordering = ["-at"]

    def __str__(self) -> str:
        return f"{self.at:%d/%m/%Y %H:%M} {self.user} {self.get_action_display()} {self.what}"


def access_log_record(
    request, action: str, *, member=None, what: str = "", filters=None, row_count=None
):
    """Record one access to personal data by the request's user."""
    return AccessLog.objects.create(
        user=request.user if request.user.is_authenticated else None,
        action=action,
        member=member,
        what=what[:255],
        filters=filters or {},
        row_count=row_count,
        ip_address=client_ip(request),
    )
