"""The organisation: federations, upper-level (district) unions, grassroots unions (CĐCS), targets.

A CĐCS belongs to a district union through dated `Affiliation` rows, so that moving it to
another unit from a date never changes a figure of an earlier period (DOMAIN.md, rule 1-2).
"""

from datetime import date
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from simple_history.models import HistoricalRecords

from unionportal.text import fold

from .querysets import (
    AffiliationQuerySet,
    AnnualTargetQuerySet,
    CampaignQuerySet,
    DistrictUnionQuerySet,
    FederationQuerySet,
    GrassrootsUnionQuerySet,
    UnitMembershipQuerySet,
)
from .rules import MAX_YEAR, MIN_YEAR
from .short_names import short_name_for

WORKERS_THRESHOLD = 25  # "CĐCS có từ 25 lao động trở lên" is a tracked indicator


class Federation(models.Model):
    """City or province federation (LĐLĐ thành phố / tỉnh), under the national confederation.

    A province merger ends a federation (`ended_on`, its last day) and hands its units to its
    `successor` from the next day (`UnitMembership` rows keep who belonged where when).
    """

    code = models.CharField("mã đơn vị", max_length=20, unique=True)
    name = models.CharField("tên đơn vị", max_length=200)
    founded_on = models.DateField("ngày thành lập", null=True, blank=True)
    ended_on = models.DateField(
        "ngày kết thúc hoạt động",
        null=True,
        blank=True,
        help_text="Ngày cuối cùng đơn vị còn hoạt động (sáp nhập tỉnh).",
    )
    successor = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="predecessors",
        verbose_name="đơn vị kế tục",
    )

    objects = FederationQuerySet.as_manager()

    class Meta:
        verbose_name = "liên đoàn lao động tỉnh/thành phố"
        verbose_name_plural = "liên đoàn lao động tỉnh/thành phố"
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class DistrictUnion(models.Model):
    """Upper-level union directly above grassroots (công đoàn cấp trên trực tiếp cơ sở)."""

    class Kind(models.TextChoices):
        DISTRICT = "district", "LĐLĐ quận/huyện"
        COMMUNE = "commune", "Công đoàn xã/phường"
        SECTOR = "sector", "Công đoàn ngành"
        INDUSTRIAL_ZONE = "industrial_zone", "Công đoàn khu công nghiệp"
        # The CĐCS a federation manages directly: one such unit per federation, created on
        # demand, so that they are a dashboard row like any unit (figures keyed by unit).
        DIRECT = "direct", "CĐCS trực thuộc LĐLĐ"

    code = models.CharField("mã đơn vị", max_length=20, unique=True)
    name = models.CharField("tên đơn vị", max_length=200)
    # Empty: the rule of grassroots.short_names gives it ("Q. Thanh Xuân"); see `short_label`.
    short_name = models.CharField(
        "tên ngắn",
        max_length=60,
        blank=True,
        help_text="Tên hiển thị trong bảng; để trống thì tự rút gọn từ tên đơn vị.",
    )
    kind = models.CharField("loại", max_length=20, choices=Kind.choices, default=Kind.DISTRICT)
    federation = models.ForeignKey(
        Federation,
        on_delete=models.PROTECT,
        related_name="district_unions",
        verbose_name="liên đoàn lao động",
    )
    founded_on = models.DateField("ngày thành lập", null=True, blank=True)
    # The last day the unit existed (a unit "kết thúc hoạt động"; a CĐCS "giải thể").
    ended_on = models.DateField("ngày kết thúc hoạt động", null=True, blank=True)
    successors = models.ManyToManyField(
        "self",
        symmetrical=False,
        blank=True,
        related_name="predecessors",
        verbose_name="đơn vị kế tục",
    )

    objects = DistrictUnionQuerySet.as_manager()
    history = HistoricalRecords()
    # Set before a save; simple_history reads them for the history row.
    _history_user: Any
    _change_reason: str

    class Meta:
        verbose_name = "công đoàn cấp trên trực tiếp cơ sở"
        verbose_name_plural = "công đoàn cấp trên trực tiếp cơ sở"
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["federation"], condition=Q(kind="direct"), name="one_direct_unit"
            ),
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True)
                | Q(founded_on__isnull=True)
                | Q(ended_on__gte=F("founded_on")),
                name="unit_ended_after_founded",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs) -> None:
        """A new unit belongs to its federation from its founding (or from always)."""
        adding = self._state.adding
        super().save(*args, **kwargs)
        if adding and not self.memberships.exists():
            UnitMembership.objects.create(
                district_union=self,
                federation_id=self.federation_id,
                valid_from=self.founded_on or EARLIEST,
            )

    @property
    def short_label(self) -> str:
        """The name for wide tables: the stored short name, or the rule's."""
        return self.short_name or short_name_for(self.name)

    @property
    def is_direct(self) -> bool:
        return self.kind == self.Kind.DIRECT

    def has_ended(self, today: date) -> bool:
        """True from the day after its last day."""
        return self.ended_on is not None and self.ended_on < today


