"""The register of enterprises without a union ("dư địa") and its organising pipeline.

An `Enterprise` (doanh nghiệp, đơn vị sử dụng lao động) is keyed by its tax code (10 digits and
an optional branch suffix, kept apart). Officers move it along the pipeline
(chưa tiếp cận -> đã tiếp cận -> đã thành lập ban vận động), with the side exits "từ chối" and
"ngừng hoạt động / giải thể"; each step is a dated `StageChange`, each visit a `Contact`.

"Đã thành lập CĐCS" is never typed: it is derived from the CĐCS register. `grassroots` and
`unionised_on` point to the active CĐCS with the same tax code (grassroots announces every
founding, change and dissolution with `figures_changed`; services.enterprise_links_sync keeps the
link), so founding the CĐCS (in the browser or by import) closes the enterprise on its founding
date and dissolving it reopens the enterprise at the stage it had before.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from grassroots.models import DistrictUnion, GrassrootsUnion
from unionportal.text import fold

from .querysets import WORKERS_THRESHOLD, EnterpriseLogQuerySet, EnterpriseQuerySet

__all__ = ["WORKERS_THRESHOLD"]


class Stage(models.TextChoices):
    NOT_CONTACTED = "not_contacted", "Chưa tiếp cận"
    CONTACTED = "contacted", "Đã tiếp cận"
    COMMITTEE = "committee", "Đã thành lập ban vận động"
    FOUNDED = "founded", "Đã thành lập CĐCS"
    REFUSED = "refused", "Từ chối"
    CLOSED = "closed", "Ngừng hoạt động / giải thể"


# The pipeline's steps in order (the side exits have no rank); `Enterprise.reached` keeps the
# furthest step an enterprise ever reached, for the conversion rate of each stage.
PIPELINE = [Stage.NOT_CONTACTED, Stage.CONTACTED, Stage.COMMITTEE, Stage.FOUNDED]
RANK = {stage.value: rank for rank, stage in enumerate(PIPELINE)}
# Stages officers record (FOUNDED comes from the CĐCS register).
RECORDED_STAGES = [s for s in Stage if s is not Stage.FOUNDED]


class Source(models.TextChoices):
    TAX_OFFICE = "tax_office", "Danh sách của cơ quan thuế"
    SOCIAL_INSURANCE = "social_insurance", "Danh sách của cơ quan bảo hiểm xã hội"
    SURVEY = "survey", "Khảo sát"
    OFFICER = "officer", "Cán bộ công đoàn"


class UnitBasis(models.TextChoices):
    ADDRESS = "address", "Theo địa chỉ (phường/xã)"
    ASSIGNED = "assigned", "Được giao"


class Enterprise(models.Model):
    tax_code = models.CharField("mã số thuế", max_length=10)
    branch = models.CharField("mã chi nhánh", max_length=3, blank=True)
    # tax_code or tax_code-branch: the form the CĐCS register stores, for the link.
    full_tax_code = models.CharField(max_length=14, unique=True, editable=False)
    name = models.CharField("tên doanh nghiệp", max_length=255)
    address = models.CharField("địa chỉ", max_length=255, blank=True)
    ward_code = models.PositiveIntegerField(
        "mã phường/xã", null=True, blank=True, help_text="Mã đơn vị hành chính từ 2025"
    )
    sector = models.CharField(
        "khu vực",
        max_length=30,
        choices=GrassrootsUnion.Sector.choices,
        default=GrassrootsUnion.Sector.PRIVATE_ENTERPRISE,
    )
    workers = models.PositiveIntegerField("số lao động", default=0)
    women = models.PositiveIntegerField("lao động nữ", null=True, blank=True)
    founded_on = models.DateField("ngày thành lập doanh nghiệp", null=True, blank=True)
    source = models.CharField("nguồn", max_length=20, choices=Source.choices)
    district_union = models.ForeignKey(
        DistrictUnion,
        on_delete=models.PROTECT,
        related_name="enterprises",
        verbose_name="công đoàn cấp trên phụ trách",
    )
    unit_basis = models.CharField(
        "phụ trách", max_length=10, choices=UnitBasis.choices, default=UnitBasis.ASSIGNED
    )
    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="organising_enterprises",
        verbose_name="cán bộ phụ trách",
    )
    stage = models.CharField(
        "giai đoạn", max_length=20, choices=Stage.choices, default=Stage.NOT_CONTACTED
    )
    stage_on = models.DateField("ngày của giai đoạn", null=True, blank=True)
    reached = models.PositiveSmallIntegerField("bước xa nhất đã đạt", default=0)
    # Derived from the CĐCS register (see module docstring); never typed.
    grassroots = models.ForeignKey(
        GrassrootsUnion,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="CĐCS",
    )
    unionised_on = models.DateField("ngày thành lập CĐCS", null=True, blank=True)
    # The support scheme pays the officer who recruited a new CĐCS (indicators issue).
    recruited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="cán bộ vận động thành lập",
    )
    recruited_grassroots = models.ForeignKey(
        GrassrootsUnion,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="CĐCS được vận động thành lập",
    )
    notes = models.TextField("ghi chú", blank=True)
    search_text = models.CharField(max_length=600, blank=True, editable=False)
    created_at = models.DateTimeField("thêm lúc")
    updated_at = models.DateTimeField("cập nhật lúc")

    objects = EnterpriseQuerySet.as_manager()
    # The unit the row had when read (from_db), so that a move rebuilds both units' counts.
    _unit_as_read: int | None = None

    class Meta:
        verbose_name = "doanh nghiệp"
        verbose_name_plural = "doanh nghiệp"
        ordering = ["name"]
        indexes = [
            models.Index(fields=["district_union", "stage"], name="enterprise_unit_stage_idx"),
            models.Index(fields=["officer"], name="enterprise_officer_idx"),
            models.Index(fields=["grassroots"], name="enterprise_grassroots_idx"),
            # The list's orders (name A-Z, most workers first), federation-wide and per unit:
            # the first page walks the index instead of sorting 200.000 rows.
            models.Index(fields=["name", "id"], name="enterprise_name_idx"),
            models.Index(fields=["district_union", "name", "id"], name="enterprise_unit_name_idx"),
            models.Index(fields=["-workers", "id"], name="enterprise_workers_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(stage="founded"), name="enterprise_founded_is_derived"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.full_tax_code})"

    def save(self, *args, **kwargs) -> None:
        """Saves, then rebuilds the per-unit counts of its unit (and of the unit it left):
        every single-row write keeps `EnterpriseTally` right; bulk writers call
        organising.tally.tally_refresh themselves."""
        from .tally import tally_refresh

        self.full_tax_code = enterprise_full_tax_code(self.tax_code, self.branch)
        self.search_text = enterprise_search_text(self.full_tax_code, self.name, self.address)
        super().save(*args, **kwargs)
        tally_refresh([self.district_union_id, self._unit_as_read])
        self._unit_as_read = self.district_union_id

    def delete(self, *args, **kwargs):
        from .tally import tally_refresh

        unit = self.district_union_id
        result = super().delete(*args, **kwargs)
        tally_refresh([unit])
        return result

    @classmethod
    def from_db(cls, db, field_names, values, *args, **kwargs):
        instance = super().from_db(db, field_names, values, *args, **kwargs)
        instance._unit_as_read = instance.__dict__.get("district_union_id")
        return instance

    @property
    def shown_stage(self) -> str:
        return Stage.FOUNDED.value if self.grassroots_id else self.stage

    @property
    def shown_stage_label(self) -> str:
        return Stage(self.shown_stage).label

    @property
    def has_25_plus(self) -> bool:
        return self.workers >= WORKERS_THRESHOLD

    @property
    def ward_name(self) -> str:
        from .places import ward_name

        return ward_name(self.ward_code)


def enterprise_full_tax_code(tax_code: str, branch: str) -> str:
    return f"{tax_code}-{branch}" if branch else tax_code


def enterprise_search_text(full_tax_code: str, name: str, address: str) -> str:
    """The folded text an enterprise is searched by (bulk writers call this)."""
    return fold(f"{full_tax_code} {name} {address}")[:600]


class _Log(models.Model):
    enterprise = models.ForeignKey(
        Enterprise, on_delete=models.CASCADE, verbose_name="doanh nghiệp"
    )
    on = models.DateField("ngày")
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="người ghi",
    )
    recorded_at = models.DateTimeField("ghi lúc", auto_now_add=True)

    objects = EnterpriseLogQuerySet.as_manager()

    class Meta:
        abstract = True
        ordering = ["-on", "-id"]

    def __str__(self) -> str:
        return f"{self._meta.verbose_name} {self.on:%d/%m/%Y} ({self.enterprise_id})"


class StageChange(_Log):
    """One step of the pipeline: the stage reached on a date, who recorded it, and why."""

    stage = models.CharField("giai đoạn", max_length=20, choices=Stage.choices)
    previous = models.CharField("giai đoạn trước", max_length=20, choices=Stage.choices)
    note = models.TextField("ghi chú", blank=True)

    class Meta(_Log.Meta):
        verbose_name = "chuyển giai đoạn"
        verbose_name_plural = "chuyển giai đoạn"
        default_related_name = "stage_changes"


class Contact(_Log):
    """A visit or meeting: personal data (names the people met)."""

    people = models.CharField("người đã gặp", max_length=255)
    outcome = models.TextField("kết quả")

    class Meta(_Log.Meta):
        verbose_name = "lần tiếp xúc"
        verbose_name_plural = "nhật ký tiếp xúc"
        default_related_name = "contacts"


class Assignment(_Log):
    """The enterprise was given to an officer (None: taken back) on a date."""

    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="cán bộ phụ trách",
    )

    class Meta(_Log.Meta):
        verbose_name = "phân công"
        verbose_name_plural = "phân công"
        default_related_name = "assignments"


class WorkerCountChange(_Log):
    """A re-imported list changed the worker counts (the old and the new figures)."""

    workers_before = models.PositiveIntegerField("số lao động trước")
    workers_after = models.PositiveIntegerField("số lao động sau")
    women_before = models.PositiveIntegerField("lao động nữ trước", null=True, blank=True)
    women_after = models.PositiveIntegerField("lao động nữ sau", null=True, blank=True)
    source_name = models.CharField("từ file", max_length=255, blank=True)

    class Meta(_Log.Meta):
        verbose_name = "thay đổi số lao động"
        verbose_name_plural = "thay đổi số lao động"
        default_related_name = "worker_changes"


class UnitWard(models.Model):
    """Which upper-level union is responsible, by address, for the enterprises of a ward."""

    ward_code = models.PositiveIntegerField("mã phường/xã", unique=True)
    district_union = models.ForeignKey(
        DistrictUnion,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name="công đoàn cấp trên phụ trách",
    )

    class Meta:
        verbose_name = "địa bàn phụ trách"
        verbose_name_plural = "địa bàn phụ trách"

    def __str__(self) -> str:
        from .places import ward_name

        return f"{ward_name(self.ward_code)} → {self.district_union}"


class EnterpriseTally(models.Model):
    """The register counted per unit, kept on every write (organising.tally.tally_refresh).

    One row per unit and (stage recorded, linked to a CĐCS, 25+ workers, furthest step, year
    of the CĐCS founding): how many enterprises and their workers. The headroom page and the
    dashboards read these few rows instead of grouping 200.000 enterprises on every view.
    """

    district_union = models.ForeignKey(DistrictUnion, on_delete=models.CASCADE, related_name="+")
    stage = models.CharField(max_length=20, choices=Stage.choices)
    linked = models.BooleanField()
    big = models.BooleanField()
    reached = models.PositiveSmallIntegerField()
    unionised_year = models.PositiveSmallIntegerField(null=True)
    n = models.PositiveIntegerField()
    workers = models.BigIntegerField()

    class Meta:
        verbose_name = "số đếm doanh nghiệp theo đơn vị"
        verbose_name_plural = "số đếm doanh nghiệp theo đơn vị"
        indexes = [models.Index(fields=["district_union"], name="enterprise_tally_unit_idx")]

    def __str__(self) -> str:
        return f"{self.district_union_id} {self.stage}: {self.n}"