def direct_unit_name(federation: Federation) -> str:
    return f"CĐCS trực thuộc {federation.name}"


class UnitMembership(models.Model):
    """An upper-level union belongs to `federation` on days in [valid_from, valid_to).

    `DistrictUnion.federation` is the current one; these rows are the dated truth that the
    federation dashboards read (a unit moved to another federation, or a province merger,
    changes no figure of an earlier period).
    """

    district_union = models.ForeignKey(
        DistrictUnion, on_delete=models.CASCADE, related_name="memberships"
    )
    federation = models.ForeignKey(Federation, on_delete=models.PROTECT, related_name="memberships")
    valid_from = models.DateField("từ ngày")
    valid_to = models.DateField("đến ngày (không tính)", null=True, blank=True)

    objects = UnitMembershipQuerySet.as_manager()

    class Meta:
        verbose_name = "quá trình trực thuộc LĐLĐ"
        verbose_name_plural = "quá trình trực thuộc LĐLĐ"
        ordering = ["district_union", "valid_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["district_union", "valid_from"], name="unit_membership_unique"
            ),
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gt=F("valid_from")),
                name="unit_membership_valid_range",
            ),
        ]
        indexes = [
            models.Index(fields=["federation", "valid_from"], name="unit_membership_fed_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.district_union_id} → {self.federation_id} từ {self.valid_from:%d/%m/%Y}"


# Before any recorded date: the first membership of a unit whose founding is unknown.
EARLIEST = date(1900, 1, 1)


class GrassrootsUnion(models.Model):
    """Grassroots union (công đoàn cơ sở, CĐCS): one per enterprise, agency or public unit."""

    class Sector(models.TextChoices):
        STATE_AGENCY = "state_agency", "Cơ quan hành chính nhà nước"
        PUBLIC_SERVICE = "public_service", "Đơn vị sự nghiệp công lập"
        STATE_ENTERPRISE = "state_enterprise", "Doanh nghiệp nhà nước"
        PRIVATE_ENTERPRISE = "private_enterprise", "Doanh nghiệp ngoài nhà nước"
        FDI_ENTERPRISE = "fdi_enterprise", "Doanh nghiệp có vốn đầu tư nước ngoài"
        COOPERATIVE = "cooperative", "Hợp tác xã"
        OTHER = "other", "Khác"

    code = models.CharField("mã CĐCS", max_length=30, unique=True)
    name = models.CharField("tên CĐCS", max_length=255)
    tax_code = models.CharField("mã số thuế", max_length=14, blank=True)
    sector = models.CharField("khu vực", max_length=30, choices=Sector.choices)
    workers = models.PositiveIntegerField("số lao động", default=0)
    founded_on = models.DateField("ngày thành lập")
    # Where its seat is (địa chỉ trụ sở): after the 2025 reform, the ward in it proposes the
    # ward union the CĐCS belongs to (grassroots.addresses).
    address = models.CharField("địa chỉ trụ sở", max_length=255, blank=True)
    dissolved_on = models.DateField("ngày giải thể", null=True, blank=True)
    dissolution_reason = models.CharField("lý do giải thể", max_length=255, blank=True)
    # The unit it belongs to now; the dated truth is in Affiliation.
    district_union = models.ForeignKey(
        DistrictUnion,
        on_delete=models.PROTECT,
        related_name="grassroots_unions",
        verbose_name="công đoàn cấp trên",
    )
    search_text = models.CharField(max_length=400, blank=True, editable=False, db_index=True)

    objects = GrassrootsUnionQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["search_text"])
    # Set before a save; simple_history reads them for the history row.
    _history_user: Any
    _change_reason: str

    class Meta:
        verbose_name = "công đoàn cơ sở"
        verbose_name_plural = "công đoàn cơ sở"
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(dissolved_on__isnull=True) | Q(dissolved_on__gte=F("founded_on")),
                name="grassroots_dissolved_after_founded",
            ),
        ]
        indexes = [
            models.Index(fields=["founded_on", "district_union"], name="grassroots_founded_idx"),
            models.Index(fields=["district_union", "founded_on"], name="grassroots_unit_idx"),
            models.Index(fields=["tax_code"], name="grassroots_tax_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"

    def save(self, *args, **kwargs) -> None:
        self.search_text = grassroots_search_text(self.code, self.name, self.tax_code)
        super().save(*args, **kwargs)

    @property
    def is_active(self) -> bool:
        return self.dissolved_on is None or self.dissolved_on > timezone.localdate()

    @property
    def has_25_plus(self) -> bool:
        return self.workers >= WORKERS_THRESHOLD


def grassroots_search_text(code: str, name: str, tax_code: str) -> str:
    """The folded text a CĐCS is searched by (kept in `search_text`; bulk writers call this)."""
    return fold(f"{code} {name} {tax_code}")


class Affiliation(models.Model):
    """A CĐCS belongs to `district_union` on days in [valid_from, valid_to)."""

    grassroots = models.ForeignKey(
        GrassrootsUnion, on_delete=models.CASCADE, related_name="affiliations", verbose_name="CĐCS"
    )
    district_union = models.ForeignKey(
        DistrictUnion,
        on_delete=models.PROTECT,
        related_name="affiliations",
        verbose_name="công đoàn cấp trên",
    )
    valid_from = models.DateField("từ ngày")
    valid_to = models.DateField("đến ngày (không tính)", null=True, blank=True)

    objects = AffiliationQuerySet.as_manager()

    class Meta:
        verbose_name = "quá trình trực thuộc"
        verbose_name_plural = "quá trình trực thuộc"
        ordering = ["grassroots", "valid_from"]
        constraints = [
            models.UniqueConstraint(fields=["grassroots", "valid_from"], name="affiliation_unique"),
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gt=F("valid_from")),
                name="affiliation_valid_range",
            ),
        ]
        indexes = [
            models.Index(fields=["district_union", "valid_from"], name="affiliation_unit_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.grassroots_id} → {self.district_union_id} từ {self.valid_from:%d/%m/%Y}"


class AnnualTarget(models.Model):
    """Annual targets (chỉ tiêu) of one unit: a district union or a federation."""

    federation = models.ForeignKey(
        Federation,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="targets",
        verbose_name="liên đoàn lao động",
    )
    district_union = models.ForeignKey(
        DistrictUnion,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="targets",
        verbose_name="công đoàn cấp trên",
    )
    year = models.PositiveSmallIntegerField("năm")
    # The figures: one TargetValue per declared indicator with a target (grassroots.indicators).

    objects = AnnualTargetQuerySet.as_manager()
    history = HistoricalRecords()
    # Set before a save; simple_history reads them for the history row.
    _history_user: Any
    _change_reason: str

    class Meta:
        verbose_name = "chỉ tiêu năm"
        verbose_name_plural = "chỉ tiêu năm"
        ordering = ["-year"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(federation__isnull=True) & Q(district_union__isnull=False))
                | (Q(federation__isnull=False) & Q(district_union__isnull=True)),
                name="target_exactly_one_unit",
            ),
            models.UniqueConstraint(
                fields=["district_union", "year"],
                condition=Q(district_union__isnull=False),
                name="target_unique_district_year",
            ),
            models.UniqueConstraint(
                fields=["federation", "year"],
                condition=Q(federation__isnull=False),
                name="target_unique_federation_year",
            ),
            models.CheckConstraint(
                condition=Q(year__gte=MIN_YEAR) & Q(year__lte=MAX_YEAR), name="target_year_range"
            ),
        ]

    def __str__(self) -> str:
        return f"Chỉ tiêu {self.year} – {self.unit}"

    @property
    def unit(self) -> Federation | DistrictUnion:
        unit = self.district_union or self.federation
        assert unit is not None  # a target is a unit's or a federation's (one_owner)
        return unit

    def figures(self) -> dict[str, int]:
        """{indicator code: target} (prefetch `values` when reading many)."""
        return {v.indicator: v.value for v in self.values.all()}

    def value(self, code: str) -> int | None:
        """The target of indicator `code`, None when none is set."""
        return self.figures().get(code)


class TargetValue(models.Model):
    """One unit's target for one indicator and year: (unit, year) from its `AnnualTarget`,
    the indicator a code of `grassroots.indicators` (not a choice: indicators are declared in
    code, and a code no longer declared keeps its rows)."""

    target = models.ForeignKey(
        AnnualTarget, on_delete=models.CASCADE, related_name="values", verbose_name="chỉ tiêu năm"
    )
    indicator = models.CharField("chỉ số", max_length=40)
    value = models.PositiveIntegerField("chỉ tiêu")

    history = HistoricalRecords()
    _history_user: Any
    _change_reason: str

    class Meta:
        verbose_name = "chỉ tiêu theo chỉ số"
        verbose_name_plural = "chỉ tiêu theo chỉ số"
        constraints = [
            models.UniqueConstraint(
                fields=["target", "indicator"], name="targetvalue_unique_indicator"
            ),
            models.CheckConstraint(condition=Q(value__gte=0), name="targetvalue_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.target}: {self.indicator} = {self.value}"


class Campaign(models.Model):
    """A campaign window (đợt thi đua, đợt cao điểm) a federation declares inside one year:
    "Tháng Công nhân 2026", 01/05-31/05/2026. Its units get targets for it
    (`CampaignTarget`), and the dashboards measure the window against them."""

    federation = models.ForeignKey(
        Federation, on_delete=models.CASCADE, related_name="campaigns", verbose_name="LĐLĐ"
    )
    name = models.CharField("tên đợt", max_length=200)
    start_on = models.DateField("từ ngày")
    end_on = models.DateField("đến ngày")
    created_at = models.DateTimeField("tạo lúc", default=timezone.now)

    objects = CampaignQuerySet.as_manager()
    history = HistoricalRecords()
    _history_user: Any
    _change_reason: str

    class Meta:
        verbose_name = "đợt thi đua"
        verbose_name_plural = "đợt thi đua"
        ordering = ["start_on", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["federation", "name"], name="campaign_unique_name"),
            models.CheckConstraint(
                condition=Q(end_on__gte=F("start_on")), name="campaign_ends_after_start"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.start_on:%d/%m/%Y}–{self.end_on:%d/%m/%Y})"

    @property
    def year(self) -> int:
        return self.start_on.year

    def clean(self) -> None:
        from django.core.exceptions import ValidationError

        from .rules import campaign_problem

        if self.start_on and self.end_on:
            problem = campaign_problem(self.start_on, self.end_on)
            if problem:
                raise ValidationError(problem)


class CampaignTarget(models.Model):
    """One unit's target for one indicator in one campaign (a district union's, or the
    federation's own): the campaign's counterpart of `TargetValue`."""

    campaign = models.ForeignKey(
        Campaign, on_delete=models.CASCADE, related_name="targets", verbose_name="đợt thi đua"
    )
    federation = models.ForeignKey(
        Federation,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="campaign_targets",
        verbose_name="liên đoàn lao động",
    )
    district_union = models.ForeignKey(
        DistrictUnion,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="campaign_targets",
        verbose_name="công đoàn cấp trên",
    )
    indicator = models.CharField("chỉ số", max_length=40)
    value = models.PositiveIntegerField("chỉ tiêu")

    history = HistoricalRecords()
    _history_user: Any
    _change_reason: str

    class Meta:
        verbose_name = "chỉ tiêu đợt thi đua"
        verbose_name_plural = "chỉ tiêu đợt thi đua"
        constraints = [
            models.CheckConstraint(
                condition=(Q(federation__isnull=True) & Q(district_union__isnull=False))
                | (Q(federation__isnull=False) & Q(district_union__isnull=True)),
                name="campaigntarget_exactly_one_unit",
            ),
            models.UniqueConstraint(
                fields=["campaign", "district_union", "indicator"],
                condition=Q(district_union__isnull=False),
                name="campaigntarget_unique_district",
            ),
            models.UniqueConstraint(
                fields=["campaign", "federation", "indicator"],
                condition=Q(federation__isnull=False),
                name="campaigntarget_unique_federation",
            ),
            models.CheckConstraint(condition=Q(value__gte=0), name="campaigntarget_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.campaign}: {self.district_union or self.federation} {self.indicator}"


class UserRole(models.Model):
    """What a user may see: one upper-level union (of any kind: district, ward, sector...),
    one federation, every federation (national staff, read only), or everything (admin)."""

    class Role(models.TextChoices):
        DISTRICT_OFFICER = "district_officer", "Cán bộ công đoàn cấp trên cơ sở"
        FEDERATION_STAFF = "federation_staff", "Cán bộ LĐLĐ tỉnh/thành phố"
        NATIONAL_STAFF = "national_staff", "Cán bộ Tổng Liên đoàn"
        ADMIN = "admin", "Quản trị hệ thống"

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="union_role",
        verbose_name="người dùng",
    )
    role = models.CharField("vai trò", max_length=20, choices=Role.choices)
    federation = models.ForeignKey(
        Federation, on_delete=models.CASCADE, null=True, blank=True, verbose_name="LĐLĐ"
    )
    district_union = models.ForeignKey(
        DistrictUnion,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        verbose_name="công đoàn cấp trên",
    )

    class Meta:
        verbose_name = "vai trò người dùng"
        verbose_name_plural = "vai trò người dùng"
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(
                        role="district_officer",
                        district_union__isnull=False,
                        federation__isnull=True,
                    )
                    | Q(
                        role="federation_staff",
                        federation__isnull=False,
                        district_union__isnull=True,
                    )
                    | Q(role="admin", federation__isnull=True, district_union__isnull=True)
                    | Q(
                        role="national_staff",
                        federation__isnull=True,
                        district_union__isnull=True,
                    )
                ),
                name="user_role_scope_matches_role",
            ),
        ]

    def __str__(self) -> str:
        unit = self.district_union or self.federation
        return f"{self.user} – {self.get_role_display()}" + (f" ({unit})" if unit else "")


class Restructuring(models.Model):
    """One applied restructuring plan (phương án sắp xếp): what it decided and what it wrote.

    `changes` lists every row it created or changed, with the values before, so that the plan
    can be undone as a whole (`grassroots.restructuring.restructuring_undo`).
    """

    class Kind(models.TextChoices):
        PLAN = "plan", "Phương án sắp xếp (chuyển CĐCS)"
        FOUND = "found", "Thành lập đơn vị"
        END = "end", "Kết thúc hoạt động đơn vị"
        MERGE = "merge", "Hợp nhất đơn vị"
        SPLIT = "split", "Chia tách đơn vị"
        MOVE_UNIT = "move_unit", "Chuyển đơn vị sang LĐLĐ khác"
        MERGE_FEDERATIONS = "merge_federations", "Hợp nhất LĐLĐ tỉnh/thành phố"

    kind = models.CharField("loại", max_length=20, choices=Kind.choices)
    federation = models.ForeignKey(
        Federation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="restructurings",
        verbose_name="LĐLĐ",
    )
    decision_number = models.CharField("số quyết định", max_length=100, blank=True)
    decision_date = models.DateField("ngày quyết định", null=True, blank=True)
    effective_on = models.DateField("ngày hiệu lực")
    summary = models.TextField("nội dung", blank=True)
    source_name = models.CharField("file", max_length=255, blank=True)
    changes = models.JSONField("thay đổi", default=dict)
    grassroots_count = models.PositiveIntegerField("số CĐCS chuyển", default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="người thực hiện",
    )
    created_at = models.DateTimeField("lúc thực hiện", auto_now_add=True)
    undone_at = models.DateTimeField("lúc hoàn tác", null=True, blank=True)
    undone_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="người hoàn tác",
    )

    class Meta:
        verbose_name = "phương án sắp xếp"
        verbose_name_plural = "phương án sắp xếp"
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        number = f" số {self.decision_number}" if self.decision_number else ""
        return f"{self.get_kind_display()}{number} từ {self.effective_on:%d/%m/%Y}"


class PeriodLock(models.Model):
    """An approved reporting period of a unit: writes dated in [start, end] are refused
    (`grassroots.locks`). Written by the approvals app when the level above approves the
    unit's report; the texts of the refusal are kept here so that the check is one query."""

    unit = models.ForeignKey(
        DistrictUnion, on_delete=models.CASCADE, related_name="period_locks", verbose_name="đơn vị"
    )
    year = models.PositiveSmallIntegerField("năm")
    kind = models.CharField("loại kỳ", max_length=20)
    start = models.DateField("từ ngày")
    end = models.DateField("đến ngày")
    label = models.CharField("kỳ báo cáo", max_length=100)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="người duyệt",
    )
    approver_name = models.CharField("người duyệt", max_length=200)
    approved_at = models.DateTimeField("lúc duyệt")
    contact = models.CharField("liên hệ để mở khóa", max_length=300)
    # The approved snapshot (số liệu đã duyệt): the figures of reports.selectors.UnitFigures
    # as approved; dashboards may show them instead of today's.
    figures = models.JSONField("số liệu đã duyệt", default=dict)

    class Meta:
        verbose_name = "kỳ đã khóa sổ"
        verbose_name_plural = "kỳ đã khóa sổ"
        ordering = ["unit", "start", "end"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "year", "kind"], name="period_lock_unique"),
            models.CheckConstraint(condition=Q(end__gte=F("start")), name="period_lock_range"),
        ]
        indexes = [models.Index(fields=["unit", "end", "start"], name="period_lock_unit_idx")]

    def __str__(self) -> str:
        return f"{self.label} – {self.unit_id}"


class LockException(models.Model):
    """The level above opens one unit's approved period until `expires_at` (ngoại lệ khóa sổ):
    writes are then accepted and recorded as late corrections; the approved snapshot stays."""

    lock = models.ForeignKey(
        PeriodLock, on_delete=models.CASCADE, related_name="exceptions", verbose_name="kỳ"
    )
    reason = models.TextField("lý do")
    expires_at = models.DateTimeField("mở đến")
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="người mở",
    )
    opened_at = models.DateTimeField("lúc mở", default=timezone.now)

    class Meta:
        verbose_name = "ngoại lệ khóa sổ"
        verbose_name_plural = "ngoại lệ khóa sổ"
        ordering = ["-opened_at"]

    def __str__(self) -> str:
        return f"{self.lock} mở đến {timezone.localtime(self.expires_at):%d/%m/%Y %H:%M}"


class LateCorrection(models.Model):
    """A write dated in an approved period, accepted under a lock exception (điều chỉnh sau
    duyệt): the report page lists them beside the snapshot and today's figures."""

    lock = models.ForeignKey(
        PeriodLock, on_delete=models.CASCADE, related_name="corrections", verbose_name="kỳ"
    )
    grassroots = models.ForeignKey(
        GrassrootsUnion,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="CĐCS",
    )
    day = models.DateField("ngày phát sinh")
    what = models.CharField("nội dung", max_length=200)
    created_at = models.DateTimeField("lúc ghi", default=timezone.now)

    class Meta:
        verbose_name = "điều chỉnh sau duyệt"
        verbose_name_plural = "điều chỉnh sau duyệt"
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.what} ngày {self.day:%d/%m/%Y}"
